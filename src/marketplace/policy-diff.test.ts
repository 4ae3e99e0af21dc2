import { describe, expect, it } from 'vitest';
import { ZPolicy } from './policy.ts';
import { diffPolicies } from './policy-diff.ts';

describe('diffPolicies', () => {
  it('finds nothing between a policy and itself', () => {
    const policy = ZPolicy.parse({});
    expect(diffPolicies(policy, structuredClone(policy))).toEqual([]);
  });

  it('names each changed leaf by its dotted path, sorted', () => {
    const before = ZPolicy.parse({});
    const after = ZPolicy.parse({
      smallClaimLimit: 50_000,
      insurance: { ...before.insurance, monthlySalesThreshold: 2_000_000 },
    });
    expect(diffPolicies(before, after)).toEqual([
      {
        path: 'insurance.monthlySalesThreshold',
        change: 'changed',
        before: before.insurance.monthlySalesThreshold,
        after: 2_000_000,
      },
      { path: 'smallClaimLimit', change: 'changed', before: 100_000, after: 50_000 },
    ]);
  });

  it('reads an array as one value and reports fields added or removed', () => {
    expect(
      diffPolicies(
        { windows: [1, 2], old: true, same: { a: 1 } },
        { windows: [2, 1], same: { a: 1 }, fresh: 'x' },
      ),
    ).toEqual([
      { path: 'fresh', change: 'added', before: null, after: 'x' },
      { path: 'old', change: 'removed', before: true, after: null },
      { path: 'windows', change: 'changed', before: [1, 2], after: [2, 1] },
    ]);
  });

  it('treats a field turning from an object into a value as one change', () => {
    expect(diffPolicies({ a: { b: 1 } }, { a: 2 })).toEqual([
      { path: 'a', change: 'changed', before: { b: 1 }, after: 2 },
    ]);
  });
});
