import type { Selectable } from 'kysely';
import type {
  CustomersTable,
  MarketplacesTable,
  OrderLinesTable,
  OrdersTable,
  ProductsTable,
  SellersTable,
} from '../platform/db/database.ts';
import type { Language } from '../platform/locale.ts';
import type { Policy } from './policy.ts';
import type { PolicyVersionRow } from './store.ts';

/** How marketplace data is shown over the API: camelCase, ISO dates, money as { value, currency }. */

export interface MarketplaceView {
  id: string;
  name: string;
  currency: string;
  region: string;
  holidayCalendar: string;
  timeZone: string;
  locale: string;
  policyVersion: { id: string; version: number; effectiveAt: string };
  policy: Policy;
}

export function toMarketplaceView(m: Selectable<MarketplacesTable>, v: PolicyVersionRow): MarketplaceView {
  return {
    id: m.id,
    name: m.name,
    currency: m.currency,
    region: m.region,
    holidayCalendar: m.holiday_calendar,
    timeZone: m.time_zone,
    locale: m.locale,
    policyVersion: { id: v.id, version: v.version, effectiveAt: v.effectiveAt.toISOString() },
    policy: v.policy,
  };
}

/** `marketplaceIds`: every marketplace the seller sells in, its home one first. */
export const toSellerView = (s: Selectable<SellersTable>, marketplaceIds: string[]) => ({
  id: s.id,
  marketplaceId: s.marketplace_id,
  marketplaceIds: [s.marketplace_id, ...marketplaceIds.filter((id) => id !== s.marketplace_id)],
  name: s.name,
  standing: s.standing as 'good' | 'not_compliant',
  kind: s.kind as 'third_party' | 'first_party',
  contact: s.contact as { email: string; phone?: string; address?: string },
  insurance: {
    status: s.insurance_status as 'not_required' | 'grace' | 'compliant' | 'not_compliant',
    requiredSince: s.insurance_required_since?.toISOString() ?? null,
    graceUntil: s.insurance_grace_until?.toISOString() ?? null,
  },
});

export const toProductView = (p: Selectable<ProductsTable>) => ({
  id: p.id,
  sellerId: p.seller_id,
  title: p.title,
  category: p.category,
  brand: p.brand,
  upc: p.upc,
  modelNumber: p.model_number,
});

export const toCustomerView = (c: Selectable<CustomersTable>) => ({
  id: c.id,
  marketplaceId: c.marketplace_id,
  name: c.name,
  email: c.email,
  language: c.language as Language,
});

export const toOrderView = (
  o: Selectable<OrdersTable>,
  lines: (Selectable<OrderLinesTable> & { product_title: string | null; seller_name: string | null })[],
) => ({
  id: o.id,
  marketplaceId: o.marketplace_id,
  customerId: o.customer_id,
  lines: lines.map((l) => ({
    lineId: l.line_id,
    productId: l.product_id,
    productTitle: l.product_title,
    sellerId: l.seller_id,
    sellerName: l.seller_name,
    quantity: l.quantity,
    unitPrice: { value: l.unit_price, currency: l.currency },
    deliveredAt: l.delivered_at?.toISOString() ?? null,
  })),
});
