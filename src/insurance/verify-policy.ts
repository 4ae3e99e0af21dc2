import { z } from 'zod';
import { currentPolicyVersion, findSeller } from '../marketplace/store.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { Tx } from '../platform/db/sql.ts';
import { AppError, notFound, unprocessable } from '../platform/errors.ts';
import { scheduleTimer } from '../platform/timers.ts';
import { emitInsuranceEvent } from './events.ts';
import { filePolicy, type PolicyInput } from './file-policy.ts';
import { reviewSellerInsurance } from './review-insurance.ts';
import { type InsurancePolicyRow, lockPolicy } from './store.ts';
import { INSURANCE_TIMERS } from './timer-kinds.ts';

const DAY_MS = 86_400_000;

export const ZPolicyVerification = z
  .discriminatedUnion('decision', [
    z.object({ decision: z.literal('verified') }),
    z.object({
      decision: z.literal('rejected'),
      reason: z.string().trim().min(10, 'must say why in at least 10 characters').max(2000),
    }),
  ])
  .meta({ example: { decision: 'rejected', reason: 'The certificate names another company as insured.' } });

/**
 * An agent, or the insurer that issued the policy, verifies or rejects it. An agent needs the
 * certificate to look at; the insurer is the source of truth and needs none. Verification
 * schedules the expiry and the reminders before it, and may lift the seller's flag at once.
 */
export async function verifyPolicy(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  policyId: string,
  verification: z.infer<typeof ZPolicyVerification>,
): Promise<InsurancePolicyRow> {
  const policy = await lockPolicy(tx, policyId);
  const ownInsurer = principal.role === 'insurer' && policy?.insurer_id === principal.partyId;
  if (!policy || !(ownInsurer || principal.role === 'agent' || principal.role === 'admin')) {
    throw notFound('insurance policy', policyId);
  }
  if (policy.status !== 'pending_verification') {
    throw new AppError('conflict', `policy ${policyId} is ${policy.status}, not pending verification`, {
      extra: { currentStatus: policy.status },
    });
  }
  if (verification.decision === 'verified' && !ownInsurer && !policy.certificate) {
    throw unprocessable('certificate', 'a certificate of insurance must be on file before an agent verifies');
  }
  const now = ctx.clock.now();
  const decided = await tx
    .updateTable('insurance_policies')
    .set(
      verification.decision === 'verified'
        ? { status: 'verified', verified_at: now, verified_by: principal.role, updated_at: now }
        : { status: 'rejected', rejection_reason: verification.reason, updated_at: now },
    )
    .where('id', '=', policyId)
    .returningAll()
    .executeTakeFirstOrThrow();
  const seller = await findSeller(tx, policy.seller_id);
  if (!seller) throw new Error(`policy ${policyId} refers to a missing seller`);
  if (verification.decision === 'verified') await scheduleExpiry(tx, ctx, decided, seller.marketplace_id);
  await emitInsuranceEvent(tx, ctx.clock, {
    type: verification.decision === 'verified' ? 'insurance.policy_verified' : 'insurance.policy_rejected',
    marketplaceId: seller.marketplace_id,
    subjectId: policyId,
    sellerId: policy.seller_id,
    insurerId: policy.insurer_id,
    data: verification.decision === 'rejected' ? { reason: verification.reason } : { by: principal.role },
  });
  await reviewSellerInsurance(tx, ctx, policy.seller_id);
  return decided;
}

/** The expiry of a verified policy, and the reminders the marketplace's policy asks for before it. */
export async function scheduleExpiry(
  tx: Tx,
  ctx: AppContext,
  policy: InsurancePolicyRow,
  marketplaceId: string,
): Promise<void> {
  const now = ctx.clock.now();
  await scheduleTimer(tx, {
    kind: INSURANCE_TIMERS.policyExpires,
    subjectId: policy.id,
    dueAt: policy.expires_at,
    now,
  });
  const version = await currentPolicyVersion(tx, marketplaceId);
  for (const days of version?.policy.insurance.expiryReminderDays ?? []) {
    const dueAt = new Date(policy.expires_at.getTime() - days * DAY_MS);
    if (dueAt > now) {
      await scheduleTimer(tx, {
        kind: INSURANCE_TIMERS.expiryReminder,
        subjectId: `${policy.id}:${days}`,
        dueAt,
        now,
      });
    }
  }
}

/**
 * A policy the marketplace already verified elsewhere (an import from its own systems, the
 * demo): filed and verified in one step. Importing the same policy again changes nothing.
 */
export async function recordVerifiedPolicy(
  tx: Tx,
  ctx: AppContext,
  sellerId: string,
  input: PolicyInput,
): Promise<InsurancePolicyRow> {
  const existing = await tx
    .selectFrom('insurance_policies')
    .selectAll()
    .where('seller_id', '=', sellerId)
    .where('insurer_id', '=', input.insurerId)
    .where('policy_number', '=', input.policyNumber)
    .executeTakeFirst();
  if (existing) return existing;
  const importer: Principal = { role: 'admin', partyId: null, keyId: 'marketplace-record', requestId: null };
  const filed = await filePolicy(tx, ctx, importer, sellerId, input);
  const now = ctx.clock.now();
  const verified = await tx
    .updateTable('insurance_policies')
    .set({ status: 'verified', verified_at: now, verified_by: 'marketplace_record', updated_at: now })
    .where('id', '=', filed.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const seller = await findSeller(tx, sellerId);
  if (seller) await scheduleExpiry(tx, ctx, verified, seller.marketplace_id);
  await reviewSellerInsurance(tx, ctx, sellerId);
  return verified;
}
