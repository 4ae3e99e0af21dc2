import { type PayoutRow, payoutQueuedIn } from '../ledger/payouts.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import { writeHeld } from '../platform/db/held-writes.ts';
import type { Tx } from '../platform/db/sql.ts';
import { AppError, forbidden, unprocessable } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { assessClaimSafety } from '../safety/assess-claim.ts';
import { signature } from '../screening/minhash.ts';
import { actsForMarketplace } from './access.ts';
import { addEvidence } from './add-evidence.ts';
import type { FileClaimRequest } from './claim-request.schemas.ts';
import { filingChannel } from './filing-channel.ts';
import { type FilingContext, loadFilingContext } from './filing-context.ts';
import { holdClaimHistory, recordClaimEvent } from './history.ts';
import { screenClaim } from './screen-claim.ts';
import { type ClaimRow, insertClaim, lockClaim, sealClaimDescription, sealNewClaimDamages } from './store.ts';

// The request's shape lives in a zod-only module the web app's filing form imports too.
export type { FileClaimRequest };

/** A file sent with the filing, as add-evidence takes it. */
export type EvidenceFile = Parameters<typeof addEvidence>[4];

function claimantOf(principal: Principal, request: FileClaimRequest): string {
  if (principal.role === 'customer') {
    if (request.customerId && request.customerId !== principal.partyId) {
      throw forbidden('a customer files claims only for itself');
    }
    return principal.partyId ?? '';
  }
  if (!request.customerId) {
    throw new AppError('validation_failed', 'an agent filing for a customer must name the customer', {
      errors: [{ field: 'body.customerId', rule: 'required when an agent files' }],
    });
  }
  return request.customerId;
}

/** A customer files for itself; staff for any customer; a TPA for its marketplaces' customers. */
const actsForCustomerOf = (principal: Principal, marketplaceId: string) =>
  principal.role === 'customer' || actsForMarketplace(principal, marketplaceId);

/**
 * Files a claim and screens it in the same transaction. An ineligible claim is stored and
 * denied with its reason code, never dropped; the caller receives it either way.
 */
export async function fileClaim(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  request: FileClaimRequest,
  files: readonly EvidenceFile[] = [],
): Promise<ClaimRow> {
  const { claim } = await fileClaimInContext(tx, ctx, principal, request, files);
  await writeHeld(tx);
  return claim;
}

/**
 * The filing, returning with the claim the context it was filed in, so the answer is rendered
 * from rows in hand. The context is read by one statement (filing-context.ts) and passed down.
 * The new claim's history is held (history.ts `holdClaimHistory`): the caller runs `writeHeld`
 * before commit, with its own last write if it has one (the route's idempotency record).
 */
export async function fileClaimInContext(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  request: FileClaimRequest,
  files: readonly EvidenceFile[] = [],
): Promise<{ claim: ClaimRow; context: FilingContext; payout: PayoutRow | null }> {
  const customerId = claimantOf(principal, request);
  const channel = filingChannel(principal, request.channel);
  const context = await loadFilingContext(tx, {
    customerId,
    orderId: request.orderId,
    lineId: request.lineId,
  });
  // A TPA files only for its marketplaces' customers; any other is as unknown to it as a missing one.
  if (!context || !actsForCustomerOf(principal, context.customer.marketplaceId))
    throw unprocessable('body.customerId', `customer ${customerId} does not exist`);
  if (context.customer.erasedAt) throw unprocessable('body.customerId', `customer ${customerId} was erased`);
  const policyVersion = context.policyVersion;
  if (!policyVersion) throw new Error(`marketplace ${context.customer.marketplaceId} has no policy`);
  for (const [index, damage] of request.damages.entries()) {
    if (damage.amount.currency !== request.amount.currency) {
      throw unprocessable(
        `body.damages.${index}.amount.currency`,
        'must be the currency of the claimed amount',
      );
    }
  }
  const line = context.line;
  const now = ctx.clock.now();
  const id = newId('claim', ctx.clock);
  const sealedFor = { id, customerId };
  const [inserted] = await insertClaim(tx, {
    id,
    marketplace_id: context.customer.marketplaceId,
    order_id: request.orderId,
    line_id: request.lineId,
    customer_id: customerId,
    seller_id: line?.sellerId ?? null,
    product_id: line?.productId ?? null,
    type: request.type,
    incident_at: request.incidentAt,
    description: await sealClaimDescription(tx, sealedFor, request.description),
    amount: request.amount.value,
    approved_amount: null,
    currency: request.amount.currency,
    damages: await sealNewClaimDamages(tx, sealedFor, request.damages),
    // The narrative's MinHash, kept beside the sealed text so screening can compare stories
    // without opening them; written once with the claim (the description never changes).
    narrative_signature: JSON.stringify(signature(request.description)),
    status: 'screening',
    payer: null,
    policy_version_id: policyVersion.id,
    policy_version: policyVersion.version,
    filed_at: now,
    filed_by_role: principal.role,
    filed_by_id: principal.partyId ?? principal.keyId,
    channel,
    updated_at: now,
    evidence_due_at: request.evidenceToFollow
      ? new Date(now.getTime() + policyVersion.policy.evidenceWindowMinutes * 60_000)
      : null,
  });
  if (!inserted) throw new Error(`claim ${id} was not inserted`);
  // Screening and the safety classifier read the plaintext now, before it is only held sealed.
  const claim = { ...inserted, description: request.description, damages: request.damages };
  holdClaimHistory(tx, id);
  const filed = await recordClaimEvent(tx, ctx.clock, claim, {
    type: 'claim.filed',
    actor: principal,
    data: {
      orderId: request.orderId,
      lineId: request.lineId,
      type: request.type,
      amount: request.amount,
      policyVersion: policyVersion.version,
      channel,
    },
  });
  // Files sent with the filing go through the one evidence path (type check, blob store,
  // photo index) before screening, so the decision sees a photo used on another claim.
  // Evidence reads and locks the claim: its history so far is written first.
  if (files.length > 0) await writeHeld(tx);
  for (const file of files) await addEvidence(tx, ctx, principal, filed.id, file);
  const withEvidence = files.length > 0 ? ((await lockClaim(tx, filed.id)) ?? filed) : filed;
  const rules = { policy: policyVersion.policy, calendar: context.marketplace.calendar };
  const classified = await assessClaimSafety(tx, ctx, withEvidence, {
    product: context.product,
    policy: rules.policy,
    openRecall: context.openRecall,
  });
  const screened = await screenClaim(tx, ctx, classified, principal, {
    rules,
    marketplaceCurrency: context.marketplace.currency,
    order: context.order,
    line: context.line,
    facts: {
      line: context.line,
      product: context.product,
      customerAccountCreatedAt: context.customer.accountCreatedAt,
      evidenceFiles: files.length,
    },
  });
  // A new claim has no payout but the one this filing may have queued: the answer shows it as inserted.
  return { claim: screened, context, payout: payoutQueuedIn(tx, screened.id) ?? null };
}
