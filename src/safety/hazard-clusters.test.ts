import { describe, expect, it } from 'vitest';
import { clusterSeries, weekStart } from './hazard-clusters.ts';

const at = (iso: string) => new Date(iso);

describe('clusterSeries', () => {
  it('starts weeks on Monday, 00:00 UTC', () => {
    expect(weekStart(at('2026-11-29T23:00:00Z')).toISOString()).toBe('2026-11-23T00:00:00.000Z'); // a Sunday
    expect(weekStart(at('2026-11-23T00:00:00Z')).toISOString()).toBe('2026-11-23T00:00:00.000Z');
  });

  it('gives every pair a count for every week, busiest pairs first, cut to the top', () => {
    const rows = [
      {
        brandKey: 'warmhome',
        brand: 'WarmHome',
        hazard: 'fire_burn' as const,
        week: at('2026-11-09'),
        claims: 1,
      },
      {
        brandKey: 'warmhome',
        brand: 'WarmHome',
        hazard: 'fire_burn' as const,
        week: at('2026-11-23'),
        claims: 3,
      },
      {
        brandKey: 'kidzone',
        brand: 'KidZone',
        hazard: 'choking_ingestion' as const,
        week: at('2026-11-16'),
        claims: 2,
      },
      { brandKey: 'acme', brand: 'Acme', hazard: 'laceration' as const, week: at('2026-11-16'), claims: 1 },
    ];
    const result = clusterSeries(rows, at('2026-11-10T12:00:00Z'), at('2026-11-29T00:00:00Z'), 2);
    expect(result.weeks).toEqual([
      '2026-11-09T00:00:00.000Z',
      '2026-11-16T00:00:00.000Z',
      '2026-11-23T00:00:00.000Z',
    ]);
    expect(result.series).toEqual([
      { brandKey: 'warmhome', brand: 'WarmHome', hazard: 'fire_burn', total: 4, counts: [1, 0, 3] },
      { brandKey: 'kidzone', brand: 'KidZone', hazard: 'choking_ingestion', total: 2, counts: [0, 2, 0] },
    ]);
  });
});
