import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * When the event loop last took a turn, as every breather in this process sees it. The clock is
 * shared: an import applies one chunk while it parses the next and streams a third's rows by
 * COPY, and each of those gave a turn after its own 8 ms, so one turn of the loop could hold the
 * work of all of them (35–70 ms ticks during a million-order import, docs/performance.md). With
 * one clock, whichever of them finds the loop's budget spent gives the turn, and the turn's work
 * stays near one budget whatever runs.
 */
let lastTurn = performance.now();
let watching = false;

function noteTurn(): void {
  lastTurn = performance.now();
  watching = false;
}

/**
 * Gives the event loop a turn once `budgetMs` have passed since it last had one, so that a long
 * run of work that never waits for I/O (parsing a megabyte of feed, or statement after statement
 * on PGlite, whose calls answer on this very thread) never holds `/healthz`, or anyone else's
 * request, for much longer than that. A turn the loop takes by itself (the work waited for I/O,
 * or the process was idle) counts: an immediate set at the first call of each turn notes it, so
 * the first statement after an idle second does not give a turn it does not need.
 *
 * Every breather reads the same clock (`lastTurn`): the budget is the turn's, not each caller's.
 * Each call still lets its caller do one unit of work before it checks, so work queued behind
 * another in the same turn goes on a unit at a time rather than never.
 */
export function breather(budgetMs = 8): () => Promise<void> {
  return async () => {
    if (!watching) {
      // The turn last watched for has come and gone (or none was), and nothing has breathed
      // since: this is the first work of a turn, which counts from here. An immediate set now
      // runs before any a breather sets later in this turn, so their work counts from its start.
      lastTurn = performance.now();
      watching = true;
      setImmediate(noteTurn);
      return;
    }
    if (performance.now() - lastTurn >= budgetMs) await nextTurn();
  };
}
