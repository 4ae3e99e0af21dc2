import type { Insertable, Selectable } from 'kysely';
import { sql } from 'kysely';
import { mailsSeller } from '../insurance/events.ts';
import type { Role } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type {
  MailDeliveriesTable,
  OutboxTable,
  WebhookDeliveriesTable,
  WebhookEndpointsTable,
} from '../platform/db/database.ts';
import type { Tx } from '../platform/db/sql.ts';
import { newId } from '../platform/ids.ts';
import { readerLocale } from '../platform/locale.ts';
import { audienceOf, isVisibleTo } from './catalogue.ts';
import { CONTEST_HEADLINES, CUSTOMER_HEADLINES } from './templates.ts';

type OutboxRow = Selectable<OutboxTable>;
type Endpoint = Selectable<WebhookEndpointsTable>;

/**
 * An endpoint receives a type it subscribed to and its owner may see (the catalogue decides);
 * what each delivery carries is filtered the same way when it is sent (deliver-webhooks.ts).
 */
const wants = (endpoint: Endpoint, type: string) =>
  (endpoint.event_types.includes(type) || endpoint.event_types.includes('*')) &&
  isVisibleTo(type, audienceOf(endpoint.owner_role as Role));

/**
 * Turns new outbox rows into webhook deliveries and e-mails. One fan-out runs at a time (an
 * advisory lock), in outbox id order, so deliveries of one claim are created in the order its
 * events were committed; several workers may call this, the others simply wait their turn.
 *
 * A batch reads what its recipients need once, each table in one statement (`loadRecipients`), and
 * writes its deliveries and its e-mails in one statement each: a filing's four events used to cost
 * the worker about a dozen statements here (a locale, a customer, an insert per e-mail), now a
 * share of a batch's few (docs/performance.md, fifth session).
 */
