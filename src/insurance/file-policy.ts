import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ZExternalId, ZIsoDateTime } from '../marketplace/schemas.ts';
import { findSeller } from '../marketplace/store.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import { json, type Tx } from '../platform/db/sql.ts';
import { AppError, notFound, unprocessable } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { ZMoney } from '../platform/money.ts';
import { emitInsuranceEvent } from './events.ts';
import { findInsurer, type InsurancePolicyRow, lockPolicy } from './store.ts';

export const ZPolicyInput = z
  .object({
    insurerId: ZExternalId,
    policyNumber: z.string().trim().min(1).max(100),
    perOccurrence: ZMoney,
    aggregate: ZMoney,
    deductible: ZMoney,
    additionalInsured: z.boolean().describe('Whether the marketplace is named as additional insured'),
    effectiveFrom: ZIsoDateTime,
    expiresAt: ZIsoDateTime,
  })
  .meta({
    example: {
      insurerId: 'ins-harbor',
      policyNumber: 'CGL-2026-118204',
      perOccurrence: { value: 100_000_000, currency: 'USD' },
      aggregate: { value: 200_000_000, currency: 'USD' },
      deductible: { value: 500_000, currency: 'USD' },
      additionalInsured: true,
      effectiveFrom: '2026-07-01T00:00:00Z',
      expiresAt: '2027-07-01T00:00:00Z',
    },
  });

export type PolicyInput = z.infer<typeof ZPolicyInput>;

/** A seller may manage only its own insurance; staff manage anyone's. */
export function requireOwnSeller(principal: Principal, sellerId: string): void {
  const staff = principal.role === 'admin' || principal.role === 'agent';
  if (!staff && !(principal.role === 'seller' && principal.partyId === sellerId))
    throw notFound('seller', sellerId);
}

/**
 * Puts a policy on file, waiting for verification. A seller may keep several policies (a
 * renewal beside the one expiring, an umbrella beside the primary); a policy that ended in the
 * past may be filed too, as proof of cover on an earlier incident date.
 */
export async function filePolicy(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  sellerId: string,
  input: PolicyInput,
): Promise<InsurancePolicyRow> {
  requireOwnSeller(principal, sellerId);
  const seller = await findSeller(tx, sellerId);
  if (!seller) throw notFound('seller', sellerId);
  if (!(await findInsurer(tx, input.insurerId))) {
    throw unprocessable(
      'body.insurerId',
      `insurer ${input.insurerId} is not registered with the marketplace`,
    );
  }
  const currency = input.perOccurrence.currency;
  for (const field of ['aggregate', 'deductible'] as const) {
    if (input[field].currency !== currency)
      throw unprocessable(`body.${field}.currency`, `must be ${currency}, as the per-occurrence limit`);
  }
  if (input.aggregate.value < input.perOccurrence.value)
    throw unprocessable('body.aggregate.value', 'must not be below the per-occurrence limit');
  if (new Date(input.expiresAt) <= new Date(input.effectiveFrom))
    throw unprocessable('body.expiresAt', 'must be after effectiveFrom');
  const now = ctx.clock.now();
  const id = newId('insurancePolicy', ctx.clock);
  const inserted = await tx
    .insertInto('insurance_policies')
    .values({
      id,
      seller_id: sellerId,
      insurer_id: input.insurerId,
      policy_number: input.policyNumber,
      per_occurrence: input.perOccurrence.value,
      aggregate: input.aggregate.value,
      deductible: input.deductible.value,
      currency,
      additional_insured: input.additionalInsured,
      effective_from: input.effectiveFrom,
      expires_at: input.expiresAt,
      status: 'pending_verification',
      certificate: null,
      rejection_reason: null,
      verified_at: null,
      verified_by: null,
      source: principal.role === 'seller' ? 'seller' : 'agent',
      quote_id: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['insurer_id', 'policy_number', 'seller_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!inserted)
    throw new AppError('conflict', `policy ${input.policyNumber} of ${input.insurerId} is already on file`);
  await emitInsuranceEvent(tx, ctx.clock, {
    type: 'insurance.policy_filed',
    marketplaceId: seller.marketplace_id,
    subjectId: id,
    sellerId,
    insurerId: input.insurerId,
    data: { policyNumber: input.policyNumber },
  });
  return inserted;
}

export const CERTIFICATE_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;

/**
 * The certificate of insurance, checked by content. Uploading one to a rejected policy puts
 * it back in the queue: the usual reason for a rejection is a wrong or unreadable certificate.
 */
export async function attachCertificate(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  policyId: string,
  file: { bytes: Buffer; filename: string | null },
): Promise<InsurancePolicyRow> {
  const policy = await lockPolicy(tx, policyId);
  if (!policy) throw notFound('insurance policy', policyId);
  requireOwnSeller(principal, policy.seller_id);
  if (policy.status !== 'pending_verification' && policy.status !== 'rejected') {
    throw new AppError(
      'conflict',
      `policy ${policyId} is ${policy.status}; its certificate can no longer change`,
    );
  }
  // Imported with the first policy document, as evidence uploads do (claims/add-evidence.ts).
  const { fileTypeFromBuffer } = await import('file-type');
  const type = await fileTypeFromBuffer(file.bytes);
  if (!type || !(CERTIFICATE_TYPES as readonly string[]).includes(type.mime)) {
    throw new AppError('unsupported_media_type', 'a certificate must be a PDF, PNG or JPEG file', {
      errors: [{ field: 'file', rule: `must be one of ${CERTIFICATE_TYPES.join(', ')}` }],
    });
  }
  const sha256 = createHash('sha256').update(file.bytes).digest('hex');
  await ctx.blobs.put(sha256, file.bytes, tx);
  return tx
    .updateTable('insurance_policies')
    .set({
      certificate: json({
        sha256,
        mediaType: type.mime,
        sizeBytes: file.bytes.length,
        filename: file.filename,
      }),
      status: 'pending_verification',
      rejection_reason: null,
      updated_at: ctx.clock.now(),
    })
    .where('id', '=', policyId)
    .returningAll()
    .executeTakeFirstOrThrow();
}
