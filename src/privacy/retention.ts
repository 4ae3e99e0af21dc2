import { type ClaimStatus, OPEN_STATUSES } from '../claims/lifecycle.ts';
import { type RecoveryStatus, SETTLED_RECOVERY_STATUSES } from '../ledger/recovery-states.ts';

/**
 * When a customer's personal data may be erased. Pure: the use case loads the claims and
 * their money, this says which rule (if any) holds the data back. Ledger entries and amounts
 * are kept regardless (legal retention of financial records); these rules are about the
 * narrative, names and contacts, which the claim still needs while it can move.
 */
export interface ClaimForRetention {
  id: string;
  status: string;
  /** The last change to the claim (its last event). */
  lastActivityAt: Date;
  payoutStatus: string | null;
  recoveryStatus: string | null;
}

export type RetentionRule = 'claim_open' | 'payout_unsettled' | 'recovery_open' | 'hold_period';

export interface ErasureBlocker {
  rule: RetentionRule;
  claimId: string;
  detail: string;
  /** For `hold_period`: when the claim's hold ends. */
  until?: string;
}

const DAY_MS = 86_400_000;

export function erasureBlockers(
  claims: ClaimForRetention[],
  now: Date,
  policy: { erasureHoldDays: number },
): ErasureBlocker[] {
  const blockers: ErasureBlocker[] = [];
  for (const claim of claims) {
    if (OPEN_STATUSES.includes(claim.status as ClaimStatus)) {
      blockers.push({
        rule: 'claim_open',
        claimId: claim.id,
        detail: `claim ${claim.id} is ${claim.status}: it is still being worked and needs its narrative`,
      });
      continue;
    }
    if (claim.payoutStatus === 'pending' || claim.payoutStatus === 'executing') {
      blockers.push({
        rule: 'payout_unsettled',
        claimId: claim.id,
        detail: `the payout of claim ${claim.id} is ${claim.payoutStatus}: the customer is still to be paid`,
      });
    }
    if (claim.recoveryStatus && !SETTLED_RECOVERY_STATUSES.has(claim.recoveryStatus as RecoveryStatus)) {
      blockers.push({
        rule: 'recovery_open',
        claimId: claim.id,
        detail: `the recovery of claim ${claim.id} is ${claim.recoveryStatus}: the seller may still dispute it`,
      });
    }
    const holdEnds = new Date(claim.lastActivityAt.getTime() + policy.erasureHoldDays * DAY_MS);
    if (now < holdEnds) {
      blockers.push({
        rule: 'hold_period',
        claimId: claim.id,
        detail: `claim ${claim.id} changed less than ${policy.erasureHoldDays} days ago (policy erasureHoldDays): a contest or appeal may still come`,
        until: holdEnds.toISOString(),
      });
    }
  }
  return blockers;
}
