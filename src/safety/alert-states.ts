import { stateMachine } from '../platform/state-moves.ts';

/**
 * A safety alert's moves: an open alert is triaged once, to dismissed, monitoring, listing
 * paused or recall opened; one being monitored may be triaged again (still monitoring, or a
 * firmer step) as claims join it.
 */
export const alertStates = stateMachine('alert', {
  open: ['dismissed', 'monitoring', 'listing_paused', 'recall_opened'],
  monitoring: ['monitoring', 'dismissed', 'listing_paused', 'recall_opened'],
  dismissed: [],
  listing_paused: [],
  recall_opened: [],
});

/** Alerts that still gather claims and wait for triage. */
export const LIVE_ALERT_STATUSES: ReadonlySet<string> = new Set(
  alertStates.statuses.filter((s) => !alertStates.final.has(s)),
);
