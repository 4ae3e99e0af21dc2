import type { Clock } from '../clock.ts';
import type { Tx } from '../db/sql.ts';
import { notFound } from '../errors.ts';
import { findApiKey } from './api-key-store.ts';
import { type ApiKeyView, mayManageKey, toApiKeyView } from './key-access.ts';
import type { Principal } from './roles.ts';

/**
 * Revokes a key and ends its sessions, at once: the next request with either is a 401.
 * Revoking a revoked key changes nothing and answers the same. A key the caller may not manage
 * is "not found", so a party cannot probe for other parties' key ids.
 */
export async function revokeApiKey(
  tx: Tx,
  clock: Clock,
  principal: Principal,
  keyId: string,
): Promise<ApiKeyView> {
  const key = await findApiKey(tx, keyId, { lock: true });
  if (!key || !mayManageKey(principal, key)) throw notFound('API key', keyId);
  const now = clock.now();
  if (!key.revoked_at) {
    await tx.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', keyId).execute();
    // The session lookup already refuses a revoked key's sessions; ending them here too keeps
    // the sessions table truthful for anyone reading it.
    await tx
      .updateTable('sessions')
      .set({ revoked_at: now })
      .where('api_key_id', '=', keyId)
      .where('revoked_at', 'is', null)
      .execute();
  }
  const stored = await findApiKey(tx, keyId);
  if (!stored) throw notFound('API key', keyId);
  return toApiKeyView(stored, now);
}
