import { stateMachine } from '../platform/state-moves.ts';

/**
 * A tender's moves: the insurer accepts, declines or asks a question (the seller's answer
 * reopens it); its deadline expires it; a withdrawn claim or a written-off recovery withdraws it.
 */
export const tenderStates = stateMachine('tender', {
  open: ['info_requested', 'accepted', 'declined', 'expired', 'withdrawn'],
  info_requested: ['open', 'accepted', 'declined', 'expired', 'withdrawn'],
  accepted: [],
  declined: [],
  expired: [],
  withdrawn: [],
});

/** A tender still waiting for the insurer. */
export const OPEN_TENDER_STATUSES: ReadonlySet<string> = new Set(
  tenderStates.statuses.filter((s) => !tenderStates.final.has(s)),
);
