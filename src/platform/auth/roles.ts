import { z } from 'zod';

export const ROLES = ['admin', 'agent', 'customer', 'seller', 'insurer', 'expert'] as const;
export const ZRole = z.enum(ROLES);
export type Role = z.infer<typeof ZRole>;

/** Roles whose keys belong to one party (a customer, a seller, an insurer, an expert). */
export const PARTY_ROLES: readonly Role[] = ['customer', 'seller', 'insurer', 'expert'];

/** Who is asking: set on every authenticated request, recorded with every change. */
export interface Principal {
  role: Role | 'system';
  partyId: string | null;
  keyId: string | null;
  requestId: string | null;
}

export const systemPrincipal = (what: string): Principal => ({
  role: 'system',
  partyId: what,
  keyId: null,
  requestId: null,
});

export function isStaff(p: Principal): boolean {
  return p.role === 'admin' || p.role === 'agent' || p.role === 'system';
}
