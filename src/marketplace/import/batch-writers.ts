import { sql } from 'kysely';
import type pg from 'pg';
import type { Clock } from '../../platform/clock.ts';
import type { CopyValue } from '../../platform/db/copy-rows.ts';
import type { Tx } from '../../platform/db/sql.ts';
import { breathe } from '../../platform/event-loop-turns.ts';
import { languageOf } from '../../platform/locale.ts';
import { blindIndexOf, customerDataKeys, sealWithKey } from '../../privacy/data-keys.ts';
import { type IdentityKind, identityHash } from '../../screening/identities.ts';
import { orderProblem } from '../order-rules.ts';
import type { ImportLineError, Numbered, RecordOf } from './import-lines.ts';
import { type Staging, stageRows } from './staged-rows.ts';

/**
 * The import's set-based writers: one statement per table for a whole batch of records
 * (`INSERT … SELECT … ON CONFLICT DO UPDATE`), after the same checks the PUT routes make, run
 * against facts read for the whole batch at once. The rules themselves are shared with the
 * routes (`order-rules.ts`); the messages are the routes' messages.
 *
 * The rows come from `stageRows`: on PostgreSQL a temporary table filled by COPY in the batch's
 * transaction, on PGlite `unnest(arrays)`; either way the upsert is the same statement, so it
 * carries any number of rows without meeting PostgreSQL's 65,535-parameter limit, with one plan.
 */

export interface BatchOutcome {
  imported: number;
  errors: ImportLineError[];
  failed: number;
}

const ids = (values: readonly string[]) => sql`${[...values]}::text[]`;

function outcome(): BatchOutcome {
  return { imported: 0, errors: [], failed: 0 };
}

function reject(result: BatchOutcome, line: number, field: string, rule: string): void {
  result.failed++;
  result.errors.push({ line, field: field.replace(/^body\./, 'data.'), rule });
}

const PRODUCT_ROWS: Staging = {
  table: 'staged_products',
  columns: [
    ['id', 'text'],
    ['seller_id', 'text'],
    ['marketplace_id', 'text'],
    ['title', 'text'],
    ['category', 'text'],
    ['brand', 'text'],
    ['upc', 'text'],
    ['model_number', 'text'],
  ],
};

export async function writeProducts(
  tx: Tx,
  client: pg.PoolClient | null,
  clock: Clock,
  records: Numbered<RecordOf<'product'>>[],
): Promise<BatchOutcome> {
  const result = outcome();
  const sellerIds = [...new Set(records.map((r) => r.record.data.sellerId))];
  const { rows: sellers } = await sql<{ id: string; marketplace_id: string }>`
    select id, marketplace_id from sellers where id = any(${ids(sellerIds)})`.execute(tx);
  // A product is in its seller's home marketplace, as putProduct stores it.
  const marketplaceOf = new Map(sellers.map((s) => [s.id, s.marketplace_id]));
  const good = records.filter(({ line, record }) => {
    if (marketplaceOf.has(record.data.sellerId)) return true;
    reject(result, line, 'data.sellerId', `seller ${record.data.sellerId} does not exist`);
    return false;
  });
  if (good.length === 0) return result;
  const now = clock.now();
  const rows = good.map(({ record: { id, data } }) => [
    id,
    data.sellerId,
    marketplaceOf.get(data.sellerId) ?? null,
    data.title,
    data.category,
    data.brand ?? null,
    data.upc ?? null,
    data.modelNumber ?? null,
  ]);
  const from = await stageRows(tx, client, PRODUCT_ROWS, 'p', rows);
  await sql`
    insert into products (id, seller_id, marketplace_id, title, category, brand, upc, model_number, created_at, updated_at)
    select p.id, p.seller_id, p.marketplace_id, p.title, p.category, p.brand, p.upc, p.model_number,
      ${now}::timestamptz, ${now}::timestamptz
    from ${from}
    on conflict (id) do update set
      seller_id = excluded.seller_id, marketplace_id = excluded.marketplace_id, title = excluded.title, category = excluded.category,
      brand = excluded.brand, upc = excluded.upc, model_number = excluded.model_number,
      updated_at = excluded.updated_at`.execute(tx);
  result.imported = good.length;
  return result;
}

const CUSTOMER_IDENTITIES: [IdentityKind, (r: RecordOf<'customer'>['data']) => string | undefined][] = [
  ['email', (d) => d.email],
  ['address', (d) => d.identity?.address],
  ['phone', (d) => d.identity?.phone],
  ['payment_fingerprint', (d) => d.identity?.paymentFingerprint],
  ['device_id', (d) => d.identity?.deviceId],
];

const CUSTOMER_ROWS: Staging = {
  table: 'staged_customers',
  columns: [
    ['id', 'text'],
    ['marketplace_id', 'text'],
    ['name', 'text'],
    ['email', 'text'],
    ['name_index', 'text'],
    ['email_index', 'text'],
    ['account_created_at', 'timestamptz'],
    ['birth_year', 'int'],
    ['region', 'text'],
    ['language', 'text'],
  ],
};

