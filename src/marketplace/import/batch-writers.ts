import { sql } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import type { Tx } from '../../platform/db/sql.ts';
import { languageOf } from '../../platform/locale.ts';
import { blindIndexOf, customerDataKeys, sealWithKey } from '../../privacy/data-keys.ts';
import { type IdentityKind, identityHash } from '../../screening/identities.ts';
import { orderProblem } from '../order-rules.ts';
import { breather, type ImportLineError, type Numbered, type RecordOf } from './import-lines.ts';

/**
 * The import's set-based writers: one statement per table for a whole batch of records
 * (`INSERT … SELECT FROM unnest(arrays) ON CONFLICT DO UPDATE`), after the same checks the PUT
 * routes make, run against facts read for the whole batch at once. The rules themselves are
 * shared with the routes (`order-rules.ts`); the messages are the routes' messages.
 *
 * unnest takes one array parameter per column, so a statement carries any number of rows
 * without meeting PostgreSQL's 65,535-parameter limit, and the plan is the same for every size.
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

export async function writeProducts(
  tx: Tx,
  clock: Clock,
  records: Numbered<RecordOf<'product'>>[],
): Promise<BatchOutcome> {
  const result = outcome();
  const sellerIds = [...new Set(records.map((r) => r.record.data.sellerId))];
  const { rows: sellers } = await sql<{ id: string }>`
    select id from sellers where id = any(${ids(sellerIds)})`.execute(tx);
  const known = new Set(sellers.map((s) => s.id));
  const good = records.filter(({ line, record }) => {
    if (known.has(record.data.sellerId)) return true;
    reject(result, line, 'data.sellerId', `seller ${record.data.sellerId} does not exist`);
    return false;
  });
  if (good.length === 0) return result;
  const now = clock.now();
  const col = <T>(f: (r: RecordOf<'product'>) => T) => good.map((g) => f(g.record));
  await sql`
    insert into products (id, seller_id, title, category, brand, upc, model_number, created_at, updated_at)
    select p.*, ${now}::timestamptz, ${now}::timestamptz
    from unnest(${col((r) => r.id)}::text[], ${col((r) => r.data.sellerId)}::text[],
      ${col((r) => r.data.title)}::text[], ${col((r) => r.data.category)}::text[],
      ${col((r) => r.data.brand ?? null)}::text[], ${col((r) => r.data.upc ?? null)}::text[],
      ${col((r) => r.data.modelNumber ?? null)}::text[]) as p
    on conflict (id) do update set
      seller_id = excluded.seller_id, title = excluded.title, category = excluded.category,
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

export async function writeCustomers(
  tx: Tx,
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
  const breathe = breather();
  const rows = {
    id: [] as string[],
    marketplace: [] as string[],
    name: [] as string[],
    email: [] as string[],
    nameIndex: [] as string[],
    emailIndex: [] as string[],
    accountCreatedAt: [] as (string | null)[],
    birthYear: [] as (number | null)[],
    region: [] as (string | null)[],
    language: [] as string[],
  };
  const identities = {
    owner: [] as string[],
    kind: [] as string[],
    hash: [] as string[],
    keyId: [] as string[],
  };
  for (const { record } of good) {
    const { id, data } = record;
    const key = keys.get(id);
    if (!key) throw new Error(`the data key of customer ${id} is missing`);
    rows.id.push(id);
    rows.marketplace.push(data.marketplaceId);
    rows.name.push(sealWithKey(key, id, 'customer.name', data.name));
    rows.email.push(sealWithKey(key, id, 'customer.email', data.email));
    rows.nameIndex.push(await blindIndexOf(tx, 'name', data.name));
    rows.emailIndex.push(await blindIndexOf(tx, 'email', data.email));
    rows.accountCreatedAt.push(data.accountCreatedAt ?? null);
    rows.birthYear.push(data.birthYear ?? null);
    rows.region.push(data.region ?? null);
    // As putCustomer: the customer's own language, else the one it had, else the marketplace's.
    rows.language.push(
      data.language ?? existingById.get(id)?.language ?? languageOf(localeOf.get(data.marketplaceId) ?? 'en'),
    );
    const seen = new Set<string>();
    for (const [kind, pick] of CUSTOMER_IDENTITIES) {
      const value = pick(data);
      if (!value?.trim()) continue;
      const { keyId, hash } = identityHash(kind, value);
      if (seen.has(`${kind}:${hash}`)) continue;
      seen.add(`${kind}:${hash}`);
      identities.owner.push(id);
      identities.kind.push(kind);
      identities.hash.push(hash);
      identities.keyId.push(keyId);
    }
    await breathe();
  }
  const now = clock.now();
  await sql`
    insert into customers (id, marketplace_id, name, email, name_index, email_index,
      account_created_at, birth_year, region, language, created_at, updated_at)
    select c.*, ${now}::timestamptz, ${now}::timestamptz
    from unnest(${rows.id}::text[], ${rows.marketplace}::text[], ${rows.name}::text[], ${rows.email}::text[],
      ${rows.nameIndex}::text[], ${rows.emailIndex}::text[], ${rows.accountCreatedAt}::timestamptz[],
      ${rows.birthYear}::int[], ${rows.region}::text[], ${rows.language}::text[]) as c
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
  if (identities.owner.length > 0) {
    await sql`
      insert into customer_identities (customer_id, kind, value_hash, key_id)
      select * from unnest(${identities.owner}::text[], ${identities.kind}::text[],
        ${identities.hash}::text[], ${identities.keyId}::text[])
      on conflict do nothing`.execute(tx);
  }
  result.imported = good.length;
  return result;
}

export async function writeOrders(
  tx: Tx,
  clock: Clock,
  records: Numbered<RecordOf<'order'>>[],
): Promise<BatchOutcome> {
  const result = outcome();
  const unique = <T>(values: T[]) => [...new Set(values)];
  const [marketplaces, customers, existing, products] = await Promise.all([
    sql<{ id: string; currency: string }>`
      select id, currency from marketplaces
      where id = any(${ids(unique(records.map((r) => r.record.data.marketplaceId)))})`.execute(tx),
    sql<{ id: string; marketplace_id: string }>`
      select id, marketplace_id from customers
      where id = any(${ids(unique(records.map((r) => r.record.data.customerId)))})`.execute(tx),
    sql<{ id: string; customer_id: string }>`
      select id, customer_id from orders where id = any(${ids(records.map((r) => r.record.id))})`.execute(tx),
    sql<{ id: string; seller_id: string; marketplace_ids: string[] }>`
      select p.id, p.seller_id, array_agg(sm.marketplace_id) as marketplace_ids
      from products p join seller_marketplaces sm on sm.seller_id = p.seller_id
      where p.id = any(${ids(unique(records.flatMap((r) => r.record.data.lines.map((l) => l.productId))))})
      group by p.id, p.seller_id`.execute(tx),
  ]);
  const marketplaceById = new Map(marketplaces.rows.map((m) => [m.id, m]));
  const customerById = new Map(customers.rows.map((c) => [c.id, c]));
  const existingById = new Map(existing.rows.map((o) => [o.id, o]));
  const productsById = new Map(products.rows.map((p) => [p.id, p]));
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
  const lines = {
    order: [] as string[],
    line: [] as string[],
    product: [] as string[],
    seller: [] as string[],
    quantity: [] as number[],
    unitPrice: [] as number[],
    currency: [] as string[],
    deliveredAt: [] as (string | null)[],
  };
  for (const { record } of good) {
    for (const l of record.data.lines) {
      lines.order.push(record.id);
      lines.line.push(l.lineId);
      lines.product.push(l.productId);
      lines.seller.push(l.sellerId);
      lines.quantity.push(l.quantity);
      lines.unitPrice.push(l.unitPrice.value);
      lines.currency.push(l.unitPrice.currency);
      lines.deliveredAt.push(l.deliveredAt);
    }
  }
  const now = clock.now();
  // Deliveries arrive as updates of the same order: the order keeps its customer, its lines
  // are upserted, and lines missing from the record are kept (a claim may refer to them).
  await sql`
    insert into orders (id, marketplace_id, customer_id, created_at, updated_at)
    select o.*, ${now}::timestamptz, ${now}::timestamptz
    from unnest(${good.map((g) => g.record.id)}::text[], ${good.map((g) => g.record.data.marketplaceId)}::text[],
      ${good.map((g) => g.record.data.customerId)}::text[]) as o
    on conflict (id) do update set updated_at = excluded.updated_at`.execute(tx);
  await sql`
    insert into order_lines (order_id, line_id, product_id, seller_id, quantity, unit_price, currency, delivered_at)
    select * from unnest(${lines.order}::text[], ${lines.line}::text[], ${lines.product}::text[],
      ${lines.seller}::text[], ${lines.quantity}::int[], ${lines.unitPrice}::bigint[], ${lines.currency}::text[],
      ${lines.deliveredAt}::timestamptz[])
    on conflict (order_id, line_id) do update set
      product_id = excluded.product_id, seller_id = excluded.seller_id, quantity = excluded.quantity,
      unit_price = excluded.unit_price, currency = excluded.currency, delivered_at = excluded.delivered_at`.execute(
    tx,
  );
  result.imported = good.length;
  return result;
}
