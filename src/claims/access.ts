import { isStaff, type Principal, type Role } from '../platform/auth/roles.ts';
import { forbidden, notFound } from '../platform/errors.ts';
import type { ClaimRow } from './store.ts';

/**
 * The roles that work claims as the marketplace's claims agent: its own agents and admins, and a
 * third-party administrator (tpa) on its marketplaces' claims. Routes that work a claim list
 * these; `requireClaimActor` and `handlesClaim` narrow a TPA to its marketplaces.
 */
export const CLAIM_HANDLERS = ['agent', 'tpa', 'admin'] as const satisfies readonly Role[];

/**
 * Whether a principal acts for a marketplace: the marketplace's staff for every marketplace, a
 * third-party administrator for those an admin assigned it to (read on each request), nobody else.
 */
export function actsForMarketplace(principal: Principal, marketplaceId: string): boolean {
  if (isStaff(principal)) return true;
  return principal.role === 'tpa' && (principal.marketplaceIds ?? []).includes(marketplaceId);
}

/**
 * Whether a principal handles this claim as the marketplace's own people do: it sees the staff
 * view (risk, notes, every event) and may work it. Staff for every claim; a TPA for its
 * marketplaces' claims only.
 */
export function handlesClaim(principal: Principal, claim: Pick<ClaimRow, 'marketplace_id'>): boolean {
  return actsForMarketplace(principal, claim.marketplace_id);
}

/**
 * Who may own (work) a claim, as `assignee`, when `assigner` hands it over: the marketplace's
 * agents and admins any claim, a TPA's people only its marketplaces' claims; and a TPA hands a
 * claim only to its own firm's people, never to the marketplace's or another firm's.
 */
export function mayOwnClaim(
  assigner: Principal,
  assignee: Pick<Principal, 'role' | 'partyId' | 'marketplaceIds'>,
  claim: Pick<ClaimRow, 'marketplace_id'>,
): boolean {
  if (assignee.role === 'tpa') {
    if (!(assignee.marketplaceIds ?? []).includes(claim.marketplace_id)) return false;
  } else if (assignee.role !== 'agent' && assignee.role !== 'admin') return false;
  if (assigner.role === 'tpa') return assignee.role === 'tpa' && assignee.partyId === assigner.partyId;
  return true;
}

/**
 * Who may see a claim. Staff see all; a third-party administrator its marketplaces' claims; the
 * claimant sees its own; a seller sees a claim about its product once it has been told of it
 * (screening filters claims before sellers see them). Everyone else is told the claim does not
 * exist, so ids cannot be probed.
 */
export function canReadClaim(principal: Principal, claim: ClaimRow): boolean {
  switch (principal.role) {
    case 'admin':
    case 'agent':
    case 'system':
      return true;
    case 'tpa':
      return handlesClaim(principal, claim);
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
  // Reading already narrowed a TPA to its marketplaces' claims; this states it where acting is decided.
  if (principal.role === 'tpa' && !handlesClaim(principal, readable)) throw notFound('claim', id);
  return readable;
}

/** The filters of a claim search that only staff may set: they reach across parties or into screening. */
export const STAFF_ONLY_CLAIM_FILTERS = ['hazard', 'owner', 'overdue', 'queue'] as const;

/**
 * Which claims a principal's list may hold, whatever it asked for: staff see every claim and
 * may filter by any party; a third-party administrator the same, within its marketplaces; a
 * customer only its own, a seller only those about its products it has been told of. A party
 * naming another party, or a staff-only filter, is refused (403), not silently narrowed, so a
 * client cannot believe it saw someone else's empty list.
 */
export function claimListScope(
  principal: Principal,
  asked: { sellerId?: string | undefined; customerId?: string | undefined } & Partial<
    Record<(typeof STAFF_ONLY_CLAIM_FILTERS)[number], unknown>
  >,
): {
  marketplaceIds?: readonly string[];
  sellerId?: string;
  customerId?: string;
  onlyNotifiedToSeller: boolean;
  searchPeople: boolean;
} {
  if (isStaff(principal) || principal.role === 'tpa') {
    return {
      // A TPA with no marketplace left lists nothing: an empty list matches no claim.
      ...(principal.role === 'tpa' ? { marketplaceIds: principal.marketplaceIds ?? [] } : {}),
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
 * A contest is between the marketplace and the seller's side: staff (and a TPA on its
 * marketplaces' claims) and whoever may contest the
 * claim see it; the claimant does not (its payment stands whatever the outcome).
 */
export function canReadContest(principal: Principal, claim: ClaimRow): boolean {
  return handlesClaim(principal, claim) || canContestClaim(principal, claim);
}
