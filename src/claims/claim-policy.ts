import type { Calendar } from '../marketplace/business-days.ts';
import type { Policy } from '../marketplace/policy.ts';
import { findMarketplace, findPolicyVersion } from '../marketplace/store.ts';
import type { Queryable } from '../platform/db/sql.ts';
import type { ClaimRow } from './store.ts';

/** The policy version a claim was filed under, and its marketplace's calendar. */
export async function loadClaimPolicy(
  db: Queryable,
  claim: ClaimRow,
): Promise<{ policy: Policy; calendar: Calendar }> {
  const version = await findPolicyVersion(db, claim.policy_version_id);
  const marketplace = await findMarketplace(db, claim.marketplace_id);
  return claimPolicyOf(claim, version, marketplace);
}

/** The claim's policy and calendar from its version and marketplace, read by the caller's own statement. */
export function claimPolicyOf(
  claim: Pick<ClaimRow, 'id'>,
  version: { policy: Policy } | null | undefined,
  marketplace: { holiday_calendar: string; time_zone: string } | null | undefined,
): { policy: Policy; calendar: Calendar } {
  if (!version || !marketplace)
    throw new Error(`claim ${claim.id} refers to a missing policy or marketplace`);
  return {
    policy: version.policy,
    calendar: { holidayCalendar: marketplace.holiday_calendar, timeZone: marketplace.time_zone },
  };
}
