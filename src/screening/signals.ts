/**
 * The fraud signals: pure functions from the facts about one claim to weighted, explained
 * signals. Just over 400 lines on purpose: every signal sits beside the others so their weights
 * and reasons read as one model; the facts are loaded in facts-store.ts, the weights are data in
 * the policy.
 */
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
  /** Claims of the past year by accounts sharing an identity fact with this one (identity-links-store.ts). */
  linkedClaims?: LinkedClaim[];
  /** The claimant's identity (its account and those sharing its phone, payment or device) over 365 days. */
  identityHistory?: IdentityHistory;
  /** Other claims on this claim's seller by accounts linked to the competing seller this one is linked to. */
  competitorCluster?: CompetitorCluster | null;
  /** The policy's small-claim limit (paid at once at or under it) and honest claims per order. */
  smallClaimLimit?: number;
  honestClaimsPerOrder?: number;
}

export interface LinkedClaim {
  claimId: string;
  customerId: string;
  amount: number;
  filedAt: Date;
  sellerId: string | null;
  /** The identity kinds the two accounts share (address, phone, payment_fingerprint, device_id). */
  sharedKinds: string[];
}

export interface IdentityHistory {
  /** Accounts in the identity: the claimant's and those sharing its phone, payment or device. */
  accounts: number;
  /** Claims filed in the past 365 days, this one included. */
  claims: number;
  /** Orders placed in the past 365 days (at least one per claim). */
  orders: number;
  /** Product categories those claims were in. */
  categories: number;
}

export interface CompetitorCluster {
  competingSellerId: string;
  otherClaims: number;
  otherAccounts: number;
}

/** Within this share under the small-claim limit, an amount reads as "just under" it. */
export const UNDER_LIMIT_BAND = 0.1;
/** A serial claimant: the chance of this many claims at the honest rate is at most this. */
export const SERIAL_CLAIMANT_MAX_CHANCE = 1e-4;
/** Honest claims per order when the policy does not say (a marketplace sets its own from its history). */
export const DEFAULT_HONEST_CLAIMS_PER_ORDER = 0.03;

/**
 * P(X ≥ k) for X ~ Binomial(n, p): the chance that an honest identity with n orders files k or
 * more claims at the honest rate p.
 */
export function binomialTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  let term = (1 - p) ** n; // P(X = 0)
  let below = 0;
  for (let i = 0; i < k; i++) {
    below += term;
    term *= ((n - i) / (i + 1)) * (p / (1 - p));
  }
  return Math.max(0, 1 - below);
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
  serial_claimant: 3.0,
  household_under_limit: 3.0,
  shared_device_or_payment: 2.5,
  competitor_cluster: 2.0,
  narrative_off_product: 0.3,
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

/**
 * A retelling this close weighs in full: on the 397 CPSC narratives it keeps 226 of the 270
 * retellings the paraphrase rule finds and matches 1 of 78,606 unrelated pairs (the rule alone: 6).
 */
export const CLOSE_PARAPHRASE = { similarity: 0.45, sharedLemmas: 7 };

interface Fired {
  code: string;
  reason: string;
  /** How strongly it fired: 1 normally, more for an extreme case (the weight is multiplied). */
  strength?: number;
  hardRule?: string;
  /** The facts behind it, stored with the assessment (staff only), so a person can check it. */
  evidence?: Record<string, unknown>;
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
    // A close retelling weighs like a copy; a looser one (two short ER-style notes of one kind of
    // accident can share six words) needs another signal beside it to send the claim to a person.
    const close =
      f.closestParaphrase.similarity >= CLOSE_PARAPHRASE.similarity &&
      f.closestParaphrase.sharedLemmas >= CLOSE_PARAPHRASE.sharedLemmas;
    fire({
      code: 'paraphrased_narrative',
      reason: `the description retells another claimant's (${f.closestParaphrase.claimId}) in other words: ${f.closestParaphrase.sharedLemmas} content words in common, ${Math.round(f.closestParaphrase.similarity * 100)}% similar over lemmas${close ? '' : ' (a loose match)'}`,
      strength: close ? 1 : 0.5,
      evidence: { ...f.closestParaphrase },
    });
  }
  quietAbuse(f, fire);
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
    return {
      code: s.code,
      reason: s.reason,
      weight: Math.round(weight * 1000) / 1000,
      ...(s.evidence ? { evidence: s.evidence } : {}),
    };
  });
  const hardRule = fired.find((s) => s.hardRule)?.hardRule ?? null;
  return { score: Math.round((1 / (1 + Math.exp(-z))) * 10_000) / 10_000, signals, hardRule };
}

