import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger } from '../src/ledger/check-ledger.ts';
import { folderMailer } from '../src/notifications/mailer.ts';
import { blindIndexOf, rewrapDataKeys } from '../src/privacy/data-keys.ts';
import { installMasterKeys, testMasterKeys } from '../src/privacy/master-keys.ts';
import { claimBody, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';
import { multipart, png } from './support/uploads.ts';

/**
 * Dana files a small claim with a narrative full of words nobody else uses, attaches a photo,
 * is paid and mailed; the seller names her in its defence. Her data is sealed at rest, she can
 * export all of it, and after the hold an agent erases it: nothing readable of her remains in
 * any table, evidence file or mail file, while the ledger and every hash chain still check.
 */
const DANA = {
  name: 'Dana Reyes',
  email: 'dana@example.com',
  phone: '+1 555 0100 7788',
  address: '12 Birchwhistle Lane, Springfield',
};
const NARRATIVE = 'The kettle base overheated and scorched the marblewood counter beside Oriela’s stove.';
const DAMAGE_NOTE = 'Counter repair quoted by Thistlewick Joinery';
const SELLER_DEFENCE = 'The photos Dana Reyes sent show another model, not our kettle.';
const NEEDLES = [
  DANA.name,
  DANA.email,
  '555 0100 7788',
  '15550100',
  'Birchwhistle',
  'marblewood',
  'Oriela',
  'Thistlewick',
];

let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;
let mailDir: string;
let claimId: string;
let evidenceSha: string;

beforeAll(async () => {
  mailDir = mkdtempSync(join(tmpdir(), 'redress-pd-mail-'));
  world = await createWorld({ mailer: folderMailer(mailDir) });
  keys = await usMarketplace(world);
  const put = await world.request('PUT', '/v1/customers/cus_dana', {
    body: {
      marketplaceId: 'mkt_us',
      name: DANA.name,
      email: DANA.email,
      birthYear: 1988,
      region: 'IL',
      identity: { phone: DANA.phone, address: DANA.address },
    },
  });
  expect(put.status).toBe(200);
  const damages = [
    { kind: 'property_damage', description: DAMAGE_NOTE, amount: { value: 45_000, currency: 'USD' } },
  ];
  const filed = await fileClaim(world, keys.dana, claimBody({ description: NARRATIVE, damages }));
  expect(filed.status, JSON.stringify(filed.body)).toBe(201);
  claimId = filed.body.id;
  const upload = multipart('dana-reyes-counter.png', png(), 'image/png');
  const evidence = await world.request('POST', `/v1/claims/${claimId}/evidence?purpose=photo`, {
    key: keys.dana,
    ...upload,
  });
  expect(evidence.status, JSON.stringify(evidence.body)).toBe(201);
  evidenceSha = evidence.body.sha256;
  const defended = await world.request('POST', `/v1/claims/${claimId}/seller-response`, {
    key: keys.acme,
    body: { action: 'dispute', defense: SELLER_DEFENCE },
  });
  expect(defended.status, JSON.stringify(defended.body)).toBe(200);
  await world.work();
}, 120_000);

afterAll(async () => {
  await world.close();
  rmSync(mailDir, { recursive: true, force: true });
});

/** Every row of every table in the schema as JSON text, with the hits of each needle. */
async function readableEverywhere(): Promise<string[]> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(world.ctx.db);
  const hits: string[] = [];
  for (const { table_name } of tables.rows) {
    const rows = await sql<{
      row: string;
    }>`select row_to_json(t)::text as row from ${sql.table(table_name)} t`.execute(world.ctx.db);
    for (const { row } of rows.rows) {
      const digits = row.replace(/\D/g, '');
      for (const needle of NEEDLES) {
        const found = /^\d+$/.test(needle)
          ? digits.includes(needle) && needle.length > 6 && row.includes(needle)
          : row.toLowerCase().includes(needle.toLowerCase());
        if (found) hits.push(`${table_name}: ${needle}`);
      }
    }
  }
  return hits;
}

const mailFiles = () => readdirSync(mailDir).map((f) => readFileSync(join(mailDir, f), 'utf8'));

