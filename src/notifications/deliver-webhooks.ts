import { sql } from 'kysely';
import type { Role } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import { audienceOf, messageForAudience } from './catalogue.ts';
import { webhookHeaders } from './webhook-signing.ts';
import { postWebhook } from './webhook-transport.ts';

/** Seconds before each retry: about 28 hours in all, then the delivery is dead-lettered. */
export const RETRY_SCHEDULE_SECONDS = [30, 120, 600, 1800, 3600, 7200, 14_400, 28_800, 43_200];

const jitter = (seconds: number, random: () => number) => Math.round(seconds * 1000 * (0.8 + 0.4 * random()));

export interface WebhookSettings {
  allowPrivateTargets: boolean;
  timeoutMs: number;
}

/**
 * Delivers due webhooks, one lease at a time (FOR UPDATE SKIP LOCKED, so many workers share
 * the work). A delivery waits while an earlier delivery of the same claim to the same endpoint
 * is still pending, so a receiver sees a claim's events in order. The webhook-id is the event
 * id and stays the same on every retry: receivers de-duplicate on it.
 */
export async function deliverWebhooks(
  ctx: AppContext,
  options: { max?: number; random?: () => number } = {},
): Promise<number> {
  const settings = ctx.notifications.webhooks;
  const random = options.random ?? Math.random;
  let handled = 0;
  while (handled < (options.max ?? 500)) {
    const leased = await ctx.db.transaction().execute(async (tx) => {
      const now = ctx.clock.now();
      const due = await sql<{ id: string }>`
        select d.id from webhook_deliveries d
        where d.status in ('pending', 'delivering') and d.next_attempt_at <= ${now}
          and (d.lease_until is null or d.lease_until <= ${now})
          -- a disabled endpoint's deliveries wait; they go out when it is enabled again
          and exists (select 1 from webhook_endpoints e where e.id = d.endpoint_id and e.active)
          and not exists (
            select 1 from webhook_deliveries earlier
            where earlier.endpoint_id = d.endpoint_id and earlier.aggregate_id = d.aggregate_id
              and earlier.outbox_id < d.outbox_id and earlier.status in ('pending', 'delivering'))
        order by d.next_attempt_at, d.outbox_id
        limit 1 for update skip locked`.execute(tx);
      const id = due.rows[0]?.id;
      if (!id) return null;
      const delivery = await tx
        .updateTable('webhook_deliveries')
        .set((eb) => ({
          status: 'delivering',
          attempts: eb('attempts', '+', 1),
          lease_until: new Date(now.getTime() + settings.timeoutMs + 5000),
        }))
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const endpoint = await tx
        .selectFrom('webhook_endpoints')
        .selectAll()
        .where('id', '=', delivery.endpoint_id)
        .executeTakeFirstOrThrow();
      const event = await tx
        .selectFrom('outbox')
        .selectAll()
        .where('id', '=', delivery.outbox_id)
        .executeTakeFirstOrThrow();
      return { delivery, endpoint, event };
    });
    if (!leased) break;
    handled++;
    const { delivery, endpoint, event } = leased;
    // A party's endpoint gets the event as the catalogue lets it see it (fanout.ts chose only visible types).
    const message = messageForAudience(
      event.event_type,
      event.payload as Record<string, unknown>,
      audienceOf(endpoint.owner_role as Role),
    ) ?? { type: event.event_type, payload: {} };
    const body = JSON.stringify({
      id: event.event_id,
      type: message.type,
      timestamp: event.created_at.toISOString(),
      marketplaceId: event.marketplace_id,
      data: message.payload,
    });
    const sentAt = ctx.clock.now();
    const started = performance.now();
    const { statusCode, error, responseExcerpt } = await postWebhook({
      url: endpoint.url,
      headers: webhookHeaders(endpoint, event.event_id, sentAt, body),
      body,
      timeoutMs: settings.timeoutMs,
      allowPrivate: settings.allowPrivateTargets,
    });
    const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
    await ctx.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('webhook_attempts')
        .values({
          delivery_id: delivery.id,
          attempt: delivery.attempts,
          at: sentAt,
          status_code: statusCode,
          error,
          duration_ms: Math.round(performance.now() - started),
          response_excerpt: responseExcerpt,
        })
        .execute();
      const retryIn = RETRY_SCHEDULE_SECONDS[delivery.attempts - delivery.replayed_after - 1];
      const now = ctx.clock.now();
      await tx
        .updateTable('webhook_deliveries')
        .set(
          ok
            ? {
                status: 'delivered',
                delivered_at: now,
                lease_until: null,
                last_status: statusCode,
                last_error: null,
              }
            : {
                status: retryIn === undefined ? 'dead' : 'pending',
                next_attempt_at:
                  retryIn === undefined ? null : new Date(now.getTime() + jitter(retryIn, random)),
                lease_until: null,
                last_status: statusCode,
                last_error: error ?? `answered ${statusCode}`,
              },
        )
        .where('id', '=', delivery.id)
        .execute();
    });
  }
  return handled;
}
