import { z } from 'zod';
import type { Clock } from '../platform/clock.ts';
import type { Queryable } from '../platform/db/sql.ts';
import { newId } from '../platform/ids.ts';
import { enqueueOutgoing } from '../platform/outbox.ts';

/**
 * What the safety side tells the marketplace (its systems, its brand-protection team), the
 * seller of a paused or recalled product, and each buyer of a recalled one.
 */
export const SAFETY_EVENT_TYPES = {
  'safety.alert_raised': 'A product crossed a safety threshold: the alert carries its evidence',
  'safety.alert_updated': 'Another claim joined a live safety alert',
  'safety.alert_triaged': 'An agent dismissed, monitored, paused the listing or opened a recall',
  'safety.listing_paused': 'The product’s listing is paused for safety: stop selling it',
  'safety.report_due': 'An alert meets the regulator’s reporting criterion: the report deadline runs',
  'safety.report_overdue': 'The regulator report was not submitted by its deadline',
  'safety.report_submitted': 'The regulator report was submitted',
  'safety.recall_opened': 'A recall of the product was opened',
  'safety.recall_notice': 'A buyer of a recalled product is told of the recall and its remedy',
  'safety.counterfeit_suspected': 'A claim suggests the product is not genuine: for brand protection',
  'safety.public_recall_match_decided':
    'A safety officer confirmed or rejected that a public recall notice is about the product',
} as const;

export type SafetyEventType = keyof typeof SAFETY_EVENT_TYPES;

export const ZSafetyEventData = z.object({
  subjectId: z.string().describe('The alert, report, recall or product the event is about'),
  productId: z.string(),
  sellerId: z.string().nullable().describe('Set only on events the seller receives'),
  customerId: z.string().nullable().describe('Set only on a recall notice, for its buyer'),
  data: z.record(z.string(), z.unknown()),
});

export async function emitSafetyEvent(
  db: Queryable,
  clock: Clock,
  event: {
    type: SafetyEventType;
    marketplaceId: string;
    subjectId: string;
    productId: string;
    sellerId?: string | null;
    customerId?: string | null;
    data?: Record<string, unknown>;
  },
): Promise<void> {
  await enqueueOutgoing(db, {
    eventId: newId('event', clock),
    eventType: event.type,
    marketplaceId: event.marketplaceId,
    aggregateType: 'safety',
    aggregateId: event.subjectId,
    payload: {
      subjectId: event.subjectId,
      productId: event.productId,
      sellerId: event.sellerId ?? null,
      customerId: event.customerId ?? null,
      data: event.data ?? {},
    },
    at: clock.now(),
  });
}
