import { toEvidenceView } from '../claims/add-evidence.ts';
import { renderClaims, visibleClaimEvents } from '../claims/http/claims-routes.ts';
import { findEvidence, openClaim } from '../claims/store.ts';
import { findCustomer, findOrderLines } from '../marketplace/store.ts';
import { toOrderView } from '../marketplace/views.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { Clock } from '../platform/clock.ts';
import type { Queryable } from '../platform/db/sql.ts';
import { notFound } from '../platform/errors.ts';
import { openPersonal } from './data-keys.ts';
import { toErasureView } from './erase-customer.ts';

/** A customer exports itself; staff export anyone. Others are told the customer does not exist. */
export function requireSelfOrStaff(principal: Principal, customerId: string): void {
  if (principal.role === 'admin' || principal.role === 'agent') return;
  if (principal.role === 'customer' && principal.partyId === customerId) return;
  throw notFound('customer', customerId);
}

/**
 * Everything Redress holds about a person, as that viewer may see it (a customer sees its
 * claims as a claimant does, never screening signals): the customer record, orders, every
 * claim with its history and evidence list, payouts, the e-mails sent to them, recall notices
 * and any erasure. Read in one transaction, so the parts agree with each other.
 */
export async function exportCustomer(db: Queryable, clock: Clock, principal: Principal, customerId: string) {
  requireSelfOrStaff(principal, customerId);
  const customer = await findCustomer(db, customerId);
  if (!customer) throw notFound('customer', customerId);
  const rows = await db
    .selectFrom('claims')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('id')
    .execute();
  const claims = await Promise.all(rows.map((row) => openClaim(db, row)));
  const views = await renderClaims(db, claims, principal);
  const claimExports = [];
  for (const [index, claim] of claims.entries()) {
    const view = views[index];
    if (!view) throw new Error(`claim ${claim.id} was not rendered`);
    claimExports.push({
      claim: view,
      events: (await visibleClaimEvents(db, claim, principal)).data,
      evidence: (await findEvidence(db, claim.id)).map(toEvidenceView),
    });
  }
  const orders = await db
    .selectFrom('orders')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('id')
    .execute();
  const orderViews = [];
  for (const order of orders) orderViews.push(toOrderView(order, await findOrderLines(db, order.id)));
  const payouts = await db
    .selectFrom('payouts')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('id')
    .execute();
  const mails = await db
    .selectFrom('mail_deliveries')
    .innerJoin('outbox', 'outbox.id', 'mail_deliveries.outbox_id')
    .select([
      'mail_deliveries.id',
      'mail_deliveries.to_address',
      'mail_deliveries.template',
      'mail_deliveries.language',
      'mail_deliveries.status',
      'mail_deliveries.created_at',
      'mail_deliveries.sent_at',
      'outbox.event_type',
      'outbox.aggregate_id',
    ])
    .where('mail_deliveries.recipient_role', '=', 'customer')
    .where('mail_deliveries.recipient_id', '=', customerId)
    .orderBy('mail_deliveries.id')
    .execute();
  const notices = await db
    .selectFrom('recall_notices')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('recall_id')
    .execute();
  const erasures = await db
    .selectFrom('personal_data_erasures')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('id')
    .execute();
  return {
    exportedAt: clock.now().toISOString(),
    customer: {
      id: customer.id,
      marketplaceId: customer.marketplace_id,
      name: customer.name,
      email: customer.email,
      language: customer.language,
      region: customer.region,
      birthYear: customer.birth_year,
      accountCreatedAt: customer.account_created_at?.toISOString() ?? null,
      createdAt: customer.created_at.toISOString(),
      erasedAt: customer.erased_at?.toISOString() ?? null,
    },
    orders: orderViews,
    claims: claimExports,
    payouts: payouts.map((p) => ({
      id: p.id,
      claimId: p.claim_id,
      payer: p.payer,
      amount: { value: p.amount, currency: p.currency },
      status: p.status,
      reference: p.provider_reference,
      settledAt: p.settled_at?.toISOString() ?? null,
    })),
    messages: await Promise.all(
      mails.map(async (m) => ({
        id: m.id,
        channel: 'email' as const,
        to: await openPersonal(db, customerId, 'customer.email', m.to_address),
        about: { eventType: m.event_type, subjectId: m.aggregate_id },
        template: m.template,
        language: m.language,
        status: m.status,
        createdAt: m.created_at.toISOString(),
        sentAt: m.sent_at?.toISOString() ?? null,
      })),
    ),
    recallNotices: notices.map((n) => ({
      recallId: n.recall_id,
      units: n.units,
      status: n.status,
      response: n.response,
      notifiedAt: n.notified_at.toISOString(),
    })),
    erasures: erasures.map(toErasureView),
  };
}
