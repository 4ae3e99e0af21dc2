import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../marketplace/policy.ts';
import { groupClusterTrigger, groupName, productGroupKeys } from './group-cluster-rules.ts';

describe('brand and product family groups', () => {
  it('puts a brand’s spellings together, and a family by model prefix or title stem', () => {
    expect(
      productGroupKeys({ brand: 'Spin Master Ltd.', model_number: 'HTX-2041', title: 'Kinetic sand' }),
    ).toEqual({
      brandKey: 'spin master',
      familyKey: 'spin master|model HTX',
    });
    expect(
      productGroupKeys({ brand: 'SPIN MASTER', model_number: null, title: 'Kinetic Sand 2 lb' }),
    ).toEqual({
      brandKey: 'spin master',
      familyKey: 'spin master|title kinetic sand',
    });
    expect(productGroupKeys({ brand: null, model_number: 'HTX-2041', title: 'Kinetic sand' })).toEqual({
      brandKey: null,
      familyKey: null,
    });
  });

  it('fires on the shortest window that reaches its threshold, never for `other`', () => {
    const windows = DEFAULT_POLICY.safety.groupClusterWindows;
    const counts = [
      { windowDays: 30, claims: 3, products: 3 },
      { windowDays: 90, claims: 8, products: 7 },
      { windowDays: 365, claims: 11, products: 10 },
    ];
    expect(
      groupClusterTrigger('brand_cluster', 'spin master', counts, windows, 'choking_ingestion', 4000),
    ).toMatchObject({
      rule: 'brand_cluster',
      measure: { windowDays: 90, claims: 8, threshold: 8, ratePer10k: 20 },
    });
    expect(groupClusterTrigger('brand_cluster', 'spin master', counts, windows, 'other', 4000)).toBeNull();
    const below = counts.map((c) => ({ ...c, claims: Math.min(c.claims, 4) }));
    expect(
      groupClusterTrigger('brand_cluster', 'spin master', below, windows, 'choking_ingestion', 0),
    ).toBeNull();
  });

  it('names a group as most of its products spell the brand, not by its key', () => {
    const typed = ['Spin Master Ltd.', 'SPIN MASTER', 'Spin Master Ltd.', 'Other Brand'];
    expect(groupName('brand', 'spin master', typed)).toBe('Spin Master Ltd.');
    expect(groupName('family', 'spin master|model HTX', typed)).toBe('Spin Master Ltd. models HTX…');
    expect(groupName('family', 'spin master|title kinetic sand', typed)).toBe(
      'Spin Master Ltd. “kinetic sand”',
    );
    expect(groupName('brand', 'spin master', [])).toBe('spin master');
  });
});
