import { sql } from 'kysely';
import type { KnownFilingFacts } from '../claims/risk.ts';
import type { ClaimRow } from '../claims/store.ts';
import type { Policy } from '../marketplace/policy.ts';
import { findProduct } from '../marketplace/store.ts';
import { executePrepared } from '../platform/db/prepared-statements.ts';
import type { Queryable } from '../platform/db/sql.ts';
import { categoryNormFact, NORM_MIN_CLAIMS } from './amount-norms.ts';
import {
  type IdentityLinkColumns,
  identityLinkFacts,
  identityLinksOf,
  identityLinkTables,
} from './identity-links-store.ts';
import { indexAndFindRetellings } from './narrative-index-store.ts';
import { hammingDistance, SAME_PHOTO_MAX_DISTANCE } from './phash.ts';
import type { ScreeningFacts } from './signals.ts';

const DAY = 86_400_000;
const ABUSE_DENIALS = ['unsubstantiated', 'frivolous', 'abusive', 'duplicate'];

/**
 * Loads what the signals read: one statement whose columns are the facts (each a named SQL
 * part, served by an index, see migrations 0005 and 0021), so that screening one claim stays
 * fast however many claims are stored and costs one round trip; then a second that stores the
 * claim's narrative fingerprints and finds the closest earlier ones (narrative-index-store.ts).
 * The category's amount norm is read from the table the worker keeps (amount-norms.ts).
 */
export async function loadScreeningFacts(
  db: Queryable,
  claim: ClaimRow,
  policy: Policy,
  /** Rows the filing already holds (claims/filing-context.ts); read here when absent. */
  known?: KnownFilingFacts,
): Promise<ScreeningFacts> {
  const filedAt = claim.filed_at;
  const yearAgo = new Date(filedAt.getTime() - 365 * DAY);

  const { line, product, customer } = known
    ? {
        line: known.line
          ? {
              unit_price: known.line.unitPrice,
              quantity: known.line.quantity,
              delivered_at: known.line.deliveredAt,
            }
          : undefined,
        product: known.product ? { title: known.product.title, category: known.product.category } : undefined,
        customer: { account_created_at: known.customerAccountCreatedAt },
      }
    : await loadClaimSubjects(db, claim);

  // Prepared on PostgreSQL: planning these twenty subqueries cost more than running them.
  const { rows } = await executePrepared(
    db,
    sql<FactsRow>`
    with recursive ring(customer_id, depth) as (
      select ${claim.customer_id}::text, 0
      union
      select other.customer_id, ring.depth + 1
      from ring
      join customer_identities mine on mine.customer_id = ring.customer_id
      join customer_identities other on other.kind = mine.kind and other.key_id = mine.key_id
        and other.value_hash = mine.value_hash and other.customer_id <> mine.customer_id
      where ring.depth < 3
    ),
    -- Customers linked to this one through shared identity facts, up to three hops (a ring). A
    -- member matching its own rows is no hop: it only brought every member back at each depth.
    ring_members as (select distinct customer_id from ring where customer_id <> ${claim.customer_id}),
    ${identityLinkTables(claim)}
    select
      ${priorClaimsOnLineFact(claim)} as prior_claims_on_line,
      (select count(*) from claims where customer_id = ${claim.customer_id} and id <> ${claim.id}
         and filed_at >= ${yearAgo} and status <> 'withdrawn')::int as last_year,
      (select count(*) from claims where customer_id = ${claim.customer_id} and id <> ${claim.id}
         and product_id = ${claim.product_id} and status <> 'withdrawn'
         and incident_at between ${new Date(claim.incident_at.getTime() - 2 * DAY)} and ${new Date(claim.incident_at.getTime() + 2 * DAY)})::int as same_incident,
      (select count(*) from orders where customer_id = ${claim.customer_id})::int as orders,
      (select count(distinct customer_id) from claims
         where customer_id in (select customer_id from ring_members))::int as linked_claimants,
      exists (select 1 from linked_sellers si
        join products p on p.seller_id = si.seller_id
        where p.category = ${product?.category ?? null} and si.seller_id <> ${claim.seller_id ?? ''})
        as linked_to_competing_seller,
      ${identityLinkFacts(claim)},
      ${categoryNormFact(product?.category ?? null, claim.type)} as category_norm,
      (select count(distinct customer_id) from claims
         where product_id = ${claim.product_id} and customer_id <> ${claim.customer_id}
         and customer_id not in (select customer_id from ring_members)
         and filed_at >= ${new Date(filedAt.getTime() - 90 * DAY)} and status <> 'withdrawn')::int as unlinked_product_claims,
      ${safetyAlertFact(claim)} as product_safety_alert,
      (select json_build_object('recallNumber', recall_number, 'title', title) from public_recalls
         where id = ${claim.public_recall_id}) as product_public_recall`,
  );
  const facts = rows[0] as FactsRow;
  const priorClaimsOnLine = facts.prior_claims_on_line
    .filter(
      (p) =>
        p.paid ||
        p.status === 'approved' ||
        (p.status === 'denied' && ABUSE_DENIALS.includes(p.denialReason ?? '')),
    )
    .map((p) => ({ status: p.status, paid: p.paid }));
  const norm = facts.category_norm;

  return {
    claim: {
      type: claim.type,
      amount: claim.amount,
      description: claim.description,
      filedAt,
      incidentAt: claim.incident_at,
    },
    product: product ?? null,
    itemPrice: line ? line.unit_price * line.quantity : null,
    deliveredAt: line?.delivered_at ?? null,
    filingWindowDays: policy.filingWindowDays,
    customer: { accountCreatedAt: customer?.account_created_at ?? null },
    priorClaimsOnLine,
    sameIncidentClaims: facts.same_incident,
    customerClaimsLastYear: facts.last_year,
    customerOrders: facts.orders,
    linkedClaimants: facts.linked_claimants,
    linkedToCompetingSeller: facts.linked_to_competing_seller,
    ...identityLinksOf(facts),
    smallClaimLimit: policy.smallClaimLimit,
    honestClaimsPerOrder: policy.fraud.honestClaimsPerOrder,
    ...(await indexAndFindRetellings(db, claim)),
    categoryP90Amount:
      norm && norm.claims >= NORM_MIN_CLAIMS && norm.p90 !== null ? Math.round(Number(norm.p90)) : null,
    unlinkedProductClaims: facts.unlinked_product_claims,
    productSafetyAlert: facts.product_safety_alert,
    productPublicRecall: facts.product_public_recall,
    duplicateEvidence:
      known?.evidenceFiles === 0 ? { sameFile: [], samePhoto: [] } : await duplicateEvidence(db, claim.id),
  };
}