const IDENTITY_ROWS: Staging = {
  table: 'staged_customer_identities',
  columns: [
    ['customer_id', 'text'],
    ['kind', 'text'],
    ['value_hash', 'text'],
    ['key_id', 'text'],
  ],
};

export async function writeCustomers(
  tx: Tx,
  client: pg.PoolClient | null,
  clock: Clock,
  records: Numbered<RecordOf<'customer'>>[],
): Promise<BatchOutcome> {
  const result = outcome();
  const marketplaceIds = [...new Set(records.map((r) => r.record.data.marketplaceId))];
  const { rows: marketplaces } = await sql<{ id: string; locale: string }>`
    select id, locale from marketplaces where id = any(${ids(marketplaceIds)})`.execute(tx);
  const knownMarketplaces = new Set(marketplaces.map((m) => m.id));
  const localeOf = new Map(marketplaces.map((m) => [m.id, m.locale]));
  const { rows: existing } = await sql<{
    id: string;
    marketplace_id: string;
    erased_at: Date | null;
    language: string;
  }>`
    select id, marketplace_id, erased_at, language from customers
    where id = any(${ids(records.map((r) => r.record.id))})`.execute(tx);
  const existingById = new Map(existing.map((e) => [e.id, e]));
  const good = records.filter(({ line, record }) => {
    const { id, data } = record;
    const before = existingById.get(id);
    if (!knownMarketplaces.has(data.marketplaceId)) {
      reject(result, line, 'data.marketplaceId', `marketplace ${data.marketplaceId} does not exist`);
    } else if (before && before.marketplace_id !== data.marketplaceId) {
      reject(result, line, 'data.marketplaceId', 'a customer cannot move to another marketplace');
    } else if (before?.erased_at) {
      reject(
        result,
        line,
        '(line)',
        `the personal data of customer ${id} was erased; it cannot be written again`,
      );
    } else return true;
    return false;
  });
  if (good.length === 0) return result;

  // Name and e-mail are sealed with each customer's data key, as putCustomer does.
  const keys = await customerDataKeys(
    tx,
    good.map((g) => g.record.id),
  );
  const rows: CopyValue[][] = [];
  const identities: CopyValue[][] = [];
  for (const { record } of good) {
    const { id, data } = record;
    const key = keys.get(id);
    if (!key) throw new Error(`the data key of customer ${id} is missing`);
    rows.push([
      id,
      data.marketplaceId,
      sealWithKey(key, id, 'customer.name', data.name),
      sealWithKey(key, id, 'customer.email', data.email),
      await blindIndexOf(tx, 'name', data.name),
      await blindIndexOf(tx, 'email', data.email),
      data.accountCreatedAt ?? null,
      data.birthYear ?? null,
      data.region ?? null,
      // As putCustomer: the customer's own language, else the one it had, else the marketplace's.
      data.language ?? existingById.get(id)?.language ?? languageOf(localeOf.get(data.marketplaceId) ?? 'en'),
    ]);
    const seen = new Set<string>();
    for (const [kind, pick] of CUSTOMER_IDENTITIES) {
      const value = pick(data);
      if (!value?.trim()) continue;
      const { keyId, hash } = identityHash(kind, value);
      if (seen.has(`${kind}:${hash}`)) continue;
      seen.add(`${kind}:${hash}`);
      identities.push([id, kind, hash, keyId]);
    }
    await breathe();
  }
  const now = clock.now();
  const from = await stageRows(tx, client, CUSTOMER_ROWS, 'c', rows);
  await sql`
    insert into customers (id, marketplace_id, name, email, name_index, email_index,
      account_created_at, birth_year, region, language, created_at, updated_at)
    select c.id, c.marketplace_id, c.name, c.email, c.name_index, c.email_index,
      c.account_created_at, c.birth_year, c.region, c.language, ${now}::timestamptz, ${now}::timestamptz
    from ${from}
    on conflict (id) do update set
      name = excluded.name, email = excluded.email,
      name_index = excluded.name_index, email_index = excluded.email_index,
      account_created_at = coalesce(excluded.account_created_at, customers.account_created_at),
      birth_year = coalesce(excluded.birth_year, customers.birth_year),
      region = coalesce(excluded.region, customers.region),
      language = excluded.language,
      updated_at = excluded.updated_at`.execute(tx);
  // The identities are replaced, as on the PUT route: a customer's old phone no longer links.
  if (existingById.size > 0) {
    await sql`delete from customer_identities
      where customer_id = any(${ids(good.map((g) => g.record.id).filter((id) => existingById.has(id)))})`.execute(
      tx,
    );
  }
  if (identities.length > 0) {
    const identityFrom = await stageRows(tx, client, IDENTITY_ROWS, 'i', identities);
    await sql`
      insert into customer_identities (customer_id, kind, value_hash, key_id)
      select i.customer_id, i.kind, i.value_hash, i.key_id from ${identityFrom}
      on conflict do nothing`.execute(tx);
  }
  result.imported = good.length;
  return result;
}

const ORDER_ROWS: Staging = {
  table: 'staged_orders',
  columns: [
    ['id', 'text'],
    ['marketplace_id', 'text'],
    ['customer_id', 'text'],
  ],
};

