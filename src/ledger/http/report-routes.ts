import { z } from 'zod';
import { ZExternalId, ZIsoDateTime } from '../../marketplace/schemas.ts';
import { type AppContext, reportsDatabase } from '../../platform/context.ts';
import type { App } from '../../platform/http/app-types.ts';
import { summaryReport, trendsReport } from '../reports.ts';

/** The period of a report: [from, to), optionally one marketplace. */
const ZReportRange = z
  .object({
    from: ZIsoDateTime.describe('Claims filed at or after (ISO date-time), e.g. 2026-09-01T00:00:00Z'),
    to: ZIsoDateTime.describe('Claims filed before (ISO date-time), e.g. 2026-12-01T00:00:00Z'),
    marketplaceId: ZExternalId.optional().describe(
      'Only this marketplace, e.g. demo-us; every one if left out',
    ),
  })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), {
    message: 'from must be before to',
    path: ['from'],
  });

const RANGE_ERRORS =
  'Staff only (admin, agent). Errors: 400 when from or to is missing or not a date-time, or from is not ' +
  'before to. In the demo, from=2026-09-01T00:00:00Z&to=2026-12-01T00:00:00Z covers the seeded quarter.';

const ZRecoveryFigures = z.object({
  recovered: z.number(),
  offset: z.number(),
  waived: z.number(),
  writtenOff: z.number(),
  outstanding: z.number(),
});

const ZSummary = z
  .object({
    period: z.object({ from: z.string(), to: z.string() }),
    claims: z.object({
      total: z.number().describe('Claims filed in the period'),
      byStatus: z.record(z.string(), z.number()).describe('By their status now'),
      byType: z.record(z.string(), z.number()),
    }),
    withinSmallClaimLimit: z
      .object({
        count: z.number(),
        share: z.number().nullable().describe('0 to 1; null when no claim was filed'),
      })
      .describe('Claims at or under the marketplace’s small-claim limit (paid without the seller)'),
    paid: z
      .object({
        byPayer: z.record(z.string(), z.number()).describe('Minor units paid, by who paid'),
        currency: z.string().nullable(),
      })
      .describe(
        'What was paid on these claims, in minor units of `currency`; when the claims are in several currencies, empty (currency null): read byCurrency',
      ),
    stepIns: z.number().describe('Claims the marketplace paid in the seller’s or insurer’s place'),
    recovery: ZRecoveryFigures.describe(
      'Minor units of the one currency, over the recoveries of these claims; all 0 when the claims are in several currencies: read byCurrency',
    ),
    byCurrency: z
      .array(
        z.object({
          currency: z.string(),
          paidByPayer: z.record(z.string(), z.number()),
          recovery: ZRecoveryFigures,
        }),
      )
      .describe('Money per currency, one row each: amounts of different currencies are never added'),
    medianHoursToPayout: z.number().nullable().describe('From filing to the payout settling'),
  })
  .meta({
    example: {
      period: { from: '2026-09-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' },
      claims: {
        total: 212,
        byStatus: { paid: 150, denied: 31, closed: 19, awaiting_seller: 12 },
        byType: { property_damage: 171, personal_injury: 41 },
      },
      withinSmallClaimLimit: { count: 120, share: 0.566 },
      paid: { byPayer: { marketplace: 1840000, seller: 960000 }, currency: 'USD' },
      stepIns: 14,
      recovery: { recovered: 610000, offset: 120000, waived: 9000, writtenOff: 45000, outstanding: 210000 },
      byCurrency: [
        {
          currency: 'USD',
          paidByPayer: { marketplace: 1840000, seller: 960000 },
          recovery: {
            recovered: 610000,
            offset: 120000,
            waived: 9000,
            writtenOff: 45000,
            outstanding: 210000,
          },
        },
      ],
      medianHoursToPayout: 30.5,
    },
  });

const ZTrends = z
  .object({
    byDay: z
      .array(
        z.object({
          day: z.string().describe('YYYY-MM-DD (UTC)'),
          byStatus: z.record(z.string(), z.number()),
        }),
      )
      .describe('Claims filed each day, by their status now'),
    topProducts: z
      .array(z.object({ productId: z.string(), title: z.string().nullable(), claims: z.number() }))
      .describe('The products claimed about most, most first'),
  })
  .meta({
    example: {
      byDay: [{ day: '2026-11-27', byStatus: { paid: 2, awaiting_seller: 1 } }],
      topProducts: [{ productId: 'prd-heater', title: 'Space heater 1500 W', claims: 38 }],
    },
  });

/** Figures about claims filed in a period, for the operator's dashboard. */
export function registerReportRoutes(app: App, ctx: AppContext): void {
  const range = (q: z.infer<typeof ZReportRange>) => ({
    from: new Date(q.from),
    to: new Date(q.to),
    marketplaceId: q.marketplaceId,
  });

  app.route({
    method: 'GET',
    url: '/v1/reports/summary',
    config: { roles: ['admin', 'agent'] },
    schema: {
      summary:
        'Claims filed in [from, to): by status and type, small-claim share, paid by payer, step-ins, recovery, median time to payout',
      description: `Amounts are minor units of the marketplace's currency. ${RANGE_ERRORS}`,
      tags: ['reports'],
      querystring: ZReportRange,
      response: { 200: ZSummary },
    },
    handler: async (request) => summaryReport(reportsDatabase(ctx), range(request.query)),
  });

  app.route({
    method: 'GET',
    url: '/v1/reports/trends',
    config: { roles: ['admin', 'agent'] },
    schema: {
      summary: 'Claims filed in [from, to) per day by status, and the products claimed about most',
      description: `For charts: one row per day that had claims. ${RANGE_ERRORS}`,
      tags: ['reports'],
      querystring: ZReportRange,
      response: { 200: ZTrends },
    },
    handler: async (request) => trendsReport(reportsDatabase(ctx), range(request.query)),
  });
}
