import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/app-types.ts';
import { ZPageQuery } from '../../platform/http/paging.ts';
import { codeClaimHazard, ZHazardCoding } from '../code-claim-hazard.ts';
import { HAZARD_CODING_EXAMPLE, toHazardCodingView, ZClaimHazardCoding } from '../hazard-coding-view.ts';
import { pendingHazardCoding } from '../store.ts';

const tags = ['safety'];

/**
 * The hazard-coding queue: claims the language classifier was not sure of (an uncertain hazard,
 * a death or admission only imagined, an injury that usually means a hospital stay), for staff
 * to code. Staff only: a party never sees how safety judged a claim.
 */
export function registerHazardCodingRoutes(app: App, ctx: AppContext): void {
  app.route({
    method: 'GET',
    url: '/v1/safety/hazard-coding',
    config: { roles: ['admin', 'agent'] },
    schema: {
      summary: 'Claims awaiting hazard coding by a person, newest first, with the machine’s reading',
      description:
        'Staff only. The claims whose narrative the classifier was unsure of, with its guess, its confidence, ' +
        'the phrases that decided it and why it wants a person. Such a claim counts toward alerts only once coded.',
      tags,
      querystring: ZPageQuery,
      response: {
        200: z
          .object({ data: z.array(ZClaimHazardCoding), nextCursor: z.string().nullable() })
          .meta({ example: { data: [HAZARD_CODING_EXAMPLE], nextCursor: null } }),
      },
    },
    handler: async (request) => {
      const { page, nextCursor } = await pendingHazardCoding(ctx.db, request.query);
      return { data: page.map(toHazardCodingView), nextCursor };
    },
  });

  app.route({
    method: 'POST',
    url: '/v1/safety/hazard-coding/:claimId',
    config: { roles: ['admin', 'agent'] },
    schema: {
      summary:
        'Code a claim’s hazard and severity: overrides the machine’s, is kept as a label, and (if the claim was waiting) checks the product’s alert thresholds',
      description:
        "The person's hazard and severity replace the machine's for clusters and rates; the machine's verdict " +
        'is kept beside them, and the pair is a training label. Coding a severe harm can raise an alert at once.',
      tags,
      params: z.object({
        claimId: z
          .string()
          .min(1)
          .max(64)
          .describe('A claim from GET /v1/safety/hazard-coding')
          .meta({ example: HAZARD_CODING_EXAMPLE.claimId }),
      }),
      body: ZHazardCoding,
      response: { 200: ZClaimHazardCoding },
    },
    handler: async (request) => {
      const coded = await ctx.db
        .transaction()
        .execute((tx) => codeClaimHazard(tx, ctx, request.principal, request.params.claimId, request.body));
      return toHazardCodingView(coded);
    },
  });
}
