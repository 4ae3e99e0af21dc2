import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimImportJob, createImportJob, receiveImport } from '../src/marketplace/import/import-jobs.ts';
import type { ImportRecord, Numbered } from '../src/marketplace/import/import-lines.ts';
import {
  applicableBeside,
  ordersOnly,
  runImportJob,
  runImportJobs,
} from '../src/marketplace/import/run-import-job.ts';
import { systemPrincipal } from '../src/platform/auth/roles.ts';
import { usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

/** Posts a feed (202), runs the import worker as a server would, and reads the finished job. */
async function importFeed(payload: string, contentType = 'application/x-ndjson') {
  const posted = await world.request('POST', '/v1/imports', {
    payload,
    headers: { 'content-type': contentType },
  });
  expect(posted.status).toBe(202);
  await runImportJobs(world.ctx, { owner: 'test-worker' });
  return world.request('GET', posted.headers.location as string);
}

let world: World;
beforeAll(async () => {
  world = await createWorld();
  await usMarketplace(world);
});
afterAll(() => world.close());

describe('POST /v1/imports', () => {
  it('applies good lines, reports bad ones by line and field, and never stops', async () => {
    const lines = [
      {
        kind: 'customer',
        id: 'cus_imp1',
        data: { marketplaceId: 'mkt_us', name: 'Imp One', email: 'one@example.com' },
      },
      {
        kind: 'customer',
        id: 'cus_imp2',
        data: { marketplaceId: 'mkt_us', name: 'Imp Two', email: 'not-an-email' },
      },
      {
        kind: 'order',
        id: 'ord_imp1',
        data: {
          marketplaceId: 'mkt_us',
          customerId: 'cus_imp1',
          lines: [
            {
              lineId: '1',
              productId: 'prd_lamp',
              sellerId: 'slr_acme',
              quantity: 1,
              unitPrice: { value: 100, currency: 'USD' },
              deliveredAt: null,
            },
          ],
        },
      },
      {
        kind: 'order',
        id: 'ord_imp2',
        data: {
          marketplaceId: 'mkt_us',
          customerId: 'cus_imp1',
          lines: [
            {
              lineId: '1',
              productId: 'prd_lamp',
              sellerId: 'slr_other',
              quantity: 1,
              unitPrice: { value: 100, currency: 'USD' },
              deliveredAt: null,
            },
          ],
        },
      },
      { kind: 'planet', id: 'x', data: {} },
    ].map((l) => JSON.stringify(l));
    const res = await importFeed(lines.join('\n'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'succeeded',
      lines: 5,
      imported: 2,
      failed: 3,
      byKind: { customer: 1, order: 1 },
    });
    expect(res.body.errors).toEqual([
      { line: 2, field: 'data.email', rule: expect.stringContaining('email') },
      { line: 3, field: 'data.lines.0.sellerId', rule: 'product prd_lamp is sold by slr_other' },
      { line: 5, field: 'kind', rule: expect.any(String) },
    ]);
    expect((await world.request('GET', '/v1/orders/ord_imp2')).body.customerId).toBe('cus_imp1');
    expect((await world.request('GET', '/v1/customers/cus_imp2')).status).toBe(404);
  });

  it('refuses unknown references on the PUT routes with 422, not a crash', async () => {
    const res = await world.request('PUT', '/v1/products/prd_x', {
      body: { sellerId: 'slr_nobody', title: 'X', category: 'y' },
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ field: 'body.sellerId', rule: 'seller slr_nobody does not exist' }]);
  });
});

/** The errors file as raw text (the harness would parse an NDJSON body as one JSON value). */
async function downloadErrors(url: string) {
  const res = await world.app.inject({
    method: 'GET',
    url,
    headers: { authorization: `Bearer ${world.adminKey}` },
  });
  return { status: res.statusCode, headers: res.headers, body: res.body };
}

/**
 * An import line: an order of `quantity` fixture lamps for `customer`, sold by slr_other (the
 * lamp's seller) at $25 unless told otherwise.
 */
function orderLine(
  id: string,
  customer: string,
  quantity: number,
  { sellerId = 'slr_other', unitPrice = 2500 }: { sellerId?: string; unitPrice?: number } = {},
): string {
  return JSON.stringify({
    kind: 'order',
    id,
    data: {
      marketplaceId: 'mkt_us',
      customerId: customer,
      lines: [
        {
          lineId: '1',
          productId: 'prd_lamp',
          sellerId,
          quantity,
          unitPrice: { value: unitPrice, currency: 'USD' },
          deliveredAt: '2026-11-01T12:00:00Z',
        },
      ],
    },
  });
}

