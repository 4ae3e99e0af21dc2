import { fetchPage } from '../db/paging.ts';
import type { Queryable } from '../db/sql.ts';
import type { Role } from './roles.ts';

const KEY_COLUMNS = [
  'id',
  'role',
  'party_id',
  'label',
  'created_at',
  'expires_at',
  'last_used_at',
  'revoked_at',
  'replaced_by',
] as const;

export async function findApiKey(db: Queryable, id: string, options: { lock?: boolean } = {}) {
  const query = db.selectFrom('api_keys').select(KEY_COLUMNS).where('id', '=', id);
  return (options.lock ? query.forUpdate() : query).executeTakeFirst();
}

export async function listApiKeyRows(
  db: Queryable,
  filter: { role?: Role | undefined; partyId?: string | undefined },
  page: { cursor?: string | undefined; limit: number },
) {
  let query = db.selectFrom('api_keys').select(KEY_COLUMNS);
  if (filter.role) query = query.where('role', '=', filter.role);
  if (filter.partyId) query = query.where('party_id', '=', filter.partyId);
  return fetchPage(query, page);
}