export async function fanOutOutbox(ctx: AppContext, options: { batch?: number } = {}): Promise<number> {
  return ctx.db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(7261001)`.execute(tx);
    const rows = await tx
      .selectFrom('outbox')
      .selectAll()
      .where('fanned_out_at', 'is', null)
      .orderBy('id')
      .limit(options.batch ?? 500)
      .execute();
    if (rows.length === 0) return 0;
    const endpoints = await tx
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('active', '=', true)
      .execute();
    const recipients = await loadRecipients(tx, rows, endpoints);
    const now = ctx.clock.now();
    const deliveries: Insertable<WebhookDeliveriesTable>[] = [];
    const mails: Insertable<MailDeliveriesTable>[] = [];
    // Ids are drawn in the order of the outbox, as the rows were written one by one before.
    for (const row of rows) {
      for (const endpoint of recipientsOf(row, endpoints, recipients)) {
        deliveries.push({
          id: newId('webhookDelivery', ctx.clock),
          endpoint_id: endpoint.id,
          outbox_id: row.id,
          message_id: row.event_id,
          event_type: row.event_type,
          aggregate_id: row.aggregate_id,
          status: 'pending',
          next_attempt_at: now,
          lease_until: null,
          last_status: null,
          last_error: null,
          created_at: now,
          delivered_at: null,
        });
      }
      for (const mail of mailsFor(row, recipients)) {
        mails.push({
          id: newId('mail', ctx.clock),
          outbox_id: row.id,
          status: 'pending',
          next_attempt_at: now,
          last_error: null,
          created_at: now,
          sent_at: null,
          ...mail,
        });
      }
    }
    for (const chunk of chunksOf(deliveries)) {
      await tx
        .insertInto('webhook_deliveries')
        .values(chunk)
        .onConflict((oc) => oc.columns(['endpoint_id', 'outbox_id']).doNothing())
        .execute();
    }
    for (const chunk of chunksOf(mails)) {
      await tx
        .insertInto('mail_deliveries')
        .values(chunk)
        .onConflict((oc) => oc.columns(['outbox_id', 'recipient_role', 'recipient_id']).doNothing())
        .execute();
    }
    await tx
      .updateTable('outbox')
      .set({ fanned_out_at: now })
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    return rows.length;
  });
}

/** Rows per insert: a statement carries at most 65,535 parameters (13 columns × 1,000 is far below). */
const ROWS_PER_INSERT = 1_000;
function* chunksOf<T>(rows: T[]): Generator<T[]> {
  for (let at = 0; at < rows.length; at += ROWS_PER_INSERT) yield rows.slice(at, at + ROWS_PER_INSERT);
}

/** What a batch's deliveries and e-mails need from other tables, read once for the batch. */
interface Recipients {
  /** The claims whose parties' endpoints may receive their events. */
  claims: Map<
    string,
    { seller_id: string | null; insurer_id: string | null; seller_notified_at: Date | null }
  >;
  /** Each marketplace's locale (a reader's regional conventions). */
  locales: Map<string, string>;
  /** Customers not erased: an erased customer is not written to any more (its address could not be opened). */
  customers: Map<string, { id: string; email: string; language: string }>;
  sellers: Map<string, { id: string; contact: unknown }>;
  experts: Map<string, { id: string; email: string | null }>;
}

/** The payload fields the e-mails are addressed by. */
type MailPayload = {
  customerId?: string;
  sellerId?: string | null;
  expertId?: string;
  data?: { expertId?: string } & Record<string, unknown>;
};

/**
 * Reads, in one statement per table and only when the batch needs it, the claims, marketplaces,
 * customers, sellers and experts its rows name (`recipientsOf` and `mailsFor` then decide).
 */
async function loadRecipients(tx: Tx, rows: OutboxRow[], endpoints: Endpoint[]): Promise<Recipients> {
  const claimIds = new Set<string>();
  const marketplaceIds = new Set<string>();
  const customerIds = new Set<string>();
  const sellerIds = new Set<string>();
  const expertIds = new Set<string>();
  for (const row of rows) {
    if (
      row.aggregate_type === 'claim' &&
      endpoints.some((e) => e.owner_role !== 'admin' && wants(e, row.event_type))
    )
      claimIds.add(row.aggregate_id);
    const { customer, seller, expert } = addresseesOf(row);
    if (customer) customerIds.add(customer);
    if (seller) sellerIds.add(seller);
    if (expert) expertIds.add(expert);
    if ((customer || seller || expert) && row.marketplace_id) marketplaceIds.add(row.marketplace_id);
  }
  // A table the batch names nothing in is not read. `= any(array)`, not `in (…)`: one text whatever
  // the batch's size, so the statement is kept prepared (platform/db/prepared-statements.ts).
  const anyOf = (ids: string[]) => sql<string>`any(${ids}::text[])`;
  const readIf = <T>(ids: Set<string>, read: (ids: string[]) => Promise<T[]>) =>
    ids.size === 0 ? Promise.resolve([] as T[]) : read([...ids]);
  const [claims, marketplaces, customers, sellers, experts] = await Promise.all([
    readIf(claimIds, (ids) =>
      tx
        .selectFrom('claims')
        .select(['id', 'seller_id', 'insurer_id', 'seller_notified_at'])
        .where('id', '=', anyOf(ids))
        .execute(),
    ),
    readIf(marketplaceIds, (ids) =>
      tx.selectFrom('marketplaces').select(['id', 'locale']).where('id', '=', anyOf(ids)).execute(),
    ),
    readIf(customerIds, (ids) =>
      tx
        .selectFrom('customers')
        .select(['id', 'email', 'language'])
        .where('id', '=', anyOf(ids))
        .where('erased_at', 'is', null)
        .execute(),
    ),
    readIf(sellerIds, (ids) =>
      tx.selectFrom('sellers').select(['id', 'contact']).where('id', '=', anyOf(ids)).execute(),
    ),
    readIf(expertIds, (ids) =>
      tx.selectFrom('experts').select(['id', 'email']).where('id', '=', anyOf(ids)).execute(),
    ),
  ]);
  return {
    claims: new Map(claims.map(({ id, ...claim }) => [id, claim])),
    locales: new Map(marketplaces.map((m) => [m.id, m.locale])),
    customers: new Map(customers.map((c) => [c.id, c])),
    sellers: new Map(sellers.map((s) => [s.id, s])),
    experts: new Map(experts.map((x) => [x.id, x])),
  };
}

/** The marketplace's endpoints get everything they subscribe to; a party only what concerns it. */
function recipientsOf(row: OutboxRow, endpoints: Endpoint[], recipients: Recipients): Endpoint[] {
  const chosen = endpoints.filter(
    (e) => e.owner_role === 'admin' && e.owner_id === row.marketplace_id && wants(e, row.event_type),
  );
  if (row.aggregate_type === 'insurance' || row.aggregate_type === 'safety') {
    // Insurance and safety events name the seller (and insurer) they concern, and go to those only.
    const { sellerId, insurerId } = row.payload as { sellerId?: string | null; insurerId?: string | null };
    for (const e of endpoints) {
      if (!wants(e, row.event_type)) continue;
      if (e.owner_role === 'seller' && sellerId && e.owner_id === sellerId) chosen.push(e);
      if (e.owner_role === 'insurer' && insurerId && e.owner_id === insurerId) chosen.push(e);
    }
    return chosen;
  }
  if (row.aggregate_type !== 'claim') return chosen;
  const parties = endpoints.filter((e) => e.owner_role !== 'admin' && wants(e, row.event_type));
  if (parties.length === 0) return chosen;
  const claim = recipients.claims.get(row.aggregate_id);
  if (!claim) return chosen;
  for (const e of parties) {
    if (e.owner_role === 'seller' && e.owner_id === claim.seller_id && claim.seller_notified_at)
      chosen.push(e);
    if (e.owner_role === 'insurer' && e.owner_id === claim.insurer_id) chosen.push(e);
  }
  return chosen;
}

interface MailTarget {
  recipient_role: string;
  recipient_id: string;
  to_address: string;
  language: string;
  template: string;
}

/** The templates an event mails with, and to whom: the customer first, else the seller, else the expert. */
function addresseesOf(row: OutboxRow) {
  const payload = row.payload as MailPayload;
  const customerTemplate = !isVisibleTo(row.event_type, 'claimant')
    ? null
    : row.event_type === 'safety.recall_notice'
      ? 'recall_notice'
      : CUSTOMER_HEADLINES[row.event_type]
        ? 'customer_decision'
        : null;
  const sellerTemplate =
    row.event_type === 'claim.seller_notified'
      ? 'seller_notice'
      : row.event_type === 'claim.message_to_seller'
        ? 'seller_message'
        : CONTEST_HEADLINES[row.event_type]
          ? 'seller_contest'
          : mailsSeller(row.event_type, payload.data ?? {})
            ? 'seller_insurance'
            : null;
  const expert =
    row.event_type === 'referral.reminder'
      ? payload.expertId
      : row.event_type === 'claim.referred_to_expert'
        ? payload.data?.expertId
        : undefined;
  return {
    customerTemplate,
    customer: customerTemplate ? payload.customerId : undefined,
    sellerTemplate,
    seller: sellerTemplate ? (payload.sellerId ?? undefined) : undefined,
    expert,
  };
}

/**
 * E-mails: the customer at every decision, the seller when told of a claim, the expert on referral.
 * Each is written in its reader's locale (`language` holds it: `de-DE`, `en-GB`): the customer's
 * language with the marketplace's regional conventions; sellers and experts read English.
 */
function mailsFor(row: OutboxRow, recipients: Recipients): MailTarget[] {
  const marketplaceLocale = row.marketplace_id ? recipients.locales.get(row.marketplace_id) : undefined;
  const locale = (language: string) => readerLocale(language, marketplaceLocale ?? 'en-US');
  const {
    customerTemplate,
    customer: customerId,
    sellerTemplate,
    seller: sellerId,
    expert: expertId,
  } = addresseesOf(row);
  const customer = customerId ? recipients.customers.get(customerId) : undefined;
  if (customerTemplate && customer) {
    return [
      {
        recipient_role: 'customer',
        recipient_id: customer.id,
        // Still sealed with the customer's key: send-mail.ts opens it when it sends.
        to_address: customer.email,
        language: locale(customer.language),
        template: customerTemplate,
      },
    ];
  }
  const seller = sellerId ? recipients.sellers.get(sellerId) : undefined;
  const sellerEmail = (seller?.contact as { email?: string } | undefined)?.email;
  if (sellerTemplate && seller && sellerEmail)
    return [
      {
        recipient_role: 'seller',
        recipient_id: seller.id,
        to_address: sellerEmail,
        language: locale('en'),
        template: sellerTemplate,
      },
    ];
  const expert = expertId ? recipients.experts.get(expertId) : undefined;
  if (expert?.email)
    return [
      {
        recipient_role: 'expert',
        recipient_id: expert.id,
        to_address: expert.email,
        language: locale('en'),
        template: 'expert_referral',
      },
    ];
  return [];
}
