import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import type { ImportLineError } from '../marketplace/import/import-lines.ts';
import type { AppContext } from '../platform/context.ts';
import { json, type Tx } from '../platform/db/sql.ts';
import { newId } from '../platform/ids.ts';
import { matchRecallToProducts } from './match-public-recalls.ts';
import { brandKeysOf, normaliseModel, normaliseUpc } from './public-recall-matching.ts';

const names = z.array(z.string().trim().min(1).max(500)).max(500).default([]);

/**
 * One public recall notice, in the fields of the CPSC's recall records. Lists are arrays in
 * NDJSON and `;`-separated cells in CSV.
 */
export const ZPublicRecallRecord = z
  .object({
    recallNumber: z
      .string()
      .trim()
      .min(1)
      .max(40)
      .describe('The regulator’s number, e.g. CPSC "19-094"; the key: a re-import updates the record'),
    recallDate: z.iso.date().optional().describe('Date of the notice, YYYY-MM-DD'),
    title: z.string().trim().min(1).max(1000),
    description: z.string().max(20_000).default(''),
    hazards: names.describe('What the hazard is, in the notice’s words'),
    remedy: z
      .string()
      .max(5000)
      .default('')
      .describe('What the consumer should do and gets (refund, repair, replace)'),
    manufacturers: names,
    brands: names,
    productNames: names,
    modelNumbers: names,
    upcs: names,
    soldAt: names.describe('Retailers and sites that sold it'),
    url: z.url().max(2000).optional(),
  })
  .meta({
    example: {
      recallNumber: '19-094',
      recallDate: '2019-04-12',
      title: 'Fisher-Price Recalls Rock ‘n Play Sleepers Due to Reports of Deaths',
      hazards: ['Infant fatalities have occurred after infants rolled over while unrestrained'],
      remedy: 'Stop using the product immediately and contact Fisher-Price for a refund or voucher',
      manufacturers: ['Fisher-Price'],
      brands: ['Fisher-Price'],
      productNames: ['Rock ‘n Play Sleeper'],
    },
  });
export type PublicRecallRecord = z.infer<typeof ZPublicRecallRecord>;

/**
 * The CPSC's recall web service publishes nested records (`Products: [{Name, Model}]`,
 * `Hazards: [{Name}]`, `ProductUPCs: [{UPC}]`…); an NDJSON line in that shape is read as-is.
 */
function fromCpscApiShape(raw: Record<string, unknown>): Record<string, unknown> {
  const list = (value: unknown, key: string) =>
    Array.isArray(value)
      ? value.map((v) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : v))
      : [];
  const products = Array.isArray(raw.Products) ? (raw.Products as Record<string, unknown>[]) : [];
  return {
    recallNumber: raw.RecallNumber,
    recallDate: typeof raw.RecallDate === 'string' ? raw.RecallDate.slice(0, 10) : undefined,
    title: raw.Title,
    description: raw.Description ?? '',
    hazards: list(raw.Hazards, 'Name'),
    remedy: list(raw.Remedies, 'Name').join(' '),
    manufacturers: list(raw.Manufacturers, 'Name'),
    brands: list(raw.Brands, 'Name'),
    productNames: products.map((p) => p.Name).filter((n) => typeof n === 'string' && n !== ''),
    modelNumbers: products
      .flatMap((p) => (typeof p.Model === 'string' ? p.Model.split(/[;,]\s*/) : []))
      .filter((m) => m.trim() !== ''),
    upcs: list(raw.ProductUPCs, 'UPC'),
    soldAt: list(raw.Retailers, 'Name'),
    url: raw.URL || undefined,
  };
}

const LIST_COLUMNS = new Set([
  'hazards',
  'manufacturers',
  'brands',
  'productNames',
  'modelNumbers',
  'upcs',
  'soldAt',
]);

/** A CSV cell of a list column holds `;`-separated values; an empty cell is an absent value. */
function fromCsvRow(row: Record<string, string>): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [column, cell] of Object.entries(row)) {
    const value = cell.trim();
    if (LIST_COLUMNS.has(column))
      record[column] =
        value === ''
          ? []
          : value
              .split(';')
              .map((v) => v.trim())
              .filter(Boolean);
    else if (value !== '') record[column] = value;
  }
  return record;
}

