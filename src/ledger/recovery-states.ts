import { stateMachine } from '../platform/state-moves.ts';

/**
 * A recovery's moves (docs/ledger.md). It opens pending (the seller's proof-of-insurance
 * window), waived (cover already verified) or invoiced (a claimant who owes a payout back).
 * From pending: waived on proof of insurance, tendered to the seller's insurer, or charged
 * (invoiced, or settled at once by offset against the seller's held money). A tender the
 * insurer declines or leaves unanswered charges the seller the same way.
 */
export const recoveryStates = stateMachine('recovery', {
  pending: ['waived', 'tendered_to_insurer', 'invoiced', 'offset', 'recovered', 'written_off'],
  tendered_to_insurer: ['invoiced', 'offset', 'recovered', 'written_off'],
  invoiced: ['recovered', 'written_off'],
  waived: [],
  offset: [],
  recovered: [],
  written_off: [],
});

export type RecoveryStatus = (typeof recoveryStates.statuses)[number];
