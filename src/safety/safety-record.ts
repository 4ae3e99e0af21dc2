import { sql } from 'kysely';
import { currentPolicyVersion, findProduct, findSeller } from '../marketplace/store.ts';
import type { Queryable } from '../platform/db/sql.ts';
import { per10k } from './alert-rules.ts';
import { categoryBaselinePer10k } from './baseline.ts';
import { SEVERITIES, type Severity } from './lexicon.ts';
import { categoryTotals, openRecallOf, unitsSold } from './store.ts';

const DAY_MS = 86_400_000;

/**
 * A product's safety record: its claims by hazard and severity, month by month, the rate per
 * 10,000 units sold against the rest of its category, its alerts, any open recall, and the
 * public recall notices it matched (pending or confirmed; rejected ones are not its).
 */
export async function productSafetyRecord(db: Queryable, productId: string, now: Date) {
  const product = await findProduct(db, productId);
  if (!product) return null;
  const seller = await findSeller(db, product.seller_id);
  const version = seller ? await currentPolicyVersion(db, seller.marketplace_id) : null;
  if (!seller || !version) return null;
  const since = new Date(now.getTime() - version.policy.safety.rateWindowDays * DAY_MS);
  const [units, bySeverity, byMonth, alerts, recall, category, publicRecalls] = await Promise.all([
    unitsSold(db, productId),
    db
      .selectFrom('claim_hazards')
      .select([
        'hazard',
        'severity',
        sql<number>`count(*)::int`.as('claims'),
        sql<number>`count(*) filter (where filed_at >= ${since})::int`.as('recent'),
      ])
      .where('product_id', '=', productId)
      .groupBy(['hazard', 'severity'])
      .execute(),
    sql<{ month: string; hazard: string; claims: number }>`
      select to_char(filed_at at time zone 'UTC', 'YYYY-MM') as month, hazard, count(*)::int as claims
      from claim_hazards where product_id = ${productId}
      group by 1, 2 order by 1, 2
    `.execute(db),
    db
      .selectFrom('safety_alerts')
      .selectAll()
      .where('product_id', '=', productId)
      .orderBy('created_at', 'desc')
      .execute(),
    openRecallOf(db, productId),
    categoryTotals(db, { marketplaceId: seller.marketplace_id, category: product.category }, { since, now }),
    db
      .selectFrom('public_recall_matches')
      .innerJoin('public_recalls', 'public_recalls.id', 'public_recall_matches.public_recall_id')
      .select([
        'public_recall_matches.id',
        'public_recall_matches.status',
        'public_recall_matches.method',
        'public_recall_matches.score',
        'public_recalls.recall_number',
        'public_recalls.title',
        'public_recalls.remedy',
      ])
      .where('public_recall_matches.product_id', '=', productId)
      .where('public_recall_matches.status', '!=', 'rejected')
      .orderBy('public_recall_matches.created_at', 'desc')
      .execute(),
  ]);
  const hazards = [...new Set(bySeverity.map((r) => r.hazard))].sort();
  const byHazard = [];
  for (const hazard of hazards) {
    const rows = bySeverity.filter((r) => r.hazard === hazard);
    const recent = rows.reduce((sum, r) => sum + Number(r.recent), 0);
    byHazard.push({
      hazard,
      claims: rows.reduce((sum, r) => sum + Number(r.claims), 0),
      bySeverity: Object.fromEntries(
        SEVERITIES.map((label, i) => [label, Number(rows.find((r) => r.severity === i + 1)?.claims ?? 0)]),
      ) as Record<Severity, number>,
      claimsInRateWindow: recent,
      ratePer10k: per10k(recent, units),
      categoryBaselinePer10k: categoryBaselinePer10k(category, hazard, { claims: recent, units }),
    });
  }
  return {
    productId,
    title: product.title,
    category: product.category,
    sellerId: product.seller_id,
    listingStatus: product.listing_status as 'active' | 'paused',
    counterfeitFlaggedAt: product.counterfeit_flagged_at?.toISOString() ?? null,
    unitsSold: units,
    claims: byHazard.reduce((sum, h) => sum + h.claims, 0),
    rateWindowDays: version.policy.safety.rateWindowDays,
    byHazard,
    byMonth: byMonth.rows.map((r) => ({ month: r.month, hazard: r.hazard, claims: Number(r.claims) })),
    alerts: alerts.map((a) => ({
      id: a.id,
      hazard: a.hazard,
      rule: a.rule,
      status: a.status,
      createdAt: a.created_at.toISOString(),
    })),
    publicRecalls: publicRecalls.map((m) => ({
      matchId: m.id,
      status: m.status as 'pending' | 'confirmed',
      method: m.method,
      score: Number(m.score),
      recallNumber: m.recall_number,
      title: m.title,
      remedy: m.remedy,
    })),
    recall: recall
      ? {
          id: recall.id,
          hazard: recall.hazard,
          remedy: recall.remedy,
          openedAt: recall.created_at.toISOString(),
        }
      : null,
  };
}
