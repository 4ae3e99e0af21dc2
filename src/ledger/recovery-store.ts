import { sql } from 'kysely';
import { claimPolicyOf } from '../claims/claim-policy.ts';
import type { ClaimRow } from '../claims/store.ts';
import { knownPoliciesOnFile, POLICIES_ON_FILE_JSON } from '../insurance/store.ts';
import type { Calendar } from '../marketplace/business-days.ts';
import { type Policy, storedPolicy } from '../marketplace/policy.ts';
import { fetchPage, type PageRequest } from '../platform/db/paging.ts';
import type { Queryable, Tx } from '../platform/db/sql.ts';

/** Reading recovery cases; their changes are the use cases in recoveries.ts. */

export const findRecovery = (db: Queryable, id: string) =>
  db.selectFrom('recoveries').selectAll().where('id', '=', id).executeTakeFirst();

/**
 * One page of recovery cases, newest first, narrowed to a seller, an insurer and a status when
 * given (the caller decides which a party is limited to).
 */
export function listRecoveries(
  db: Queryable,
  filter: { sellerId?: string | undefined; insurerId?: string | undefined; status?: string | undefined },
  page: PageRequest,
) {
  let query = db.selectFrom('recoveries').selectAll();
  if (filter.sellerId !== undefined) query = query.where('seller_id', '=', filter.sellerId);
  if (filter.insurerId !== undefined) query = query.where('insurer_id', '=', filter.insurerId);
  if (filter.status) query = query.where('status', '=', filter.status);
  return fetchPage(query, page);
}

/** What the recovery waiver is decided on, read by `loadWaiverFacts`. */
export interface WaiverFacts {
  seller: { id: string; standing: string; insurance_status: string };
  policy: Policy;
  calendar: Calendar;
}

interface WaiverFactsRow {
  seller_id: string;
  standing: string;
  insurance_status: string;
  pv_id: string | null;
  pv_policy: unknown;
  holiday_calendar: string | null;
  time_zone: string | null;
  policies: unknown;
}

/**
 * The seller's standing, the claim's policy version and its marketplace's calendar, and the
 * claim's seller's policies on file, in one statement instead of one each (findSeller,
 * loadClaimPolicy, coveringPolicy). The policies go to the transaction's next `coveringPolicy`
 * (insurance/store.ts `knownPoliciesOnFile`), which judges them as before. Null when the seller
 * is not on file; a missing policy version or marketplace throws, as `loadClaimPolicy` does.
 */
export async function loadWaiverFacts(
  tx: Tx,
  claim: Pick<ClaimRow, 'id' | 'seller_id' | 'policy_version_id' | 'marketplace_id'>,
  sellerId: string,
): Promise<WaiverFacts | null> {
  const { rows } = await sql<WaiverFactsRow>`
    select s.id as seller_id, s.standing, s.insurance_status,
      pv.id as pv_id, pv.policy as pv_policy, m.holiday_calendar, m.time_zone, cover.policies
    from sellers s
    left join policy_versions pv on pv.id = ${claim.policy_version_id}
    left join marketplaces m on m.id = ${claim.marketplace_id}
    left join lateral (
      select ${POLICIES_ON_FILE_JSON} as policies from insurance_policies ip
      join insurers i on i.id = ip.insurer_id where ip.seller_id = ${claim.seller_id}) cover on true
    where s.id = ${sellerId}`.execute(tx);
  const row = rows[0];
  if (!row) return null;
  const rules = claimPolicyOf(
    claim,
    row.pv_id === null ? null : { policy: storedPolicy(row.pv_id, row.pv_policy) },
    row.holiday_calendar === null || row.time_zone === null
      ? null
      : { holiday_calendar: row.holiday_calendar, time_zone: row.time_zone },
  );
  if (claim.seller_id) knownPoliciesOnFile(tx, claim.seller_id, row.policies);
  return {
    seller: { id: row.seller_id, standing: row.standing, insurance_status: row.insurance_status },
    ...rules,
  };
}
