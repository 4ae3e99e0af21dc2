import { AppError } from '../platform/errors.ts';

export const CLAIM_STATUSES = [
  'screening',
  'needs_info',
  'expert_review',
  'awaiting_seller',
  'awaiting_insurer',
  'under_review',
  'approved',
  'paid',
  'denied',
  'withdrawn',
  'closed',
] as const;

export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/**
 * The one place a claim's moves are allowed. Anything not listed here is refused with 409,
 * whoever asks; use cases name the status they want and this table says yes or no.
 */
export const TRANSITIONS: Record<ClaimStatus, readonly ClaimStatus[]> = {
  screening: [
    'needs_info',
    'expert_review',
    'awaiting_seller',
    'under_review',
    'approved',
    'denied',
    'withdrawn',
  ],
  needs_info: ['screening', 'expert_review', 'denied', 'withdrawn'],
  expert_review: ['awaiting_seller', 'approved', 'under_review', 'denied', 'withdrawn'],
  awaiting_seller: ['approved', 'awaiting_insurer', 'under_review', 'expert_review', 'withdrawn'],
  // The insurer accepts (approved, it pays), declines (back to the seller), or stays silent
  // (approved, the marketplace steps in).
  awaiting_insurer: ['approved', 'awaiting_seller', 'withdrawn'],
  under_review: ['approved', 'awaiting_seller', 'needs_info', 'expert_review', 'denied', 'withdrawn'],
  // A flag raised after approval (a reused photo arriving late) holds the payout and sends the
  // claim back to an expert or an agent, who release or cancel it.
  approved: ['paid', 'withdrawn', 'expert_review', 'under_review'],
  paid: ['closed'],
  denied: ['under_review', 'closed'],
  withdrawn: [],
  closed: [],
};

/** Statuses in which the claim is still being worked: a second claim on the same line is refused. */
export const OPEN_STATUSES: readonly ClaimStatus[] = [
  'screening',
  'needs_info',
  'expert_review',
  'awaiting_seller',
  'awaiting_insurer',
  'under_review',
  'approved',
];

export function canTransition(from: ClaimStatus, to: ClaimStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(claimId: string, from: ClaimStatus, to: ClaimStatus): void {
  if (!canTransition(from, to)) {
    throw new AppError('invalid_transition', `claim ${claimId} is ${from} and cannot become ${to}`, {
      extra: { currentStatus: from, requestedStatus: to },
    });
  }
}
