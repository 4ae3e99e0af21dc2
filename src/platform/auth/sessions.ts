import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { Queryable } from '../db/sql.ts';
import { noteKeyUsed, sha256Hex } from './api-keys.ts';
import type { Principal, Role } from './roles.ts';

/** How long a person stays signed in. */
export const SESSION_HOURS = 12;
export const SESSION_COOKIE = 'redress_session';
export const CSRF_COOKIE = 'redress_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface OpenedSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

/**
 * A session stands for the API key it was opened with: the same role and party, recorded under
 * the same key id in every history. The token is 32 random bytes, stored as its SHA-256 like a key.
 */
export async function openSession(db: Queryable, clock: Clock, apiKeyId: string): Promise<OpenedSession> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000);
  await db
    .insertInto('sessions')
    .values({
      token_sha256: sha256Hex(token),
      api_key_id: apiKeyId,
      csrf_token: csrfToken,
      created_at: now,
      expires_at: expiresAt,
      revoked_at: null,
    })
    .execute();
  return { token, csrfToken, expiresAt };
}

export interface SessionPrincipal extends Omit<Principal, 'requestId'> {
  csrfToken: string;
  expiresAt: Date;
}

/**
 * The live session of a cookie: not revoked, not expired, and its key neither revoked nor
 * expired, so ending a key ends its sessions on their next request.
 */
export async function findSession(db: Queryable, token: string, now: Date): Promise<SessionPrincipal | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('api_keys', 'api_keys.id', 'sessions.api_key_id')
    .select([
      'api_keys.id',
      'api_keys.role',
      'api_keys.party_id',
      'api_keys.last_used_at',
      'sessions.csrf_token',
      'sessions.expires_at',
    ])
    .where('sessions.token_sha256', '=', sha256Hex(token))
    .where('sessions.revoked_at', 'is', null)
    .where('api_keys.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('api_keys.expires_at', 'is', null), eb('api_keys.expires_at', '>', now)]))
    .where('sessions.expires_at', '>', now)
    .executeTakeFirst();
  if (row) await noteKeyUsed(db, row, now);
  return row
    ? {
        role: row.role as Role,
        partyId: row.party_id,
        keyId: row.id,
        csrfToken: row.csrf_token,
        expiresAt: row.expires_at,
      }
    : null;
}

export async function closeSession(db: Queryable, clock: Clock, token: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: clock.now() })
    .where('token_sha256', '=', sha256Hex(token))
    .where('revoked_at', 'is', null)
    .execute();
}

/** Compares the CSRF header with the session's token in constant time. */
export function csrfMatches(sent: string | undefined, expected: string): boolean {
  if (!sent) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
