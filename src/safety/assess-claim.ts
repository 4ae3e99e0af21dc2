import type { Selectable } from 'kysely';
import { loadClaimPolicy } from '../claims/claim-policy.ts';
import { recordClaimEvent } from '../claims/history.ts';
import type { ClaimRow } from '../claims/store.ts';
import type { Policy } from '../marketplace/policy.ts';
import { findProduct } from '../marketplace/store.ts';
import { systemPrincipal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { ProductsTable, RecallsTable } from '../platform/db/database.ts';
import { json, type Tx } from '../platform/db/sql.ts';
import { emitSafetyEvent } from './events.ts';
import { latestHazardModel } from './fit-hazard-model.ts';
import { productGroupKeys } from './group-cluster-rules.ts';
import { classifyClaim } from './hazards.ts';
import type { Hazard } from './lexicon.ts';
import { matchClaimToPublicRecalls } from './match-public-recalls.ts';
import { evaluateProductAlerts } from './product-alerts.ts';
import { openRecallOf } from './store.ts';

/**
 * The safety side of a new claim, in its filing transaction: its hazard and severity with the
 * phrases that decided them, the product's open recall and any public recall notice linked, a suspected counterfeit flagged,
 * and the product's thresholds checked, unless the claim waits for a person to code it. Runs before screening, so a claim that completes a
 * safety cluster is screened knowing it.
 */
export async function assessClaimSafety(
  tx: Tx,
  ctx: AppContext,
  claim: ClaimRow,
  /** What a filing already holds (claims/filing-context.ts); read here when absent. */
  known?: {
    product: Selectable<ProductsTable> | null;
    policy: Policy;
    openRecall: Selectable<RecallsTable> | null;
  },
): Promise<ClaimRow> {
  if (!claim.product_id) return claim;
  const product = known ? known.product : await findProduct(tx, claim.product_id);
  if (!product) return claim;
  const policy = known ? known.policy : (await loadClaimPolicy(tx, claim)).policy;
  const rules = policy.safety;
  const text = {
    type: claim.type as 'property_damage' | 'personal_injury',
    description: claim.description,
    damageKinds: (claim.damages as { kind: string }[]).map((d) => d.kind),
    category: product.category,
  };
  const extraTerms = rules.extraTerms as Partial<Record<Hazard, string[]>>;
  let verdict = classifyClaim(text, extraTerms);
  // Only an unsure verdict asks the model fitted on people's coding, so a sure one costs no read.
  if (verdict.review.includes('uncertain_hazard')) {
    const fitted = await latestHazardModel(tx);
    if (fitted) verdict = classifyClaim(text, extraTerms, fitted);
  }
  const now = ctx.clock.now();
  const group = productGroupKeys(product);
  await tx
    .insertInto('claim_hazards')
    .values({
      claim_id: claim.id,
      marketplace_id: claim.marketplace_id,
      product_id: product.id,
      category: product.category,
      hazard: verdict.hazard,
      severity: verdict.severity,
      terms: json(verdict.terms),
      counterfeit: verdict.counterfeit,
      filed_at: claim.filed_at,
      secondary: json(verdict.secondary),
      confidence: verdict.confidence,
      review_reasons: json(verdict.review),
      review_status: verdict.review.length > 0 ? 'pending' : null,
      brand_key: group.brandKey,
      family_key: group.familyKey,
      model_version: verdict.model?.applied ? verdict.model.version : null,
    })
    .execute();
  const recall = known ? known.openRecall : await openRecallOf(tx, product.id);
  const recorded = await recordClaimEvent(
    tx,
    ctx.clock,
    claim,
    {
      type: 'claim.hazard_classified',
      actor: systemPrincipal('safety'),
      reason: verdict.hazard,
      data: {
        hazard: verdict.hazard,
        secondary: verdict.secondary,
        confidence: verdict.confidence,
        severity: verdict.severityLabel,
        severeCandidate: verdict.severeCandidate,
        review: verdict.review,
        counterfeit: verdict.counterfeit,
        terms: verdict.terms,
        model: verdict.model,
        recallId: recall?.id ?? null,
      },
    },
    recall ? { recall_id: recall.id } : {},
  );
  const classified = await matchClaimToPublicRecalls(tx, ctx, recorded, product, claim.marketplace_id);
  if (verdict.counterfeit) {
    if (!product.counterfeit_flagged_at) {
      await tx
        .updateTable('products')
        .set({ counterfeit_flagged_at: now })
        .where('id', '=', product.id)
        .execute();
    }
    await emitSafetyEvent(tx, ctx.clock, {
      type: 'safety.counterfeit_suspected',
      marketplaceId: claim.marketplace_id,
      subjectId: product.id,
      productId: product.id,
      data: { claimId: claim.id, terms: verdict.terms.counterfeit, sellerId: product.seller_id },
    });
  }
  // A claim a person should code raises nothing until they have: an unsure or imagined harm
  // must not open a 24-hour regulator report. Coding it (code-claim-hazard.ts) runs this step.
  if (verdict.review.length === 0) {
    await evaluateProductAlerts(tx, ctx, {
      claim: classified,
      product,
      hazard: verdict.hazard,
      severity: verdict.severity,
      rules,
    });
  }
  return classified;
}
