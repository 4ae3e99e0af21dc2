import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Gives the event loop a turn once `budgetMs` of work has passed since the last turn given, so
 * that a long run of work that never waits for I/O (parsing a megabyte of feed, or statement
 * after statement on PGlite, whose calls answer on this very thread) never holds `/healthz`, or
 * anyone else's request, for much longer than that.
 */
export function breather(budgetMs = 8): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < budgetMs) return;
    await nextTurn();
    since = performance.now();
  };
}
