import { z } from 'zod';
import { CLAIM_EVENT_TYPES } from '../claims/events.ts';
import { INSURANCE_EVENT_TYPES, ZInsuranceEventData } from '../insurance/events.ts';
import { SAFETY_EVENT_TYPES, ZSafetyEventData } from '../safety/events.ts';

/** The payload of every claim event, as written to the outbox in the claim's transaction. */
export const ZClaimEventData = z.object({
  claimId: z.string(),
  sellerId: z.string().nullable(),
  customerId: z.string(),
  status: z.string(),
  payer: z.enum(['marketplace', 'seller', 'insurer']).nullable(),
  stepIn: z.boolean(),
  reason: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});

export const ZReferralReminderData = z.object({
  referralId: z.string(),
  expertId: z.string(),
  claimId: z.string(),
  dueAt: z.string(),
});

/** The one catalogue of outgoing events: each type, what it means, and its payload's schema. */
export const EVENT_CATALOGUE: Record<string, { description: string; schema: z.ZodType }> = {
  ...Object.fromEntries(
    Object.entries(CLAIM_EVENT_TYPES).map(([type, description]) => [
      type,
      { description, schema: ZClaimEventData },
    ]),
  ),
  ...Object.fromEntries(
    Object.entries(INSURANCE_EVENT_TYPES).map(([type, description]) => [
      type,
      { description, schema: ZInsuranceEventData },
    ]),
  ),
  ...Object.fromEntries(
    Object.entries(SAFETY_EVENT_TYPES).map(([type, description]) => [
      type,
      { description, schema: ZSafetyEventData },
    ]),
  ),
  'referral.reminder': {
    description: 'An expert’s findings are due within a day',
    schema: ZReferralReminderData,
  },
};

export const EVENT_TYPES = Object.keys(EVENT_CATALOGUE);

/** What a webhook carries: the Standard Webhooks body shape (type, timestamp, data). */
export const ZEventEnvelope = z
  .object({
    id: z.string().describe('The event id; also the webhook-id header, the same on every retry'),
    type: z.string(),
    timestamp: z.string(),
    marketplaceId: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'EventEnvelope' });

/**
 * Events a seller or insurer may receive about a claim once it was told of it. Screening,
 * expert and risk events are the marketplace's own business and never leave it for a party.
 */
export const PARTY_VISIBLE_EVENTS = new Set([
  'claim.seller_notified',
  'claim.approved',
  'claim.seller_responded',
  'claim.tendered',
  'claim.tender_info_requested',
  'claim.tender_declined',
  'claim.tender_expired',
  'claim.seller_defended',
  'claim.stepped_in',
  'claim.evidence_added',
  'claim.public_recall_matched',
  'claim.withdrawn',
  'claim.denied',
  'claim.paid',
  'claim.recovery_waived',
  'claim.recovery_opened',
  'claim.recovery_updated',
  'claim.closed',
]);

/** JSON Schema of each event type, for the OpenAPI document and GET /v1/event-types. */
export function eventTypeSchemas(): { type: string; description: string; schema: unknown }[] {
  return Object.entries(EVENT_CATALOGUE).map(([type, entry]) => ({
    type,
    description: entry.description,
    schema: z.toJSONSchema(entry.schema),
  }));
}