/**
 * Abuse that does not announce itself, read from the accounts around the claimant (all through
 * keyed identity hashes): a serial claimant whose claims over a year are improbable at the
 * honest rate; one household's claims just under the small-claim limit; accounts that share a
 * device or a payment method but not a home; accounts linked to a competing seller claiming on
 * one seller.
 */
function quietAbuse(f: ScreeningFacts, fire: (s: Fired) => void): void {
  const h = f.identityHistory;
  const rate = f.honestClaimsPerOrder ?? DEFAULT_HONEST_CLAIMS_PER_ORDER;
  if (h && h.claims >= 3) {
    const chance = binomialTail(h.claims, h.orders, rate);
    if (chance <= SERIAL_CLAIMANT_MAX_CHANCE) {
      fire({
        code: 'serial_claimant',
        reason: `${h.claims} claims in the past year on ${h.orders} orders (${h.categories} categories${h.accounts > 1 ? `, ${h.accounts} accounts sharing a phone, payment method or device` : ''}); at the honest rate of ${Math.round(rate * 1000) / 10} claims per 100 orders the chance is 1 in ${Math.round(1 / Math.max(chance, 1e-12)).toLocaleString('en-US')}`,
        strength: chance <= SERIAL_CLAIMANT_MAX_CHANCE / 100 ? 1.3 : 1,
        evidence: { ...h, honestClaimsPerOrder: rate, chance },
      });
    }
  }
  const linked = f.linkedClaims ?? [];
  const limit = f.smallClaimLimit;
  const underLimit = (amount: number) =>
    limit !== undefined && amount <= limit && amount >= limit * (1 - UNDER_LIMIT_BAND);
  if (underLimit(f.claim.amount)) {
    const household = linked.filter((c) => underLimit(c.amount));
    if (household.length > 0) {
      fire({
        code: 'household_under_limit',
        reason: `${household.length} other claim(s) in the past year by accounts sharing an address, phone, payment method or device were also just under the small-claim limit (${limit})`,
        strength: household.length >= 2 ? 1.3 : 1,
        evidence: {
          smallClaimLimit: limit,
          amount: f.claim.amount,
          claims: household.map((c) => ({ claimId: c.claimId, amount: c.amount, shared: c.sharedKinds })),
        },
      });
    }
  }
  // A family shares a tablet and a card at one address; strangers sharing only those are a ring.
  const strangers = linked.filter(
    (c) =>
      !c.sharedKinds.includes('address') &&
      c.sharedKinds.some((k) => k === 'device_id' || k === 'payment_fingerprint'),
  );
  if (strangers.length > 0) {
    const accounts = new Set(strangers.map((c) => c.customerId));
    fire({
      code: 'shared_device_or_payment',
      reason: `shares a device or payment method, but no address, with ${accounts.size} other claimant(s) of the past year`,
      evidence: {
        claims: strangers.map((c) => ({ claimId: c.claimId, shared: c.sharedKinds })),
      },
    });
  }
  const cluster = f.competitorCluster;
  if (cluster && cluster.otherClaims > 0) {
    fire({
      code: 'competitor_cluster',
      reason: `${cluster.otherClaims} other claim(s) on this seller in the past year by ${cluster.otherAccounts} account(s) linked to the same competing seller`,
      evidence: { ...cluster },
    });
  }
}
