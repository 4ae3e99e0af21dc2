import { z } from 'zod';
import { deadline, ZDeadline } from '../claims/views.ts';
import { ALERT_RULES } from './alert-rules.ts';
import { alertStates } from './alert-states.ts';
import {
  PRODUCT_SAFETY_EXAMPLE,
  RECALL_EXAMPLE,
  RECALL_NOTICE_EXAMPLE,
  REGULATOR_REPORT_EXAMPLE,
} from './examples.ts';
import { HAZARDS, SEVERITIES } from './lexicon.ts';
import type { RecallNoticeRow, RecallRow, RegulatorReportRow, SafetyAlertRow } from './store.ts';

export const ALERT_STATUSES = alertStates.statuses;

export const SAFETY_ALERT_EXAMPLE = {
  id: 'sal_01m8mf2k7q9r3t5v7w9x1y3z5a',
  productId: 'prd-heater',
  hazard: 'fire_burn' as const,
  rule: 'injury_cluster' as const,
  status: 'open' as const,
  evidence: {
    reason: '3 injury claims about fire or burns within 30 days',
    measure: { claims: 3, windowDays: 30, threshold: 3 },
    claimIds: [
      'clm_01m8mde3h3texx32xfxnd1tj85',
      'clm_01m8mf0a0000000000000000',
      'clm_01m8mf1b0000000000000000',
    ],
  },
  group: null,
  reportable: true,
  reportId: 'rpt_01m8mf2k8a0000000000000000',
  triageNote: null,
  triagedAt: null,
  recallId: null,
  createdAt: '2026-11-29T19:50:00.000Z',
  updatedAt: '2026-11-29T19:50:00.000Z',
};

export const ZSafetyAlert = z
  .object({
    id: z.string(),
    productId: z.string(),
    hazard: z.enum(HAZARDS),
    rule: z.enum(ALERT_RULES),
    status: z.enum(ALERT_STATUSES),
    evidence: z.object({
      reason: z.string(),
      measure: z
        .record(z.string(), z.number().nullable())
        .describe('The counts, rate and baseline that crossed the threshold'),
      claimIds: z.array(z.string()),
    }),
    group: z
      .object({
        kind: z.enum(['brand', 'family']),
        key: z.string().describe('The normalised brand, or brand and model prefix or title words'),
        name: z
          .string()
          .describe(
            'The brand as most of its products spell it, and the family’s model prefix or title words',
          ),
        productIds: z.array(z.string()).describe('The group’s products with claims in the window'),
      })
      .nullable()
      .describe('For a brand or product-family alert, the group it is about; null for one product’s alert'),
    reportable: z.boolean().describe("Meets the regulator's reporting criterion: a report deadline runs"),
    reportId: z.string().nullable(),
    triageNote: z.string().nullable(),
    triagedAt: z.string().nullable(),
    recallId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'SafetyAlert', example: SAFETY_ALERT_EXAMPLE });

export function toAlertView(a: SafetyAlertRow, reportId: string | null): z.infer<typeof ZSafetyAlert> {
  const { group, ...evidence } = a.evidence as z.infer<typeof ZSafetyAlert>['evidence'] & {
    group?: z.infer<typeof ZSafetyAlert>['group'];
  };
  return {
    id: a.id,
    productId: a.product_id,
    hazard: a.hazard as z.infer<typeof ZSafetyAlert>['hazard'],
    rule: a.rule as z.infer<typeof ZSafetyAlert>['rule'],
    status: a.status as z.infer<typeof ZSafetyAlert>['status'],
    evidence,
    group: group ?? null,
    reportable: a.reportable,
    reportId,
    triageNote: a.triage_note,
    triagedAt: a.triaged_at?.toISOString() ?? null,
    recallId: a.recall_id,
    createdAt: a.created_at.toISOString(),
    updatedAt: a.updated_at.toISOString(),
  };
}

export const ZRegulatorReport = z
  .object({
    id: z.string(),
    alertId: z.string(),
    productId: z.string(),
    regulator: z.string(),
    status: z.enum(['due', 'overdue', 'submitted']),
    deadline: ZDeadline.describe('When the report is due, running from the alert'),
    hoursLeft: z
      .number()
      .nullable()
      .describe('Hours until the deadline (negative once passed); null once submitted'),
    draft: z
      .record(z.string(), z.unknown())
      .describe('The report drafted from the alert: product, hazard, incidents, units'),
    submittedAt: z.string().nullable(),
    submissionReference: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'RegulatorReport', example: REGULATOR_REPORT_EXAMPLE });

