import { setImmediate as immediate } from 'node:timers';
import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * When the current turn of the event loop began, as every caller of `breathe` sees it. The
 * clock is shared: an import applies one chunk while it parses the next and streams a third's rows
 * by COPY, and when each of those gave a turn after 8 ms of its own, one turn of the loop could
 * hold the work of all of them (docs/performance.md, ninth session). With one clock, whichever
 * of them finds the turn's budget spent gives the turn, and the turn's work stays near one budget
 * whatever runs.
 *
 * The immediate that notes a turn is `node:timers`' own, taken at load: this state lives as long
 * as the process, and a test's fake timers must not swallow the note and leave `watching` stuck.
 */
let lastTurn = performance.now();
let watching = false;

/** The turn watched for has come: the next call starts its clock. */
function noteTurn(): void {
  watching = false;
}

/**
 * Starts the clock of this turn when nobody has since the last turn was noted (or ever), and arms
 * the note of the next. Armed before a caller's own immediate, the note runs first in that
 * turn's check phase, so all work resumed there counts from its start.
 */
function startTurnClock(): void {
  if (watching) return;
  lastTurn = performance.now();
  watching = true;
  immediate(noteTurn);
}

/**
 * Gives the event loop a turn once `budgetMs` have passed since the turn began, so that a long
 * run of work that never waits for I/O (parsing a megabyte of feed, or statement after statement
 * on PGlite, whose calls answer on this very thread) never holds `/healthz`, or anyone else's
 * request, for much longer than that. A turn the loop takes by itself (the work waited for I/O,
 * or the process was idle) counts: the first call after it starts the turn's clock, so the first
 * statement after an idle second does not give a turn it does not need.
 *
 * Every caller reads the same clock: the budget is the turn's, not each caller's (so there is no
 * per-caller state, and nothing to make per loop). Within a turn,
 * work resumes in the order it gave way, so the first to resume may spend the budget and the rest
 * then do one unit each before they give way again: slowed while the other runs, never stopped.
 */
export async function breathe(budgetMs = 8): Promise<void> {
  if (!watching) {
    startTurnClock();
    return;
  }
  if (performance.now() - lastTurn < budgetMs) return;
  await nextTurn();
  // Resumed in a new turn: what runs from here counts against it.
  startTurnClock();
}
