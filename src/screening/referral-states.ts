import { stateMachine } from '../platform/state-moves.ts';

/**
 * An expert referral's moves: the expert answers it, or an agent deciding a held payout
 * withdraws it.
 */
export const referralStates = stateMachine('referral', {
  open: ['answered', 'withdrawn'],
  answered: [],
  withdrawn: [],
});
