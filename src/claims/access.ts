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

/** The filters of a claim search that only staff may set: they reach across parties or into screening. */
export const STAFF_ONLY_CLAIM_FILTERS = ['hazard', 'owner', 'overdue', 'queue'] as const;

/**
 * Which claims a principal's list may hold, whatever it asked for: staff see every claim and
 * may filter by any party; a customer only its own, a seller only those about its products it
 * has been told of. A party naming another party, or a staff-only filter, is refused (403), not
 * silently narrowed, so a client cannot believe it saw someone else's empty list.
 */
export function claimListScope(
  principal: Principal,
  asked: { sellerId?: string | undefined; customerId?: string | undefined } & Partial<
    Record<(typeof STAFF_ONLY_CLAIM_FILTERS)[number], unknown>
  >,
): { sellerId?: string; customerId?: string; onlyNotifiedToSeller: boolean; searchPeople: boolean } {
  if (isStaff(principal)) {
    return {
      ...(asked.sellerId ? { sellerId: asked.sellerId } : {}),
      ...(asked.customerId ? { customerId: asked.customerId } : {}),
      onlyNotifiedToSeller: false,
      searchPeople: true,
    };
  }
  for (const name of STAFF_ONLY_CLAIM_FILTERS) {
    if (asked[name] !== undefined) throw forbidden(`only staff may filter claims by ${name}`);
  }
  const own = principal.partyId;
  const mine = (value: string | undefined) => {
    if (value !== undefined && value !== own)
      throw forbidden(`a ${principal.role} lists only its own claims`);
  };
  mine(asked.sellerId);
  mine(asked.customerId);
  if (principal.role === 'customer' && own)
    return { customerId: own, onlyNotifiedToSeller: false, searchPeople: false };
  if (principal.role === 'seller' && own)
    return { sellerId: own, onlyNotifiedToSeller: true, searchPeople: false };
  throw forbidden(`a ${principal.role} does not list claims`);
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
