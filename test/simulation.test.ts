import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyClaimChain } from '../src/claims/history.ts';
import { type ClaimStatus, canTransition } from '../src/claims/lifecycle.ts';
import { CLAIM_TIMERS } from '../src/claims/timer-kinds.ts';
import { tenderStates } from '../src/insurance/tender-states.ts';
import { INSURANCE_TIMERS } from '../src/insurance/timer-kinds.ts';
import { checkLedger } from '../src/ledger/check-ledger.ts';
import { recoveryStates } from '../src/ledger/recovery-states.ts';
import { alertStates } from '../src/safety/alert-states.ts';
import { fraudAssessor } from '../src/screening/fraud-assessor.ts';
import { referralStates } from '../src/screening/referral-states.ts';
import { freeMarketplaceId, type SimulationResult, simulate } from '../src/simulation/simulate.ts';
import { createWorld, type World } from './harness.ts';

/**
 * A month of the seeded marketplace through the real use cases, then the invariants no run may
 * break, checked over everything it stored (docs/simulation.md). The scale (4 sellers, 20 orders
 * a day, abuse at 3, defect rates ×5) files a couple of dozen claims that reach the seller's
 * answers, tenders, disputes, expert referrals, step-ins and payouts by every payer, in about
 * 30 s of CPU per engine.
 */
const SCALE = {
  days: 30,
  seed: 7,
  sellers: 4,
  customers: 120,
  ordersPerDay: 20,
  abuseRate: 3,
  defectRateScale: 5,
};

let world: World;
let result: SimulationResult;
/** The deadline check after every simulated day's worker pass: claims wait mid-run, rarely at the end. */
const daily = { waiting: 0, stuck: [] as string[] };

beforeAll(async () => {
  world = await createWorld({ start: new Date('2026-01-05T14:00:00Z'), riskAssessor: fraudAssessor });
  result = await simulate(world.ctx, world.clock, {
    ...SCALE,
    onProgress: async (day) => {
      const { waiting, stuck } = await waitingClaims();
      daily.waiting += waiting;
      daily.stuck.push(...stuck.map((s) => `day ${day}: ${s}`));
    },
  });
}, 400_000); // about 30 s of CPU; the wall time stretches when the machine is shared

afterAll(async () => {
  await world?.close();
});

const claimsOfRun = () =>
  world.ctx.db
    .selectFrom('claims')
    .selectAll()
    .where('marketplace_id', '=', `sim-${SCALE.seed}`)
    .orderBy('id')
    .execute();

const eventsOf = (claimId: string) =>
  world.ctx.db
    .selectFrom('claim_events')
    .select(['seq', 'type', 'data'])
    .where('claim_id', '=', claimId)
    .orderBy('seq')
    .execute();

/**
 * Claims waiting on someone (seller, claimant, payer, insurer), and those of them past their
 * deadline with no pending timer to move them: after the worker's pass every due timer has
 * fired, so such a claim would wait forever.
 */
async function waitingClaims(): Promise<{ waiting: number; stuck: string[] }> {
  const now = world.clock.now();
  const pending = new Set(
    (
      await world.ctx.db
        .selectFrom('timers')
        .select(['kind', 'subject_id'])
        .where('fired_at', 'is', null)
        .execute()
    ).map((t) => `${t.kind} ${t.subject_id}`),
  );
  let waiting = 0;
  const stuck: string[] = [];
  const check = (claimId: string, deadline: Date | null, kind: string, subjectId: string) => {
    waiting++;
    // A waiting claim with no deadline at all would wait forever too.
    if ((deadline === null || deadline <= now) && !pending.has(`${kind} ${subjectId}`))
      stuck.push(`${claimId} waits on ${kind} (deadline ${deadline?.toISOString() ?? 'none'})`);
  };
  for (const claim of await claimsOfRun()) {
    if (claim.status === 'awaiting_seller')
      check(claim.id, claim.seller_deadline, CLAIM_TIMERS.sellerResponseDue, claim.id);
    if (claim.status === 'needs_info')
      check(claim.id, claim.info_deadline, CLAIM_TIMERS.informationDue, claim.id);
    if (claim.status === 'approved' && claim.payer !== 'marketplace')
      check(claim.id, claim.payment_deadline, CLAIM_TIMERS.paymentConfirmationDue, claim.id);
    if (claim.status === 'awaiting_insurer') {
      const tender = await world.ctx.db
        .selectFrom('tenders')
        .select(['id', 'due_at'])
        .where('claim_id', '=', claim.id)
        .where('kind', '=', 'claim')
        .where('status', 'in', ['open', 'info_requested'])
        .executeTakeFirst();
      if (!tender) stuck.push(`${claim.id} awaits an insurer but has no open tender`);
      else check(claim.id, tender.due_at, INSURANCE_TIMERS.tenderDue, tender.id);
    }
  }
  return { waiting, stuck };
}

