import { afterEach, describe, expect, it, vi } from 'vitest';
import { breather } from './event-loop-turns.ts';

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

afterEach(() => {
  vi.restoreAllMocks();
});

describe('breather', () => {
  it('shares one budget per turn among everyone breathing, and starves none of them', async () => {
    let now = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    const turns = watchTurns();
    const unitsByTurn = new Map<number, number>();
    const work = async (units: number) => {
      const breathe = breather(8);
      for (let i = 0; i < units; i++) {
        now += 1; // one unit of work: a millisecond
        unitsByTurn.set(turns.now(), (unitsByTurn.get(turns.now()) ?? 0) + 1);
        await breathe();
      }
    };
    // Three loops at once, as an import parses a chunk, applies another and streams a third.
    await Promise.all([work(60), work(60), work(60)]);
    turns.stop();
    const units = [...unitsByTurn.values()];
    expect(units.reduce((a, b) => a + b, 0)).toBe(180);
    // One budget of 8 units, plus the one unit each loop does before it looks at the clock; a
    // budget of its own for each loop would let a turn hold three times as much.
    expect(Math.max(...units)).toBeLessThanOrEqual(8 + 3);
    expect(unitsByTurn.size).toBeGreaterThanOrEqual(180 / 11);
  });

  it('gives no turn to the first work after the loop has turned by itself', async () => {
    let now = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    const breathe = breather(8);
    await breathe();
    await new Promise((resolve) => setTimeout(resolve, 5)); // the loop turns (idle)
    now += 1_000;
    const turns = watchTurns();
    await breathe();
    expect(turns.now()).toBe(0);
    turns.stop();
  });
});
