import { z } from 'zod';
import { ZExternalId } from '../../marketplace/schemas.ts';
import { findMarketplace, findProduct } from '../../marketplace/store.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/sql.ts';
import { notFound } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app-types.ts';
import { ZPageQuery } from '../../platform/http/paging.ts';
import { triageAlert, ZTriage } from '../alerts.ts';
import { REGULATOR_REPORT_EXAMPLE } from '../examples.ts';
import { HAZARDS } from '../lexicon.ts';
import { renderReportPdf, submitReport, ZReportSubmission } from '../regulator-reports.ts';
import { productSafetyRecord } from '../safety-record.ts';
import {
  findAlert,
  findReport,
  listAlerts,
  listReports,
  type RegulatorReportRow,
  reportIdsByAlert,
  type SafetyAlertRow,
} from '../store.ts';
import {
  ALERT_STATUSES,
  SAFETY_ALERT_EXAMPLE,
  toAlertView,
  toReportView,
  ZProductSafety,
  ZRegulatorReport,
  ZSafetyAlert,
} from '../views.ts';

const tags = ['safety'];
const ZIdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .describe('The report id (rpt_…); each demo database has its own, listed by GET /v1/safety/reports')
    .meta({ example: REGULATOR_REPORT_EXAMPLE.id }),
});
const ZAlertParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .describe('The alert id (sal_…), from GET /v1/safety/alerts')
    .meta({ example: SAFETY_ALERT_EXAMPLE.id }),
});

async function renderAlerts(db: Queryable, alerts: SafetyAlertRow[]) {
  const byAlert = await reportIdsByAlert(
    db,
    alerts.map((a) => a.id),
  );
  return alerts.map((a) => toAlertView(a, byAlert.get(a.id) ?? null));
}

