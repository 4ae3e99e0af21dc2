import { sql } from 'kysely';
import type { KnownFilingFacts } from '../claims/risk.ts';
import type { ClaimRow } from '../claims/store.ts';
import type { Policy } from '../marketplace/policy.ts';
import { findProduct } from '../marketplace/store.ts';
import type { Queryable } from '../platform/db/sql.ts';
import { loadIdentityLinks } from './identity-links-store.ts';
import { bands, signature, similarity } from './minhash.ts';
import { indexAndFindParaphrase } from './paraphrase-store.ts';
import { hammingDistance, SAME_PHOTO_MAX_DISTANCE } from './phash.ts';
import type { ScreeningFacts } from './signals.ts';

const DAY = 86_400_000;
const ABUSE_DENIALS = ['unsubstantiated', 'frivolous', 'abusive', 'duplicate'];

/**
 * Loads what the signals read, each query served by an index (see migration 0005), so that
 * screening one claim stays fast however many claims are stored. Also stores the claim's
 * narrative fingerprint, so later claims can be compared with it.
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

  const prior = await db
    .selectFrom('claims')
    .leftJoin('payouts', (join) =>
      join.onRef('payouts.claim_id', '=', 'claims.id').on('payouts.status', '=', 'settled'),
    )
    .select(['claims.status', 'payouts.id as payout_id', 'claims.denial_reason'])
    .where('claims.order_id', '=', claim.order_id)
    .where('claims.line_id', '=', claim.line_id)
    .where('claims.id', '!=', claim.id)
    .execute();
  const priorClaimsOnLine = prior
    .filter(
      (p) =>
        p.payout_id ||
        p.status === 'approved' ||
        (p.status === 'denied' && ABUSE_DENIALS.includes(p.denial_reason ?? '')),
    )
    .map((p) => ({ status: p.status, paid: Boolean(p.payout_id) }));

  const counts = await sql<{ last_year: number; same_incident: number; orders: number }>`
    select
      (select count(*) from claims where customer_id = ${claim.customer_id} and id <> ${claim.id}
         and filed_at >= ${yearAgo} and status <> 'withdrawn')::int as last_year,
      (select count(*) from claims where customer_id = ${claim.customer_id} and id <> ${claim.id}
         and product_id = ${claim.product_id} and status <> 'withdrawn'
         and incident_at between ${new Date(claim.incident_at.getTime() - 2 * DAY)} and ${new Date(claim.incident_at.getTime() + 2 * DAY)})::int as same_incident,
      (select count(*) from orders where customer_id = ${claim.customer_id})::int as orders`.execute(db);
  const c = counts.rows[0] ?? { last_year: 0, same_incident: 0, orders: 0 };

  // Customers linked to this one through shared identity facts, up to three hops (a ring).
  const linked = await sql<{ customer_id: string }>`
    with recursive ring(customer_id, depth) as (
      select ${claim.customer_id}::text, 0
      union
      select other.customer_id, ring.depth + 1
      from ring
      join customer_identities mine on mine.customer_id = ring.customer_id
      join customer_identities other on other.kind = mine.kind and other.key_id = mine.key_id
        and other.value_hash = mine.value_hash
      where ring.depth < 3
    )
    select distinct customer_id from ring where customer_id <> ${claim.customer_id}`.execute(db);
  const linkedIds = linked.rows.map((r) => r.customer_id);
  const linkedClaimants = linkedIds.length
    ? Number(
        (
          await db
            .selectFrom('claims')
            .select((eb) => eb.fn.count<number>('customer_id').distinct().as('n'))
            .where('customer_id', 'in', linkedIds)
            .executeTakeFirst()
        )?.n ?? 0,
      )
    : 0;

  const competing = product
    ? await sql<{ seller_id: string }>`
        select distinct si.seller_id from customer_identities ci
        join seller_identities si on si.kind = ci.kind and si.key_id = ci.key_id
          and si.value_hash = ci.value_hash
        join products p on p.seller_id = si.seller_id
        where ci.customer_id = ${claim.customer_id} and p.category = ${product.category}
          and si.seller_id <> ${claim.seller_id ?? ''}
        limit 1`.execute(db)
    : { rows: [] };

  const links = await loadIdentityLinks(db, claim);

  // Written with the claim at filing (file-claim.ts); computed here only for a claim filed before that.
  const sig = claim.narrative_signature ?? signature(claim.description);
  const bandHashes = bands(sig);
  // A claim screened again replaces its bands; a filing's new claim has none yet.
  if (!known) await db.deleteFrom('claim_narrative_bands').where('claim_id', '=', claim.id).execute();
  await db
    .insertInto('claim_narrative_bands')
    .values(bandHashes.map((hash, band) => ({ claim_id: claim.id, band, hash })))
    .execute();
  const candidates = await db
    .selectFrom('claim_narrative_bands as b')
    .innerJoin('claims', 'claims.id', 'b.claim_id')
    .select(['claims.id', 'claims.narrative_signature'])
    .distinct()
    .where((eb) =>
      eb.or(bandHashes.map((hash, band) => eb.and([eb('b.band', '=', band), eb('b.hash', '=', hash)]))),
    )
    .where('claims.customer_id', '!=', claim.customer_id)
    .limit(50)
    .execute();
  let closestNarrative: ScreeningFacts['closestNarrative'] = null;
  for (const candidate of candidates) {
    if (!candidate.narrative_signature) continue;
    const s = similarity(sig, candidate.narrative_signature);
    if (!closestNarrative || s > closestNarrative.similarity)
      closestNarrative = { claimId: candidate.id, similarity: s };
  }

  const p90 = product
    ? await sql<{ p90: number | null; n: number }>`
        select percentile_cont(0.9) within group (order by amount) as p90, count(*)::int as n from (
          select c.amount from claims c join products p on p.id = c.product_id
          where p.category = ${product.category} and c.type = ${claim.type} and c.id <> ${claim.id}
          order by c.id desc limit 1000) recent`.execute(db)
    : { rows: [] };
  const norm = p90.rows[0];

  const unlinked = claim.product_id
    ? await db
        .selectFrom('claims')
        .select((eb) => eb.fn.count<number>('customer_id').distinct().as('n'))
        .where('product_id', '=', claim.product_id)
        .where('customer_id', 'not in', [claim.customer_id, ...linkedIds])
        .where('filed_at', '>=', new Date(filedAt.getTime() - 90 * DAY))
        .where('status', '!=', 'withdrawn')
        .executeTakeFirst()
    : undefined;

  // The safety domain classified the claim before screening; a live alert on its hazard means
  // the claim is one more report of a known pattern, not an outlier.
  const safetyAlert = claim.product_id
    ? await db
        .selectFrom('claim_hazards')
        .innerJoin('safety_alerts', (join) =>
          join
            .onRef('safety_alerts.product_id', '=', 'claim_hazards.product_id')
            .onRef('safety_alerts.hazard', '=', 'claim_hazards.hazard'),
        )
        .select(['safety_alerts.id', 'safety_alerts.hazard', 'safety_alerts.rule'])
        .where('claim_hazards.claim_id', '=', claim.id)
        .where('safety_alerts.status', 'in', ['open', 'monitoring', 'listing_paused', 'recall_opened'])
        .orderBy('safety_alerts.created_at')
        .limit(1)
        .executeTakeFirst()
    : undefined;

  const publicRecall = claim.public_recall_id
    ? await db
        .selectFrom('public_recalls')
        .select(['recall_number', 'title'])
        .where('id', '=', claim.public_recall_id)
        .executeTakeFirst()
    : undefined;

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
    sameIncidentClaims: c.same_incident,
    customerClaimsLastYear: c.last_year,
    customerOrders: c.orders,
    linkedClaimants,
    linkedToCompetingSeller: competing.rows.length > 0,
    ...links,
    smallClaimLimit: policy.smallClaimLimit,
    honestClaimsPerOrder: policy.fraud.honestClaimsPerOrder,
    closestNarrative,
    closestParaphrase: await indexAndFindParaphrase(db, claim),
    categoryP90Amount: norm && norm.n >= 20 && norm.p90 !== null ? Math.round(Number(norm.p90)) : null,
    unlinkedProductClaims: Number(unlinked?.n ?? 0),
    productSafetyAlert: safetyAlert
      ? { alertId: safetyAlert.id, hazard: safetyAlert.hazard, rule: safetyAlert.rule }
      : null,
    productPublicRecall: publicRecall
      ? { recallNumber: publicRecall.recall_number, title: publicRecall.title }
      : null,
    duplicateEvidence:
      known?.evidenceFiles === 0 ? { sameFile: [], samePhoto: [] } : await duplicateEvidence(db, claim.id),
  };
}

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
