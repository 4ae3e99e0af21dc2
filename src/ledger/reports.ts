import { sql } from 'kysely';
import type { Queryable } from '../platform/db/sql.ts';

interface RecoveryFigures {
  recovered: number;
  offset: number;
  waived: number;
  writtenOff: number;
  outstanding: number;
}

export interface SummaryReport {
  period: { from: string; to: string };
  claims: { total: number; byStatus: Record<string, number>; byType: Record<string, number> };
  withinSmallClaimLimit: { count: number; share: number | null };
  /** The one currency's figures; empty (currency null, zeros) when the claims are in several. */
  paid: { byPayer: Record<string, number>; currency: string | null };
  stepIns: number;
  recovery: RecoveryFigures;
  /** Money per currency, never added across currencies: one row per currency the claims are in. */
  byCurrency: { currency: string; paidByPayer: Record<string, number>; recovery: RecoveryFigures }[];
  medianHoursToPayout: number | null;
}

/**
 * One marketplace's (or every marketplace's) figures for claims filed in [from, to): the
 * numbers the reference programme publishes (share of claims within the small-claim limit)
 * and the ones an operator watches (step-ins, recovery, time to payout). Amounts are minor units.
 */
export async function summaryReport(
  db: Queryable,
  range: { from: Date; to: Date; marketplaceId?: string | undefined },
): Promise<SummaryReport> {
  const market = range.marketplaceId ? sql`and c.marketplace_id = ${range.marketplaceId}` : sql``;
  const inRange = sql`c.filed_at >= ${range.from} and c.filed_at < ${range.to} ${market}`;

  const grouped = await sql<{ status: string; type: string; n: number; small: number; step_ins: number }>`
    select c.status, c.type, count(*)::bigint as n,
      count(*) filter (where c.amount <= (p.policy->>'smallClaimLimit')::bigint)::bigint as small,
      count(*) filter (where c.step_in)::bigint as step_ins
    from claims c join policy_versions p on p.id = c.policy_version_id
    where ${inRange}
    group by c.status, c.type`.execute(db);
  const byStatus: Record<string, number> = {};
  const byType: Record<string, number> = {};
  let total = 0;
  let small = 0;
  let stepIns = 0;
  for (const r of grouped.rows) {
    byStatus[r.status] = (byStatus[r.status] ?? 0) + Number(r.n);
    byType[r.type] = (byType[r.type] ?? 0) + Number(r.n);
    total += Number(r.n);
    small += Number(r.small);
    stepIns += Number(r.step_ins);
  }

  // Amounts of different currencies are never added: every sum is per currency.
  const paid = await sql<{ payer: string; total: number; currency: string }>`
    select p.payer, p.currency, sum(p.amount)::bigint as total
    from payouts p join claims c on c.id = p.claim_id
    where p.status = 'settled' and ${inRange}
    group by p.payer, p.currency
    order by p.currency, p.payer`.execute(db);

  const recovery = await sql<{
    currency: string;
    recovered: number;
    offset: number;
    waived: number;
    written_off: number;
    outstanding: number;
  }>`
    select r.currency, coalesce(sum(r.recovered_amount), 0)::bigint as recovered,
      coalesce(sum(r.offset_amount), 0)::bigint as offset,
      coalesce(sum(r.amount) filter (where r.status = 'waived'), 0)::bigint as waived,
      coalesce(sum(r.written_off_amount), 0)::bigint as written_off,
      coalesce(sum(r.amount - r.recovered_amount - r.offset_amount - r.written_off_amount)
        filter (where r.status in ('pending','invoiced','tendered_to_insurer')), 0)::bigint as outstanding
    from recoveries r join claims c on c.id = r.claim_id
    where ${inRange}
    group by r.currency
    order by r.currency`.execute(db);

  const median = await sql<{ hours: number | null }>`
    select percentile_cont(0.5) within group (order by extract(epoch from (p.settled_at - c.filed_at)) / 3600.0) as hours
    from payouts p join claims c on c.id = p.claim_id
    where p.status = 'settled' and ${inRange}`.execute(db);

  const currencies = [...new Set([...paid.rows, ...recovery.rows].map((row) => row.currency))].sort();
  const recoveryIn = (currency: string): RecoveryFigures => {
    const r = recovery.rows.find((row) => row.currency === currency);
    return {
      recovered: Number(r?.recovered ?? 0),
      offset: Number(r?.offset ?? 0),
      waived: Number(r?.waived ?? 0),
      writtenOff: Number(r?.written_off ?? 0),
      outstanding: Number(r?.outstanding ?? 0),
    };
  };
  const byCurrency = currencies.map((currency) => ({
    currency,
    paidByPayer: Object.fromEntries(
      paid.rows.filter((p) => p.currency === currency).map((p) => [p.payer, Number(p.total)]),
    ),
    recovery: recoveryIn(currency),
  }));
  const only = byCurrency.length === 1 ? byCurrency[0] : undefined;
  const hours = median.rows[0]?.hours;
  return {
    period: { from: range.from.toISOString(), to: range.to.toISOString() },
    claims: { total, byStatus, byType },
    withinSmallClaimLimit: { count: small, share: total ? small / total : null },
    paid: { byPayer: only?.paidByPayer ?? {}, currency: only && paid.rows.length > 0 ? only.currency : null },
    stepIns,
    recovery: only?.recovery ?? recoveryIn(''),
    byCurrency,
    medianHoursToPayout:
      hours === null || hours === undefined ? null : Math.round(Number(hours) * 1000) / 1000,
  };
}

export interface TrendsReport {
  byDay: { day: string; byStatus: Record<string, number> }[];
  topProducts: { productId: string; title: string | null; claims: number }[];
}

/** Claims filed per day (UTC) by their status now, and the products claimed about most, for charts. */
export async function trendsReport(
  db: Queryable,
  range: { from: Date; to: Date; marketplaceId?: string | undefined },
): Promise<TrendsReport> {
  const market = range.marketplaceId ? sql`and c.marketplace_id = ${range.marketplaceId}` : sql``;
  const inRange = sql`c.filed_at >= ${range.from} and c.filed_at < ${range.to} ${market}`;
  const daily = await sql<{ day: string; status: string; n: number }>`
    select to_char(c.filed_at at time zone 'UTC', 'YYYY-MM-DD') as day, c.status, count(*)::int as n
    from claims c where ${inRange} group by 1, 2 order by 1`.execute(db);
  const byDay = new Map<string, Record<string, number>>();
  for (const r of daily.rows) {
    const day = byDay.get(r.day) ?? {};
    day[r.status] = Number(r.n);
    byDay.set(r.day, day);
  }
  const top = await sql<{ product_id: string; title: string | null; n: number }>`
    select c.product_id, p.title, count(*)::int as n
    from claims c left join products p on p.id = c.product_id
    where ${inRange} and c.product_id is not null
    group by c.product_id, p.title order by n desc, c.product_id limit 10`.execute(db);
  return {
    byDay: [...byDay.entries()].map(([day, byStatus]) => ({ day, byStatus })),
    topProducts: top.rows.map((r) => ({ productId: r.product_id, title: r.title, claims: Number(r.n) })),
  };
}
