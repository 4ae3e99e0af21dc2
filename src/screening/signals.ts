import type { RiskSignal } from '../claims/risk.ts';
import { words } from './minhash.ts';
import { MIN_SHARED_LEMMAS, PARAPHRASE_THRESHOLD } from './paraphrase.ts';

/** Everything the fraud signals read about one claim, loaded by facts-store.ts. */
export interface ScreeningFacts {
  claim: {
    type: string;
    amount: number;
    description: string;
    filedAt: Date;
    incidentAt: Date;
  };
  product: { title: string; category: string } | null;
  /** Unit price × quantity of the order line. */
  itemPrice: number | null;
  deliveredAt: Date | null;
  filingWindowDays: number;
  customer: { accountCreatedAt: Date | null };
  /** Earlier claims on the same line that were paid, approved or denied for abuse. */
  priorClaimsOnLine: { status: string; paid: boolean }[];
  /** The same customer's other claims on the same product with an incident within 2 days. */
  sameIncidentClaims: number;
  customerClaimsLastYear: number;
  customerOrders: number;
  /** Other claimants sharing an address, phone, payment fingerprint or device with this one. */
  linkedClaimants: number;
  linkedToCompetingSeller: boolean;
  /** The most similar description filed by another claimant (Jaccard estimate), if any. */
  closestNarrative: { claimId: string; similarity: number } | null;
  /** The closest retelling by another claimant over content lemmas (paraphrase.ts), if it passes the rule. */
  closestParaphrase?: { claimId: string; similarity: number; sharedLemmas: number } | null;
  /** The 90th percentile amount of past claims of this category and type (null if too few). */
  categoryP90Amount: number | null;
  /** Recent claims on this product by customers not linked to this one. */
  unlinkedProductClaims: number;
  /** A live safety alert on this product for the hazard this claim reports (safety domain). */
  productSafetyAlert: { alertId: string; hazard: string; rule: string } | null;
  /** A public recall notice (CPSC or another regulator's) the claim's product matched. */
  productPublicRecall?: { recallNumber: string; title: string } | null;
  duplicateEvidence: { sameFile: string[]; samePhoto: string[] };
}

/** Signal codes and their default weights in the logistic score (policy data overrides them). */
export const DEFAULT_SIGNAL_WEIGHTS: Record<string, number> = {
  line_already_claimed: 3.5,
  same_incident_refiled: 2.5,
  duplicate_evidence_file: 4.0,
  similar_photo_elsewhere: 3.5,
  frequent_claimant: 1.5,
  high_claim_to_order_ratio: 1.0,
  new_account: 1.0,
  filed_right_after_delivery: 0.8,
  filed_at_window_end: 0.5,
  linked_claimants: 2.0,
  linked_to_competing_seller: 3.0,
  amount_far_above_price: 3.0,
  amount_above_category_norm: 1.0,
  near_duplicate_narrative: 3.0,
  paraphrased_narrative: 3.0,
  narrative_off_product: 0.7,
  product_safety_cluster: -1.5,
  product_safety_alert: -1.5,
  product_public_recall: -1.5,
};

/** Codes that send a claim to an expert whatever the score. */
export const HARD_RULES = new Set([
  'duplicate_evidence_file',
  'similar_photo_elsewhere',
  'claim_ring',
  'paid_line_refiled',
]);

const DAY = 86_400_000;

interface Fired {
  code: string;
  reason: string;
  /** How strongly it fired: 1 normally, more for an extreme case (the weight is multiplied). */
  strength?: number;
  hardRule?: string;
}

