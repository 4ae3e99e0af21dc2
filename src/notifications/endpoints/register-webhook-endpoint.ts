import type { AppContext } from '../../platform/context.ts';
import { json } from '../../platform/db/sql.ts';
import { unprocessable } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { assertPublicTarget } from '../ssrf.ts';
import { assertReceivableEventTypes, type EndpointOwner, type WebhookEndpointRow } from './endpoint-store.ts';
import { newSigningSecret } from './rotate-webhook-secret.ts';

/**
 * Registers a webhook endpoint for its owner with a fresh signing secret. The event types must be
 * ones the owner may receive, the target a public address (unless the operator allows private
 * ones), and an admin's marketplace must exist. The secret is returned here and never again.
 */
export async function registerWebhookEndpoint(
  ctx: AppContext,
  owner: EndpointOwner,
  input: { url: string; eventTypes: string[] },
): Promise<{ row: WebhookEndpointRow; secret: string }> {
  assertReceivableEventTypes(owner, input.eventTypes, 'body.eventTypes');
  await assertPublicTarget(input.url, ctx.notifications.webhooks.allowPrivateTargets);
  if (
    owner.role === 'admin' &&
    !(await ctx.db.selectFrom('marketplaces').select('id').where('id', '=', owner.id).executeTakeFirst())
  ) {
    throw unprocessable('body.marketplaceId', `marketplace ${owner.id} does not exist`);
  }
  const secret = newSigningSecret();
  const row = await ctx.db
    .insertInto('webhook_endpoints')
    .values({
      id: newId('webhookEndpoint', ctx.clock),
      owner_role: owner.role,
      owner_id: owner.id,
      url: input.url,
      event_types: json(input.eventTypes),
      secret,
      created_at: ctx.clock.now(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { row, secret };
}
