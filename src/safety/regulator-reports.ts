import { z } from 'zod';
import { claimField } from '../claims/store.ts';
import type { Policy } from '../marketplace/policy.ts';
import { findMarketplace, findProduct, findSeller } from '../marketplace/store.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import { json, type Queryable, type Tx } from '../platform/db/sql.ts';
import { AppError, notFound } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { scheduleTimer } from '../platform/timers.ts';
import { openPersonal } from '../privacy/data-keys.ts';
import { per10k } from './alert-rules.ts';
import { emitSafetyEvent } from './events.ts';
import { lockReport, type RegulatorReportRow, type SafetyAlertRow, unitsSold } from './store.ts';

export const REPORT_DUE_TIMER = 'safety.report_due';
const HOUR_MS = 3_600_000;

/**
 * The report drafted from an alert: what a regulator asks for (the product, its maker or
 * seller, the hazard, the incidents, the units in the market), with no customer's name or
 * contact: incidents are identified by claim id and described by their own narrative.
 */
export async function draftReport(db: Queryable, alert: SafetyAlertRow) {
  const product = await findProduct(db, alert.product_id);
  const seller = product ? await findSeller(db, product.seller_id) : undefined;
  const claimIds = (alert.evidence as { claimIds?: string[] }).claimIds ?? [];
  const incidents =
    claimIds.length === 0
      ? []
      : await db
          .selectFrom('claims')
          .innerJoin('claim_hazards', 'claim_hazards.claim_id', 'claims.id')
          .select([
            'claims.id',
            'claims.type',
            'claims.incident_at',
            'claims.description',
            'claims.customer_id',
            'claim_hazards.hazard',
            'claim_hazards.severity',
          ])
          .where('claims.id', 'in', claimIds)
          .orderBy('claims.incident_at')
          .execute();
  const units = await unitsSold(db, alert.product_id);
  return {
    regulatorReason: (alert.evidence as { reason?: string }).reason ?? null,
    alertId: alert.id,
    rule: alert.rule,
    hazard: alert.hazard,
    product: {
      id: alert.product_id,
      title: product?.title ?? null,
      category: product?.category ?? null,
      listingStatus: product?.listing_status ?? null,
    },
    seller: seller
      ? {
          id: seller.id,
          name: seller.name,
          contactEmail: (seller.contact as { email?: string }).email ?? null,
        }
      : null,
    unitsSold: units,
    incidentsPer10kUnits: per10k(incidents.length, units),
    incidents: await Promise.all(
      incidents.map(async (i) => {
        const narrative = await openPersonal(
          db,
          i.customer_id,
          claimField(i.id, 'description'),
          i.description,
        );
        return {
          claimId: i.id,
          type: i.type,
          incidentAt: i.incident_at.toISOString(),
          hazard: i.hazard,
          severity: i.severity,
          narrative: narrative.length > 600 ? `${narrative.slice(0, 600)}…` : narrative,
        };
      }),
    ),
  };
}

/**
 * An alert that meets the reporting criterion starts the regulator's clock (US: 24 hours from
 * information that reasonably supports a substantial-hazard conclusion, CPSA section 15(b)).
 */