describe('a seeded month of the simulated marketplace', () => {
  it('files claims and walks them to payment', async () => {
    const claims = await claimsOfRun();
    // Without claims every invariant below would hold vacuously.
    expect(claims.length).toBeGreaterThanOrEqual(20);
    expect(result.report.claims.total).toBe(claims.length);
    expect(claims.some((c) => c.status === 'paid' && c.payer === 'marketplace')).toBe(true);
    expect(claims.some((c) => c.status === 'denied')).toBe(true);
    expect(Object.keys(result.report.paid.byPayer).length).toBeGreaterThan(1);
  });

  it('keeps books that balance', async () => {
    const check = await checkLedger(world.ctx.db);
    expect(check.problems).toEqual([]);
    expect(check.ok).toBe(true);
    expect(check.entries).toBeGreaterThan(0);
  });

  it("leaves every claim's history chain intact", async () => {
    const broken: string[] = [];
    for (const claim of await claimsOfRun()) {
      const chain = await verifyClaimChain(world.ctx.db, claim.id);
      if (!chain.valid) broken.push(`${claim.id} at seq ${chain.brokenAtSeq}`);
    }
    expect(broken).toEqual([]);
  });

  it('moves claims only along the transition table, and the last move is the stored status', async () => {
    const wrong: string[] = [];
    for (const claim of await claimsOfRun()) {
      let status: string = 'screening'; // what claim.filed creates (file-claim.ts)
      for (const event of await eventsOf(claim.id)) {
        const { from, to } = event.data as { from?: string; to?: string };
        if (to === undefined) continue;
        if (from !== status)
          wrong.push(`${claim.id} #${event.seq} ${event.type}: from ${from}, was ${status}`);
        if (!canTransition(from as ClaimStatus, to as ClaimStatus))
          wrong.push(`${claim.id} #${event.seq} ${event.type}: ${from} -> ${to} is not in the table`);
        status = to;
      }
      if (status !== claim.status) wrong.push(`${claim.id}: events end at ${status}, stored ${claim.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('moves recoveries only along their table, and the last move is the stored status', async () => {
    const wrong: string[] = [];
    const replayed = new Map<string, string>();
    for (const claim of await claimsOfRun()) {
      for (const event of await eventsOf(claim.id)) {
        const data = event.data as { recoveryId?: string; status?: string; debtor?: string };
        if (!data.recoveryId) continue;
        if (event.type === 'claim.recovery_opened' || event.type === 'claim.recovery_waived') {
          // How a recovery opens (recoveries.ts): waived on cover, invoiced to a claimant, else pending.
          const opened =
            event.type === 'claim.recovery_waived'
              ? 'waived'
              : data.debtor === 'customer'
                ? 'invoiced'
                : 'pending';
          replayed.set(data.recoveryId, opened);
        } else if (event.type === 'claim.recovery_updated' && data.status) {
          const from = replayed.get(data.recoveryId) ?? '(never opened)';
          if (from !== data.status && !recoveryStates.canMove(from, data.status))
            wrong.push(`${claim.id} #${event.seq}: recovery ${data.recoveryId} ${from} -> ${data.status}`);
          replayed.set(data.recoveryId, data.status);
        }
      }
    }
    const stored = await world.ctx.db
      .selectFrom('recoveries')
      .select(['id', 'status'])
      .where('marketplace_id', '=', `sim-${SCALE.seed}`)
      .execute();
    for (const r of stored) {
      if (replayed.get(r.id) !== r.status)
        wrong.push(`recovery ${r.id}: events end at ${replayed.get(r.id)}, stored ${r.status}`);
    }
    expect(wrong).toEqual([]);
    // The run reaches recoveries; without them this check would hold vacuously.
    expect(stored.length).toBeGreaterThan(0);
  });

  it('stores tenders, alerts and referrals only in statuses their tables know', async () => {
    const db = world.ctx.db;
    const marketplace = `sim-${SCALE.seed}`;
    const unknown = [
      ...(
        await db
          .selectFrom('tenders')
          .select(['id', 'status'])
          .where('marketplace_id', '=', marketplace)
          .execute()
      )
        .filter((t) => !tenderStates.isStatus(t.status))
        .map((t) => `tender ${t.id} is ${t.status}`),
      ...(
        await db
          .selectFrom('safety_alerts')
          .select(['id', 'status'])
          .where('marketplace_id', '=', marketplace)
          .execute()
      )
        .filter((a) => !alertStates.isStatus(a.status))
        .map((a) => `alert ${a.id} is ${a.status}`),
      ...(
        await db
          .selectFrom('referrals')
          .innerJoin('claims', 'claims.id', 'referrals.claim_id')
          .select(['referrals.id', 'referrals.status'])
          .where('claims.marketplace_id', '=', marketplace)
          .execute()
      )
        .filter((r) => !referralStates.isStatus(r.status))
        .map((r) => `referral ${r.id} is ${r.status}`),
    ];
    expect(unknown).toEqual([]);
  });

  it('pays every marketplace-paid claim exactly once', async () => {
    const wrong: string[] = [];
    const paid = (await claimsOfRun()).filter((c) => c.status === 'paid' && c.payer === 'marketplace');
    for (const claim of paid) {
      const settled = await world.ctx.db
        .selectFrom('payouts')
        .select('id')
        .where('claim_id', '=', claim.id)
        .where('status', '=', 'settled')
        .execute();
      if (settled.length !== 1) wrong.push(`${claim.id} has ${settled.length} settled payouts`);
    }
    expect(wrong).toEqual([]);
  });

  it('leaves no claim waiting past a deadline without a timer that will move it, on any day', async () => {
    const atTheEnd = await waitingClaims();
    expect([...daily.stuck, ...atTheEnd.stuck]).toEqual([]);
    // Checked on claims that were waiting, not only on the finished ones the run ends with.
    expect(daily.waiting + atTheEnd.waiting).toBeGreaterThan(0);
  });

  it('settles no payout while a flag holds it', async () => {
    const wrong: string[] = [];
    for (const claim of await claimsOfRun()) {
      let held = false;
      for (const event of await eventsOf(claim.id)) {
        if (event.type === 'claim.payout_held') held = true;
        if (event.type === 'claim.payout_released' || event.type === 'claim.payout_cancelled') held = false;
        // The simulation's provider answers at once, so no payout is in flight when a flag comes.
        if (event.type === 'claim.paid' && held) wrong.push(`${claim.id} #${event.seq} paid while held`);
      }
      const payout = await world.ctx.db
        .selectFrom('payouts')
        .select(['status', 'held_at'])
        .where('claim_id', '=', claim.id)
        .executeTakeFirst();
      if (payout?.status === 'settled' && payout.held_at !== null)
        wrong.push(`${claim.id}: payout settled with a hold on it`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('a second run with the same seed into the same database', () => {
  it('writes a marketplace of its own beside the first instead of colliding with its ids', async () => {
    const marketplaceId = await freeMarketplaceId(world.ctx.db, SCALE.seed);
    expect(marketplaceId).toBe(`sim-${SCALE.seed}-2`);
    // Before: the experts' ids (`exp-sim-7-…`) clashed and the run died with a stack trace.
    const again = await simulate(world.ctx, world.clock, { ...SCALE, days: 3, marketplaceId });
    expect(again.activity.marketplaceId).toBe(marketplaceId);
    expect(again.activity.orders).toBeGreaterThanOrEqual(3 * SCALE.ordersPerDay);
    expect(await freeMarketplaceId(world.ctx.db, SCALE.seed)).toBe(`sim-${SCALE.seed}-3`);
  }, 300_000); // three days and the subtle kinds' actors set up: over a minute on a shared machine
});
