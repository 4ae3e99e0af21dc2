import { stateMachine } from '../platform/state-moves.ts';

/**
 * A recovery's moves (docs/ledger.md). It opens pending (the seller's proof-of-insurance
 * window), waived (cover already verified) or invoiced (a claimant who owes a payout back).
 * From pending: waived on proof of insurance, tendered to the seller's insurer, or charged
 * (invoiced, or settled at once by offset against the seller's held money). A tender the
 * insurer declines or leaves unanswered charges the seller the same way.
 */
export const recoveryStates = stateMachine('recovery', {
  pending: ['waived', 'tendered_to_insurer', 'invoiced', 'offset', 'recovered', 'written_off', 'reversed'],
  tendered_to_insurer: ['invoiced', 'offset', 'recovered', 'written_off', 'reversed'],
  invoiced: ['recovered', 'written_off', 'reversed'],
  // A seller's contest upheld against the marketplace reverses even a collected recovery: what
  // was taken is refunded (src/ledger/reverse-recovery.ts).
  offset: ['reversed'],
  recovered: ['reversed'],
  waived: [],
  written_off: [],
  reversed: [],
});

export type RecoveryStatus = (typeof recoveryStates.statuses)[number];

/**
 * Recoveries with nothing left to collect: erasure need not wait for them and an agent has
 * nothing to write off. Offset and recovered ones are settled though a contest may still
 * reverse them.
 */
export const SETTLED_RECOVERY_STATUSES: ReadonlySet<RecoveryStatus> = new Set([
  'waived',
  'offset',
  'recovered',
  'written_off',
  'reversed',
]);

/** Recoveries a seller's contest reverses when the agent decides for the seller. */
export const REVERSIBLE_RECOVERY_STATUSES: readonly RecoveryStatus[] = recoveryStates.statuses.filter((s) =>
  recoveryStates.canMove(s, 'reversed'),
);