export async function openRegulatorReport(
  tx: Tx,
  ctx: AppContext,
  alert: SafetyAlertRow,
  rules: Policy['safety'],
): Promise<RegulatorReportRow> {
  const now = ctx.clock.now();
  const dueAt = new Date(now.getTime() + rules.reportHours * HOUR_MS);
  const report = await tx
    .insertInto('regulator_reports')
    .values({
      id: newId('regulatorReport', ctx.clock),
      alert_id: alert.id,
      marketplace_id: alert.marketplace_id,
      product_id: alert.product_id,
      regulator: rules.regulator,
      status: 'due',
      due_at: dueAt,
      draft: json(await draftReport(tx, alert)),
      submitted_at: null,
      submission_reference: null,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await scheduleTimer(tx, { kind: REPORT_DUE_TIMER, subjectId: report.id, dueAt, now });
  await emitSafetyEvent(tx, ctx.clock, {
    type: 'safety.report_due',
    marketplaceId: alert.marketplace_id,
    subjectId: report.id,
    productId: alert.product_id,
    data: { alertId: alert.id, regulator: rules.regulator, dueAt: dueAt.toISOString() },
  });
  return report;
}

/** New incidents join an unsubmitted report's draft. */
export async function refreshReportDraft(tx: Tx, ctx: AppContext, alert: SafetyAlertRow): Promise<void> {
  await tx
    .updateTable('regulator_reports')
    .set({ draft: json(await draftReport(tx, alert)), updated_at: ctx.clock.now() })
    .where('alert_id', '=', alert.id)
    .where('status', '!=', 'submitted')
    .execute();
}

export const ZReportSubmission = z
  .object({
    reference: z.string().trim().min(3).max(200).describe("The regulator's reference for the report"),
  })
  .meta({ example: { reference: 'CPSC-SAFERPRODUCTS-2026-118734' } });

export async function submitReport(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  reportId: string,
  submission: z.infer<typeof ZReportSubmission>,
): Promise<RegulatorReportRow> {
  const report = await lockReport(tx, reportId);
  if (!report) throw notFound('regulator report', reportId);
  if (report.status === 'submitted')
    throw new AppError('conflict', `report ${reportId} was already submitted`);
  const now = ctx.clock.now();
  const submitted = await tx
    .updateTable('regulator_reports')
    .set({
      status: 'submitted',
      submitted_at: now,
      submission_reference: submission.reference,
      updated_at: now,
    })
    .where('id', '=', reportId)
    .returningAll()
    .executeTakeFirstOrThrow();
  await emitSafetyEvent(tx, ctx.clock, {
    type: 'safety.report_submitted',
    marketplaceId: report.marketplace_id,
    subjectId: reportId,
    productId: report.product_id,
    data: {
      reference: submission.reference,
      late: now > report.due_at,
      by: principal.keyId ?? principal.role,
    },
  });
  return submitted;
}

/** The deadline passed unsubmitted: the report is marked overdue and the marketplace told. */
export async function markReportOverdue(tx: Tx, ctx: AppContext, reportId: string): Promise<string> {
  const report = await lockReport(tx, reportId);
  if (report?.status !== 'due' || report.due_at > ctx.clock.now()) return 'stale';
  await tx
    .updateTable('regulator_reports')
    .set({ status: 'overdue', updated_at: ctx.clock.now() })
    .where('id', '=', reportId)
    .execute();
  await emitSafetyEvent(tx, ctx.clock, {
    type: 'safety.report_overdue',
    marketplaceId: report.marketplace_id,
    subjectId: reportId,
    productId: report.product_id,
    data: { dueAt: report.due_at.toISOString() },
  });
  return 'overdue';
}

/** The draft as a PDF (pdf-lib, pure JavaScript): the same facts as the JSON, for filing. */
export async function renderReportPdf(db: Queryable, report: RegulatorReportRow): Promise<Uint8Array> {
  const draft = report.draft as Awaited<ReturnType<typeof draftReport>>;
  const marketplace = await findMarketplace(db, report.marketplace_id);
  // Loaded when a report is rendered: about 300 ms of every process's start-up otherwise.
  const { PDFDocument, StandardFonts } = await import('pdf-lib');
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Product safety report ${report.id}`);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  let page = pdf.addPage([612, 792]);
  let y = 750;
  // Standard fonts encode WinAnsi only: anything else in a narrative is shown as '?'.
  const safe = (text: string) => text.replace(/[^\x20-\x7e\u00a0-\u00ff]/g, '?');
  const line = (text: string, options: { size?: number; heading?: boolean } = {}) => {
    const size = options.size ?? 10;
    const words = safe(text).split(' ');
    let current = '';
    const flush = () => {
      if (y < 50) {
        page = pdf.addPage([612, 792]);
        y = 750;
      }
      page.drawText(current, { x: 50, y, size, font: options.heading ? bold : font });
      y -= size + 4;
      current = '';
    };
    for (const word of words) {
      const next = current ? `${current} ${word}` : word;
      if ((options.heading ? bold : font).widthOfTextAtSize(next, size) > 512) flush();
      current = current ? `${current} ${word}` : word;
    }
    if (current) flush();
  };
  line(`Product safety report to ${report.regulator}`, { size: 16, heading: true });
  line(`Report ${report.id} - alert ${draft.alertId} - ${marketplace?.name ?? report.marketplace_id}`);
  line(`Due ${report.due_at.toISOString()} - status ${report.status}`);
  y -= 8;
  line('Product', { size: 12, heading: true });
  line(
    `${draft.product.title ?? draft.product.id} (${draft.product.id}), category ${draft.product.category ?? '-'}`,
  );
  line(`Seller: ${draft.seller ? `${draft.seller.name} (${draft.seller.id})` : '-'}`);
  line(
    `Units sold: ${draft.unitsSold}; incidents per 10,000 units: ${draft.incidentsPer10kUnits?.toFixed(2) ?? '-'}`,
  );
  y -= 8;
  line('Hazard', { size: 12, heading: true });
  line(`${draft.hazard.replace(/_/g, ' ')} - ${draft.regulatorReason ?? draft.rule}`);
  y -= 8;
  line(`Incidents (${draft.incidents.length})`, { size: 12, heading: true });
  for (const incident of draft.incidents) {
    line(
      `${incident.incidentAt.slice(0, 10)} - claim ${incident.claimId} - ${incident.type.replace('_', ' ')}, severity ${incident.severity}/5`,
      { heading: true },
    );
    line(incident.narrative);
    y -= 4;
  }
  return pdf.save();
}
