import { z } from 'zod';
import { ZPolicyInput } from '../../insurance/file-policy.ts';
import { ZInsurerInput } from '../../insurance/insurers.ts';
import { AppError } from '../../platform/errors.ts';
import { breathe } from '../../platform/event-loop-turns.ts';
import { findUnstorableText } from '../../platform/storable-text.ts';
import {
  ZCustomerInput,
  ZExternalId,
  ZMarketplaceInput,
  ZOrderInput,
  ZProductInput,
  ZSellerInput,
} from '../schemas.ts';

/** One NDJSON line: `{ "kind": "seller", "id": "slr_1", "data": { …the PUT body… } }`. */
export const ZImportLine = z.discriminatedUnion('kind', [
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

export type ImportRecord = z.infer<typeof ZImportLine>;
export type ImportKind = ImportRecord['kind'];
export type RecordOf<K extends ImportKind> = Extract<ImportRecord, { kind: K }>;

/** A record with the number of the line it came from (1-based, counting blank lines too). */
export interface Numbered<T> {
  line: number;
  record: T;
}

export interface ImportLineError {
  line: number;
  field: string;
  rule: string;
}

/** Maps why a line failed to the fields of the download file; anything else is a real fault. */
export function lineErrors(line: number, error: unknown): ImportLineError[] {
  if (error instanceof SyntaxError) {
    const rule = error.message.startsWith('not valid CSV')
      ? error.message
      : `not valid JSON: ${error.message}`;
    return [{ line, field: '(line)', rule }];
  }
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
 * Whether a line, as text decoded from UTF-8, can hold text PostgreSQL cannot store. Decoding
 * UTF-8 never yields a lone surrogate (Node replaces an encoded one by U+FFFD), so such text can
 * only come from a JSON `\u` escape, or be a NUL byte in the line itself (CSV). A line with
 * neither — nearly every line of a feed — is spared the walk over its parsed value.
 */
export function mayHoldUnstorableText(text: string): boolean {
  return text.includes('\\u') || text.includes('\u0000');
}

/**
 * Parses and validates one JSON value as a record; throws what `lineErrors` maps. `text` is the
 * line the value was read from, when there is one: it says whether the value needs checking for
 * unstorable text at all.
 */
export function parseRecord(value: unknown, text?: string): ImportRecord {
  if (text === undefined || mayHoldUnstorableText(text)) {
    const unstorable = findUnstorableText(value, 'line');
    if (unstorable) throw new AppError('validation_failed', unstorable.rule, { errors: [unstorable] });
  }
  return ZImportLine.parse(value);
}

/** Parses NDJSON lines into records, collecting each bad line's errors; yields while it works. */
export async function parseNdjsonLines(
  lines: readonly { line: number; text: string }[],
): Promise<{ records: Numbered<ImportRecord>[]; errors: ImportLineError[]; failed: number }> {
  const records: Numbered<ImportRecord>[] = [];
  const errors: ImportLineError[] = [];
  let failed = 0;
  for (const { line, text } of lines) {
    try {
      records.push({ line, record: parseRecord(JSON.parse(text), text) });
    } catch (error) {
      failed++;
      errors.push(...lineErrors(line, error));
    }
    await breathe();
  }
  return { records, errors, failed };
}
