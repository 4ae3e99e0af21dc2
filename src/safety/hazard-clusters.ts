import { sql } from 'kysely';
import type { Queryable } from '../platform/db/sql.ts';
import { unprocessable } from '../platform/errors.ts';
import type { Hazard } from './lexicon.ts';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
/** Weeks are counted from Monday, 00:00 UTC (ISO weeks, as PostgreSQL's date_trunc('week') cuts them). */
export function weekStart(at: Date): Date {
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return new Date(day - weekday * DAY_MS);
}

export interface ClusterSeries {
  brandKey: string;
  brand: string;
  hazard: Hazard;
  total: number;
  /** Claims per week, aligned with `weeks`. */
  counts: number[];
}

/**
 * Brand-and-hazard series over the weeks of [from, to): the `top` busiest pairs (most claims
 * first, then by brand and hazard), each with a count for every week, zero where none was filed.
 */
export function clusterSeries(
  rows: { brandKey: string; brand: string; hazard: Hazard; week: Date; claims: number }[],
  from: Date,
  to: Date,
  top: number,
): { weeks: string[]; series: ClusterSeries[] } {
  const weeks: string[] = [];
  for (let w = weekStart(from).getTime(); w < to.getTime(); w += WEEK_MS)
    weeks.push(new Date(w).toISOString());
  const index = new Map(weeks.map((w, i) => [w, i]));
  const byPair = new Map<string, ClusterSeries>();
  for (const row of rows) {
    const key = `${row.brandKey}\u0000${row.hazard}`;
    const series = byPair.get(key) ?? {
      brandKey: row.brandKey,
      brand: row.brand,
      hazard: row.hazard,
      total: 0,
      counts: weeks.map(() => 0),
    };
    const at = index.get(weekStart(row.week).toISOString());
    if (at === undefined) continue;
    series.counts[at] = (series.counts[at] ?? 0) + row.claims;
    series.total += row.claims;
    byPair.set(key, series);
  }
  const series = [...byPair.values()]
    .filter((s) => s.total > 0)
    .sort(
      (a, b) => b.total - a.total || a.brandKey.localeCompare(b.brandKey) || a.hazard.localeCompare(b.hazard),
    )
    .slice(0, top);
  return { weeks, series };
}

/**
 * Claims with a hazard by the brand of their product and by week, for the safety console's
 * chart: one cause sold under many product ids shows as one brand. Claims still awaiting a
 * person's coding are left out, as the cluster rules leave them out.
 */
export async function hazardClusters(
  db: Queryable,
  f: { marketplaceId?: string; from: Date; to: Date; top: number },
) {
  if (f.to.getTime() <= f.from.getTime()) throw unprocessable('query.to', 'to must be after from');
  if (f.to.getTime() - f.from.getTime() > 366 * DAY_MS)
    throw unprocessable('query.to', 'a chart covers at most a year');
  const marketplace = f.marketplaceId ? sql`and ch.marketplace_id = ${f.marketplaceId}` : sql``;
  const rows = await sql<{
    brand_key: string;
    brand: string | null;
    hazard: Hazard;
    week: string;
    claims: string;
  }>`
    select ch.brand_key, min(p.brand) as brand, ch.hazard,
      to_char(date_trunc('week', ch.filed_at at time zone 'UTC'), 'YYYY-MM-DD') as week, count(*) as claims
    from claim_hazards ch join products p on p.id = ch.product_id
    where ch.brand_key is not null and ch.review_status is distinct from 'pending'
      and ch.filed_at >= ${f.from} and ch.filed_at < ${f.to} ${marketplace}
    group by ch.brand_key, ch.hazard, week
  `.execute(db);
  return clusterSeries(
    rows.rows.map((r) => ({
      brandKey: r.brand_key,
      brand: r.brand ?? r.brand_key,
      hazard: r.hazard,
      week: new Date(`${r.week}T00:00:00Z`),
      claims: Number(r.claims),
    })),
    f.from,
    f.to,
    f.top,
  );
}
