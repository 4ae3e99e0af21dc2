import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import { mailsSeller } from '../insurance/events.ts';
import type { Role } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { OutboxTable, WebhookEndpointsTable } from '../platform/db/database.ts';
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
    const now = ctx.clock.now();
    for (const row of rows) {
      for (const endpoint of await recipientsOf(tx, row, endpoints)) {
        await tx
          .insertInto('webhook_deliveries')
          .values({
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
          })
          .onConflict((oc) => oc.columns(['endpoint_id', 'outbox_id']).doNothing())
          .execute();
      }
      for (const mail of await mailsFor(tx, row)) {
        await tx
          .insertInto('mail_deliveries')
          .values({
            id: newId('mail', ctx.clock),
            outbox_id: row.id,
            status: 'pending',
            next_attempt_at: now,
            last_error: null,
            created_at: now,
            sent_at: null,
            ...mail,
          })
          .onConflict((oc) => oc.columns(['outbox_id', 'recipient_role', 'recipient_id']).doNothing())
          .execute();
      }
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

/** The marketplace's endpoints get everything they subscribe to; a party only what concerns it. */
async function recipientsOf(tx: Tx, row: OutboxRow, endpoints: Endpoint[]): Promise<Endpoint[]> {
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
  const claim = await tx
    .selectFrom('claims')
    .select(['seller_id', 'insurer_id', 'seller_notified_at'])
    .where('id', '=', row.aggregate_id)
    .executeTakeFirst();
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

/**
 * E-mails: the customer at every decision, the seller when told of a claim, the expert on referral.
 * Each is written in its reader's locale (`language` holds it: `de-DE`, `en-GB`): the customer's
 * language with the marketplace's regional conventions; sellers and experts read English.
 */
async function mailsFor(tx: Tx, row: OutboxRow): Promise<MailTarget[]> {
  const locale = async (language: string) => {
    const marketplace = row.marketplace_id
      ? await tx
          .selectFrom('marketplaces')
          .select('locale')
          .where('id', '=', row.marketplace_id)
          .executeTakeFirst()
      : undefined;
    return readerLocale(language, marketplace?.locale ?? 'en-US');
  };
  const payload = row.payload as {
    customerId?: string;
    sellerId?: string | null;
    expertId?: string;
    data?: { expertId?: string } & Record<string, unknown>;
  };
  const customerTemplate = !isVisibleTo(row.event_type, 'claimant')
    ? null
    : row.event_type === 'safety.recall_notice'
      ? 'recall_notice'
      : CUSTOMER_HEADLINES[row.event_type]
        ? 'customer_decision'
        : null;
  if (customerTemplate && payload.customerId) {
    const customer = await tx
      .selectFrom('customers')
      .select(['id', 'email', 'language'])
      .where('id', '=', payload.customerId)
      // An erased customer is not written to any more; its address could not be opened anyway.
      .where('erased_at', 'is', null)
      .executeTakeFirst();
    if (customer) {
      return [
        {
          recipient_role: 'customer',
          recipient_id: customer.id,
          // Still sealed with the customer's key: send-mail.ts opens it when it sends.
          to_address: customer.email,
          language: await locale(customer.language),
          template: customerTemplate,
        },
      ];
    }
  }
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
  if (sellerTemplate && payload.sellerId) {
    const seller = await tx
      .selectFrom('sellers')
      .select(['id', 'contact'])
      .where('id', '=', payload.sellerId)
      .executeTakeFirst();
    const email = (seller?.contact as { email?: string } | undefined)?.email;
    if (seller && email)
      return [
        {
          recipient_role: 'seller',
          recipient_id: seller.id,
          to_address: email,
          language: await locale('en'),
          template: sellerTemplate,
        },
      ];
  }
  const expertId =
    row.event_type === 'referral.reminder'
      ? payload.expertId
      : row.event_type === 'claim.referred_to_expert'
        ? payload.data?.expertId
        : undefined;
  if (expertId) {
    const expert = await tx
      .selectFrom('experts')
      .select(['id', 'email'])
      .where('id', '=', expertId)
      .executeTakeFirst();
    if (expert?.email)
      return [
        {
          recipient_role: 'expert',
          recipient_id: expert.id,
          to_address: expert.email,
          language: await locale('en'),
          template: 'expert_referral',
        },
      ];
  }
  return [];
}
