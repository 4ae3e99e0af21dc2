import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Queryable } from '../db/sql.ts';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import { PARTY_ROLES, type Principal, type Role } from './roles.ts';

/**
 * Secrets are 32 random bytes, so a single SHA-256 is enough to store them safely: slow
 * password hashes exist to protect guessable secrets, and these are not guessable.
 */
export const sha256Hex = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

export interface CreatedApiKey {
  id: string;
  secret: string;
  role: Role;
  partyId: string | null;
  label: string | null;
  expiresAt: Date | null;
}

export async function createApiKey(
  db: Queryable,
  clock: Clock,
  input: {
    role: Role;
    partyId?: string | null;
    label?: string | null;
    secret?: string;
    expiresAt?: Date | null;
  },
): Promise<CreatedApiKey> {
  const partyId = input.partyId ?? null;
  if (PARTY_ROLES.includes(input.role) && !partyId) {
    throw new AppError('validation_failed', `a ${input.role} key must name the party it belongs to`, {
      errors: [{ field: 'body.partyId', rule: `required for role ${input.role}` }],
    });
  }
  if (!PARTY_ROLES.includes(input.role) && partyId) {
    throw new AppError('validation_failed', `an ${input.role} key belongs to no party`, {
      errors: [{ field: 'body.partyId', rule: `must be absent for role ${input.role}` }],
    });
  }
  const expiresAt = input.expiresAt ?? null;
  if (expiresAt && expiresAt <= clock.now()) {
    throw new AppError('validation_failed', 'a key cannot expire before it is made', {
      errors: [{ field: 'body.expiresAt', rule: 'must be in the future' }],
    });
  }
  const secret = input.secret ?? `rdk_${randomBytes(32).toString('base64url')}`;
  const id = newId('apiKey', clock);
  await db
    .insertInto('api_keys')
    .values({
      id,
      secret_sha256: sha256Hex(secret),
      role: input.role,
      party_id: partyId,
      label: input.label ?? null,
      created_at: clock.now(),
      expires_at: expiresAt,
    })
    .onConflict((oc) => oc.column('secret_sha256').doNothing())
    .execute();
  return { id, secret, role: input.role, partyId, label: input.label ?? null, expiresAt };
}

/** Makes sure an admin key with exactly this secret exists (REDRESS_BOOTSTRAP_ADMIN_KEY). */
export async function ensureBootstrapAdminKey(db: Queryable, clock: Clock, secret: string): Promise<void> {
  await createApiKey(db, clock, { role: 'admin', secret, label: 'bootstrap' });
  await db
    .updateTable('api_keys')
    .set({ revoked_at: null, expires_at: null, role: 'admin', party_id: null })
    .where('secret_sha256', '=', sha256Hex(secret))
    .execute();
}

/**
 * "Last used" is for people deciding which keys to revoke, so minute precision is plenty: at
 * most one write per key per minute, instead of one per request.
 */
export const LAST_USED_PRECISION_MS = 60_000;

/**
 * A key in force: neither revoked nor past its expiry (a rotated key's overlap included). Its
 * `last_used_at` is moved in the same statement (a data-modifying CTE), and only when the stored
 * value is older than the precision: one round trip per request, at most one write per key per
 * minute, so busy callers on one key do not queue on its row.
 */
export async function findPrincipalBySecret(
  db: Queryable,
  secret: string,
  now: Date,
): Promise<Omit<Principal, 'requestId'> | null> {
  const result = await sql<{ id: string; role: string; party_id: string | null }>`
    with found as (
      select id, role, party_id from api_keys
      where secret_sha256 = ${sha256Hex(secret)} and revoked_at is null
        and (expires_at is null or expires_at > ${now})),
    touched as (
      update api_keys set last_used_at = ${now} from found
      where api_keys.id = found.id
        and ${keyUseUnrecorded(now)})
    select id, role, party_id from found`.execute(db);
  const row = result.rows[0];
  if (!row) return null;
  return { role: row.role as Role, partyId: row.party_id, keyId: row.id };
}

/** Records that a key was used, unless that was already recorded within the last minute. */
export async function noteKeyUsed(
  db: Queryable,
  key: { id: string; last_used_at: Date | null },
  now: Date,
): Promise<void> {
  if (key.last_used_at && now.getTime() - key.last_used_at.getTime() < LAST_USED_PRECISION_MS) return;
  // The condition repeats the check in SQL so that concurrent requests write it once.
  await db
    .updateTable('api_keys')
    .set({ last_used_at: now })
    .where('id', '=', key.id)
    .where(keyUseUnrecorded(now))
    .execute();
}

/**
 * The key row's `last_used_at` is missing or older than the precision: the one condition both
 * writers of it use, so that concurrent requests on one key write it at most once a minute.
 */
const keyUseUnrecorded = (now: Date) =>
  sql<boolean>`(api_keys.last_used_at is null or api_keys.last_used_at <= ${new Date(now.getTime() - LAST_USED_PRECISION_MS)})`;
