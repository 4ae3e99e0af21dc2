import { z } from 'zod';
import { type AppContext, reportsDatabase } from '../../platform/context.ts';
import type { App } from '../../platform/http/app-types.ts';
import { hazardClusters, weekStart } from '../hazard-clusters.ts';
import { HAZARDS } from '../lexicon.ts';

const DAY_MS = 86_400_000;

/** The safety console's chart: claims by brand and hazard, week by week. */
export function registerClusterRoutes(app: App, ctx: AppContext): void {
  app.route({
    method: 'GET',
    url: '/v1/safety/clusters',
    config: { roles: ['admin', 'agent'] },
    schema: {
      summary: 'Claims by brand and hazard, week by week: where clusters form',
      description:
        'Claims with a classified hazard filed in [from, to) (default: the 12 weeks up to and including this one), counted per brand (as the ' +
        'cluster rules normalise it: one brand sold under many product ids is one brand) and hazard, per ISO week ' +
        '(Monday, UTC). The `top` busiest pairs come back, each with a count for every week in `weeks`. Claims ' +
        'awaiting a person’s hazard coding are left out until coded, as the alert rules leave them out.',
      tags: ['safety'],
      querystring: z.object({
        marketplaceId: z.string().min(1).max(120).optional(),
        from: z.iso.datetime({ offset: true }).optional().describe('Start, inclusive (ISO 8601)'),
        to: z.iso
          .datetime({ offset: true })
          .optional()
          .describe('End, exclusive (default: the end of this week)'),
        top: z.coerce.number().int().min(1).max(50).default(8).describe('How many brand and hazard pairs'),
      }),
      response: {
        200: z
          .object({
            weeks: z.array(z.string()).describe('The Monday (00:00 UTC) starting each week'),
            series: z.array(
              z.object({
                brandKey: z.string().describe('The normalised brand the rules group by'),
                brand: z.string().describe('The brand as a seller typed it'),
                hazard: z.enum(HAZARDS),
                total: z.number().int(),
                counts: z.array(z.number().int()).describe('Claims per week, aligned with `weeks`'),
              }),
            ),
          })
          .meta({
            example: {
              weeks: ['2026-11-09T00:00:00.000Z', '2026-11-16T00:00:00.000Z', '2026-11-23T00:00:00.000Z'],
              series: [
                { brandKey: 'warmhome', brand: 'WarmHome', hazard: 'fire_burn', total: 5, counts: [1, 1, 3] },
                {
                  brandKey: 'kidzone',
                  brand: 'KidZone',
                  hazard: 'choking_ingestion',
                  total: 2,
                  counts: [0, 2, 0],
                },
              ],
            },
          }),
      },
    },
    handler: async (request) => {
      // By default the 12 whole weeks up to and including this one, so a claim filed a moment ago counts.
      const to = request.query.to
        ? new Date(request.query.to)
        : new Date(weekStart(ctx.clock.now()).getTime() + 7 * DAY_MS);
      const from = request.query.from ? new Date(request.query.from) : new Date(to.getTime() - 84 * DAY_MS);
      return hazardClusters(reportsDatabase(ctx), {
        ...(request.query.marketplaceId ? { marketplaceId: request.query.marketplaceId } : {}),
        from,
        to,
        top: request.query.top,
      });
    },
  });
}
