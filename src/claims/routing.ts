import type { Policy } from '../marketplace/policy.ts';
import type { ClaimStatus } from './lifecycle.ts';

export type Payer = 'marketplace' | 'seller' | 'insurer';

/** What screening decided about a claim that is eligible. */
export type ScreeningOutcome = 'pass' | 'needs_info' | 'review' | 'expert';

export interface Routing {
  status: ClaimStatus;
  payer: Payer | null;
  stepIn: boolean;
  /** Why an agent is looking at it, when status is under_review. */
  reviewKind: 'risk' | 'dispute' | 'appeal' | null;
  /** Whether the seller is now told about the claim, and what its answer can change. */
  sellerNotice: 'respond' | 'defend' | null;
}

const routing = (r: Partial<Routing> & Pick<Routing, 'status'>): Routing => ({
  payer: null,
  stepIn: false,
  reviewKind: null,
  sellerNotice: null,
  ...r,
});

/**
 * A claim held valid: within the small-claim limit the marketplace pays at once and the
 * seller is told (it may still defend its product); above it, the seller must answer.
 */
export function routeValidClaim(amount: number, policy: Policy): Routing {
  return amount <= policy.smallClaimLimit
    ? routing({ status: 'approved', payer: 'marketplace', sellerNotice: 'defend' })
    : routing({ status: 'awaiting_seller', sellerNotice: 'respond' });
}

export function routeAfterScreening(outcome: ScreeningOutcome, amount: number, policy: Policy): Routing {
  switch (outcome) {
    case 'needs_info':
      return routing({ status: 'needs_info' });
    case 'review':
      return routing({ status: 'under_review', reviewKind: 'risk' });
    case 'expert':
      return routing({ status: 'expert_review' });
    case 'pass':
      return routeValidClaim(amount, policy);
  }
}

/** A tender is routed by the insurance domain (tender-claim.ts): the insurer answers first. */
export type SellerAnswer = 'accept' | 'dispute';

export function routeSellerAnswer(answer: SellerAnswer): Routing {
  switch (answer) {
    case 'accept':
      return routing({ status: 'approved', payer: 'seller' });
    case 'dispute':
      return routing({ status: 'under_review', reviewKind: 'dispute' });
  }
}

/** The seller must answer (again): its insurer declined the tender. */
export const backToSeller = (): Routing => routing({ status: 'awaiting_seller', sellerNotice: 'respond' });

/**
 * The seller stayed silent past its deadline, or disputed a claim the marketplace holds valid.
 * Applied only through `stepIn` (step-in.ts), which records why.
 */
export const marketplaceStepsIn = (): Routing =>
  routing({ status: 'approved', payer: 'marketplace', stepIn: true });

/**
 * An agent approves a claim under review. After a dispute, or on appeal once the seller has
 * already been asked, the marketplace steps in; after a risk review, or an appeal of a claim
 * the seller never saw, the claim continues as any valid claim would.
 */
export function routeApproval(
  reviewKind: Routing['reviewKind'],
  sellerAlreadyAsked: boolean,
  amount: number,
  policy: Policy,
): Routing {
  if (reviewKind === 'dispute' || (reviewKind === 'appeal' && sellerAlreadyAsked))
    return marketplaceStepsIn();
  return routeValidClaim(amount, policy);
}
