import { z } from 'zod';
import { ZPolicyInput } from '../insurance/file-policy.ts';
import { putInsurer, ZInsurerInput } from '../insurance/insurers.ts';
import { recordVerifiedPolicy } from '../insurance/verify-policy.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { findUnstorableText } from '../platform/storable-text.ts';
import { putCustomer } from './put-customer.ts';
import { putMarketplace } from './put-marketplace.ts';
import { putOrder } from './put-order.ts';
import { putProduct } from './put-product.ts';
import { putSeller } from './put-seller.ts';
import {
  ZCustomerInput,
  ZExternalId,
  ZMarketplaceInput,
  ZOrderInput,
  ZProductInput,
  ZSellerInput,
} from './schemas.ts';

/** One NDJSON line: `{ "kind": "seller", "id": "slr_1", "data": { …the PUT body… } }`. */
const ZImportLine = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('marketplace'), id: ZExternalId, data: ZMarketplaceInput }),
  z.object({ kind: z.literal('seller'), id: ZExternalId, data: ZSellerInput }),
  z.object({ kind: z.literal('product'), id: ZExternalId, data: ZProductInput }),
  z.object({ kind: z.literal('customer'), id: ZExternalId, data: ZCustomerInput }),
  z.object({ kind: z.literal('order'), id: ZExternalId, data: ZOrderInput }),
  z.object({ kind: z.literal('insurer'), id: ZExternalId, data: ZInsurerInput }),
  z
    .object({ kind: z.literal('insurance_policy'), id: ZExternalId, data: ZPolicyInput })
    .describe('A policy the marketplace verified itself; `id` is the seller it covers'),
]);

export interface ImportLineError {
  line: number;
  field: string;
  rule: string;
}

export interface ImportReport {
  lines: number;
  imported: number;
  failed: number;
  byKind: Record<string, number>;
  errors: ImportLineError[];
}

const MAX_REPORTED_ERRORS = 1000;

function lineErrors(line: number, error: unknown): ImportLineError[] {
  if (error instanceof SyntaxError)
    return [{ line, field: '(line)', rule: `not valid JSON: ${error.message}` }];
  if (error instanceof z.ZodError) {
    return error.issues.map((i) => ({ line, field: i.path.join('.') || '(line)', rule: i.message }));
  }
  if (error instanceof AppError) {
    return (error.errors ?? [{ field: '(line)', rule: error.detail }]).map((e) => ({
      line,
      field: e.field.replace(/^body\./, 'data.'),
      rule: e.rule,
    }));
  }
  throw error;
}

/**
 * Imports a feed of marketplace records, one transaction per line, with the same validation
 * and rules as the PUT routes. A bad line is reported and skipped; it never stops the good
 * ones. Lines are applied in order, so a feed lists sellers before their products.
 */
export async function importRecords(
  ctx: AppContext,
  principal: Principal,
  lines: AsyncIterable<string> | Iterable<string>,
  onProgress?: (report: ImportReport) => void,
): Promise<ImportReport> {
  const report: ImportReport = { lines: 0, imported: 0, failed: 0, byKind: {}, errors: [] };
  for await (const text of lines) {
    if (text.trim() === '') continue;
    report.lines++;
    const lineNumber = report.lines;
    try {
      const parsed: unknown = JSON.parse(text);
      const unstorable = findUnstorableText(parsed, 'line');
      if (unstorable) throw new AppError('validation_failed', unstorable.rule, { errors: [unstorable] });
      const record = ZImportLine.parse(parsed);
      await ctx.db.transaction().execute(async (tx) => {
        switch (record.kind) {
          case 'marketplace':
            return putMarketplace(tx, ctx.clock, principal, record.id, record.data);
          case 'seller':
            return putSeller(tx, ctx.clock, record.id, record.data);
          case 'product':
            return putProduct(tx, ctx.clock, record.id, record.data);
          case 'customer':
            return putCustomer(tx, ctx.clock, record.id, record.data);
          case 'order':
            return putOrder(tx, ctx.clock, record.id, record.data);
          case 'insurer':
            return putInsurer(tx, ctx.clock, record.id, record.data);
          case 'insurance_policy':
            return recordVerifiedPolicy(tx, ctx, record.id, record.data);
        }
      });
      report.imported++;
      report.byKind[record.kind] = (report.byKind[record.kind] ?? 0) + 1;
    } catch (error) {
      report.failed++;
      if (report.errors.length < MAX_REPORTED_ERRORS) report.errors.push(...lineErrors(lineNumber, error));
    }
    onProgress?.(report);
  }
  return report;
}