describe('personal data at rest', () => {
  it('is stored sealed: no name, e-mail or narrative in clear in the customer, claim or history rows', async () => {
    const customer = await world.ctx.db
      .selectFrom('customers')
      .selectAll()
      .where('id', '=', 'cus_dana')
      .executeTakeFirstOrThrow();
    expect(customer.name).toMatch(/^pd1\./);
    expect(customer.email).toMatch(/^pd1\./);
    const claim = await world.ctx.db
      .selectFrom('claims')
      .selectAll()
      .where('id', '=', claimId)
      .executeTakeFirstOrThrow();
    expect(claim.description).toMatch(/^pd1\./);
    expect(JSON.stringify(claim.damages)).not.toContain('Thistlewick');
    const events = await world.ctx.db
      .selectFrom('claim_events')
      .selectAll()
      .where('claim_id', '=', claimId)
      .execute();
    expect(JSON.stringify(events)).not.toContain('Dana');
    const deliveries = await world.ctx.db
      .selectFrom('mail_deliveries')
      .selectAll()
      .where('recipient_id', '=', 'cus_dana')
      .execute();
    expect(deliveries.length).toBeGreaterThan(0);
    for (const d of deliveries) expect(d.to_address).toMatch(/^pd1\./);
  });

  it('reads back in clear through the API, and the mail went to the real address', async () => {
    const claim = await world.request('GET', `/v1/claims/${claimId}`, { key: keys.dana });
    expect(claim.body.description).toBe(NARRATIVE);
    expect(claim.body.damages[0].description).toBe(DAMAGE_NOTE);
    const customer = await world.request('GET', '/v1/customers/cus_dana', { key: keys.dana });
    expect(customer.body).toMatchObject({ name: DANA.name, email: DANA.email });
    const events = await world.request('GET', `/v1/claims/${claimId}/events`);
    expect(events.body.chain).toEqual({ valid: true, brokenAtSeq: null });
    expect(
      events.body.data.find((e: { type: string }) => e.type === 'claim.seller_defended').data.defense,
    ).toBe(SELLER_DEFENCE);
    expect(mailFiles().some((m) => m.includes(`To: ${DANA.email}`))).toBe(true);
  });

  it('finds a customer by the blind index of an exact name or e-mail, whatever the case and spacing', async () => {
    const byName = await world.ctx.db
      .selectFrom('customers')
      .select('id')
      .where('name_index', '=', await blindIndexOf(world.ctx.db, 'name', '  dana   REYES '))
      .execute();
    expect(byName).toEqual([{ id: 'cus_dana' }]);
    const byEmail = await world.ctx.db
      .selectFrom('customers')
      .select('id')
      .where('email_index', '=', await blindIndexOf(world.ctx.db, 'email', 'DANA@example.com'))
      .execute();
    expect(byEmail).toEqual([{ id: 'cus_dana' }]);
  });
});

describe('export', () => {
  it('gives the customer every claim, its history, evidence list and the e-mails sent, without screening signals', async () => {
    const res = await world.request('GET', '/v1/customers/cus_dana/export', { key: keys.dana });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.customer).toMatchObject({
      id: 'cus_dana',
      name: DANA.name,
      email: DANA.email,
      erasedAt: null,
    });
    expect(res.body.claims.map((c: { claim: { id: string } }) => c.claim.id)).toEqual([claimId]);
    const [entry] = res.body.claims;
    expect(entry.claim).toMatchObject({ description: NARRATIVE, risk: null });
    expect(entry.events.map((e: { type: string }) => e.type)).toContain('claim.paid');
    // How screening judged the claim is not the claimant's to see: the event is not in their history.
    expect(entry.events.map((e: { type: string }) => e.type)).not.toContain('claim.screened');
    expect(entry.evidence).toEqual([
      expect.objectContaining({ sha256: evidenceSha, filename: 'dana-reyes-counter.png' }),
    ]);
    const deliveries = await world.ctx.db
      .selectFrom('mail_deliveries')
      .select('id')
      .where('recipient_id', '=', 'cus_dana')
      .execute();
    expect(res.body.messages.map((m: { id: string }) => m.id).sort()).toEqual(
      deliveries.map((d) => d.id).sort(),
    );
    expect(res.body.messages[0]).toMatchObject({ channel: 'email', to: DANA.email });
    expect(res.body.payouts).toEqual([expect.objectContaining({ claimId, status: 'settled' })]);
    expect(res.body.orders.map((o: { id: string }) => o.id)).toEqual(['ord_1']);
  });

  it('is refused to another customer (as if Dana did not exist) and to a seller', async () => {
    expect((await world.request('GET', '/v1/customers/cus_dana/export', { key: keys.eli })).status).toBe(404);
    expect((await world.request('GET', '/v1/customers/cus_dana/export', { key: keys.acme })).status).toBe(
      403,
    );
    const staff = await world.request('GET', '/v1/customers/cus_dana/export', { key: keys.agent });
    expect(staff.body.claims[0].claim.risk).not.toBeNull();
  });
});

