import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { Principal } from '../../platform/auth/roles.ts';
import type { WebhookEndpointsTable } from '../../platform/db/database.ts';
import type { Queryable } from '../../platform/db/sql.ts';
import { notFound, unprocessable } from '../../platform/errors.ts';
import { audienceOf, typesFor } from '../catalogue.ts';

export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;
export type EndpointOwner = { role: 'admin' | 'seller' | 'insurer'; id: string };

export const WEBHOOK_ENDPOINT_EXAMPLE = {
  id: 'whe_01jd0000000000000000000000',
  url: 'https://hooks.example.com/redress',
  eventTypes: ['claim.seller_notified', 'claim.paid'],
  owner: { role: 'seller' as const, id: 'slr-acme' },
  active: true,
  createdAt: '2026-11-16T15:00:00.000Z',
};

export const ZEndpoint = z
  .object({
    id: z.string(),
    url: z.string().describe('Where the signed POSTs go'),
    eventTypes: z
      .array(z.string())
      .describe('The event types delivered; ["*"] for every type the owner may receive'),
    owner: z
      .object({ role: z.enum(['admin', 'seller', 'insurer']), id: z.string() })
      .describe('Whose events: a marketplace (admin), a seller or an insurer'),
    active: z.boolean().describe('false: paused; deliveries wait until it is enabled again'),
    createdAt: z.string(),
  })
  .meta({ id: 'WebhookEndpoint', example: WEBHOOK_ENDPOINT_EXAMPLE });

export const toEndpointView = (e: WebhookEndpointRow): z.infer<typeof ZEndpoint> => ({
  id: e.id,
  url: e.url,
  eventTypes: e.event_types,
  owner: { role: e.owner_role as EndpointOwner['role'], id: e.owner_id },
  active: e.active,
  createdAt: e.created_at.toISOString(),
});

/**
 * The endpoint, if this key may manage it: admins manage the marketplaces' endpoints, a seller
 * or insurer only its own. Anyone else's, and a deleted one, is "not found", so ids cannot be
 * probed. `forUpdate` locks the row, so two changes to one endpoint (a rotation and an update)
 * run one after the other.
 */
export async function findOwnEndpoint(
  db: Queryable,
  principal: Principal,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<WebhookEndpointRow> {
  let query = db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null);
  query =
    principal.role === 'admin'
      ? query.where('owner_role', '=', 'admin')
      : query.where('owner_role', '=', principal.role).where('owner_id', '=', principal.partyId ?? '');
  const endpoint = await (options.forUpdate ? query.forUpdate() : query).executeTakeFirst();
  if (!endpoint) throw notFound('webhook endpoint', id);
  return endpoint;
}

/** Admins may receive every event of their marketplace; a seller or insurer only what parties may see. */
export function assertReceivableEventTypes(owner: EndpointOwner, eventTypes: string[], field: string): void {
  const allowed = typesFor(audienceOf(owner.role));
  for (const [i, type] of eventTypes.entries()) {
    if (type !== '*' && !allowed.includes(type))
      throw unprocessable(`${field}.${i}`, `${type} is not an event this key may receive`);
  }
}

export const ownerOfRow = (row: WebhookEndpointRow): EndpointOwner => ({
  role: row.owner_role as EndpointOwner['role'],
  id: row.owner_id,
});

/** The live endpoints of an owner (every admin endpoint for an admin), oldest first. */
export function listOwnEndpoints(db: Queryable, principal: Principal) {
  const query = db.selectFrom('webhook_endpoints').selectAll().where('deleted_at', 'is', null);
  return (
    principal.role === 'admin'
      ? query.where('owner_role', '=', 'admin')
      : query.where('owner_role', '=', principal.role).where('owner_id', '=', principal.partyId ?? '')
  )
    .orderBy('id')
    .execute();
}

/** An endpoint's latest deliveries, newest first, each with its attempts in order. */
export async function endpointDeliveries(
  db: Queryable,
  endpointId: string,
  filter: { status?: string | undefined; limit: number },
) {
  let query = db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId);
  if (filter.status) query = query.where('status', '=', filter.status);
  const deliveries = await query.orderBy('outbox_id', 'desc').limit(filter.limit).execute();
  const attempts = deliveries.length
    ? await db
        .selectFrom('webhook_attempts')
        .selectAll()
        .where(
          'delivery_id',
          'in',
          deliveries.map((d) => d.id),
        )
        .orderBy('attempt')
        .execute()
    : [];
  return deliveries.map((delivery) => ({
    delivery,
    attempts: attempts.filter((a) => a.delivery_id === delivery.id),
  }));
}