const ORDER_LINE_ROWS: Staging = {
  table: 'staged_order_lines',
  columns: [
    ['order_id', 'text'],
    ['line_id', 'text'],
    ['marketplace_id', 'text'],
    ['product_id', 'text'],
    ['seller_id', 'text'],
    ['quantity', 'int'],
    ['unit_price', 'bigint'],
    ['currency', 'text'],
    ['delivered_at', 'timestamptz'],
  ],
};

export async function writeOrders(
  tx: Tx,
  client: pg.PoolClient | null,
  clock: Clock,
  records: Numbered<RecordOf<'order'>>[],
): Promise<BatchOutcome> {
  const result = outcome();
  const unique = <T>(values: T[]) => [...new Set(values)];
  // The facts the rules need, in one statement: four reads on one connection were four round trips
  // per batch, each a wake-up of both processes, which a loaded machine makes slow.
  const { rows } = await sql<{
    marketplaces: { id: string; currency: string }[];
    customers: { id: string; marketplace_id: string }[];
    existing: { id: string; customer_id: string }[];
    products: { id: string; seller_id: string; marketplace_ids: string[] }[];
  }>`
    select
      (select coalesce(json_agg(json_build_object('id', id, 'currency', currency)), '[]')
        from marketplaces
        where id = any(${ids(unique(records.map((r) => r.record.data.marketplaceId)))})) as marketplaces,
      (select coalesce(json_agg(json_build_object('id', id, 'marketplace_id', marketplace_id)), '[]')
        from customers
        where id = any(${ids(unique(records.map((r) => r.record.data.customerId)))})) as customers,
      (select coalesce(json_agg(json_build_object('id', id, 'customer_id', customer_id)), '[]')
        from orders where id = any(${ids(records.map((r) => r.record.id))})) as existing,
      (select coalesce(json_agg(json_build_object('id', id, 'seller_id', seller_id,
          'marketplace_ids', marketplace_ids)), '[]')
        from (select p.id, p.seller_id, array_agg(sm.marketplace_id) as marketplace_ids
          from products p join seller_marketplaces sm on sm.seller_id = p.seller_id
          where p.id = any(${ids(unique(records.flatMap((r) => r.record.data.lines.map((l) => l.productId))))})
          group by p.id, p.seller_id) p) as products`.execute(tx);
  const facts = rows[0];
  if (!facts) throw new Error('the order facts query returned no row');
  const marketplaceById = new Map(facts.marketplaces.map((m) => [m.id, m]));
  const customerById = new Map(facts.customers.map((c) => [c.id, c]));
  const existingById = new Map(facts.existing.map((o) => [o.id, o]));
  const productsById = new Map(facts.products.map((p) => [p.id, p]));
  const good = records.filter(({ line, record }) => {
    const problem = orderProblem(record.data, {
      marketplace: marketplaceById.get(record.data.marketplaceId),
      customer: customerById.get(record.data.customerId),
      existing: existingById.get(record.id),
      productsById,
    });
    if (problem) reject(result, line, problem.field, problem.rule);
    return !problem;
  });
  if (good.length === 0) return result;
  const now = clock.now();
  // Rows are made as COPY takes them (a generator), not gathered first.
  const orders = await stageRows(
    tx,
    client,
    ORDER_ROWS,
    'o',
    (function* () {
      for (const { record } of good) yield [record.id, record.data.marketplaceId, record.data.customerId];
    })(),
  );
  const lines = await stageRows(
    tx,
    client,
    ORDER_LINE_ROWS,
    'l',
    (function* () {
      for (const { record } of good) {
        for (const l of record.data.lines) {
          yield [
            record.id,
            l.lineId,
            record.data.marketplaceId,
            l.productId,
            l.sellerId,
            l.quantity,
            l.unitPrice.value,
            l.unitPrice.currency,
            l.deliveredAt,
          ];
        }
      }
    })(),
  );
  // Deliveries arrive as updates of the same order: the order keeps its customer, its lines
  // are upserted, and lines missing from the record are kept (a claim may refer to them).
  await sql`
    insert into orders (id, marketplace_id, customer_id, created_at, updated_at)
    select o.id, o.marketplace_id, o.customer_id, ${now}::timestamptz, ${now}::timestamptz
    from ${orders}
    on conflict (id) do update set updated_at = excluded.updated_at`.execute(tx);
  await sql`
    insert into order_lines (order_id, line_id, marketplace_id, product_id, seller_id, quantity, unit_price, currency, delivered_at)
    select l.order_id, l.line_id, l.marketplace_id, l.product_id, l.seller_id, l.quantity, l.unit_price, l.currency, l.delivered_at
    from ${lines}
    on conflict (order_id, line_id) do update set
      product_id = excluded.product_id, seller_id = excluded.seller_id, quantity = excluded.quantity,
      unit_price = excluded.unit_price, currency = excluded.currency, delivered_at = excluded.delivered_at`.execute(
    tx,
  );
  result.imported = good.length;
  return result;
}