/** Pure: which signals fire for these facts, each with the reason a person can check. */
export function detectSignals(f: ScreeningFacts): Fired[] {
  const fired: Fired[] = [];
  const fire = (s: Fired) => fired.push(s);

  if (f.priorClaimsOnLine.length > 0) {
    const paid = f.priorClaimsOnLine.some((c) => c.paid);
    fire({
      code: 'line_already_claimed',
      reason: `this order line was already claimed ${f.priorClaimsOnLine.length} time(s)${paid ? ', and paid' : ''}`,
      ...(paid ? { hardRule: 'paid_line_refiled' } : {}),
    });
  }
  if (f.sameIncidentClaims > 0) {
    fire({
      code: 'same_incident_refiled',
      reason: `the claimant filed ${f.sameIncidentClaims} other claim(s) for an incident with this product within two days`,
    });
  }
  if (f.duplicateEvidence.sameFile.length > 0) {
    fire({
      code: 'duplicate_evidence_file',
      reason: `an identical file (SHA-256) is evidence on claim(s) ${f.duplicateEvidence.sameFile.join(', ')}`,
      hardRule: 'duplicate_evidence_file',
    });
  }
  if (f.duplicateEvidence.samePhoto.length > 0) {
    fire({
      code: 'similar_photo_elsewhere',
      reason: `the same photo, re-encoded or resized, is evidence on claim(s) ${f.duplicateEvidence.samePhoto.join(', ')}`,
      hardRule: 'similar_photo_elsewhere',
    });
  }
  if (f.customerClaimsLastYear >= 2) {
    fire({
      code: 'frequent_claimant',
      reason: `the claimant filed ${f.customerClaimsLastYear} other claims in the past year`,
      strength: f.customerClaimsLastYear >= 4 ? 1.7 : 1,
    });
  }
  if (
    f.customerClaimsLastYear >= 1 &&
    f.customerOrders > 0 &&
    (f.customerClaimsLastYear + 1) / f.customerOrders >= 0.5
  ) {
    fire({
      code: 'high_claim_to_order_ratio',
      reason: `${f.customerClaimsLastYear + 1} claims against ${f.customerOrders} orders`,
    });
  }
  if (
    f.customer.accountCreatedAt &&
    f.claim.filedAt.getTime() - f.customer.accountCreatedAt.getTime() < 30 * DAY
  ) {
    const days = Math.floor((f.claim.filedAt.getTime() - f.customer.accountCreatedAt.getTime()) / DAY);
    fire({ code: 'new_account', reason: `the account was ${days} day(s) old when the claim was filed` });
  }
  if (f.deliveredAt && f.claim.filedAt.getTime() - f.deliveredAt.getTime() < 2 * DAY) {
    fire({ code: 'filed_right_after_delivery', reason: 'filed within two days of delivery' });
  }
  const windowEnd = f.claim.incidentAt.getTime() + f.filingWindowDays * DAY;
  if (windowEnd - f.claim.filedAt.getTime() < 5 * DAY) {
    fire({ code: 'filed_at_window_end', reason: 'filed in the last five days of the filing window' });
  }
  if (f.linkedClaimants > 0) {
    fire({
      code: 'linked_claimants',
      reason: `the claimant shares an address, phone, payment method or device with ${f.linkedClaimants} other claimant(s)`,
      strength: f.linkedClaimants >= 3 ? 1.5 : 1,
      ...(f.linkedClaimants >= 3 ? { hardRule: 'claim_ring' } : {}),
    });
  }
  if (f.linkedToCompetingSeller) {
    fire({
      code: 'linked_to_competing_seller',
      reason: 'the claimant shares contact details with a seller of a competing product',
    });
  }
  if (f.itemPrice && f.claim.type === 'property_damage' && f.claim.amount > 20 * f.itemPrice) {
    fire({
      code: 'amount_far_above_price',
      reason: `claims ${Math.round(f.claim.amount / f.itemPrice)}× the item's price for property damage`,
    });
  }
  if (f.categoryP90Amount && f.claim.amount > 3 * f.categoryP90Amount) {
    fire({
      code: 'amount_above_category_norm',
      reason: `more than three times the usual (90th percentile ${f.categoryP90Amount}) for this category and claim type`,
    });
  }
  if (f.closestNarrative && f.closestNarrative.similarity >= 0.5) {
    fire({
      code: 'near_duplicate_narrative',
      reason: `the description is ${Math.round(f.closestNarrative.similarity * 100)}% similar to another claimant's (${f.closestNarrative.claimId})`,
    });
  }
  // A retelling the shingles missed: a copy already fired above and is not counted twice.
  if (
    f.closestParaphrase &&
    !(f.closestNarrative && f.closestNarrative.similarity >= 0.5) &&
    f.closestParaphrase.similarity >= PARAPHRASE_THRESHOLD &&
    f.closestParaphrase.sharedLemmas >= MIN_SHARED_LEMMAS
  ) {
    fire({
      code: 'paraphrased_narrative',
      reason: `the description retells another claimant's (${f.closestParaphrase.claimId}) in other words: ${f.closestParaphrase.sharedLemmas} content words in common, ${Math.round(f.closestParaphrase.similarity * 100)}% similar over lemmas`,
    });
  }
  if (f.product) {
    const productWords = new Set(
      [...words(f.product.title), ...f.product.category.toLowerCase().split(/[_\s-]+/)].filter(
        (w) => w.length > 2,
      ),
    );
    const described = words(f.claim.description);
    if (productWords.size > 0 && !described.some((w) => [...productWords].some((p) => sameWord(p, w)))) {
      fire({
        code: 'narrative_off_product',
        reason: `the description never mentions the product (${f.product.title}) or its category`,
      });
    }
  }
  if (f.unlinkedProductClaims >= 3) {
    fire({
      code: 'product_safety_cluster',
      reason: `${f.unlinkedProductClaims} unrelated customers claimed on this product recently: a safety signal, not fraud`,
    });
  }
  if (f.productSafetyAlert) {
    fire({
      code: 'product_safety_alert',
      reason: `the product is under safety alert ${f.productSafetyAlert.alertId} for the same hazard (${f.productSafetyAlert.hazard.replace(/_/g, ' ')}): this claim fits a known pattern`,
    });
  }
  if (f.productPublicRecall) {
    fire({
      code: 'product_public_recall',
      reason: `the product is in public recall ${f.productPublicRecall.recallNumber} (${f.productPublicRecall.title}): a regulator already found it hazardous`,
    });
  }
  return fired;
}

/** "kettle" meets "kettles", "heat" meets "heater": a shared stem of four letters or more. */
function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length >= 4 && long.startsWith(short.replace(/s$/, ''));
}

export interface Score {
  score: number;
  signals: RiskSignal[];
  hardRule: string | null;
}

/** Logistic score: σ(bias + Σ weight × strength). Explainable: each term is listed. */
export function score(fired: Fired[], model: { bias: number; weights: Record<string, number> }): Score {
  let z = model.bias;
  const signals: RiskSignal[] = fired.map((s) => {
    const weight = (model.weights[s.code] ?? DEFAULT_SIGNAL_WEIGHTS[s.code] ?? 0) * (s.strength ?? 1);
    z += weight;
    return { code: s.code, reason: s.reason, weight: Math.round(weight * 1000) / 1000 };
  });
  const hardRule = fired.find((s) => s.hardRule)?.hardRule ?? null;
  return { score: Math.round((1 / (1 + Math.exp(-z))) * 10_000) / 10_000, signals, hardRule };
}
