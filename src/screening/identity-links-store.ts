import { type RawBuilder, sql } from 'kysely';
import type { ClaimRow } from '../claims/store.ts';
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
 *
 * These are parts of the screening facts' one statement (facts-store.ts), not statements of
 * their own: `identityLinkTables` are its common table expressions, `identityLinkFacts` its
 * columns, and `identityLinksOf` reads them back. Every part starts from the claimant's own
 * identity rows (primary key `customer_identities (customer_id, …)`), so a claimant who shares
 * no fact with another account or seller costs one index probe and empty joins.
 *
 * Those rows, and the sellers sharing one of them (`linked_sellers`, also read by the facts'
 * competing-seller column), are materialised common tables so that every plan starts from them
 * whatever the statistics say: on tables never analysed (a new database, or a server without
 * autovacuum, as the bench's) the planner began the competing-seller parts from every product of
 * the category and every seller's identities, 1,500 buffers a filing instead of about 80.
 *
 * Past 200 linked accounts (and 5 competing sellers, `identityLinkFacts`), which are counted is
 * decided by id order, not by the plan: the same claim screened twice is judged the same.
 */
export function identityLinkTables(claim: ClaimRow): RawBuilder<unknown> {
  return sql`
    claimant_identities as materialized (
      select kind, key_id, value_hash from customer_identities where customer_id = ${claim.customer_id}),
    linked_sellers as materialized (
      select distinct si.seller_id from claimant_identities mine
      join seller_identities si on si.kind = mine.kind and si.key_id = mine.key_id
        and si.value_hash = mine.value_hash),
    identity_links as (
      select other.customer_id, string_agg(distinct other.kind, ',') as kinds
      from claimant_identities mine
      join customer_identities other on other.kind = mine.kind and other.key_id = mine.key_id
        and other.value_hash = mine.value_hash
      where other.customer_id <> ${claim.customer_id} and mine.kind <> 'email'
      group by other.customer_id
      order by other.customer_id
      limit 200),
    identity_accounts as (
      select ${claim.customer_id}::text as customer_id
      union all
      select customer_id from identity_links
      where string_to_array(kinds, ',') && array[${sql.join(PERSONAL_KINDS)}]::text[])`;
}

export function identityLinkFacts(claim: ClaimRow): RawBuilder<unknown> {
  const yearAgo = new Date(claim.filed_at.getTime() - 365 * DAY);
  // The sellers this account is linked to that compete with the claim's seller (sell in a category
  // it sells in), and the claims on the claim's seller by any account linked to one of them.
  return sql`
    (select coalesce(json_agg(json_build_object('claimId', r.id, 'customerId', r.customer_id,
        'amount', r.amount, 'filedAt', r.filed_at, 'sellerId', r.seller_id, 'kinds', r.kinds)
        order by r.filed_at desc), '[]')
      from (select c.id, c.customer_id, c.amount, c.filed_at, c.seller_id, l.kinds
        from claims c join identity_links l on l.customer_id = c.customer_id
        where c.id <> ${claim.id} and c.filed_at >= ${yearAgo} and c.filed_at <= ${claim.filed_at}
          and c.status <> 'withdrawn'
        order by c.filed_at desc
        limit 100) r) as linked_claims,
    (select count(*) from identity_accounts)::int as identity_accounts,
    (select count(*) from claims c where c.customer_id in (select customer_id from identity_accounts)
       and c.filed_at between ${yearAgo} and ${claim.filed_at} and c.status <> 'withdrawn')::int as identity_claims,
    (select count(distinct p.category) from claims c join products p on p.id = c.product_id
       where c.customer_id in (select customer_id from identity_accounts)
       and c.filed_at between ${yearAgo} and ${claim.filed_at} and c.status <> 'withdrawn')::int as identity_categories,
    (select count(*) from orders o where o.customer_id in (select customer_id from identity_accounts)
       and o.created_at between ${yearAgo} and ${claim.filed_at})::int as identity_orders,
    (with rivals as (
        select si.seller_id from linked_sellers si
        where si.seller_id <> ${claim.seller_id}
          and exists (select 1 from products theirs join products ours on ours.category = theirs.category
            where theirs.seller_id = si.seller_id and ours.seller_id = ${claim.seller_id})
        order by si.seller_id
        limit 5)
      select json_build_object('competingSellerId', rivals.seller_id,
        'otherClaims', count(distinct c.id), 'otherAccounts', count(distinct c.customer_id))
      from rivals
      join seller_identities si on si.seller_id = rivals.seller_id
      join customer_identities ci on ci.kind = si.kind and ci.key_id = si.key_id and ci.value_hash = si.value_hash
      join claims c on c.customer_id = ci.customer_id
      where c.seller_id = ${claim.seller_id} and c.id <> ${claim.id} and c.status <> 'withdrawn'
        and c.filed_at between ${yearAgo} and ${claim.filed_at}
      group by rivals.seller_id
      order by count(distinct c.id) desc
      limit 1) as competitor_cluster`;
}

/** The columns `identityLinkFacts` adds to the facts row. */
export interface IdentityLinkColumns {
  linked_claims: {
    claimId: string;
    customerId: string;
    amount: number | string;
    filedAt: string;
    sellerId: string | null;
    kinds: string;
  }[];
  identity_accounts: number;
  identity_claims: number;
  identity_categories: number;
  identity_orders: number;
  competitor_cluster: CompetitorCluster | null;
}

export function identityLinksOf(row: IdentityLinkColumns): {
  linkedClaims: LinkedClaim[];
  identityHistory: IdentityHistory;
  competitorCluster: CompetitorCluster | null;
} {
  const cluster = row.competitor_cluster;
  return {
    linkedClaims: row.linked_claims.map((r) => ({
      claimId: r.claimId,
      customerId: r.customerId,
      amount: Number(r.amount),
      filedAt: new Date(r.filedAt),
      sellerId: r.sellerId,
      sharedKinds: r.kinds.split(',').sort(),
    })),
    // This claim is stored already; an identity with no order row still bought what it claims on.
    identityHistory: {
      accounts: row.identity_accounts,
      claims: Math.max(1, row.identity_claims),
      orders: Math.max(row.identity_orders, row.identity_claims, 1),
      categories: row.identity_categories,
    },
    competitorCluster: cluster
      ? {
          competingSellerId: cluster.competingSellerId,
          otherClaims: Number(cluster.otherClaims),
          otherAccounts: Number(cluster.otherAccounts),
        }
      : null,
  };
}
