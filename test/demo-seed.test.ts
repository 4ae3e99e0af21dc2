import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyClaimChain } from '../src/claims/history.ts';
import { DEMO_MARKETPLACE, seedDemo } from '../src/demo/seed-demo.ts';
import { checkLedger } from '../src/ledger/check-ledger.ts';
import { createWorld, type World } from './harness.ts';

/**
 * The lived-in demo that `npm start` (serve --demo) and `redress seed --demo` load: a quarter of
 * claims walked through the real use cases. Seeded once here, in process; the CLI and process
 * tests seed the bare demo (--claims-per-day 0) and test the command, not the quarter again.
 */
let world: World;
beforeAll(async () => {
  world = await createWorld();
  expect(await seedDemo(world.ctx)).toEqual({ created: true });
}, 400_000); // about 30 s of CPU; the wall time stretches when the machine is shared
afterAll(() => world?.close());

describe('the demo quarter', () => {
  it('leaves claims in every part of the lifecycle', async () => {
    const rows = await world.ctx.db
      .selectFrom('claims')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('marketplace_id', '=', DEMO_MARKETPLACE)
      .groupBy('status')
      .execute();
    const byStatus = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(100);
    // Finished claims, and claims that wait on each party: what each role's screens show first.
    expect(byStatus.paid).toBeGreaterThan(50);
    expect(byStatus.closed).toBeGreaterThan(0);
    expect(byStatus.denied).toBeGreaterThan(0);
    for (const waiting of ['awaiting_seller', 'awaiting_insurer', 'expert_review'])
      expect(byStatus[waiting], waiting).toBeGreaterThan(0);
  });

  it('keeps a balanced ledger and an unbroken history on every claim', async () => {
    const ledger = await checkLedger(world.ctx.db);
    expect(ledger.problems).toEqual([]);
    expect(ledger.ok).toBe(true);
    const ids = await world.ctx.db.selectFrom('claims').select('id').execute();
    for (const { id } of ids) expect((await verifyClaimChain(world.ctx.db, id)).valid, id).toBe(true);
  });

  it('pays customers, recovers from sellers, tenders to insurers and raises safety alerts', async () => {
    const counts = await sql<{ payouts: number; recoveries: number; tenders: number; alerts: number }>`
      select (select count(*) from payouts where status = 'settled')::int as payouts,
             (select count(*) from recoveries)::int as recoveries,
             (select count(*) from tenders)::int as tenders,
             (select count(*) from safety_alerts)::int as alerts`.execute(world.ctx.db);
    const c = counts.rows[0];
    expect(c?.payouts).toBeGreaterThan(50);
    expect(c?.recoveries).toBeGreaterThan(0);
    expect(c?.tenders).toBeGreaterThan(0);
    // The safety step raises alerts from the claims as filed.
    expect(c?.alerts).toBeGreaterThan(0);
  });

  it('is seeded once: a second seeding changes nothing', async () => {
    const before = await world.ctx.db
      .selectFrom('claims')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(await seedDemo(world.ctx)).toEqual({ created: false });
    const after = await world.ctx.db
      .selectFrom('claims')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
