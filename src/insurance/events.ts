import { z } from 'zod';
import type { Clock } from '../platform/clock.ts';
import type { Queryable } from '../platform/db/sql.ts';
import { newId } from '../platform/ids.ts';
import { enqueueOutgoing } from '../platform/outbox.ts';

/**
 * What happens to sellers' insurance, tenders and the network's quotes. Each is written to the
 * outbox with the seller and insurer it concerns, so each receives its own and nobody else's.
 */
export const INSURANCE_EVENT_TYPES = {
  'insurance.policy_filed': 'A policy was put on file and waits for verification',
  'insurance.policy_verified': 'A policy on file was verified (by an agent or its insurer)',
  'insurance.policy_rejected': 'A policy on file was rejected, with the reason',
  'insurance.policy_expiring': 'A verified policy expires soon: the seller is reminded',
  'insurance.policy_expired': 'A policy reached its expiry date',
  'insurance.status_changed':
    "The seller's insurance standing changed (not_required, grace, compliant, not_compliant)",
  'insurance.tender_opened': 'A claim or a recovery was tendered to the insurer, with its deadline',
  'insurance.tender_answered': 'The insurer accepted, declined or asked for information',
  'insurance.tender_information_provided': "The seller answered the insurer's question",
  'insurance.tender_expired': 'The insurer did not answer in time; the step-in rules apply',
  'insurance.tender_withdrawn':
    'The claim was withdrawn or the recovery written off: the insurer need not answer',
  'insurance.quote_requested':
    'A seller asked the network for quotes; providers that quote by API are invited',
  'insurance.quote_offered': 'A provider quoted',
  'insurance.bind_requested': 'The seller chose a quote; the provider must confirm the policy',
  'insurance.bound': 'The provider confirmed: the policy is on file and verified',
  'insurance.bind_refused': 'The provider refused to bind the quote',
} as const;

export type InsuranceEventType = keyof typeof INSURANCE_EVENT_TYPES;

export const ZInsuranceEventData = z.object({
  subjectId: z.string().describe('The policy, tender, quote request or quote the event is about'),
  sellerId: z.string(),
  insurerId: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});

/**
 * Whether a seller is e-mailed about an insurance event, besides its webhooks: when it has
 * something to do (renew, fix a certificate, get cover) or its insurer answered for it. Gaining
 * compliance it did not lack needs no e-mail.
 */
export function mailsSeller(type: string, data: Record<string, unknown>): boolean {
  switch (type) {
    case 'insurance.policy_expiring':
    case 'insurance.policy_rejected':
    case 'insurance.tender_answered':
      return true;
    case 'insurance.status_changed':
      return data.to === 'grace' || data.to === 'not_compliant' || data.from === 'not_compliant';
    default:
      return false;
  }
}

export async function emitInsuranceEvent(
  db: Queryable,
  clock: Clock,
  event: {
    type: InsuranceEventType;
    marketplaceId: string;
    subjectId: string;
    sellerId: string;
    insurerId: string | null;
    data?: Record<string, unknown>;
  },
): Promise<void> {
  await enqueueOutgoing(db, {
    eventId: newId('event', clock),
    eventType: event.type,
    marketplaceId: event.marketplaceId,
    aggregateType: 'insurance',
    aggregateId: event.subjectId,
    payload: {
      subjectId: event.subjectId,
      sellerId: event.sellerId,
      insurerId: event.insurerId,
      data: event.data ?? {},
    },
    at: clock.now(),
  });
}
