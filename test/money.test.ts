import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/ledger/check-ledger.ts';
import { claimBody, fileClaim, insurePolicy, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;
// One world per file, emptied before each test (harness reset): a new world per test cost
// a database and a server each time.
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.close());
beforeEach(async () => {
  await world.reset();
  keys = await usMarketplace(world);
});
afterEach(async () => {
  const check = await checkLedger(world.ctx.db);
  expect(check.problems).toEqual([]);
});

async function balance(id: string): Promise<number> {
  const res = await world.request('GET', `/v1/ledger/accounts/${encodeURIComponent(id)}`);
  return res.status === 404 ? 0 : res.body.balance.value;
}

const claim = async (id: string) => (await world.request('GET', `/v1/claims/${id}`)).body;

async function setSeller(id: string, change: Record<string, unknown>) {
  const current = (await world.request('GET', `/v1/sellers/${id}`)).body;
  const res = await world.request('PUT', `/v1/sellers/${id}`, {
    body: {
      marketplaceId: current.marketplaceId,
      name: current.name,
      standing: current.standing,
      contact: current.contact,
      ...change,
    },
  });
  expect(res.status).toBe(200);
}

describe('the marketplace pays a small claim', () => {
  it('settles the payout once, books it, and waives recovery for a compliant insured seller', async () => {
    const filed = (await fileClaim(world, keys.dana, claimBody())).body;
    expect(filed.payment).toMatchObject({
      payer: 'marketplace',
      status: 'pending',
      amount: { value: 45_000 },
    });
    expect(await balance('customer_payable:mkt_us:cus_dana')).toBe(-45_000);

    const done = await world.work();
    expect(done.payouts).toBe(1);
    const paid = await claim(filed.id);
    expect(paid).toMatchObject({
      status: 'closed',
      payment: { status: 'settled', reference: expect.stringMatching(/^ledger:pay_/) },
      recovery: { status: 'waived', waiverReason: 'small_claim_compliant_insured_seller' },
    });
    expect(await balance('guarantee_fund:mkt_us')).toBe(45_000);
    expect(await balance('customer_payable:mkt_us:cus_dana')).toBe(0);
    expect(await balance('marketplace_cash:mkt_us')).toBe(-45_000);
    expect(await balance('seller_receivable:mkt_us:slr_acme')).toBe(0);

    const booked = await world.request('GET', `/v1/claims/${filed.id}/ledger`, { key: keys.agent });
    expect(booked.body.data.map((e: { kind: string }) => e.kind)).toEqual([
      'claim_accrued',
      'payout_settled',
    ]);
    expect(booked.body.data[0].lines).toEqual([
      { accountId: 'guarantee_fund:mkt_us', amount: { value: 45_000, currency: 'USD' } },
      { accountId: 'customer_payable:mkt_us:cus_dana', amount: { value: -45_000, currency: 'USD' } },
    ]);
    expect((await world.request('GET', `/v1/claims/${filed.id}/ledger`, { key: keys.dana })).status).toBe(
      403,
    );

    const again = await world.work();
    expect(again.payouts).toBe(0);
    const payouts = await world.ctx.db
      .selectFrom('payouts')
      .selectAll()
      .where('claim_id', '=', filed.id)
      .execute();
    expect(payouts).toHaveLength(1);
  });

  it('recovers from a non-compliant uninsured seller after its window: offset what it holds, invoice the rest', async () => {
    // Other Goods holds no policy; its lamp on order 1, line 5, was delivered.
    await setSeller('slr_other', { standing: 'not_compliant' });
    await world.request('POST', '/v1/sellers/slr_other/proceeds', {
      body: { amount: { value: 20_000, currency: 'USD' } },
      headers: { 'idempotency-key': 'proceeds-0001' },
    });
    const filed = (await fileClaim(world, keys.dana, claimBody({ lineId: '5' }))).body;
    await world.work();
    let state = await claim(filed.id);
    expect(state).toMatchObject({ status: 'paid', recovery: { status: 'pending' } });
    expect(await balance('seller_receivable:mkt_us:slr_other')).toBe(45_000);

    // Not before the seller's 7 days to show proof of insurance.
    await world.advance(6 * 86_400);
    expect((await claim(filed.id)).recovery.status).toBe('pending');
    await world.advance(2 * 86_400);
    state = await claim(filed.id);
    expect(state.recovery.status).toBe('invoiced');
    const recovery = (await world.request('GET', `/v1/recoveries/${state.recovery.id}`)).body;
    expect(recovery).toMatchObject({ offset: { value: 20_000 }, outstanding: { value: 25_000 } });
    expect(await balance('seller_disbursement:mkt_us:slr_other')).toBe(0);

    const paidBack = await world.request('POST', `/v1/recoveries/${state.recovery.id}/payments`, {
      key: keys.agent,
      body: { amount: { value: 25_000, currency: 'USD' }, reference: 'WIRE-1' },
      headers: { 'idempotency-key': 'recovery-payment-1' },
    });
    expect(paidBack.body).toMatchObject({ status: 'recovered', outstanding: { value: 0 } });
    expect(await claim(filed.id)).toMatchObject({ status: 'closed', recovery: { status: 'recovered' } });
    expect(await balance('seller_receivable:mkt_us:slr_other')).toBe(0);
    expect(await balance('guarantee_fund:mkt_us')).toBe(0);
  });

  it('recovers from a seller uninsured on the incident date, and from nothing it holds', async () => {
    // Other Goods' only policy ended on 5 November; the lamp hurt on the 10th.
    await insurePolicy(world, 'slr_other', { expiresAt: '2026-11-05T00:00:00Z' });
    const filed = (await fileClaim(world, keys.dana, claimBody({ lineId: '5' }))).body;
    await world.work();
    await world.advance(8 * 86_400);
    const state = await claim(filed.id);
    expect(state.recovery.status).toBe('invoiced');
    const writtenOff = await world.request('POST', `/v1/recoveries/${state.recovery.id}/write-off`, {
      key: keys.agent,
      body: { reason: 'Seller closed its account' },
    });
    expect(writtenOff.body).toMatchObject({ status: 'written_off', writtenOff: { value: 45_000 } });
    expect(await claim(filed.id)).toMatchObject({ status: 'closed' });
    expect(await balance('guarantee_fund:mkt_us')).toBe(45_000);
    expect(await balance('seller_receivable:mkt_us:slr_other')).toBe(0);
  });

  it('waives recovery after all when the seller shows cover for the incident date within its 7 days', async () => {
    const filed = (await fileClaim(world, keys.dana, claimBody({ lineId: '5' }))).body;
    await world.work();
    expect((await claim(filed.id)).recovery.status).toBe('pending');
    expect(await balance('seller_receivable:mkt_us:slr_other')).toBe(45_000);
    await world.advance(3 * 86_400);
    await insurePolicy(world, 'slr_other', { effectiveFrom: '2026-06-01T00:00:00Z' });
    await world.advance(5 * 86_400);
    expect(await claim(filed.id)).toMatchObject({
      status: 'closed',
      recovery: { status: 'waived', waiverReason: 'small_claim_compliant_insured_seller' },
    });
    expect(await balance('seller_receivable:mkt_us:slr_other')).toBe(0);
    expect(await balance('guarantee_fund:mkt_us')).toBe(45_000);
  });

  it('cancels the payout and reverses its cost when the claim is withdrawn first', async () => {
    const filed = (await fileClaim(world, keys.dana, claimBody())).body;
    const withdrawn = await world.request('POST', `/v1/claims/${filed.id}/withdraw`, {
      key: keys.dana,
      body: {},
    });
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', payment: { status: 'failed' } });
    expect((await world.work()).payouts).toBe(0);
    expect(await balance('guarantee_fund:mkt_us')).toBe(0);
    expect(await balance('customer_payable:mkt_us:cus_dana')).toBe(0);
  });

  it('refuses to withdraw a claim already paid', async () => {
    const filed = (await fileClaim(world, keys.dana, claimBody())).body;
    await world.work();
    const res = await world.request('POST', `/v1/claims/${filed.id}/withdraw`, { key: keys.dana, body: {} });
    expect(res.status).toBe(409);
  });
});