/** A feed of n customers each with one order of the fixture lamp, plus one bad line every `badEvery`. */
function customerOrderFeed(prefix: string, n: number, badEvery = 0): string[] {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    lines.push(
      JSON.stringify({
        kind: 'customer',
        id: `${prefix}c${i}`,
        data: { marketplaceId: 'mkt_us', name: `Customer ${i}`, email: `${prefix}${i}@example.com` },
      }),
    );
    lines.push(
      orderLine(`${prefix}o${i}`, `${prefix}c${i}`, 1, {
        sellerId: badEvery && i % badEvery === 0 ? 'slr_acme' : 'slr_other',
        unitPrice: 100 + i,
      }),
    );
  }
  return lines;
}

describe('import jobs', () => {
  it('answers 202 with the job and a Location, then reports progress, counts and every line error as a file', async () => {
    const feed = customerOrderFeed('p', 300, 50);
    const posted = await world.request('POST', '/v1/imports', {
      payload: feed.join('\n'),
      headers: { 'content-type': 'application/x-ndjson' },
    });
    expect(posted.status).toBe(202);
    expect(posted.headers.location).toBe(`/v1/imports/${posted.body.id}`);
    expect(posted.body).toMatchObject({
      id: expect.stringMatching(/^imp_/),
      status: 'queued',
      lines: 0,
      progress: { bytesDone: 0, bytesTotal: Buffer.byteLength(feed.join('\n')) },
    });

    const job = await claimImportJob(world.ctx, 'test-worker', 30_000, posted.body.id);
    expect(job?.chunks_total).toBeGreaterThanOrEqual(1);
    const seen: number[] = [];
    await runImportJob(world.ctx, job as NonNullable<typeof job>, {
      owner: 'test-worker',
      onProgress: (j) => seen.push(j.bytes_done),
    });
    expect(seen.length).toBe(job?.chunks_total);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));

    const done = await world.request('GET', `/v1/imports/${posted.body.id}`);
    expect(done.body).toMatchObject({
      status: 'succeeded',
      lines: 600,
      imported: 594,
      failed: 6,
      byKind: { customer: 300, order: 294 },
      progress: { fraction: 1 },
      attempts: 1,
    });
    const errors = await downloadErrors(done.body.errorsUrl);
    expect(errors.status).toBe(200);
    expect(errors.headers['content-type']).toContain('application/x-ndjson');
    expect(errors.headers['content-disposition']).toBe(
      `attachment; filename="${posted.body.id}-errors.ndjson"`,
    );
    const rows = String(errors.body)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // Customer i's order is on line 2i+2; every 50th sells the lamp under the wrong seller.
    expect(rows).toEqual(
      [0, 50, 100, 150, 200, 250].map((i) => ({
        line: 2 * i + 2,
        field: 'data.lines.0.sellerId',
        rule: 'product prd_lamp is sold by slr_other',
      })),
    );
    const order = await world.request('GET', '/v1/orders/po7');
    expect(order.body.lines[0]).toMatchObject({ unitPrice: { value: 107, currency: 'USD' } });
    const customer = await world.request('GET', '/v1/customers/pc7');
    expect(customer.body).toMatchObject({ name: 'Customer 7', email: 'p7@example.com' });
  });

  it('resumes after a crash from the last chunk done: every line applied once, no error twice', async () => {
    const feed = customerOrderFeed('r', 400, 40);
    // Chunks of 8 KiB (about 40 lines) rather than a megabyte, so there is a middle to die in.
    const id = await createImportJob(world.ctx, systemPrincipal('test'), 'ndjson');
    await receiveImport(world.ctx, id, [feed.join('\n')], { chunkBytes: 8 << 10 });
    const posted = { body: { id } };
    const first = await claimImportJob(world.ctx, 'doomed-worker', 60_000, posted.body.id);
    expect(first?.chunks_total).toBeGreaterThan(4);
    if (!first) throw new Error('the job was not claimable');
    // The first worker applies two chunks and dies holding the lease.
    expect(await runImportJob(world.ctx, first, { owner: 'doomed-worker', stopAfterChunks: 2 })).toBe(
      'stopped',
    );
    const halfway = await world.request('GET', `/v1/imports/${posted.body.id}`);
    expect(halfway.body.status).toBe('running');
    expect(halfway.body.progress.fraction).toBeGreaterThan(0);
    expect(halfway.body.progress.fraction).toBeLessThan(1);

    // While its lease runs, nobody else takes the job; once it has run out, the next worker does.
    expect(await runImportJobs(world.ctx, { owner: 'second-worker' })).toBe(0);
    await world.advance(61);
    expect(await runImportJobs(world.ctx, { owner: 'second-worker' })).toBe(1);
    // The dead worker, back from the grave, finds its job taken and writes nothing.
    expect(await runImportJob(world.ctx, first, { owner: 'doomed-worker' })).toBe('lost');

    const done = await world.request('GET', `/v1/imports/${posted.body.id}`);
    expect(done.body).toMatchObject({
      status: 'succeeded',
      lines: 800,
      imported: 790,
      failed: 10,
      attempts: 2,
    });
    const errors = (await downloadErrors(done.body.errorsUrl)).body.trim().split('\n');
    expect(errors).toHaveLength(10);
    expect(new Set(errors).size).toBe(10);
    const stored = await world.ctx.db
      .selectFrom('order_lines')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('order_id', 'like', 'ro%')
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(390);
    const chunks = await world.ctx.db
      .selectFrom('import_chunks')
      .select('seq')
      .where('import_id', '=', posted.body.id)
      .execute();
    expect(chunks).toEqual([]);
  });

  it('reads CSV with typed columns, and Prefer: wait answers 200 once the job is done', async () => {
    const csv = [
      'kind,id,data.marketplaceId,data.name,data.email,data.customerId,data.lines.0.lineId,data.lines.0.productId,data.lines.0.sellerId,data.lines.0.quantity:number,data.lines.0.unitPrice.value:number,data.lines.0.unitPrice.currency,data.lines.0.deliveredAt',
      'customer,csv-c1,mkt_us,"Reyes, Dana",dana@example.com,,,,,,,,',
      'order,csv-o1,mkt_us,,,csv-c1,1,prd_lamp,slr_other,2,2599,USD,2026-11-02T10:00:00Z',
      'order,csv-o2,mkt_us,,,csv-c1,1,prd_lamp,slr_other,two,2599,USD,2026-11-02T10:00:00Z',
      '"order,csv-o3',
    ].join('\n');
    const posted = await world.request('POST', '/v1/imports', {
      payload: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(posted.status).toBe(202);
    await runImportJobs(world.ctx, { owner: 'test-worker' });
    const done = await world.request('GET', posted.headers.location as string);
    expect(done.body).toMatchObject({ format: 'csv', lines: 4, imported: 2, failed: 2 });
    expect(done.body.errors).toEqual([
      { line: 4, field: 'data.lines.0.quantity', rule: expect.stringContaining('number') },
      { line: 5, field: '(line)', rule: expect.stringMatching(/^not valid CSV: Quote Not Closed/) },
    ]);
    expect((await world.request('GET', '/v1/customers/csv-c1')).body.name).toBe('Reyes, Dana');
    const order = await world.request('GET', '/v1/orders/csv-o1');
    expect(order.body.lines[0]).toMatchObject({ quantity: 2, unitPrice: { value: 2599, currency: 'USD' } });

    // A job nobody runs is still running when the wait is over: 202, as without the preference.
    const waited = await world.request('POST', '/v1/imports', {
      payload: csv,
      headers: { 'content-type': 'text/csv', prefer: 'wait=1' },
    });
    expect(waited.status).toBe(202);
    expect(waited.headers['preference-applied']).toBeUndefined();
    await runImportJobs(world.ctx, { owner: 'test-worker' });
  });

  it('refuses other roles and unknown jobs', async () => {
    const agent = await world.key('agent');
    const res = await world.request('POST', '/v1/imports', {
      key: agent,
      payload: '{}',
      headers: { 'content-type': 'application/x-ndjson' },
    });
    expect(res.status).toBe(403);
    const missing = await world.request('GET', '/v1/imports/imp_nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ detail: 'import imp_nope does not exist' });
  });
});

describe('chunks of orders applied side by side (on PostgreSQL; one after the other on PGlite)', () => {
  // The customers first, in a job of their own: an order may then refer to any of them.
  beforeAll(async () => {
    const customers = customerOrderFeed('sb', 20).filter((line) => line.includes('"customer"'));
    const first = await createImportJob(world.ctx, systemPrincipal('test'), 'ndjson');
    await receiveImport(world.ctx, first, [customers.join('\n')]);
    expect(await runImportJobs(world.ctx, { owner: 'test-worker' })).toBe(1);
  });

  it('applies a feed of orders as one after the other would: a later line about an order wins, each chunk once', async () => {
    // 600 orders. Every 100th line also restates the order of 20 lines before with 7 lamps, which
    // at about 30 lines a chunk is in the same chunk or the one just before; 50 lines later, it
    // restates another's with a different customer, which must be refused as it would be had the
    // chunk before committed first (a chunk beside it could not see that order yet).
    const lines: string[] = [];
    const restated = new Set<number>();
    let refused = 0;
    for (let i = 0; i < 600; i++) {
      lines.push(orderLine(`sbo${i}`, `sbc${i % 20}`, 1));
      if (i >= 20 && i % 100 === 0) {
        lines.push(orderLine(`sbo${i - 20}`, `sbc${(i - 20) % 20}`, 7));
        restated.add(i - 20);
      }
      if (i % 100 === 50) {
        lines.push(orderLine(`sbo${i - 20}`, `sbc${(i - 19) % 20}`, 9));
        refused++;
      }
    }
    const id = await createImportJob(world.ctx, systemPrincipal('test'), 'ndjson');
    await receiveImport(world.ctx, id, [lines.join('\n')], { chunkBytes: 8 << 10 });
    const job = await claimImportJob(world.ctx, 'side-worker', 60_000, id);
    if (!job) throw new Error('the job was not claimable');
    expect(job.chunks_total).toBeGreaterThan(10);
    const started: { seq: number; beside: boolean }[] = [];
    const progress: number[] = [];
    expect(
      await runImportJob(world.ctx, job, {
        owner: 'side-worker',
        onChunkStarted: (seq, beside) => started.push({ seq, beside }),
        onProgress: (j) => progress.push(j.chunks_done),
      }),
    ).toBe('succeeded');

    // Every chunk started once, in order, and was seen done in order (the job as read once a chunk
    // is done: the chunk beside it may have committed by then too).
    expect(started.map((s) => s.seq)).toEqual([...Array(job.chunks_total).keys()]);
    expect(progress).toHaveLength(job.chunks_total);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(job.chunks_total);
    const beside = started.filter((s) => s.beside).length;
    if (world.ctx.engine === 'postgres') {
      // Most chunks ran beside the one before; one restating an order of the one before did not.
      expect(beside).toBeGreaterThan(job.chunks_total / 2);
      expect(beside).toBeLessThan(job.chunks_total - 1);
    } else {
      expect(beside).toBe(0); // PGlite runs SQL on this thread: one at a time
    }

    const done = await world.request('GET', `/v1/imports/${id}`);
    expect(done.body).toMatchObject({
      status: 'succeeded',
      lines: lines.length,
      imported: lines.length - refused,
      failed: refused,
    });
    expect(new Set(done.body.errors.map((e: { rule: string }) => e.rule))).toEqual(
      new Set(['an order cannot change customer']),
    );
    const rows = await world.ctx.db
      .selectFrom('order_lines')
      .select(['order_id', 'quantity'])
      .where('order_id', 'like', 'sbo%')
      .execute();
    expect(rows).toHaveLength(600);
    for (const row of rows) {
      const n = Number(row.order_id.slice(3));
      expect({ order: row.order_id, quantity: row.quantity }).toEqual({
        order: row.order_id,
        quantity: restated.has(n) ? 7 : 1,
      });
    }
  });

  it.skipIf(!process.env.DATABASE_URL)(
    'waits for the chunk before in the database, so a cycle through another transaction is broken, not hung',
    async () => {
      // 60 orders already on file, imported again in two chunks of about 30: the first order in
      // chunk 0, the last in chunk 1, which runs beside it.
      const lines = Array.from({ length: 60 }, (_, i) => orderLine(`dlo${i}`, `sbc${i % 20}`, 1));
      const seed = await createImportJob(world.ctx, systemPrincipal('test'), 'ndjson');
      await receiveImport(world.ctx, seed, [lines.join('\n')]);
      expect(await runImportJobs(world.ctx, { owner: 'test-worker' })).toBe(1);
      const id = await createImportJob(world.ctx, systemPrincipal('test'), 'ndjson');
      await receiveImport(world.ctx, id, [lines.join('\n')], { chunkBytes: 8 << 10 });
      const job = await claimImportJob(world.ctx, 'cycle-worker', 60_000, id);
      if (!job) throw new Error('the job was not claimable');
      expect(job.chunks_total).toBe(2);

      const other = await world.secondContext();
      try {
        const { rows } = await sql<{ ms: number }>`
          select setting::int as ms from pg_settings where name = 'deadlock_timeout'`.execute(other.db);
        const deadlockTimeoutMs = rows[0]?.ms ?? 1000;
        const waitingForTheChunkBefore = async () => {
          for (let i = 0; i < 200; i++) {
            const { rows: waiting } = await sql<{ n: number }>`
              select count(*)::int as n from pg_stat_activity
              where datname = current_database() and wait_event_type = 'Lock' and wait_event = 'advisory'`.execute(
              other.db,
            );
            if ((waiting[0]?.n ?? 0) > 0) return;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          throw new Error('no chunk ever waited for the one before in the database');
        };
        // Another transaction holds the first order: chunk 0 waits for it. Chunk 1 writes the last
        // order and then waits for chunk 0; once it does, the other transaction asks for the last
        // order. Past the deadlock timeout of the first two waits, its own check finds the cycle.
        let holdingTheFirst = () => {};
        const firstHeld = new Promise<void>((resolve) => {
          holdingTheFirst = resolve;
        });
        const blocker = other.db.transaction().execute(async (trx) => {
          await trx.updateTable('orders').set({ updated_at: new Date() }).where('id', '=', 'dlo0').execute();
          holdingTheFirst();
          await waitingForTheChunkBefore();
          await new Promise((resolve) => setTimeout(resolve, deadlockTimeoutMs * 1.5));
          await trx.updateTable('orders').set({ updated_at: new Date() }).where('id', '=', 'dlo59').execute();
        });
        blocker.catch(() => undefined);
        await firstHeld;
        const importing = runImportJob(world.ctx, job, { owner: 'cycle-worker' });
        await expect(blocker).rejects.toThrow(/deadlock/);
        expect(await importing).toBe('succeeded');
      } finally {
        await other.close();
      }
    },
  );

  it('stops after the chunks asked for, with none beyond them written, and resumes from there', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => orderLine(`sso${i}`, `sbc${i % 20}`, 2));
    const id = await createImportJob(world.ctx, systemPrincipal('test'), 'ndjson');
    await receiveImport(world.ctx, id, [lines.join('\n')], { chunkBytes: 8 << 10 });
    const job = await claimImportJob(world.ctx, 'doomed-worker', 60_000, id);
    if (!job) throw new Error('the job was not claimable');
    expect(await runImportJob(world.ctx, job, { owner: 'doomed-worker', stopAfterChunks: 3 })).toBe(
      'stopped',
    );
    const halfway = await world.ctx.db
      .selectFrom('import_jobs')
      .select(['chunks_done', 'imported'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(halfway.chunks_done).toBe(3);
    const stored = await world.ctx.db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('id', 'like', 'sso%')
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(halfway.imported);

    await world.advance(61);
    expect(await runImportJobs(world.ctx, { owner: 'second-worker' })).toBe(1);
    const done = await world.request('GET', `/v1/imports/${id}`);
    expect(done.body).toMatchObject({ status: 'succeeded', lines: 300, imported: 300, failed: 0 });
  });
});

describe('which chunks may be applied side by side', () => {
  const order = (id: string) => ({ line: 1, record: { kind: 'order', id } }) as Numbered<ImportRecord>;
  const customer = { line: 1, record: { kind: 'customer', id: 'c1' } } as Numbered<ImportRecord>;

  it('takes two chunks of orders only, with no order in both', () => {
    expect(applicableBeside(ordersOnly([order('a'), order('b')]), ordersOnly([order('c')]))).toBe(true);
    expect(applicableBeside(ordersOnly([order('a'), order('b')]), ordersOnly([order('c'), order('b')]))).toBe(
      false,
    );
  });

  it('never takes a chunk holding any other kind, before or after', () => {
    expect(ordersOnly([order('a'), customer])).toBeNull();
    expect(applicableBeside(ordersOnly([customer]), ordersOnly([order('a')]))).toBe(false);
    expect(applicableBeside(ordersOnly([order('a')]), ordersOnly([customer]))).toBe(false);
  });
});
