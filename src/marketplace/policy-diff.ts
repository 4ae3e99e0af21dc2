import { isDeepStrictEqual } from 'node:util';

/** One field that differs between two policy versions, by its dotted path (`insurance.monthlySalesThreshold`). */
export interface PolicyChange {
  path: string;
  change: 'added' | 'removed' | 'changed';
  before: unknown;
  after: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What changed from one policy to another, field by field, sorted by path. Objects are walked
 * down to their leaves; an array is one value (a list of windows or rules reads as a whole, and
 * position-by-position differences of a re-ordered list would mislead).
 */
export function diffPolicies(before: unknown, after: unknown, prefix = ''): PolicyChange[] {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => {
      const path = prefix ? `${prefix}.${key}` : key;
      if (!(key in before)) return [{ path, change: 'added' as const, before: null, after: after[key] }];
      if (!(key in after)) return [{ path, change: 'removed' as const, before: before[key], after: null }];
      return diffPolicies(before[key], after[key], path);
    });
  }
  if (isDeepStrictEqual(before, after)) return [];
  return [{ path: prefix, change: 'changed', before, after }];
}
