import { z } from 'zod';

export const ROLES = ['admin', 'agent', 'tpa', 'customer', 'seller', 'insurer', 'expert'] as const;
export const ZRole = z.enum(ROLES);
export type Role = z.infer<typeof ZRole>;

/**
 * Roles whose keys belong to one party (a customer, a seller, an insurer, an expert, a
 * third-party administrator).
 */
export const PARTY_ROLES: readonly Role[] = ['tpa', 'customer', 'seller', 'insurer', 'expert'];

/** Who is asking: set on every authenticated request, recorded with every change. */
export interface Principal {
  role: Role | 'system';
  partyId: string | null;
  keyId: string | null;
  requestId: string | null;
  /**
   * A third-party administrator's marketplaces, read from its assignments on every request (an
   * unassignment takes effect at once); absent for every other role. src/claims/access.ts decides
   * what they open.
   */
  marketplaceIds?: readonly string[];
}

export const systemPrincipal = (what: string): Principal => ({
  role: 'system',
  partyId: what,
  keyId: null,
  requestId: null,
});

/**
 * The marketplace's own people (and its machinery). A third-party administrator is not: it is
 * staff-like only for its marketplaces' claims, which src/claims/access.ts decides claim by claim.
 */
export function isStaff(p: Principal): boolean {
  return p.role === 'admin' || p.role === 'agent' || p.role === 'system';
}
