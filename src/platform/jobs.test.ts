import { describe, expect, it } from 'vitest';
import type { AppContext } from './context.ts';
import { type Job, startJobLanes } from './jobs.ts';

const contextWith = (jobs: Job[]) => ({ jobs }) as unknown as AppContext;
const until = async (done: () => boolean) => {
  for (let i = 0; i < 1000 && !done(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(done()).toBe(true);
};

describe('job lanes', () => {
  it('keeps running the other jobs while one job is slow', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    let slowTurns = 0;
    let quickTurns = 0;
    const ctx = contextWith([
      {
        name: 'slow',
        run: async () => {
          slowTurns++;
          await released;
          return 0;
        },
      },
      {
        name: 'quick',
        run: async () => {
          quickTurns++;
          return 0;
        },
      },
    ]);
    const lanes = startJobLanes(ctx, { intervalMs: 5, onError: () => {} });
    await until(() => quickTurns >= 5);
    // The slow job's lane is still in its first turn: a tick does not start a second beside it.
    expect(slowTurns).toBe(1);
    // Stopping waits for the turn under way.
    let done = false;
    const stopped = lanes.stop().then(() => {
      done = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    release();
    await stopped;
    expect(done).toBe(true);
    expect(slowTurns).toBe(1);
  });

  it('runs a job again while it reports work, at most maxRounds times a turn, and survives a failure', async () => {
    // onTurn is called when a turn starts and when it ends: the turn is its count halved.
    let activity = 0;
    const turnOfEachRun: number[] = [];
    const errors: string[] = [];
    const ctx = contextWith([
      {
        name: 'backlog',
        run: async () => {
          turnOfEachRun.push(Math.floor(activity / 2));
          if (turnOfEachRun.length === 2) throw new Error('database restarting');
          return 1; // always more to do
        },
      },
    ]);
    const lanes = startJobLanes(ctx, {
      intervalMs: 5,
      maxRounds: 3,
      onTurn: () => {
        activity++;
      },
      onError: (job, error) => errors.push(`${job}: ${(error as Error).message}`),
    });
    await until(() => turnOfEachRun.length >= 8);
    await lanes.stop();
    // The first turn failed in its second round; each later turn ran three rounds, then waited.
    expect(errors).toEqual(['backlog: database restarting']);
    expect(turnOfEachRun.slice(0, 8)).toEqual([0, 0, 1, 1, 1, 2, 2, 2]);
  });
});
