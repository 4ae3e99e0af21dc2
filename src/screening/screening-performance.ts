import { sql } from 'kysely';
import type { Queryable } from '../platform/db/sql.ts';

export interface SignalFigures {
  code: string;
  /** Labelled claims on which the signal fired. */
  labelled: number;
  confirmedAbusive: number;
  falseAlarms: number;
  /** confirmedAbusive / labelled, null with no label yet. */
  precision: number | null;
}

export interface ScreeningPerformance {
  period: { from: string; to: string };
  totals: {
    held: number;
    released: number;
    cancelled: number;
    confirmedAbusive: number;
    falseAlarms: number;
  };
  bySignal: SignalFigures[];
  byWeek: {
    week: string;
    held: number;
    released: number;
    cancelled: number;
    confirmedAbusive: number;
    falseAlarms: number;
    /** Per signal code: [confirmed abusive, false alarms] labelled that week. */
    bySignal: Record<string, { confirmedAbusive: number; falseAlarms: number }>;
  }[];
}

/**
 * How the screen is doing, from what people decided: payouts held on a flag, released and
 * cancelled (the claim's events), and the labels agents' decisions and experts' findings wrote
 * (screening_labels: a label with `fraudulent` confirms the signals that fired, one without is a
 * false alarm for each of them). Per week, so an operator tuning a weight sees its effect.
 */
export async function screeningPerformance(
  db: Queryable,
  range: { from: Date; to: Date; marketplaceId?: string },
): Promise<ScreeningPerformance> {
  const market = range.marketplaceId ?? null;
  const holds = await sql<{ week: Date; type: string; n: number }>`
    select date_trunc('week', e.at) as week, e.type, count(*)::int as n
    from claim_events e join claims c on c.id = e.claim_id
    where e.type in ('claim.payout_held', 'claim.payout_released', 'claim.payout_cancelled')
      and e.at >= ${range.from} and e.at < ${range.to}
      and (${market}::text is null or c.marketplace_id = ${market})
    group by 1, 2`.execute(db);
  const labels = await sql<{ week: Date; code: string | null; fraudulent: boolean; n: number }>`
    select date_trunc('week', l.labelled_at) as week, s.code, l.fraudulent, count(*)::int as n
    from screening_labels l
    join claims c on c.id = l.claim_id
    left join lateral jsonb_array_elements_text(l.signals) as s(code) on true
    where l.labelled_at >= ${range.from} and l.labelled_at < ${range.to}
      and (${market}::text is null or c.marketplace_id = ${market})
    group by 1, 2, 3`.execute(db);
  const claimsLabelled = await sql<{ week: Date; fraudulent: boolean; n: number }>`
    select date_trunc('week', l.labelled_at) as week, l.fraudulent, count(*)::int as n
    from screening_labels l join claims c on c.id = l.claim_id
    where l.labelled_at >= ${range.from} and l.labelled_at < ${range.to}
      and (${market}::text is null or c.marketplace_id = ${market})
    group by 1, 2`.execute(db);

  const weeks = new Map<string, ScreeningPerformance['byWeek'][number]>();
  const week = (at: Date) => {
    const key = new Date(at).toISOString().slice(0, 10);
    let w = weeks.get(key);
    if (!w) {
      w = {
        week: key,
        held: 0,
        released: 0,
        cancelled: 0,
        confirmedAbusive: 0,
        falseAlarms: 0,
        bySignal: {},
      };
      weeks.set(key, w);
    }
    return w;
  };
  const holdField = {
    'claim.payout_held': 'held',
    'claim.payout_released': 'released',
    'claim.payout_cancelled': 'cancelled',
  } as const;
  for (const row of holds.rows) {
    const field = holdField[row.type as keyof typeof holdField];
    if (field) week(row.week)[field] += row.n;
  }
  for (const row of claimsLabelled.rows) {
    const w = week(row.week);
    if (row.fraudulent) w.confirmedAbusive += row.n;
    else w.falseAlarms += row.n;
  }
  const signals = new Map<string, SignalFigures>();
  for (const row of labels.rows) {
    if (!row.code) continue; // a label on a claim no signal fired on
    const w = week(row.week);
    const cell = w.bySignal[row.code] ?? { confirmedAbusive: 0, falseAlarms: 0 };
    w.bySignal[row.code] = cell;
    const s = signals.get(row.code) ?? {
      code: row.code,
      labelled: 0,
      confirmedAbusive: 0,
      falseAlarms: 0,
      precision: null,
    };
    signals.set(row.code, s);
    s.labelled += row.n;
    if (row.fraudulent) {
      cell.confirmedAbusive += row.n;
      s.confirmedAbusive += row.n;
    } else {
      cell.falseAlarms += row.n;
      s.falseAlarms += row.n;
    }
  }
  for (const s of signals.values()) s.precision = Math.round((s.confirmedAbusive / s.labelled) * 1000) / 1000;
  const byWeek = [...weeks.values()].sort((a, b) => a.week.localeCompare(b.week));
  const sum = (f: 'held' | 'released' | 'cancelled' | 'confirmedAbusive' | 'falseAlarms') =>
    byWeek.reduce((total, w) => total + w[f], 0);
  return {
    period: { from: range.from.toISOString(), to: range.to.toISOString() },
    totals: {
      held: sum('held'),
      released: sum('released'),
      cancelled: sum('cancelled'),
      confirmedAbusive: sum('confirmedAbusive'),
      falseAlarms: sum('falseAlarms'),
    },
    bySignal: [...signals.values()].sort((a, b) => b.labelled - a.labelled || a.code.localeCompare(b.code)),
    byWeek,
  };
}
