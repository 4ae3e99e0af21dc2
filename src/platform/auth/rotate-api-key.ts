import type { Clock } from '../clock.ts';
import type { Tx } from '../db/sql.ts';
import { AppError, notFound } from '../errors.ts';
import { findApiKey } from './api-key-store.ts';
import { type CreatedApiKey, createApiKey } from './api-keys.ts';
import { type ApiKeyView, mayManageKey, toApiKeyView } from './key-access.ts';
import type { Principal, Role } from './roles.ts';

/** How long the old key keeps working after a rotation unless the caller says otherwise. */
export const DEFAULT_OVERLAP_SECONDS = 24 * 3600;
export const MAX_OVERLAP_SECONDS = 30 * 24 * 3600;

/**
 * Issues a new key for the same role, party and label, and sets the old one to expire after
 * the overlap window, so a deployment can switch secrets without an outage. The old key
 * expires no later than it already would have, and points to its replacement.
 */
export async function rotateApiKey(
  tx: Tx,
  clock: Clock,
  principal: Principal,
  keyId: string,
  options: { overlapSeconds: number; expiresAt?: Date | null },
): Promise<{ created: CreatedApiKey; previous: ApiKeyView }> {
  const key = await findApiKey(tx, keyId, { lock: true });
  if (!key || !mayManageKey(principal, key)) throw notFound('API key', keyId);
  const now = clock.now();
  const current = toApiKeyView(key, now);
  if (current.status !== 'active') {
    throw new AppError(
      'conflict',
      `API key ${keyId} is ${current.status}: only an active key can be rotated`,
    );
  }
  if (key.replaced_by) {
    throw new AppError('conflict', `API key ${keyId} was already rotated; rotate ${key.replaced_by} instead`);
  }
  const created = await createApiKey(tx, clock, {
    role: key.role as Role,
    partyId: key.party_id,
    label: key.label,
    expiresAt: options.expiresAt ?? null,
  });
  const overlapEnd = new Date(now.getTime() + options.overlapSeconds * 1000);
  const expiresAt = key.expires_at && key.expires_at < overlapEnd ? key.expires_at : overlapEnd;
  await tx
    .updateTable('api_keys')
    .set({ expires_at: expiresAt, replaced_by: created.id })
    .where('id', '=', keyId)
    .execute();
  return { created, previous: toApiKeyView({ ...key, expires_at: expiresAt, replaced_by: created.id }, now) };
}
