import type { Queryable } from '../platform/db/sql.ts';
import { notFound, unprocessable } from '../platform/errors.ts';
import type { Policy } from './policy.ts';
import { diffPolicies, type PolicyChange } from './policy-diff.ts';
import { findMarketplace, listPolicyVersions } from './store.ts';

export interface PolicyVersionView {
  id: string;
  version: number;
  effectiveAt: string;
  createdBy: string;
  policy: Policy;
}

/** Every policy version of a marketplace, newest first: what each claim was judged under. */
export async function policyVersions(db: Queryable, marketplaceId: string): Promise<PolicyVersionView[]> {
  if (!(await findMarketplace(db, marketplaceId))) throw notFound('marketplace', marketplaceId);
  return (await listPolicyVersions(db, marketplaceId)).map((v) => ({
    id: v.id,
    version: v.version,
    effectiveAt: v.effectiveAt.toISOString(),
    createdBy: v.createdBy,
    policy: v.policy,
  }));
}

/** What changed between two versions of a marketplace's policy, field by field. */
export async function policyVersionDiff(
  db: Queryable,
  marketplaceId: string,
  from: number,
  to: number,
): Promise<{ from: PolicyVersionView; to: PolicyVersionView; changes: PolicyChange[] }> {
  const versions = await policyVersions(db, marketplaceId);
  const find = (version: number, field: string) => {
    const found = versions.find((v) => v.version === version);
    if (!found) throw unprocessable(field, `marketplace ${marketplaceId} has no policy version ${version}`);
    return found;
  };
  const before = find(from, 'query.from');
  const after = find(to, 'query.to');
  return { from: before, to: after, changes: diffPolicies(before.policy, after.policy) };
}