export interface PublicRecallImportReport {
  lines: number;
  imported: number;
  failed: number;
  /** Products newly matched to an imported notice, waiting for a safety officer. */
  productMatches: number;
  errors: ImportLineError[];
}

export type RecallFeedFormat = 'ndjson' | 'csv';

interface FeedEntry {
  line: number;
  parsed: () => unknown;
}

/** Splits a feed into entries with the line each starts (NDJSON) or ends (CSV, which may span lines) on. */
function feedEntries(text: string, format: RecallFeedFormat, report: PublicRecallImportReport): FeedEntry[] {
  if (format === 'ndjson') {
    return text
      .split('\n')
      .map((body, i) => ({ line: i + 1, body }))
      .filter((l) => l.body.trim() !== '')
      .map(({ line, body }) => ({
        line,
        parsed: () => {
          const raw = JSON.parse(body) as Record<string, unknown>;
          return 'RecallNumber' in raw ? fromCpscApiShape(raw) : raw;
        },
      }));
  }
  const entries: FeedEntry[] = [];
  const rows = parseCsv(text, {
    columns: true,
    info: true,
    bom: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      report.lines++;
      report.failed++;
      report.errors.push({
        line: Number(error?.lines ?? 0),
        field: '(line)',
        rule: `not valid CSV: ${error?.message}`,
      });
    },
  }) as { record: Record<string, string>; info: { lines: number } }[];
  for (const { record, info } of rows) entries.push({ line: info.lines, parsed: () => fromCsvRow(record) });
  return entries.sort((a, b) => a.line - b.line);
}

function lineErrors(line: number, error: unknown): ImportLineError[] {
  if (error instanceof SyntaxError)
    return [{ line, field: '(line)', rule: `not valid JSON: ${error.message}` }];
  if (error instanceof z.ZodError) {
    return error.issues.map((i) => ({ line, field: i.path.join('.') || '(line)', rule: i.message }));
  }
  throw error;
}

/** Stores one notice (a re-import of the same number replaces it) and returns its id. */
async function upsertPublicRecall(tx: Tx, ctx: AppContext, record: PublicRecallRecord): Promise<string> {
  const now = ctx.clock.now();
  const fields = {
    recall_date: record.recallDate ?? null,
    title: record.title,
    description: record.description,
    hazards: json(record.hazards),
    remedy: record.remedy,
    manufacturers: json(record.manufacturers),
    brands: json(record.brands),
    product_names: json(record.productNames),
    model_numbers: json(record.modelNumbers),
    upcs: json(record.upcs),
    sold_at: json(record.soldAt),
    url: record.url ?? null,
    brand_keys: json(brandKeysOf([...record.brands, ...record.manufacturers])),
    model_keys: json([...new Set(record.modelNumbers.map(normaliseModel).filter(Boolean))]),
    upc_keys: json([...new Set(record.upcs.map(normaliseUpc).filter(Boolean))]),
    updated_at: now,
  };
  const stored = await tx
    .insertInto('public_recalls')
    .values({
      id: newId('publicRecall', ctx.clock),
      recall_number: record.recallNumber,
      imported_at: now,
      ...fields,
    })
    .onConflict((oc) => oc.column('recall_number').doUpdateSet(fields))
    .returning('id')
    .executeTakeFirstOrThrow();
  return stored.id;
}

/**
 * Imports public recall notices, one transaction per record: each is stored and matched
 * against the marketplace's products (matches wait for a safety officer). A bad record is
 * reported with its line, field and rule, and never stops the good ones.
 */
export async function importPublicRecalls(
  ctx: AppContext,
  text: string,
  format: RecallFeedFormat,
): Promise<PublicRecallImportReport> {
  const report: PublicRecallImportReport = {
    lines: 0,
    imported: 0,
    failed: 0,
    productMatches: 0,
    errors: [],
  };
  for (const entry of feedEntries(text, format, report)) {
    report.lines++;
    try {
      const record = ZPublicRecallRecord.parse(entry.parsed());
      report.productMatches += await ctx.db.transaction().execute(async (tx) => {
        const recallId = await upsertPublicRecall(tx, ctx, record);
        return matchRecallToProducts(tx, ctx, recallId);
      });
      report.imported++;
    } catch (error) {
      report.failed++;
      report.errors.push(...lineErrors(entry.line, error));
    }
  }
  report.errors.sort((a, b) => a.line - b.line);
  return report;
}
