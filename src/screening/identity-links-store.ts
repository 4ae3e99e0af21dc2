import { sql } from 'kysely';
import type { ClaimRow } from '../claims/store.ts';
import type { Queryable } from '../platform/db/sql.ts';
import type { CompetitorCluster, IdentityHistory, LinkedClaim } from './signals.ts';

const DAY = 86_400_000;

/** Kinds that make two accounts one person's: a household shares an address, not an identity. */
const PERSONAL_KINDS = ['phone', 'payment_fingerprint', 'device_id'];

/**
 * What the quiet-abuse signals read about the accounts around a claimant, all through the keyed
 * identity hashes (never a raw address or number): the claims of the past year by accounts that
 * share a fact with this one (and which facts), the claims and orders of the past year of the
 * claimant's identity (the account and those sharing its phone, payment or device), and the
 * claims on this claim's seller by accounts linked to one competing seller.
 */
export async function loadIdentityLinks(
  db: Queryable,
  claim: ClaimRow,
): Promise<{
  linkedClaims: LinkedClaim[];
  identityHistory: IdentityHistory;
  competitorCluster: CompetitorCluster | null;
}> {
  const yearAgo = new Date(claim.filed_at.getTime() - 365 * DAY);
  const links = await sql<{ customer_id: string; kinds: string }>`
    select other.customer_id, string_agg(distinct other.kind, ',') as kinds
    from customer_identities mine
    join customer_identities other on other.kind = mine.kind and other.key_id = mine.key_id
      and other.value_hash = mine.value_hash
    where mine.customer_id = ${claim.customer_id} and other.customer_id <> ${claim.customer_id}
      and mine.kind <> 'email'
    group by other.customer_id
    limit 200`.execute(db);
  const kindsOf = new Map(links.rows.map((l) => [l.customer_id, l.kinds.split(',').sort()]));
  const linkedIds = [...kindsOf.keys()];
  const linkedRows = linkedIds.length
    ? await db
        .selectFrom('claims')
        .select(['id', 'customer_id', 'amount', 'filed_at', 'seller_id'])
        .where('customer_id', 'in', linkedIds)
        .where('id', '!=', claim.id)
        .where('filed_at', '>=', yearAgo)
        .where('filed_at', '<=', claim.filed_at)
        .where('status', '!=', 'withdrawn')
        .orderBy('filed_at', 'desc')
        .limit(100)
        .execute()
    : [];
  const linkedClaims = linkedRows.map((r) => ({
    claimId: r.id,
    customerId: r.customer_id,
    amount: r.amount,
    filedAt: r.filed_at,
    sellerId: r.seller_id,
    sharedKinds: kindsOf.get(r.customer_id) ?? [],
  }));

  const identity = [
    claim.customer_id,
    ...linkedIds.filter((id) => kindsOf.get(id)?.some((k) => PERSONAL_KINDS.includes(k))),
  ];
  const history = await sql<{ claims: number; categories: number; orders: number }>`
    select
      (select count(*) from claims c where c.customer_id in (${sql.join(identity)})
         and c.filed_at between ${yearAgo} and ${claim.filed_at} and c.status <> 'withdrawn')::int as claims,
      (select count(distinct p.category) from claims c join products p on p.id = c.product_id
         where c.customer_id in (${sql.join(identity)})
         and c.filed_at between ${yearAgo} and ${claim.filed_at} and c.status <> 'withdrawn')::int as categories,
      (select count(*) from orders o where o.customer_id in (${sql.join(identity)})
         and o.created_at between ${yearAgo} and ${claim.filed_at})::int as orders`.execute(db);
  const h = history.rows[0] ?? { claims: 1, categories: 1, orders: 1 };

  // Sellers this account is linked to that compete with the claim's seller (sell in a category it
  // sells in), and the claims on the claim's seller by any account linked to one of them.
  let competitorCluster: CompetitorCluster | null = null;
  if (claim.seller_id) {
    const cluster = await sql<{ seller_id: string; claims: number; accounts: number }>`
      with rivals as (
        select distinct si.seller_id from customer_identities mine
        join seller_identities si on si.kind = mine.kind and si.key_id = mine.key_id
          and si.value_hash = mine.value_hash
        where mine.customer_id = ${claim.customer_id} and si.seller_id <> ${claim.seller_id}
          and exists (select 1 from products theirs join products ours on ours.category = theirs.category
            where theirs.seller_id = si.seller_id and ours.seller_id = ${claim.seller_id})
        limit 5)
      select rivals.seller_id, count(distinct c.id)::int as claims, count(distinct c.customer_id)::int as accounts
      from rivals
      join seller_identities si on si.seller_id = rivals.seller_id
      join customer_identities ci on ci.kind = si.kind and ci.key_id = si.key_id and ci.value_hash = si.value_hash
      join claims c on c.customer_id = ci.customer_id
      where c.seller_id = ${claim.seller_id} and c.id <> ${claim.id} and c.status <> 'withdrawn'
        and c.filed_at between ${yearAgo} and ${claim.filed_at}
      group by rivals.seller_id
      order by claims desc
      limit 1`.execute(db);
    const row = cluster.rows[0];
    if (row)
      competitorCluster = {
        competingSellerId: row.seller_id,
        otherClaims: row.claims,
        otherAccounts: row.accounts,
      };
  }
  return {
    linkedClaims,
    // This claim is stored already; an identity with no order row still bought what it claims on.
    identityHistory: {
      accounts: identity.length,
      claims: Math.max(1, h.claims),
      orders: Math.max(h.orders, h.claims, 1),
      categories: h.categories,
    },
    competitorCluster,
  };
}