describe('a large claim', () => {
  const large = () => claimBody({ lineId: '2', amount: { value: 250_000, currency: 'USD' } });

  it('paid by a seller that accepted and confirmed: one payment, nothing in the marketplace ledger', async () => {
    const filed = (await fileClaim(world, keys.dana, large())).body;
    await world.request('POST', `/v1/claims/${filed.id}/seller-response`, {
      key: keys.acme,
      body: { action: 'accept' },
    });
    const confirm = (key: string, idem: string) =>
      world.request('POST', `/v1/claims/${filed.id}/payment-confirmation`, {
        key,
        body: { reference: 'ACH-123' },
        headers: { 'idempotency-key': idem },
      });
    expect((await confirm(keys.dana, 'confirm-x1')).status).toBe(403);
    const confirmed = await confirm(keys.acme, 'confirm-001');
    expect(confirmed.body).toMatchObject({
      status: 'closed',
      payment: { payer: 'seller', status: 'settled', reference: 'ACH-123' },
    });
    expect((await confirm(keys.acme, 'confirm-001')).body).toEqual(confirmed.body);
    expect((await confirm(keys.acme, 'confirm-002')).status).toBe(409);
    const entries = await world.ctx.db
      .selectFrom('journal_entries')
      .select('id')
      .where('claim_id', '=', filed.id)
      .execute();
    expect(entries).toEqual([]);
  });

  it('paid by the insurer it was tendered to, which accepts with its payment reference', async () => {
    const filed = (await fileClaim(world, keys.dana, large())).body;
    const tendered = await world.request('POST', `/v1/claims/${filed.id}/seller-response`, {
      key: keys.acme,
      body: { action: 'tender' },
    });
    expect(tendered.body).toMatchObject({ status: 'awaiting_insurer', payer: null });
    const insurer = await world.key('insurer', 'ins_harbor');
    const strangerInsurer = await world.key('insurer', 'ins_other');
    expect((await world.request('GET', `/v1/claims/${filed.id}`, { key: strangerInsurer })).status).toBe(404);
    const [tender] = (await world.request('GET', '/v1/tenders', { key: insurer })).body.data;
    const accepted = await world.request('POST', `/v1/tenders/${tender.id}`, {
      key: insurer,
      body: { action: 'accept', paymentReference: 'HARBOR-77' },
      headers: { 'idempotency-key': 'insurer-accept-1' },
    });
    expect(accepted.body).toMatchObject({ status: 'accepted', paymentReference: 'HARBOR-77' });
    expect(await claim(filed.id)).toMatchObject({
      status: 'closed',
      payer: 'insurer',
      payment: { payer: 'insurer', status: 'settled', reference: 'HARBOR-77', amount: { value: 250_000 } },
    });
    expect((await world.work()).payouts).toBe(0);
  });

  it('is paid by the marketplace when the accepting seller does not confirm in time', async () => {
    const filed = (await fileClaim(world, keys.dana, large())).body;
    const accepted = await world.request('POST', `/v1/claims/${filed.id}/seller-response`, {
      key: keys.acme,
      body: { action: 'accept' },
    });
    // Accepted Monday 16 Nov: five business days run to the end of Monday 23 Nov.
    expect(accepted.body.deadlinePaymentConfirmation.at).toBe('2026-11-24T05:00:00.000Z');
    await world.advance(7 * 86_400);
    expect((await claim(filed.id)).payer).toBe('seller');
    await world.advance(86_400);
    const state = await claim(filed.id);
    expect(state).toMatchObject({
      status: 'paid',
      payer: 'marketplace',
      stepIn: true,
      recovery: { status: 'pending' },
    });
    const late = await world.request('POST', `/v1/claims/${filed.id}/payment-confirmation`, {
      key: keys.acme,
      body: { reference: 'too-late' },
      headers: { 'idempotency-key': 'late-confirm' },
    });
    expect(late.status).toBe(409);
  });

  it('after a step-in for a silent insured seller, is recovered from its insurer less the deductible, which the seller pays', async () => {
    const filed = (await fileClaim(world, keys.dana, large())).body;
    await world.advance(3 * 86_400); // deadline passes → step-in → payout settles
    let state = await claim(filed.id);
    expect(state).toMatchObject({
      status: 'paid',
      stepIn: true,
      recovery: { status: 'pending', amount: { value: 250_000 } },
    });
    await world.advance(8 * 86_400);
    state = await claim(filed.id);
    expect(state.recovery.status).toBe('tendered_to_insurer');
    const insurer = await world.key('insurer', 'ins_harbor');
    const seen = await world.request('GET', '/v1/recoveries', { key: insurer });
    expect(seen.body.data.map((r: { id: string }) => r.id)).toEqual([state.recovery.id]);
    const [tender] = (await world.request('GET', '/v1/tenders?status=open', { key: insurer })).body.data;
    expect(tender).toMatchObject({
      kind: 'recovery',
      recoveryId: state.recovery.id,
      amount: { value: 250_000 },
      deductible: { value: 100_000 },
    });
    const refused = await world.request('POST', `/v1/recoveries/${state.recovery.id}/payments`, {
      key: keys.agent,
      body: { amount: { value: 250_000, currency: 'USD' }, reference: 'HARBOR-REC-1' },
      headers: { 'idempotency-key': 'ins-pay-1' },
    });
    expect(refused.status).toBe(409);
    await world.request('POST', `/v1/tenders/${tender.id}`, {
      key: insurer,
      body: { action: 'accept', paymentReference: 'HARBOR-REC-1' },
      headers: { 'idempotency-key': 'ins-accept-1' },
    });
    const recovery = (await world.request('GET', `/v1/recoveries/${state.recovery.id}`)).body;
    expect(recovery).toMatchObject({
      status: 'invoiced',
      recovered: { value: 150_000 },
      outstanding: { value: 100_000 },
    });
    expect(await balance('insurer_receivable:mkt_us:ins_harbor')).toBe(0);
    expect(await balance('seller_receivable:mkt_us:slr_acme')).toBe(100_000);
    await world.request('POST', `/v1/recoveries/${state.recovery.id}/payments`, {
      key: keys.agent,
      body: { amount: { value: 100_000, currency: 'USD' }, reference: 'ACME-DEDUCTIBLE' },
      headers: { 'idempotency-key': 'acme-pay-1' },
    });
    expect(await claim(filed.id)).toMatchObject({ status: 'closed', recovery: { status: 'recovered' } });
    expect(await balance('guarantee_fund:mkt_us')).toBe(0);
    expect(await balance('seller_receivable:mkt_us:slr_acme')).toBe(0);
  });
});