/** The facts row: one column per fact, read by one statement. */
interface FactsRow extends IdentityLinkColumns {
  prior_claims_on_line: { status: string; paid: boolean; denialReason: string | null }[];
  last_year: number;
  same_incident: number;
  orders: number;
  linked_claimants: number;
  linked_to_competing_seller: boolean;
  category_norm: { p90: number | string | null; claims: number } | null;
  unlinked_product_claims: number;
  product_safety_alert: ScreeningFacts['productSafetyAlert'];
  product_public_recall: ScreeningFacts['productPublicRecall'];
}

/** Other claims on the claim's order line, with whether each was paid. */
const priorClaimsOnLineFact = (claim: ClaimRow) => sql`
  (select coalesce(json_agg(json_build_object('status', c.status, 'paid', p.id is not null,
      'denialReason', c.denial_reason)), '[]')
    from claims c left join payouts p on p.claim_id = c.id and p.status = 'settled'
    where c.order_id = ${claim.order_id} and c.line_id = ${claim.line_id} and c.id <> ${claim.id})`;

/**
 * The safety domain classified the claim before screening; a live alert on its hazard means
 * the claim is one more report of a known pattern, not an outlier.
 */
const safetyAlertFact = (claim: ClaimRow) => sql`
  (select json_build_object('alertId', a.id, 'hazard', a.hazard, 'rule', a.rule)
    from claim_hazards h
    join safety_alerts a on a.product_id = h.product_id and a.hazard = h.hazard
    where h.claim_id = ${claim.id}
      and a.status in ('open', 'monitoring', 'listing_paused', 'recall_opened')
    order by a.created_at
    limit 1)`;

/** The line, product and customer a claim screened again reads (a filing passes them in). */
async function loadClaimSubjects(db: Queryable, claim: ClaimRow) {
  const line = await db
    .selectFrom('order_lines')
    .select(['unit_price', 'quantity', 'delivered_at'])
    .where('order_id', '=', claim.order_id)
    .where('line_id', '=', claim.line_id)
    .executeTakeFirst();
  const productRow = claim.product_id ? await findProduct(db, claim.product_id) : undefined;
  const product = productRow ? { title: productRow.title, category: productRow.category } : undefined;
  const customer = await db
    .selectFrom('customers')
    .select(['account_created_at'])
    .where('id', '=', claim.customer_id)
    .executeTakeFirst();
  return { line, product, customer };
}

/** Other claims holding the same file, or the same photo re-encoded, as this claim's evidence. */
export async function duplicateEvidence(
  db: Queryable,
  claimId: string,
): Promise<ScreeningFacts['duplicateEvidence']> {
  const sameFile = await db
    .selectFrom('evidence as mine')
    .innerJoin('evidence as other', 'other.sha256', 'mine.sha256')
    .select('other.claim_id')
    .distinct()
    .where('mine.claim_id', '=', claimId)
    .where('other.claim_id', '!=', claimId)
    .execute();
  const photoCandidates = await db
    .selectFrom('evidence_phash_chunks as mine')
    .innerJoin('evidence_phash_chunks as other', (join) =>
      join.onRef('other.chunk', '=', 'mine.chunk').onRef('other.value', '=', 'mine.value'),
    )
    .innerJoin('evidence as me', 'me.id', 'mine.evidence_id')
    .innerJoin('evidence as them', 'them.id', 'other.evidence_id')
    .select([
      'other.claim_id',
      'me.phash as mine',
      'them.phash as theirs',
      'me.sha256 as mine_sha',
      'them.sha256 as their_sha',
    ])
    .distinct()
    .where('mine.claim_id', '=', claimId)
    .where('other.claim_id', '!=', claimId)
    .limit(200)
    .execute();
  const exact = new Set(sameFile.map((r) => r.claim_id));
  const samePhoto = new Set<string>();
  for (const c of photoCandidates) {
    if (
      c.mine &&
      c.theirs &&
      c.mine_sha !== c.their_sha &&
      hammingDistance(c.mine, c.theirs) <= SAME_PHOTO_MAX_DISTANCE
    ) {
      samePhoto.add(c.claim_id);
    }
  }
  return { sameFile: [...exact], samePhoto: [...samePhoto].filter((id) => !exact.has(id)) };
}