export function toReportView(
  r: RegulatorReportRow,
  timeZone: string,
  now: Date,
): z.infer<typeof ZRegulatorReport> {
  return {
    id: r.id,
    alertId: r.alert_id,
    productId: r.product_id,
    regulator: r.regulator,
    status: r.status as 'due',
    deadline: deadline(r.due_at, timeZone),
    hoursLeft:
      r.status === 'submitted'
        ? null
        : Math.round(((r.due_at.getTime() - now.getTime()) / 3_600_000) * 10) / 10,
    draft: r.draft,
    submittedAt: r.submitted_at?.toISOString() ?? null,
    submissionReference: r.submission_reference,
    createdAt: r.created_at.toISOString(),
  };
}

export const ZRecall = z
  .object({
    id: z.string(),
    productId: z.string(),
    hazard: z.enum(HAZARDS),
    remedy: z.enum(['refund', 'repair', 'replace']),
    unitsAffected: z.number().int(),
    description: z.string(),
    status: z.enum(['open', 'closed']),
    alertId: z.string().nullable(),
    progress: z.object({
      notified: z.number().int().describe('Buyers told, each once'),
      responded: z.number().int(),
      remedied: z.number().int(),
      unitsRemedied: z.number().int(),
    }),
    createdAt: z.string(),
  })
  .meta({ id: 'Recall', example: RECALL_EXAMPLE });

export function toRecallView(
  r: RecallRow,
  progress: z.infer<typeof ZRecall>['progress'],
): z.infer<typeof ZRecall> {
  return {
    id: r.id,
    productId: r.product_id,
    hazard: r.hazard as z.infer<typeof ZRecall>['hazard'],
    remedy: r.remedy as z.infer<typeof ZRecall>['remedy'],
    unitsAffected: r.units_affected,
    description: r.description,
    status: r.status as 'open',
    alertId: r.alert_id,
    progress,
    createdAt: r.created_at.toISOString(),
  };
}

export const ZRecallNotice = z
  .object({
    recallId: z.string(),
    customerId: z.string(),
    units: z.number().int(),
    status: z.enum(['notified', 'responded', 'remedied']),
    response: z.string().nullable(),
    notifiedAt: z.string(),
    respondedAt: z.string().nullable(),
    remediedAt: z.string().nullable(),
  })
  .meta({ id: 'RecallNotice', example: RECALL_NOTICE_EXAMPLE });

export const toNoticeView = (n: RecallNoticeRow): z.infer<typeof ZRecallNotice> => ({
  recallId: n.recall_id,
  customerId: n.customer_id,
  units: n.units,
  status: n.status as 'notified',
  response: n.response,
  notifiedAt: n.notified_at.toISOString(),
  respondedAt: n.responded_at?.toISOString() ?? null,
  remediedAt: n.remedied_at?.toISOString() ?? null,
});

export const ZProductSafety = z
  .object({
    productId: z.string(),
    title: z.string(),
    category: z.string(),
    sellerId: z.string(),
    listingStatus: z.enum(['active', 'paused']),
    counterfeitFlaggedAt: z.string().nullable(),
    unitsSold: z.number().int(),
    claims: z.number().int(),
    rateWindowDays: z.number().int(),
    byHazard: z.array(
      z.object({
        hazard: z.string(),
        claims: z.number().int(),
        bySeverity: z.record(z.enum(SEVERITIES), z.number().int()),
        claimsInRateWindow: z.number().int(),
        ratePer10k: z.number().nullable().describe('Claims in the rate window per 10,000 units sold'),
        categoryBaselinePer10k: z.number().nullable().describe('The same for the rest of the category'),
      }),
    ),
    byMonth: z.array(z.object({ month: z.string(), hazard: z.string(), claims: z.number().int() })),
    alerts: z.array(
      z.object({
        id: z.string(),
        hazard: z.string(),
        rule: z.string(),
        status: z.string(),
        createdAt: z.string(),
      }),
    ),
    recall: z
      .object({ id: z.string(), hazard: z.string(), remedy: z.string(), openedAt: z.string() })
      .nullable(),
    publicRecalls: z
      .array(
        z.object({
          matchId: z.string(),
          status: z.enum(['pending', 'confirmed']),
          method: z.enum(['upc', 'model_number', 'brand_title']),
          score: z.number(),
          recallNumber: z.string(),
          title: z.string(),
          remedy: z.string(),
        }),
      )
      .describe('Public recall notices the product matched, pending a safety officer or confirmed'),
  })
  .meta({ id: 'ProductSafety', example: PRODUCT_SAFETY_EXAMPLE });
