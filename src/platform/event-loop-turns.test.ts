import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { breathe } from './event-loop-turns.ts';

/**
 * Counts the event loop's turns: an immediate that sets the next one runs once in each turn's
 * check phase. The clock is a fake one that moves a millisecond per unit of work, so what is
 * checked is how work is cut into turns, not how long anything took.
 */
function watchTurns() {
  let turn = 0;
  let running = true;
  const count = () => {
    turn++;
    if (running) setImmediate(count);
  };
  setImmediate(count);
  return {
    now: () => turn,
    stop: () => {
      running = false;
    },
  };
}

/** A turn of the real loop: the note of a turn armed earlier runs, on whichever clock is in place. */
const aTurn = () => new Promise((resolve) => setImmediate(resolve));

// The clock of `breathe` is the process's: each test starts and ends with a turn noted on the real
// clock, so a fake one never leaks into another test (or file: vitest.config.ts, isolate: false).
beforeEach(aTurn);
afterEach(async () => {
  vi.restoreAllMocks();
  await aTurn();
});

describe('breathe', () => {
  /** Loops of `units` units of `unitMs` each, breathing after each; the units each did per turn. */
  async function runLoops(loops: number, units: number, unitMs: number) {
    let now = performance.now();
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    const turns = watchTurns();
    const perTurn = new Map<number, number[]>();
    const work = async (loop: number) => {
      for (let i = 0; i < units; i++) {
        now += unitMs;
        const counts = perTurn.get(turns.now()) ?? Array(loops).fill(0);
        counts[loop]++;
        perTurn.set(turns.now(), counts);
        await breathe(8);
      }
    };
    await Promise.all(Array.from({ length: loops }, (_, loop) => work(loop)));
    turns.stop();
    return [...perTurn.entries()].sort(([a], [b]) => a - b).map(([, counts]) => counts);
  }

  it('shares one budget per turn among everyone breathing, and stops none of them', async () => {
    // Three loops at once, as an import parses a chunk, applies another and streams a third.
    const turns = await runLoops(3, 60, 1);
    const total = (counts: number[]) => counts.reduce((a, b) => a + b, 0);
    expect(turns.map(total).reduce((a, b) => a + b, 0)).toBe(180);
    // One budget of 8 units, plus the one unit each loop does before it looks at the clock; a
    // budget of its own for each loop would let a turn hold three times as much.
    expect(Math.max(...turns.map(total))).toBeLessThanOrEqual(8 + 3);
    // Each loop does some work in every turn from its first to its last unit: slowed, never stopped.
    for (let loop = 0; loop < 3; loop++) {
      const active = turns.map((counts) => counts[loop] ?? 0);
      const first = active.findIndex((n) => n > 0);
      const last = active.length - 1 - [...active].reverse().findIndex((n) => n > 0);
      expect(active.slice(first, last + 1).every((n) => n > 0)).toBe(true);
    }
  });

  it('counts the work right after a turn against the new turn: units longer than the budget go one a turn', async () => {
    const turns = (await runLoops(1, 10, 20)).map((counts) => counts[0]);
    // The first turn's clock starts at the first call, after the first unit: that one is unseen.
    expect(turns).toEqual([2, ...Array(8).fill(1)]);
  });

  it('gives no turn to the first work after the loop has turned by itself', async () => {
    let now = performance.now();
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    await breathe(8);
    await new Promise((resolve) => setTimeout(resolve, 5)); // the loop turns (idle)
    now += 1_000;
    const turns = watchTurns();
    await breathe(8);
    expect(turns.now()).toBe(0);
    turns.stop();
  });
});
