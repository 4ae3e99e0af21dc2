import { z } from 'zod';
import { ZExternalId } from '../marketplace/schemas.ts';
import type { AppContext } from '../platform/context.ts';
import { unprocessable } from '../platform/errors.ts';

export const ZExpertInput = z
  .object({
    marketplaceId: ZExternalId.describe('The marketplace whose claims the expert reviews'),
    organisation: z.string().min(1).max(200).describe('The firm the expert works for'),
    name: z.string().min(1).max(200).describe('The name shown to agents choosing an expert'),
    active: z
      .boolean()
      .default(true)
      .describe('An inactive expert keeps its open referrals but is offered no new ones'),
  })
  .meta({
    example: {
      marketplaceId: 'demo-us',
      organisation: 'Veritas Claims Investigation',
      name: 'J. Lee',
      active: true,
    },
  });

export const ZExpert = z
  .object({
    id: z.string().describe('The id the expert’s API key acts as (role expert)'),
    marketplaceId: z.string(),
    organisation: z.string(),
    name: z.string(),
    active: z.boolean(),
  })
  .meta({
    example: {
      id: 'exp-lee',
      marketplaceId: 'demo-us',
      organisation: 'Veritas Claims Investigation',
      name: 'J. Lee',
      active: true,
    },
  });

/** Creates or replaces an independent fraud expert of an existing marketplace. */
export async function putExpert(
  ctx: AppContext,
  id: string,
  input: z.infer<typeof ZExpertInput>,
): Promise<z.infer<typeof ZExpert>> {
  const now = ctx.clock.now();
  const market = await ctx.db
    .selectFrom('marketplaces')
    .select('id')
    .where('id', '=', input.marketplaceId)
    .executeTakeFirst();
  if (!market) throw unprocessable('body.marketplaceId', `marketplace ${input.marketplaceId} does not exist`);
  const fields = {
    marketplace_id: input.marketplaceId,
    organisation: input.organisation,
    name: input.name,
    active: input.active,
    updated_at: now,
  };
  const row = await ctx.db
    .insertInto('experts')
    .values({ id, created_at: now, ...fields })
    .onConflict((oc) => oc.column('id').doUpdateSet(fields))
    .returningAll()
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    marketplaceId: row.marketplace_id,
    organisation: row.organisation,
    name: row.name,
    active: row.active,
  };
}
