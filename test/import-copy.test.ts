import type { LogEvent } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runImportJobs } from '../src/marketplace/import/run-import-job.ts';
import { usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

/**
 * The import's set-based writers take their rows by COPY on PostgreSQL and by unnest on PGlite.
 * The same feed (a new product and customer with text COPY must escape, an update of an order
 * written by the PUT route, a bad line, an order sent twice) must leave the same rows and the
 * same errors on both engines; run this file with and without DATABASE_URL.
 */

const statements: string[] = [];
let world: World;

beforeAll(async () => {
  world = await createWorld({
    log: (event: LogEvent) => {
      if (event.level === 'query') statements.push(event.query.sql);
    },
  });
  await usMarketplace(world);
  const put = async (url: string, body: unknown) =>
    expect((await world.request('PUT', url, { body })).status).toBe(200);
  await put('/v1/customers/cus_copy', {
    marketplaceId: 'mkt_us',
    name: 'Copy Existing',
    email: 'c@example.com',
  });
  await put('/v1/orders/ord_copy', {
    marketplaceId: 'mkt_us',
    customerId: 'cus_copy',
    lines: [
      line('1', 'prd_lamp', 'slr_other', 1, 100, null),
      line('2', 'prd_kettle', 'slr_acme', 1, 500, '2026-10-30T08:00:00Z'),
    ],
  });
});
afterAll(() => world.close());

function line(
  lineId: string,
  productId: string,
  sellerId: string,
  quantity: number,
  value: number,
  deliveredAt: string | null,
) {
  return { lineId, productId, sellerId, quantity, unitPrice: { value, currency: 'USD' }, deliveredAt };
}

const order = (id: string, customerId: string, lines: ReturnType<typeof line>[]) => ({
  kind: 'order',
  id,
  data: { marketplaceId: 'mkt_us', customerId, lines },
});

/** A title and a name with every character COPY's text format must escape. */
const AWKWARD = 'Tab\there, back\\slash, new\nline, return\r, \\N';

describe('import writers on both engines', () => {
  it('write the same rows and report the same lines by COPY (PostgreSQL) as by unnest (PGlite)', async () => {
    const copies: string[] = [];
    const query = pg.Client.prototype.query;
    const spy = vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (
      this: pg.Client,
      ...args: unknown[]
    ) {
      const text = (args[0] as { text?: unknown } | undefined)?.text;
      if (typeof text === 'string' && text.startsWith('copy ')) copies.push(text);
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query);
    statements.length = 0;
    const feed = [
      {
        kind: 'product',
        id: 'prd_awkward',
        data: { sellerId: 'slr_other', title: AWKWARD, category: 'lighting' },
      },
      {
        kind: 'customer',
        id: 'cus_copy2',
        data: {
          marketplaceId: 'mkt_us',
          name: AWKWARD,
          email: 'c2@example.com',
          identity: { phone: '+1 555 0100' },
        },
      },
      // An update of the order the PUT route wrote: line 1 delivered, line 3 added, line 2 kept.
      order('ord_copy', 'cus_copy', [
        line('1', 'prd_lamp', 'slr_other', 3, 150, '2026-11-02T10:00:00Z'),
        line('3', 'prd_awkward', 'slr_other', 1, 200, null),
      ]),
      order('ord_bad', 'cus_copy', [line('1', 'prd_lamp', 'slr_acme', 1, 100, null)]),
      order('ord_new', 'cus_copy2', [line('1', 'prd_lamp', 'slr_other', 2, 120, null)]),
      // Sent again: a second wave in the same batch (and the same transaction).
      order('ord_copy', 'cus_copy2', [line('1', 'prd_lamp', 'slr_other', 9, 999, null)]),
      order('ord_new', 'cus_copy2', [line('1', 'prd_lamp', 'slr_other', 2, 120, '2026-11-03T00:00:00Z')]),
    ];
    try {
      const posted = await world.request('POST', '/v1/imports', {
        payload: feed.map((l) => JSON.stringify(l)).join('\n'),
        headers: { 'content-type': 'application/x-ndjson' },
      });
      expect(posted.status).toBe(202);
      await runImportJobs(world.ctx, { owner: 'test-worker' });
      const done = await world.request('GET', posted.headers.location as string);
      expect(done.body).toMatchObject({
        status: 'succeeded',
        lines: 7,
        imported: 5,
        failed: 2,
        byKind: { product: 1, customer: 1, order: 3 },
      });
      expect(done.body.errors).toEqual([
        { line: 4, field: 'data.lines.0.sellerId', rule: 'product prd_lamp is sold by slr_other' },
        { line: 6, field: 'data.customerId', rule: 'an order cannot change customer' },
      ]);
    } finally {
      spy.mockRestore();
    }

    const lines = await world.ctx.db
      .selectFrom('order_lines')
      .select([
        'order_id',
        'line_id',
        'product_id',
        'seller_id',
        'quantity',
        'unit_price',
        'currency',
        'delivered_at',
      ])
      .where('order_id', 'in', ['ord_copy', 'ord_bad', 'ord_new'])
      .orderBy('order_id')
      .orderBy('line_id')
      .execute();
    const row = (o: string, l: string, p: string, s: string, q: number, v: number, at: string | null) => ({
      order_id: o,
      line_id: l,
      product_id: p,
      seller_id: s,
      quantity: q,
      unit_price: v,
      currency: 'USD',
      delivered_at: at ? new Date(at) : null,
    });
    expect(lines).toEqual([
      row('ord_copy', '1', 'prd_lamp', 'slr_other', 3, 150, '2026-11-02T10:00:00Z'),
      row('ord_copy', '2', 'prd_kettle', 'slr_acme', 1, 500, '2026-10-30T08:00:00Z'),
      row('ord_copy', '3', 'prd_awkward', 'slr_other', 1, 200, null),
      row('ord_new', '1', 'prd_lamp', 'slr_other', 2, 120, '2026-11-03T00:00:00Z'),
    ]);
    const orders = await world.ctx.db
      .selectFrom('orders')
      .select(['id', 'customer_id'])
      .where('id', 'in', ['ord_copy', 'ord_bad', 'ord_new'])
      .orderBy('id')
      .execute();
    expect(orders).toEqual([
      { id: 'ord_copy', customer_id: 'cus_copy' },
      { id: 'ord_new', customer_id: 'cus_copy2' },
    ]);
    const product = await world.ctx.db
      .selectFrom('products')
      .select(['title', 'brand'])
      .where('id', '=', 'prd_awkward')
      .executeTakeFirst();
    expect(product).toEqual({ title: AWKWARD, brand: null });
    const customer = await world.request('GET', '/v1/customers/cus_copy2');
    expect(customer.body).toMatchObject({ name: AWKWARD, email: 'c2@example.com', language: 'en' });
    const identities = await world.ctx.db
      .selectFrom('customer_identities')
      .select('kind')
      .where('customer_id', '=', 'cus_copy2')
      .orderBy('kind')
      .execute();
    expect(identities.map((i) => i.kind)).toEqual(['email', 'phone']);

    // The rows reached the tables by the engine's own path, and only by it.
    const upserts = statements.filter((s) =>
      /^\s*insert into (orders|order_lines|products|customers) /.test(s),
    );
    // Four tables in the first wave, orders and their lines again in the second.
    expect(upserts).toHaveLength(6);
    if (world.engine === 'postgres') {
      expect(copies.map((c) => c.split(' ')[1])).toEqual([
        '"staged_products"',
        '"staged_customers"',
        '"staged_customer_identities"',
        '"staged_orders"',
        '"staged_order_lines"',
        '"staged_orders"',
        '"staged_order_lines"',
      ]);
      for (const upsert of upserts) {
        expect(upsert).toMatch(/from "staged_\w+" as "\w"/);
        expect(upsert).not.toContain('unnest');
      }
    } else {
      expect(copies).toEqual([]);
      for (const upsert of upserts) expect(upsert).toContain('unnest(');
    }
    // An order batch reads the facts its rules need in one statement, once per wave.
    const orderFacts = statements.filter((s) => /\bfrom orders where id = any\(/.test(s));
    expect(orderFacts).toHaveLength(2);
    expect(orderFacts[0]).toMatch(/from marketplaces[\s\S]*from customers[\s\S]*from products/);
  });
});
