import type { FieldIssue } from './errors.ts';

/**
 * Text PostgreSQL cannot store, found before any route sees it. PostgreSQL's text types refuse
 * U+0000 and the UTF-8 encoder refuses a lone UTF-16 surrogate (JSON's "\ud800" escape parses
 * into one), so either would surface as a 500 from deep inside a query: check input first.
 */
export function unstorableText(value: string): string | null {
  if (value.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  if (LONE_SURROGATE.test(value)) return 'must be well-formed Unicode (no lone UTF-16 surrogate)';
  return null;
}

// String.prototype.isWellFormed says the same but is not in the TypeScript library we target.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Walks a parsed body, query or params and names the first field holding unstorable text. */
export function findUnstorableText(value: unknown, path: string): FieldIssue | null {
  if (typeof value === 'string') {
    const rule = unstorableText(value);
    return rule ? { field: path, rule } : null;
  }
  if (value === null || typeof value !== 'object') return null;
  // Multipart parts and streams are not plain data: the evidence route reads and checks them.
  const prototype = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) return null;
  for (const [key, item] of Object.entries(value)) {
    const keyRule = unstorableText(key);
    if (keyRule) return { field: path, rule: `field names ${keyRule}` };
    const found = findUnstorableText(item, `${path}.${key}`);
    if (found) return found;
  }
  return null;
}
