import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Gives the event loop a turn once `budgetMs` have passed since it last had one, so that a long
 * run of work that never waits for I/O (parsing a megabyte of feed, or statement after statement
 * on PGlite, whose calls answer on this very thread) never holds `/healthz`, or anyone else's
 * request, for much longer than that. A turn the loop takes by itself (the work waited for I/O,
 * or the process was idle) counts: an immediate set at the first call of each turn notes it, so
 * the first statement after an idle second does not give a turn it does not need.
 */
export function breather(budgetMs = 8): () => Promise<void> {
  let since = performance.now();
  let watching = false;
  const turned = () => {
    since = performance.now();
    watching = false;
  };
  return async () => {
    if (performance.now() - since >= budgetMs) {
      await nextTurn();
      since = performance.now();
      return;
    }
    if (!watching) {
      watching = true;
      setImmediate(turned);
    }
  };
}