export function registerSafetyAlertRoutes(app: App, ctx: AppContext): void {
  const renderReport = async (report: RegulatorReportRow) => {
    const marketplace = await findMarketplace(ctx.db, report.marketplace_id);
    return toReportView(report, marketplace?.time_zone ?? 'UTC', ctx.clock.now());
  };

  app.route({
    method: 'GET',
    url: '/v1/safety/alerts',
    config: { roles: ['admin', 'agent'] },
    schema: {
      summary: 'Safety alerts, newest first: the triage queue',
      description:
        "Staff only. An alert is raised when a product's claims cross a policy threshold (a cluster, a rate " +
        'above its category, a severe incident, a brand or family cluster); `reportable` ones have a regulator ' +
        'report with its own deadline. Filter by status (open is the queue), product or hazard.',
      tags,
      querystring: ZPageQuery.extend({
        status: z.enum(ALERT_STATUSES).optional(),
        productId: ZExternalId.optional(),
        hazard: z.enum(HAZARDS).optional(),
      }),
      response: {
        200: z
          .object({ data: z.array(ZSafetyAlert), nextCursor: z.string().nullable() })
          .meta({ example: { data: [SAFETY_ALERT_EXAMPLE], nextCursor: null } }),
      },
    },
    handler: async (request) => {
      const q = request.query;
      const { page, nextCursor } = await listAlerts(ctx.db, q, q);
      return { data: await renderAlerts(ctx.db, page), nextCursor };
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/safety/alerts/:id',
    config: { roles: ['admin', 'agent'] },
    schema: {
      summary: 'One safety alert with its evidence',
      description: 'The alert with the counts that crossed the threshold and the claims behind them.',
      tags,
      params: ZAlertParams,
      response: { 200: ZSafetyAlert },
    },
    handler: async (request) => {
      const alert = await findAlert(ctx.db, request.params.id);
      if (!alert) throw notFound('safety alert', request.params.id);
      const [view] = await renderAlerts(ctx.db, [alert]);
      return view as z.infer<typeof ZSafetyAlert>;
    },
  });

  app.route({
    method: 'POST',
    url: '/v1/safety/alerts/:id/triage',
    config: { roles: ['admin', 'agent'] },
    schema: {
      summary: 'Triage an alert: dismiss with a reason, monitor, pause the listing, or open a recall',
      description:
        'Recorded with who did it and when. Pausing the listing tells the marketplace (event); opening a recall ' +
        'links every buyer and claim of the product. An alert already triaged answers 409.',
      tags,
      params: ZAlertParams,
      body: ZTriage,
      response: { 200: ZSafetyAlert },
    },
    handler: async (request) => {
      const alert = await ctx.db
        .transaction()
        .execute((tx) => triageAlert(tx, ctx, request.principal, request.params.id, request.body));
      const [view] = await renderAlerts(ctx.db, [alert]);
      return view as z.infer<typeof ZSafetyAlert>;
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/products/:id/safety',
    config: { roles: ['admin', 'agent', 'seller'] },
    schema: {
      summary:
        "A product's safety record: claims by hazard and severity over time, rate per 10,000 units against its category",
      description:
        "The product's claims by hazard and severity, its claim rate per 10,000 units sold beside its " +
        "category's, claims by month, its alerts, an open recall and the public recall notices it " +
        'matched. Staff only (admin, agent): it names hazards and alerts parties never see. Errors: 404 ' +
        'unknown product.',
      tags,
      params: z.object({
        id: ZExternalId.describe('The product id (demo: prd-heater, prd-kettle, prd-charger)').meta({
          example: 'prd-heater',
        }),
      }),
      response: { 200: ZProductSafety },
    },
    handler: async (request) => {
      const product = await findProduct(ctx.db, request.params.id);
      const p = request.principal;
      if (!product || (p.role === 'seller' && product.seller_id !== p.partyId)) {
        throw notFound('product', request.params.id);
      }
      const record = await productSafetyRecord(ctx.db, product.id, ctx.clock.now());
      if (!record) throw notFound('product', request.params.id);
      return record;
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/safety/reports',
    config: { roles: ['admin', 'agent'] },
    schema: {
      summary: 'Regulator reports, newest first, with their deadlines running',
      description:
        'Reports drafted from safety alerts for the regulator (the CPSC), with their deadline (24 hours ' +
        "from the alert, in the marketplace's time zone) and the hours left; `status=due` or `overdue` " +
        'is the to-do list. Staff only.',
      tags,
      querystring: ZPageQuery.extend({ status: z.enum(['due', 'overdue', 'submitted']).optional() }),
      response: {
        200: z
          .object({ data: z.array(ZRegulatorReport), nextCursor: z.string().nullable() })
          .meta({ example: { data: [REGULATOR_REPORT_EXAMPLE], nextCursor: null } }),
      },
    },
    handler: async (request) => {
      const q = request.query;
      const { page, nextCursor } = await listReports(ctx.db, q, q);
      return { data: await Promise.all(page.map(renderReport)), nextCursor };
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/safety/reports/:id',
    config: { roles: ['admin', 'agent'] },
    schema: {
      summary: 'A regulator report drafted from its alert (JSON), with its deadline',
      description:
        'The draft holds the product, the seller, the hazard and each incident with its narrative; ' +
        '`hoursLeft` is negative once the deadline has passed. Staff only. Errors: 404 unknown report.',
      tags,
      params: ZIdParams,
      response: { 200: ZRegulatorReport },
    },
    handler: async (request) => {
      const report = await findReport(ctx.db, request.params.id);
      if (!report) throw notFound('regulator report', request.params.id);
      return renderReport(report);
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/safety/reports/:id/pdf',
    config: { roles: ['admin', 'agent'] },
    schema: {
      summary: 'The same report as a PDF, for filing',
      description:
        'The same content as the JSON report, laid out for filing with the regulator (application/pdf). ' +
        'Staff only. Errors: 404 unknown report.',
      tags,
      params: ZIdParams,
    },
    handler: async (request, reply) => {
      const report = await findReport(ctx.db, request.params.id);
      if (!report) throw notFound('regulator report', request.params.id);
      const pdf = await renderReportPdf(ctx.db, report);
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${report.id}.pdf"`)
        .send(Buffer.from(pdf));
    },
  });

  app.route({
    method: 'POST',
    url: '/v1/safety/reports/:id/submission',
    config: { roles: ['admin', 'agent'] },
    schema: {
      summary: 'Record that the report was submitted to the regulator',
      description:
        "Records that the report was filed with the regulator, with the regulator's reference; the " +
        'report becomes `submitted` and its deadline stops running. Staff only. Errors: 404 unknown ' +
        'report, 409 when it was already submitted, 400 for a reference under 3 characters.',
      tags,
      params: ZIdParams,
      body: ZReportSubmission,
      response: { 200: ZRegulatorReport },
    },
    handler: async (request) =>
      renderReport(
        await ctx.db
          .transaction()
          .execute((tx) => submitReport(tx, ctx, request.principal, request.params.id, request.body)),
      ),
  });
}
