import { z } from 'zod';
import { ZExternalId, ZIsoDateTime } from '../../marketplace/schemas.ts';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/app-types.ts';
import { fitScreeningWeights, MIN_TRAINING_LABELS } from '../fit-weights.ts';
import { screeningPerformance } from '../screening-performance.ts';

const ZEvaluation = z.object({
  examples: z.number().int(),
  precision: z.number().nullable(),
  recall: z.number().nullable(),
  falsePositiveRate: z.number().nullable(),
});

const ZCounts = z.object({
  held: z.number().int().describe('Payouts held on a flag raised after approval (claim.payout_held)'),
  released: z
    .number()
    .int()
    .describe('Held payouts released by an agent or an expert (claim.payout_released)'),
  cancelled: z.number().int().describe('Held payouts cancelled: the flag stood (claim.payout_cancelled)'),
  confirmedAbusive: z.number().int().describe('Claims an agent or an expert decided were abusive (labels)'),
  falseAlarms: z.number().int().describe('Claims an agent or an expert decided were valid (labels)'),
});

export const ZScreeningPerformance = z
  .object({
    period: z.object({ from: z.string(), to: z.string() }),
    totals: ZCounts,
    bySignal: z
      .array(
        z.object({
          code: z.string(),
          labelled: z.number().int(),
          confirmedAbusive: z.number().int(),
          falseAlarms: z.number().int(),
          precision: z.number().nullable(),
        }),
      )
      .describe(
        'Per signal code: of the decided claims it fired on, how many were abusive and how many false alarms',
      ),
    byWeek: z.array(
      ZCounts.extend({
        week: z.string().describe('Monday of the week (UTC), YYYY-MM-DD'),
        bySignal: z.record(
          z.string(),
          z.object({ confirmedAbusive: z.number().int(), falseAlarms: z.number().int() }),
        ),
      }),
    ),
  })
  .meta({
    id: 'ScreeningPerformance',
    example: {
      period: { from: '2026-09-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' },
      totals: { held: 3, released: 1, cancelled: 2, confirmedAbusive: 9, falseAlarms: 2 },
      bySignal: [
        { code: 'similar_photo_elsewhere', labelled: 4, confirmedAbusive: 4, falseAlarms: 0, precision: 1 },
        { code: 'linked_claimants', labelled: 5, confirmedAbusive: 3, falseAlarms: 2, precision: 0.6 },
      ],
      byWeek: [
        {
          week: '2026-11-23',
          held: 1,
          released: 0,
          cancelled: 1,
          confirmedAbusive: 2,
          falseAlarms: 1,
          bySignal: { linked_claimants: { confirmedAbusive: 1, falseAlarms: 1 } },
        },
      ],
    },
  });

export const ZFitRequest = z
  .object({
    marketplaceId: ZExternalId.describe('The marketplace whose labels and policy to use'),
    apply: z
      .boolean()
      .default(false)
      .describe('Write the fitted weights as a new policy version; false (the default) only reports'),
  })
  .meta({ example: { marketplaceId: 'demo-us', apply: false } });

export const ZFitReport = z
  .object({
    marketplaceId: z.string(),
    labelled: z.number().int(),
    trainedOn: z.number().int(),
    heldBack: z.number().int().describe('Labelled claims kept out of the fit (a stable fifth, by claim id)'),
    threshold: z.number().describe("The policy's review threshold both models are scored at"),
    before: ZEvaluation.describe('The weights in force, on the held-back claims'),
    after: ZEvaluation.describe('The fitted weights, on the same held-back claims'),
    model: z.object({ bias: z.number(), weights: z.record(z.string(), z.number()) }),
    writtenPolicyVersion: z
      .number()
      .int()
      .nullable()
      .describe('The policy version written, or null when not applied'),
  })
  .meta({
    id: 'ScreeningFitReport',
    example: {
      marketplaceId: 'demo-us',
      labelled: 140,
      trainedOn: 112,
      heldBack: 28,
      threshold: 0.4,
      before: { examples: 28, precision: 0.8, recall: 0.667, falsePositiveRate: 0.045 },
      after: { examples: 28, precision: 0.857, recall: 1, falsePositiveRate: 0.045 },
      model: { bias: -2.7, weights: { linked_claimants: 2.4, similar_photo_elsewhere: 3.9 } },
      writtenPolicyVersion: null,
    },
  });

export function registerScreeningRoutes(app: App, ctx: AppContext): void {
  const tags = ['screening'];

  app.route({
    method: 'GET',
    url: '/v1/screening/performance',
    config: { roles: ['admin', 'agent'] },
    schema: {
      summary:
        'How the screen is doing in [from, to): payouts held, released and cancelled, claims confirmed abusive and false alarms, per signal and per week',
      description:
        'Counts what happened between `from` (inclusive) and `to` (exclusive), both ISO 8601 date-times, for one ' +
        'marketplace or, without `marketplaceId`, for all. Precision is confirmed abusive over labelled (null when ' +
        'nothing was labelled). The labels are the ones POST /v1/screening/fit learns from.',
      tags,
      querystring: z
        .object({ from: ZIsoDateTime, to: ZIsoDateTime, marketplaceId: ZExternalId.optional() })
        .refine((q) => Date.parse(q.from) < Date.parse(q.to), {
          message: 'from must be before to',
          path: ['from'],
        }),
      response: { 200: ZScreeningPerformance },
    },
    handler: async (request) =>
      screeningPerformance(ctx.db, {
        from: new Date(request.query.from),
        to: new Date(request.query.to),
        marketplaceId: request.query.marketplaceId,
      }),
  });

  app.route({
    method: 'POST',
    url: '/v1/screening/fit',
    config: { roles: ['admin'] },
    schema: {
      summary: `Fit the screening weights to agents' decisions and experts' findings (at least ${MIN_TRAINING_LABELS} labelled claims), scored before and after on a held-back fifth; with apply, write them as a new policy version`,
      description:
        'Learns a bias and one weight per signal from the marketplace’s labelled claims, leaving a stable fifth ' +
        '(by claim id) out, and scores both the weights in force and the fitted ones on that fifth at the ' +
        `policy's review threshold. Fewer than ${MIN_TRAINING_LABELS} claims to learn from is 422. With ` +
        '`apply: true` the fitted weights become a new policy version; claims already filed keep the version ' +
        'they were filed under. Without it nothing is written.',
      tags,
      body: ZFitRequest,
      response: { 200: ZFitReport },
    },
    handler: async (request) =>
      ctx.db
        .transaction()
        .execute((tx) => fitScreeningWeights(tx, ctx.clock, request.principal, request.body)),
  });
}
