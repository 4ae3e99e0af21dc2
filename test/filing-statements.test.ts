import type { LogEvent } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fraudAssessor } from '../src/screening/fraud-assessor.ts';
import { claimBody, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;
let recording: string[] | null = null;
beforeAll(async () => {
  world = await createWorld({
    riskAssessor: fraudAssessor,
    log: (event: LogEvent) => {
      recording?.push(event.query.sql);
    },
  });
  keys = await usMarketplace(world);
});
afterAll(() => world.close());

describe('a clean small-claim filing', () => {
  it('counts', async () => {
    recording = [];
    const res = await fileClaim(world, keys.agent, claimBody({ customerId: 'cus_dana' }));
    const statements = recording;
    recording = null;
    expect(res.body.status).toBe('approved');
    console.log(statements.length);
    console.log(statements.join(';\n'));
  });
});
