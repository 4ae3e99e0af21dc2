import { type Selectable, sql } from 'kysely';
import { knownPoliciesOnFile, POLICIES_ON_FILE_JSON } from '../insurance/store.ts';
import type { Calendar } from '../marketplace/business-days.ts';
import { storedPolicy } from '../marketplace/policy.ts';
import type { PolicyVersionRow } from '../marketplace/store.ts';
import type { ProductsTable, RecallsTable } from '../platform/db/database.ts';
import { executePrepared } from '../platform/db/prepared-statements.ts';
import type { Tx } from '../platform/db/sql.ts';
import {
  CUSTOMER_DATA_KEY_COLUMNS,
  type CustomerDataKeyColumns,
  customerOwner,
  knownCustomerDataKey,
} from '../privacy/data-keys.ts';

/**
 * Everything a filing reads about the world around the claim, loaded by one statement and passed
 * down to eligibility, safety, screening and the answer, so that no step reads again what the
 * transaction already holds. Each part is null where the filing names something that does not
 * exist (or belongs to another marketplace): eligibility turns that into a denial code.
 */
export interface FilingContext {
  customer: {
    id: string;
    marketplaceId: string;
    erasedAt: Date | null;
    accountCreatedAt: Date | null;
    /** Sealed, as stored; opened only by the answer's renderer. */
    sealedName: string;
  };
  marketplace: { id: string; currency: string; calendar: Calendar };
  policyVersion: PolicyVersionRow | null;
  /** The order, if it exists in the customer's marketplace. */
  order: { id: string; customerId: string } | null;
  /** The order line, locked (`FOR UPDATE`) so two claims on one line are decided one after the other. */
  line: {
    productId: string;
    sellerId: string;
    sellerKind: string | null;
    sellerName: string | null;
    deliveredAt: Date | null;
    unitPrice: number;
    quantity: number;
  } | null;
  product: Selectable<ProductsTable> | null;
  /** The product's open recall, if any. */
  openRecall: Selectable<RecallsTable> | null;
}

interface ContextRow extends CustomerDataKeyColumns {
  customer_id: string;
  marketplace_id: string;
  erased_at: Date | null;
  account_created_at: Date | null;
  customer_name: string;
  currency: string;
  holiday_calendar: string;
  time_zone: string;
  pv_id: string | null;
  pv_version: number | null;
  pv_policy: unknown;
  pv_effective_at: Date | null;
  order_id: string | null;
  order_customer_id: string | null;
  line_product_id: string | null;
  line_seller_id: string | null;
  line_delivered_at: Date | null;
  line_unit_price: number | null;
  line_quantity: number | null;
  seller_kind: string | null;
  seller_name: string | null;
  product: Selectable<ProductsTable> | null;
  recall: Selectable<RecallsTable> | null;
  policies: unknown;
}

/**
 * customer ⋈ marketplace ⋈ current policy; order ⋈ line `FOR UPDATE` ⋈ seller ⋈ product; the
 * product's open recall; the seller's policies on file; the customer's data key. The line is locked inside a lateral subquery because PostgreSQL refuses
 * `FOR UPDATE` on the nullable side of an outer join, and a missing line must still load the rest.
 */
export async function loadFilingContext(
  tx: Tx,
  filing: { customerId: string; orderId: string; lineId: string },
): Promise<FilingContext | null> {
  // Prepared on PostgreSQL (prepared-statements.ts): every filing sends this one text.
  const result = await executePrepared(
    tx,
    sql<ContextRow>`
    select c.id as customer_id, c.marketplace_id, c.erased_at, c.account_created_at, c.name as customer_name,
      m.currency, m.holiday_calendar, m.time_zone,
      pv.id as pv_id, pv.version as pv_version, pv.policy as pv_policy, pv.effective_at as pv_effective_at,
      o.id as order_id, o.customer_id as order_customer_id,
      ol.product_id as line_product_id, ol.seller_id as line_seller_id, ol.delivered_at as line_delivered_at,
      ol.unit_price as line_unit_price, ol.quantity as line_quantity,
      s.kind as seller_kind, s.name as seller_name,
      p.product, r.recall, cover.policies,
      ${CUSTOMER_DATA_KEY_COLUMNS}
    from customers c
    join marketplaces m on m.id = c.marketplace_id
    left join lateral (
      select id, version, policy, effective_at from policy_versions
      where marketplace_id = c.marketplace_id order by version desc limit 1) pv on true
    left join orders o on o.id = ${filing.orderId} and o.marketplace_id = c.marketplace_id
    left join lateral (
      select product_id, seller_id, delivered_at, unit_price, quantity from order_lines
      where order_id = o.id and line_id = ${filing.lineId} for update) ol on true
    left join sellers s on s.id = ol.seller_id
    left join lateral (select to_jsonb(p) as product from products p where p.id = ol.product_id) p on true
    left join lateral (
      select to_jsonb(r) as recall from recalls r
      where r.product_id = ol.product_id and r.status = 'open' limit 1) r on true
    left join lateral (
      select ${POLICIES_ON_FILE_JSON} as policies from insurance_policies ip
      join insurers i on i.id = ip.insurer_id where ip.seller_id = ol.seller_id) cover on true
    left join data_keys dk on dk.owner = ${customerOwner(filing.customerId)}
    where c.id = ${filing.customerId}`,
  );
  const row = result.rows[0];
  if (!row) return null;
  // The seller's policies on file, for the cover an approval records: read here, not again.
  if (row.line_seller_id) knownPoliciesOnFile(tx, row.line_seller_id, row.policies);
  // The claimant's data key, for sealing the claim's text: read here rather than by its own statement.
  knownCustomerDataKey(tx, row.customer_id, row);
  return {
    customer: {
      id: row.customer_id,
      marketplaceId: row.marketplace_id,
      erasedAt: row.erased_at,
      accountCreatedAt: row.account_created_at,
      sealedName: row.customer_name,
    },
    marketplace: {
      id: row.marketplace_id,
      currency: row.currency,
      calendar: { holidayCalendar: row.holiday_calendar, timeZone: row.time_zone },
    },
    policyVersion:
      row.pv_id === null
        ? null
        : {
            id: row.pv_id,
            marketplaceId: row.marketplace_id,
            version: row.pv_version ?? 0,
            // Parsed once per process (policy.ts): every later step takes this value.
            policy: storedPolicy(row.pv_id, row.pv_policy),
            effectiveAt: row.pv_effective_at as Date,
          },
    order: row.order_id ? { id: row.order_id, customerId: row.order_customer_id ?? '' } : null,
    line:
      row.line_product_id && row.line_seller_id
        ? {
            productId: row.line_product_id,
            sellerId: row.line_seller_id,
            sellerKind: row.seller_kind,
            sellerName: row.seller_name,
            deliveredAt: row.line_delivered_at,
            unitPrice: row.line_unit_price ?? 0,
            quantity: row.line_quantity ?? 0,
          }
        : null,
    product: row.product
      ? withDates(row.product, ['counterfeit_flagged_at', 'created_at', 'updated_at'])
      : null,
    openRecall: row.recall ? withDates(row.recall, ['created_at']) : null,
  };
}

/** `to_jsonb` turns timestamps into strings; the rest of the code expects the Date the driver gives. */
function withDates<T extends object>(row: T, fields: (keyof T)[]): T {
  const copy = { ...row };
  for (const field of fields) {
    const value = copy[field];
    if (typeof value === 'string') copy[field] = new Date(value) as T[keyof T];
  }
  return copy;
}
