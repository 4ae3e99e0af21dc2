import type { Clock } from '../clock.ts';
import type { Queryable } from '../db/sql.ts';
import { listApiKeyRows } from './api-key-store.ts';
import { type ApiKeyView, toApiKeyView } from './key-access.ts';
import { isStaff, type Principal, type Role } from './roles.ts';

/**
 * Keys newest first. An admin sees every key (optionally of one role or party); a party sees
 * only its own, whatever filter it sends.
 */
export async function listApiKeys(
  db: Queryable,
  clock: Clock,
  principal: Principal,
  query: {
    role?: Role | undefined;
    partyId?: string | undefined;
    cursor?: string | undefined;
    limit: number;
  },
): Promise<{ data: ApiKeyView[]; nextCursor: string | null }> {
  const filter = isStaff(principal)
    ? { role: query.role, partyId: query.partyId }
    : { role: principal.role as Role, partyId: principal.partyId ?? '' };
  const { page, nextCursor } = await listApiKeyRows(db, filter, query);
  const now = clock.now();
  return { data: page.map((row) => toApiKeyView(row, now)), nextCursor };
}
