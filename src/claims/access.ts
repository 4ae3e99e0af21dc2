import { isStaff, type Principal } from '../platform/auth/roles.ts';
import { forbidden, notFound } from '../platform/errors.ts';
import type { ClaimRow } from './store.ts';

/**
 * Who may see a claim. Staff see all; the claimant sees its own; a seller sees a claim about
 * its product once it has been told of it (screening filters claims before sellers see them).
 * Everyone else is told the claim does not exist, so ids cannot be probed.
 */
export function canReadClaim(principal: Principal, claim: ClaimRow): boolean {
  switch (principal.role) {
    case 'admin':
    case 'agent':
    case 'system':
      return true;
    case 'customer':
      return claim.customer_id === principal.partyId;
    case 'seller':
      return claim.seller_id === principal.partyId && claim.seller_notified_at !== null;
    case 'insurer':
      return claim.insurer_id !== null && claim.insurer_id === principal.partyId;
    default:
      return false;
  }
}

export function requireClaimAccess(principal: Principal, claim: ClaimRow | undefined, id: string): ClaimRow {
  if (!claim || !canReadClaim(principal, claim)) throw notFound('claim', id);
  return claim;
}

/** Acting on a claim needs the right to see it and a role allowed to take that action. */
export function requireClaimActor(
  principal: Principal,
  claim: ClaimRow | undefined,
  id: string,
  roles: readonly Principal['role'][],
): ClaimRow {
  const readable = requireClaimAccess(principal, claim, id);
  if (!roles.includes(principal.role)) throw forbidden(`a ${principal.role} may not do this to a claim`);
  return readable;
}

/**
 * Who may contest the marketplace's resolution of a claim: its seller, or the insurer acting for
 * it on this claim. Staff decide contests; they do not file them.
 */
export function canContestClaim(principal: Principal, claim: ClaimRow): boolean {
  if (principal.role === 'seller') return claim.seller_id === principal.partyId;
  if (principal.role === 'insurer')
    return claim.insurer_id !== null && claim.insurer_id === principal.partyId;
  return false;
}

/**
 * A contest is between the marketplace and the seller's side: staff and whoever may contest the
 * claim see it; the claimant does not (its payment stands whatever the outcome).
 */
export function canReadContest(principal: Principal, claim: ClaimRow): boolean {
  return isStaff(principal) || canContestClaim(principal, claim);
}
