import type { ApiKeysTable } from '../db/database.ts';
import type { Principal, Role } from './roles.ts';

type KeyRow = Pick<ApiKeysTable, 'role' | 'party_id'>;

/**
 * Admins manage every key; a customer, seller, insurer or expert manages the keys of its own
 * party (same role and party id), never another's. Agents work claims, not access.
 */
export function mayManageKey(principal: Principal, key: KeyRow): boolean {
  if (principal.role === 'admin' || principal.role === 'system') return true;
  return principal.partyId !== null && key.role === principal.role && key.party_id === principal.partyId;
}

export type ApiKeyStatus = 'active' | 'expired' | 'revoked';

export interface ApiKeyView {
  id: string;
  role: Role;
  partyId: string | null;
  label: string | null;
  status: ApiKeyStatus;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  replacedBy: string | null;
}

/** What anyone allowed to see a key sees of it: never its secret, which is not stored. */
export function toApiKeyView(
  row: {
    id: string;
    role: string;
    party_id: string | null;
    label: string | null;
    created_at: Date;
    expires_at: Date | null;
    last_used_at: Date | null;
    revoked_at: Date | null;
    replaced_by: string | null;
  },
  now: Date,
): ApiKeyView {
  const status: ApiKeyStatus = row.revoked_at
    ? 'revoked'
    : row.expires_at && row.expires_at <= now
      ? 'expired'
      : 'active';
  return {
    id: row.id,
    role: row.role as Role,
    partyId: row.party_id,
    label: row.label,
    status,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    replacedBy: row.replaced_by,
  };
}