describe('erasure', () => {
  it('is for staff, with a reason', async () => {
    const asCustomer = await world.request('POST', '/v1/customers/cus_dana/erasure', {
      key: keys.dana,
      body: { reason: 'Please forget me' },
    });
    expect(asCustomer.status).toBe(403);
    const noReason = await world.request('POST', '/v1/customers/cus_dana/erasure', {
      key: keys.agent,
      body: {},
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ field: 'body.reason' })]);
  });

  it('is refused while a claim is open, naming the rule', async () => {
    const open = await fileClaim(
      world,
      keys.eli,
      claimBody({ orderId: 'ord_2', amount: { value: 250_000, currency: 'USD' } }),
    );
    expect(open.body.status).toBe('awaiting_seller');
    const res = await world.request('POST', '/v1/customers/cus_eli/erasure', {
      key: keys.agent,
      body: { reason: 'Data-subject request DSR-7' },
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      type: 'urn:redress:problem:conflict',
      rule: 'claim_open',
      blockers: [expect.objectContaining({ rule: 'claim_open', claimId: open.body.id })],
    });
  });

  it('is refused during the hold after the last activity, saying until when', async () => {
    const res = await world.request('POST', '/v1/customers/cus_dana/erasure', {
      key: keys.agent,
      body: { reason: 'Data-subject request DSR-8' },
    });
    expect(res.status).toBe(409);
    expect(res.body.rule).toBe('hold_period');
    expect(res.body.blockers[0].until).toEqual(expect.any(String));
  });

  it('crypto-shreds everything about Dana, keeping the ledger, the amounts and every chain', async () => {
    const before = (await world.request('GET', `/v1/claims/${claimId}/events`)).body.data;
    await world.advance(31 * 86_400);
    const res = await world.request('POST', '/v1/customers/cus_dana/erasure', {
      key: keys.agent,
      body: { reason: 'Data-subject request DSR-8' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      customerId: 'cus_dana',
      erasedBy: { role: 'agent' },
      reason: 'Data-subject request DSR-8',
      claimIds: [claimId],
      evidenceFilesDeleted: 1,
    });
    expect(res.body.mailFilesDeleted).toBeGreaterThan(0);

    expect(await readableEverywhere()).toEqual([]);
    expect(mailFiles().filter((m) => NEEDLES.some((n) => m.includes(n)))).toEqual([]);
    // The stored file is the cleaned copy, addressed by its own hash.
    const stored = await world.ctx.db
      .selectFrom('evidence')
      .select('content_sha256')
      .where('sha256', '=', evidenceSha)
      .executeTakeFirstOrThrow();
    expect(await world.ctx.blobs.has(stored.content_sha256)).toBe(false);

    expect((await checkLedger(world.ctx.db)).problems).toEqual([]);
    const after = await world.request('GET', `/v1/claims/${claimId}/events`);
    expect(after.body.chain).toEqual({ valid: true, brokenAtSeq: null });
    // The stored events are unchanged (same hashes); one event records the erasure.
    expect(after.body.data.slice(0, before.length).map((e: { hash: string }) => e.hash)).toEqual(
      before.map((e: { hash: string }) => e.hash),
    );
    expect(after.body.data.at(-1)).toMatchObject({
      type: 'claim.personal_data_erased',
      actor: { role: 'agent' },
    });
    expect(
      after.body.data.find((e: { type: string }) => e.type === 'claim.seller_defended').data.defense,
    ).toBe('[erased]');

    const claim = await world.request('GET', `/v1/claims/${claimId}`);
    expect(claim.body).toMatchObject({ description: '[erased]', damages: [], amount: { value: 45_000 } });
    const exported = await world.request('GET', '/v1/customers/cus_dana/export', { key: keys.agent });
    expect(exported.body.customer).toMatchObject({
      name: '[erased]',
      email: '[erased]',
      erasedAt: expect.any(String),
    });
    expect(exported.body.erasures).toEqual([expect.objectContaining({ id: res.body.id })]);
    expect(exported.body.payouts[0].amount).toEqual({ value: 45_000, currency: 'USD' });

    // Dana's own keys stop working; her data cannot be written again nor erased twice.
    expect((await world.request('GET', '/v1/customers/cus_dana/export', { key: keys.dana })).status).toBe(
      401,
    );
    const again = await world.request('POST', '/v1/customers/cus_dana/erasure', {
      key: keys.agent,
      body: { reason: 'Data-subject request DSR-8' },
    });
    expect(again.body).toMatchObject({ status: 409, rule: 'already_erased' });
    const rewrite = await world.request('PUT', '/v1/customers/cus_dana', {
      body: { marketplaceId: 'mkt_us', name: DANA.name, email: DANA.email },
    });
    expect(rewrite.status).toBe(409);
  }, 60_000);

  it("leaves other customers' data readable", async () => {
    const eli = await world.request('GET', '/v1/customers/cus_eli', { key: keys.eli });
    expect(eli.body).toMatchObject({ name: 'Eli Park', email: 'eli@example.com' });
  });
});

describe('master key rotation', () => {
  it('re-wraps every data key under the new master key; the data opens with the new key alone', async () => {
    const old = testMasterKeys();
    const next = testMasterKeys('the next master key');
    installMasterKeys({ current: next.current, previous: old.current });
    try {
      const result = await world.ctx.db.transaction().execute((tx) => rewrapDataKeys(tx));
      expect(result.rewrapped).toBeGreaterThan(0);
      installMasterKeys(next);
      const stale = await world.ctx.db
        .selectFrom('data_keys')
        .select('owner')
        .where('wrapped_key', 'is not', null)
        .where('master_key_id', '!=', next.current.id)
        .execute();
      expect(stale).toEqual([]);
      const eli = await world.request('GET', '/v1/customers/cus_eli', { key: keys.eli });
      expect(eli.body.name).toBe('Eli Park');
    } finally {
      installMasterKeys(old);
    }
  });
});
