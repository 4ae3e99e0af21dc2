import { createHash, randomBytes } from 'node:crypto';
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
}

export async function createApiKey(
  db: Queryable,
  clock: Clock,
  input: { role: Role; partyId?: string | null; label?: string | null; secret?: string },
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
    })
    .onConflict((oc) => oc.column('secret_sha256').doNothing())
    .execute();
  return { id, secret, role: input.role, partyId, label: input.label ?? null };
}

/** Makes sure an admin key with exactly this secret exists (REDRESS_BOOTSTRAP_ADMIN_KEY). */
export async function ensureBootstrapAdminKey(db: Queryable, clock: Clock, secret: string): Promise<void> {
  await createApiKey(db, clock, { role: 'admin', secret, label: 'bootstrap' });
  await db
    .updateTable('api_keys')
    .set({ revoked_at: null, role: 'admin', party_id: null })
    .where('secret_sha256', '=', sha256Hex(secret))
    .execute();
}

export async function findPrincipalBySecret(
  db: Queryable,
  secret: string,
): Promise<Omit<Principal, 'requestId'> | null> {
  const row = await db
    .selectFrom('api_keys')
    .select(['id', 'role', 'party_id'])
    .where('secret_sha256', '=', sha256Hex(secret))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row ? { role: row.role as Role, partyId: row.party_id, keyId: row.id } : null;
}
