import { afterEach, describe, expect, it } from 'vitest';
import { CLAIM_TYPES } from '../src/claims/claim-request.schemas.ts';
import { usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

let world: World | null = null;
afterEach(async () => {
  await world?.close();
  world = null;
});

/** What each job reported over one worker tick, all rounds summed (platform/jobs.ts). */
const nothingDone = (w: World) => Object.fromEntries(w.ctx.jobs.map((job) => [job.name, 0]));

describe("the worker's passes", () => {
  // A job that reports work makes the worker run every job again, up to 20 rounds a tick: the
  // amount norms reported work on a database with no products and an idle new install ran 80
  // transactions a second (docs/performance.md, seventh session).
  it('runs each job once when there is nothing to do, on a new database', async () => {
    world = await createWorld();
    expect(await world.work()).toEqual(nothingDone(world));
    expect(await world.work()).toEqual(nothingDone(world));
  });

  it('measures the amount norms once for every category and claim type, then not again until they age', async () => {
    world = await createWorld();
    await usMarketplace(world); // products in three categories
    const first = await world.work();
    expect(first['amount-norms']).toBe(3 * CLAIM_TYPES.length);
    expect(await world.work()).toEqual(nothingDone(world));
  });
});
