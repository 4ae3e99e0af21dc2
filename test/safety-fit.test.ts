import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatFitReport } from '../src/cli/safety-command.ts';
import { fitHazardModel, parseHazardLabels } from '../src/safety/fit-hazard-model.ts';
import { claimBody, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';
import { describeOnEmbeddedRun } from './support/engine-runs.ts';

let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;

/** Chargers that "gave a jolt" are shocks to the staff who coded them; the rules lean to fire. */
const JOLT = 'The charger sparked when I plugged it in and gave me a jolt, then it smoked.';

/** A labelled file as a safety team might keep one: NDJSON, one coded narrative a line. */
const LABELS = [
  ['The charger gave me a jolt when I plugged it in.', 'electric_shock'],
  ['I got a jolt from the phone charger cable and my arm tingled.', 'electric_shock'],
  ['The adapter sparked and shocked my fingers when I plugged it in.', 'electric_shock'],
  ['A jolt went up my arm from the charger when I touched the plug.', 'electric_shock'],
  ['The charging cable sparked and gave my son a jolt.', 'electric_shock'],
  ['My hand tingled and went numb after a jolt from the wall charger.', 'electric_shock'],
  ['The power bank jolted my daughter when she unplugged it.', 'electric_shock'],
  ['Touching the metal case of the charger gave me a jolt.', 'electric_shock'],
  ['The heater caught fire and burned the curtains.', 'fire_burn'],
  ['Flames came out of the toaster and burned my hand.', 'fire_burn'],
  ['The candle holder cracked and the wax set the table on fire.', 'fire_burn'],
  ['The space heater melted and scorched the carpet.', 'fire_burn'],
  ['The kettle boiled over and scalded my wrist.', 'fire_burn'],
  ['The battery pack swelled, smoked and burst into flames.', 'fire_burn'],
  ['The hair dryer overheated and burned my scalp.', 'fire_burn'],
  ['The lamp shade caught fire from the bulb.', 'fire_burn'],
  ['The blade slipped out of the guard and cut my thumb.', 'laceration'],
  ['The glass lid shattered and cut my forearm.', 'laceration'],
  ['The mandoline slicer cut my fingertip badly.', 'laceration'],
  ['A sharp edge on the can opener sliced my palm.', 'laceration'],
  ['The razor guard broke off and the blade cut my chin.', 'laceration'],
  ['The knife handle snapped and the blade cut my hand.', 'laceration'],
  ['The bookcase tipped over onto my son.', 'fall_tip_over'],
  ['The dresser tipped over when my daughter opened a drawer.', 'fall_tip_over'],
  ['The stool leg gave way and I fell onto the floor.', 'fall_tip_over'],
  ['The high chair tipped over backwards with my son in it.', 'fall_tip_over'],
]
  .map(([description, hazard]) => JSON.stringify({ description, hazard, category: 'electronics' }))
  .join('\n');

async function joltClaim(n: number) {
  const customer = `cus_fit${n}`;
  const res = await world.request('PUT', `/v1/customers/${customer}`, {
    body: { marketplaceId: 'mkt_us', name: `Buyer ${n}`, email: `fit${n}@example.com` },
  });
  expect(res.status).toBe(200);
  const order = await world.request('PUT', `/v1/orders/ord_fit${n}`, {
    body: {
      marketplaceId: 'mkt_us',
      customerId: customer,
      lines: [
        {
          lineId: '1',
          productId: 'prd_charger',
          sellerId: 'slr_acme',
          quantity: 1,
          unitPrice: { value: 1_999, currency: 'USD' },
          deliveredAt: '2026-11-02T15:00:00Z',
        },
      ],
    },
  });
  expect(order.status, JSON.stringify(order.body)).toBe(200);
  const filed = await fileClaim(
    world,
    await world.key('customer', customer),
    claimBody({
      orderId: `ord_fit${n}`,
      type: 'personal_injury',
      description: JOLT,
      amount: { value: 1_999, currency: 'USD' },
      damages: [
        { kind: 'purchase_price', description: 'The charger', amount: { value: 1_999, currency: 'USD' } },
      ],
    }),
  );
  expect(filed.status, JSON.stringify(filed.body)).toBe(201);
  return world.ctx.db
    .selectFrom('claim_hazards')
    .selectAll()
    .where('claim_id', '=', filed.body.id)
    .executeTakeFirstOrThrow();
}

describe('a labelled file', () => {
  it('reports bad lines of a labelled file by line, field and rule', () => {
    const parsed = parseHazardLabels(
      `${JSON.stringify({ description: 'The toaster burned me.', hazard: 'fire_burn' })}\n{oops\n${JSON.stringify({ description: 'x', hazard: 'sharp' })}\n`,
    );
    expect(parsed.labels).toHaveLength(1);
    expect(parsed.errors).toEqual([
      { line: 2, field: '(line)', rule: 'not valid JSON' },
      { line: 3, field: 'hazard', rule: expect.stringContaining('expected one of') },
    ]);
  });
});

describe('redress safety fit: learning from people’s coding', () => {
  // One world per file, emptied before each test (harness reset): a new world per test cost
  // a database and a server each time.
  beforeAll(async () => {
    world = await createWorld();
  });
  afterAll(() => world.close());
  beforeEach(async () => {
    await world.reset();
    keys = await usMarketplace(world);
    const product = await world.request('PUT', '/v1/products/prd_charger', {
      body: { sellerId: 'slr_acme', title: 'USB wall charger', category: 'electronics' },
    });
    expect(product.status).toBe(200);
  });

  it('refuses in words when there is nothing to learn from, and stores nothing', async () => {
    const report = await fitHazardModel(world.ctx, { fittedBy: 'test' });
    expect(report).toMatchObject({ fitted: false, version: null, labels: { coded: 0, file: 0 } });
    expect(report.refusal).toMatch(/no labelled hazards to learn from.*hazard-coding.*--labels/);
    expect(formatFitReport(report)).toContain('0 coded by staff');
    const few = await fitHazardModel(world.ctx, {
      fittedBy: 'test',
      fileLabels: parseHazardLabels(LABELS.split('\n').slice(0, 3).join('\n')).labels,
    });
    expect(few.refusal).toBe('only 3 labelled hazards; at least 20 are needed');
    expect(await world.ctx.db.selectFrom('hazard_models').selectAll().execute()).toEqual([]);
  });

  it('fits on staff coding plus a file, reports each class on the held-back part, and settles the next uncertain claim', async () => {
    // The machine was unsure of the first jolt claim: it waits for a person, who codes it a shock.
    const first = await joltClaim(1);
    expect(first).toMatchObject({ hazard: 'fire_burn', review_status: 'pending', model_version: null });
    const coded = await world.request('POST', `/v1/safety/hazard-coding/${first.claim_id}`, {
      key: keys.agent,
      body: { hazard: 'electric_shock', severity: 'injury', note: 'A jolt from a charger is a shock' },
    });
    expect(coded.status, JSON.stringify(coded.body)).toBe(200);

    const report = await fitHazardModel(world.ctx, {
      fittedBy: 'test',
      fileLabels: parseHazardLabels(LABELS).labels,
    });
    expect(report.refusal).toBeNull();
    expect(report).toMatchObject({ fitted: true, version: 1, labels: { coded: 1, file: 26 } });
    expect(report.trainedOn + report.heldBack).toBe(27);
    expect(report.heldBack).toBeGreaterThan(0);
    // Per class: support, precision and recall on labels the model never saw.
    for (const c of report.perClass) {
      expect(c).toEqual({
        hazard: expect.any(String),
        support: expect.any(Number),
        precision: c.precision === null ? null : expect.any(Number),
        recall: c.recall === null ? null : expect.any(Number),
      });
    }
    expect(report.perClass.reduce((n, c) => n + c.support, 0)).toBe(report.heldBack);
    expect(report.perClass.some((c) => c.recall !== null && c.precision !== null)).toBe(true);
    const printed = formatFitReport(report);
    expect(printed).toMatch(/precision +\d+\.\d% {2}recall +\d+\.\d%/);
    expect(printed).toContain('stored hazard model version 1');

    // The server now asks the model when the rules are unsure: the next jolt claim is a shock,
    // sure enough to skip the queue, and says which model version and phrases decided it.
    const second = await joltClaim(2);
    expect(second).toMatchObject({
      hazard: 'electric_shock',
      review_status: null,
      model_version: 1,
      secondary: ['fire_burn'],
    });
    expect(second.terms).toMatchObject({ hazard: ['jolt'], model: expect.arrayContaining(['jolt']) });

    // A refit is a new version; the first stays for the claims it explained.
    const refit = await fitHazardModel(world.ctx, {
      fittedBy: 'test',
      fileLabels: parseHazardLabels(LABELS).labels,
      dryRun: true,
    });
    expect(refit).toMatchObject({ fitted: false, version: null });
    expect(await world.ctx.db.selectFrom('hazard_models').select('version').execute()).toEqual([
      { version: 1 },
    ]);
  }, 60_000);
});

// The binary on a PGlite folder of its own: the same in both engine runs, so run once.
describeOnEmbeddedRun('the redress safety fit command', () => {
  const run = promisify(execFile);
  const dataDir = mkdtempSync(join(tmpdir(), 'redress-fit-'));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('says what to do when there are no labels, with a failing exit code, instead of crashing', async () => {
    const env = { ...process.env, DATABASE_URL: '', REDRESS_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
    const redress = (args: string[]) =>
      run('node', ['bin/redress.mjs', ...args], { env }).then(
        (r) => ({ code: 0, ...r }),
        (e) => e as { code: number; stdout: string; stderr: string },
      );
    const bad = join(dataDir, 'labels.ndjson');
    writeFileSync(bad, '{"description":"The toaster burned me.","hazard":"toast"}\n');
    const refused = await redress(['safety', 'fit', '--labels', bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('line 1: hazard:');
    // A fresh data folder: the command migrates it, finds no coded claims and says what to do.
    const empty = await redress(['safety', 'fit']);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('no labelled hazards to learn from');
    expect(empty.stderr).not.toMatch(/at .*\.ts:\d+/);
  }, 400_000);
});