describe('the ledger itself', () => {
  it('refuses to change or delete an entry', async () => {
    await fileClaim(world, keys.dana, claimBody());
    await expect(sql`update journal_lines set amount = amount + 1`.execute(world.ctx.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from journal_entries`.execute(world.ctx.db)).rejects.toThrow(/append-only/);
  });

  it('refuses an entry that does not balance, at commit', async () => {
    const attempt = world.ctx.db.transaction().execute(async (tx) => {
      await sql`insert into ledger_accounts (id, marketplace_id, kind, currency, created_at) values ('x:mkt_us', 'mkt_us', 'guarantee_fund', 'USD', now())`.execute(
        tx,
      );
      await sql`insert into journal_entries (id, marketplace_id, kind, created_at) values ('jnl_bad', 'mkt_us', 'bad', now())`.execute(
        tx,
      );
      await sql`insert into journal_lines (entry_id, line_no, marketplace_id, account_id, amount, currency) values ('jnl_bad', 1, 'mkt_us', 'x:mkt_us', 5, 'USD')`.execute(
        tx,
      );
    });
    await expect(attempt).rejects.toThrow(/does not balance/);
  });

  it('shows a party only its own accounts', async () => {
    await setSeller('slr_acme', { standing: 'not_compliant' });
    const filed = (await fileClaim(world, keys.dana, claimBody())).body;
    await world.work();
    expect((await claim(filed.id)).recovery.status).toBe('pending');
    const own = await world.request('GET', '/v1/ledger/accounts/seller_receivable:mkt_us:slr_acme', {
      key: keys.acme,
    });
    expect(own.body).toMatchObject({
      balance: { value: 45_000 },
      entries: [{ kind: 'recovery_opened', claimId: filed.id }],
    });
    expect(
      (
        await world.request('GET', '/v1/ledger/accounts/seller_receivable:mkt_us:slr_acme', {
          key: keys.other,
        })
      ).status,
    ).toBe(404);
    expect(
      (await world.request('GET', '/v1/ledger/accounts/guarantee_fund:mkt_us', { key: keys.acme })).status,
    ).toBe(404);
  });
});

describe('the summary report', () => {
  it('counts claims, the small-claim share, money by payer, step-ins, recovery and time to payout', async () => {
    const small = (await fileClaim(world, keys.dana, claimBody())).body;
    const large = (
      await fileClaim(
        world,
        keys.dana,
        claimBody({ lineId: '2', amount: { value: 250_000, currency: 'USD' } }),
      )
    ).body;
    await fileClaim(world, keys.dana, claimBody({ lineId: '3' })); // denied: not delivered
    await world.work();
    await world.advance(3 * 86_400); // large: seller silent → step-in → paid
    const report = await world.request(
      'GET',
      '/v1/reports/summary?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z',
      { key: keys.agent },
    );
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      claims: { total: 3, byStatus: { closed: 1, paid: 1, denied: 1 }, byType: { property_damage: 3 } },
      withinSmallClaimLimit: { count: 2, share: 2 / 3 },
      paid: { byPayer: { marketplace: 295_000 }, currency: 'USD' },
      stepIns: 1,
      recovery: { waived: 45_000, outstanding: 250_000 },
    });
    expect(report.body.medianHoursToPayout).toBeGreaterThan(0);
    expect(small.id).not.toBe(large.id);
    const bad = await world.request(
      'GET',
      '/v1/reports/summary?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z',
      { key: keys.agent },
    );
    expect(bad.status).toBe(400);
  });
});
