import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_REGIONS } from '../src/demo/seed-regions.ts';
import { checkLedger } from '../src/ledger/check-ledger.ts';
import type { Mailer, OutgoingMail } from '../src/notifications/mailer.ts';
import { claimBody, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

/*
 * Other regions out of the box (docs/regions.md): a UK marketplace (GBP, Europe/London,
 * England's bank holidays, a £1,000 small-claim limit) and a German one (EUR, Europe/Berlin,
 * German holidays, €1,000, e-mails in German) beside the US one. One seller sells in both
 * under one identity, with a ledger account per marketplace and so per currency.
 *
 * The clock starts on Thursday 24 December 2026, so each seller's two-business-day window
 * spans Christmas: England skips Friday 25 and Monday 28 (Boxing Day's substitute), Germany
 * skips Friday 25 (the 26th is a Saturday there anyway).
 */

const START = new Date('2026-12-24T10:00:00Z');

const sent: OutgoingMail[] = [];
const memoryMailer: Mailer = {
  kind: 'folder',
  send: async (mail) => {
    sent.push(mail);
  },
  forget: async () => false,
};
const mailsTo = (address: string) => sent.filter((m) => m.to === address);

let world: World;
let keys: {
  olivia: string;
  jonas: string;
  hearth: string;
  dana: string;
};

const put = async (url: string, body: unknown) => {
  const res = await world.request('PUT', url, { body });
  expect(res.status, `${url}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body;
};

function regionalClaim(orderId: string, value: number, currency: string, overrides: object = {}) {
  return {
    orderId,
    lineId: '1',
    type: 'property_damage',
    incidentAt: '2026-12-22T18:00:00Z',
    description: 'The fan heater melted and burned the carpet and the curtains.',
    amount: { value, currency },
    damages: [{ kind: 'property_damage', description: 'Carpet and curtains', amount: { value, currency } }],
    ...overrides,
  };
}

const claimOf = async (id: string) => (await world.request('GET', `/v1/claims/${id}`)).body;

beforeAll(async () => {
  world = await createWorld({ start: START, mailer: memoryMailer });
  const us = await usMarketplace(world);
  // The demo's own region definitions (src/demo/seed-regions.ts), under the test's ids.
  const [uk, de] = DEMO_REGIONS;
  await put('/v1/marketplaces/mkt_uk', uk?.input);
  await put('/v1/marketplaces/mkt_de', de?.input);
  await put('/v1/sellers/slr_hearth', {
    marketplaceId: 'mkt_uk',
    otherMarketplaceIds: ['mkt_de'],
    name: 'Hearth & Home Ltd',
    standing: 'good',
    contact: { email: 'claims@hearth.example' },
  });
  await put('/v1/products/prd_fan_heater', {
    sellerId: 'slr_hearth',
    title: 'Fan heater 2 kW',
    category: 'heating',
  });
  await put('/v1/customers/cus_olivia', {
    marketplaceId: 'mkt_uk',
    name: 'Olivia Hughes',
    email: 'olivia@example.co.uk',
  });
  await put('/v1/customers/cus_jonas', {
    marketplaceId: 'mkt_de',
    name: 'Jonas Becker',
    email: 'jonas@example.de',
  });
  const order = (id: string, marketplaceId: string, customerId: string, value: number, currency: string) =>
    put(`/v1/orders/${id}`, {
      marketplaceId,
      customerId,
      lines: [
        {
          lineId: '1',
          productId: 'prd_fan_heater',
          sellerId: 'slr_hearth',
          quantity: 1,
          unitPrice: { value, currency },
          deliveredAt: '2026-12-20T12:00:00Z',
        },
      ],
    });
  await order('ord_uk_1', 'mkt_uk', 'cus_olivia', 5999, 'GBP');
  await order('ord_uk_2', 'mkt_uk', 'cus_olivia', 5999, 'GBP');
  await order('ord_de_1', 'mkt_de', 'cus_jonas', 6499, 'EUR');
  await order('ord_de_2', 'mkt_de', 'cus_jonas', 6499, 'EUR');
  keys = {
    olivia: await world.key('customer', 'cus_olivia'),
    jonas: await world.key('customer', 'cus_jonas'),
    hearth: await world.key('seller', 'slr_hearth'),
    dana: us.dana,
  };
  await world.work();
});

afterAll(async () => {
  await world?.close();
});

const payoutOf = (claimId: string) =>
  world.ctx.db
    .selectFrom('payouts')
    .select(['amount', 'currency', 'status', 'payer'])
    .where('claim_id', '=', claimId)
    .executeTakeFirstOrThrow();

const advanceTo = async (iso: string) => {
  await world.advance((Date.parse(iso) - world.clock.now().getTime()) / 1000);
  await world.work();
};

describe('a UK and a German claim over Christmas', () => {
  const ids = { uk: '', de: '', deInfo: '', us: '' };

  it('wait for the seller by business days on each region’s own calendar, in its own zone', async () => {
    const uk = await fileClaim(world, keys.olivia, regionalClaim('ord_uk_1', 180_000, 'GBP'));
    const de = await fileClaim(world, keys.jonas, regionalClaim('ord_de_1', 150_000, 'EUR'));
    expect(uk.status, JSON.stringify(uk.body)).toBe(201);
    expect(de.status, JSON.stringify(de.body)).toBe(201);
    ids.uk = uk.body.id;
    ids.de = de.body.id;
    const ukClaim = await claimOf(ids.uk);
    expect(ukClaim).toMatchObject({ status: 'awaiting_seller', amount: { value: 180_000, currency: 'GBP' } });
    // Thu 24 → Fri 25 Christmas, Sat, Sun, Mon 28 Boxing Day (substitute) skipped; Tue 29, Wed 30.
    expect(ukClaim.deadlines.sellerResponse).toEqual({
      at: '2026-12-31T00:00:00.000Z',
      local: '2026-12-31T00:00:00+00:00',
      timeZone: 'Europe/London',
    });
    const deClaim = await claimOf(ids.de);
    expect(deClaim).toMatchObject({ status: 'awaiting_seller', amount: { value: 150_000, currency: 'EUR' } });
    // Thu 24 → Fri 25 (1. Weihnachtstag), Sat 26 (2. Weihnachtstag), Sun skipped; Mon 28, Tue 29.
    expect(deClaim.deadlines.sellerResponse).toEqual({
      at: '2026-12-29T23:00:00.000Z',
      local: '2026-12-30T00:00:00+01:00',
      timeZone: 'Europe/Berlin',
    });
  });

  it('are within the £1,000 / €1,000 limit paid at once, in the claim’s currency', async () => {
    const us = await fileClaim(world, keys.dana, claimBody({ amount: { value: 45_000, currency: 'USD' } }));
    const deInfo = await fileClaim(
      world,
      keys.jonas,
      // The itemised damages do not add up: the claimant is asked, in German.
      regionalClaim('ord_de_2', 60_000, 'EUR', {
        damages: [
          { kind: 'property_damage', description: 'Teppich', amount: { value: 50_000, currency: 'EUR' } },
        ],
      }),
    );
    const ukSmall = await fileClaim(world, keys.olivia, regionalClaim('ord_uk_2', 99_900, 'GBP'));
    for (const r of [us, deInfo, ukSmall]) expect(r.status, JSON.stringify(r.body)).toBe(201);
    ids.us = us.body.id;
    ids.deInfo = deInfo.body.id;
    await world.work();
    expect((await claimOf(ids.deInfo)).status).toBe('needs_info');
    expect(await payoutOf(ukSmall.body.id)).toEqual({
      amount: 99_900,
      currency: 'GBP',
      status: 'settled',
      payer: 'marketplace',
    });
    expect(await payoutOf(ids.us)).toMatchObject({ currency: 'USD', status: 'settled' });
  });

  it('are still the seller’s on Tuesday 29 December, when a calendar without holidays would have stepped in', async () => {
    await advanceTo('2026-12-29T06:00:00Z');
    expect((await claimOf(ids.uk)).status).toBe('awaiting_seller');
    expect((await claimOf(ids.de)).status).toBe('awaiting_seller');
  });

  it('are paid by the marketplace when the seller stays silent past its deadline: euros on the 30th, pounds on the 31st', async () => {
    await advanceTo('2026-12-29T23:00:01Z');
    expect((await claimOf(ids.uk)).status).toBe('awaiting_seller');
    expect(await payoutOf(ids.de)).toEqual({
      amount: 150_000,
      currency: 'EUR',
      status: 'settled',
      payer: 'marketplace',
    });
    expect((await claimOf(ids.de)).status).toMatch(/^(paid|closed)$/);
    await advanceTo('2026-12-31T00:00:01Z');
    expect(await payoutOf(ids.uk)).toEqual({
      amount: 180_000,
      currency: 'GBP',
      status: 'settled',
      payer: 'marketplace',
    });
    expect((await claimOf(ids.uk)).status).toMatch(/^(paid|closed)$/);
  });

  it('write to the UK claimant in English, with pounds and British dates', () => {
    const olivia = mailsTo('olivia@example.co.uk');
    // A step's headline heads its paragraph, in an e-mail of its own or with the claim's other
    // steps sent at the same time (send-mail.ts).
    const received = olivia.find(
      (m) => m.text.includes('£1,800.00') && m.text.includes('we received your claim'),
    );
    expect(received?.text).toContain('Hello Olivia Hughes,');
    expect(received?.text).toContain('You claimed £1,800.00.');
    const paid = olivia.find((m) => m.text.includes('you have been paid') && m.text.includes('£1,800.00'));
    expect(paid?.text).toContain('The payment of £1,800.00 for your claim was sent on 31 December 2026.');
  });

  it('write to the German claimant in German: received, information requested, decision, payment sent', () => {
    const jonas = mailsTo('jonas@example.de');
    // The e-mail about the claim that says this step: its own, or one with the claim's other steps
    // sent at the same time (here "we pay" and "payment sent": send-mail.ts).
    const about = (claimId: string, headline: string) =>
      jonas.find((m) => m.subject.startsWith(`Ihr Antrag ${claimId}: `) && m.text.includes(`${headline}.\n`));
    const received = about(ids.de, 'wir haben Ihren Antrag erhalten');
    expect(received?.text).toContain('Guten Tag Jonas Becker,');
    // Intl writes a no-break space between the amount and the euro sign.
    expect(received?.text).toContain('Sie fordern 1.500,00\u00a0€.');
    expect(about(ids.de, 'wir zahlen Ihren Antrag aus')?.text).toContain(
      'Der Verkäufer hat nicht rechtzeitig gezahlt',
    );
    expect(about(ids.de, 'Ihre Zahlung ist unterwegs')?.text).toContain(
      'Die Zahlung von 1.500,00\u00a0€ für Ihren Antrag wurde am 30. Dezember 2026 veranlasst.',
    );
    const asked = about(ids.deInfo, 'wir benötigen weitere Angaben');
    // The claimant has 14 calendar days: to the end of Thursday 7 January, Berlin time.
    expect(asked?.text).toContain('Bitte antworten Sie bis Ende Donnerstag, 7. Januar (Ortszeit Berlin).');
    expect(asked?.text).not.toMatch(/\b(Hello|Your claim)\b/);
  });

  it('keeps one identity for the seller in both marketplaces, with a ledger account per currency', async () => {
    const seller = await world.request('GET', '/v1/sellers/slr_hearth', { key: keys.hearth });
    expect(seller.body).toMatchObject({
      id: 'slr_hearth',
      marketplaceId: 'mkt_uk',
      marketplaceIds: ['mkt_uk', 'mkt_de'],
    });
    const proceeds = (body: unknown) =>
      world.request('POST', '/v1/sellers/slr_hearth/proceeds', {
        body,
        headers: { 'idempotency-key': `proceeds-${JSON.stringify(body)}` },
      });
    expect((await proceeds({ amount: { value: 20_000, currency: 'GBP' } })).status).toBe(201);
    expect(
      (await proceeds({ amount: { value: 30_000, currency: 'EUR' }, marketplaceId: 'mkt_de' })).status,
    ).toBe(201);
    // The home marketplace is in pounds: euros must name the marketplace that holds them.
    const wrong = await proceeds({ amount: { value: 30_000, currency: 'EUR' } });
    expect(wrong.status).toBe(422);
    expect(JSON.stringify(wrong.body)).toContain('body.amount.currency');
    const account = async (id: string) =>
      (await world.request('GET', `/v1/ledger/accounts/${encodeURIComponent(id)}`, { key: keys.hearth }))
        .body;
    expect((await account('seller_disbursement:mkt_uk:slr_hearth')).balance).toEqual({
      value: -20_000,
      currency: 'GBP',
    });
    expect((await account('seller_disbursement:mkt_de:slr_hearth')).balance).toEqual({
      value: -30_000,
      currency: 'EUR',
    });
    const accounts = await world.ctx.db
      .selectFrom('ledger_accounts')
      .select(['currency'])
      .where('party_id', '=', 'slr_hearth')
      .distinct()
      .execute();
    expect(accounts.map((a) => a.currency).sort()).toEqual(['EUR', 'GBP']);
  });

  it('leave books that balance in every currency, and reports that never add pounds to euros', async () => {
    const ledger = await checkLedger(world.ctx.db);
    expect(ledger.problems).toEqual([]);
    const currencies = await world.ctx.db.selectFrom('journal_lines').select('currency').distinct().execute();
    expect(currencies.map((c) => c.currency).sort()).toEqual(['EUR', 'GBP', 'USD']);
    const report = await world.request(
      'GET',
      '/v1/reports/summary?from=2026-12-01T00:00:00Z&to=2027-01-01T00:00:00Z',
    );
    expect(report.status).toBe(200);
    expect(report.body.paid).toEqual({ byPayer: {}, currency: null });
    expect(report.body.byCurrency.map((c: { currency: string }) => c.currency)).toEqual([
      'EUR',
      'GBP',
      'USD',
    ]);
    expect(report.body.byCurrency[0].paidByPayer).toEqual({ marketplace: 150_000 });
    expect(report.body.byCurrency[1].paidByPayer).toEqual({ marketplace: 279_900 });
    const uk = await world.request(
      'GET',
      '/v1/reports/summary?from=2026-12-01T00:00:00Z&to=2027-01-01T00:00:00Z&marketplaceId=mkt_uk',
    );
    expect(uk.body.paid).toEqual({ byPayer: { marketplace: 279_900 }, currency: 'GBP' });
  });
});
