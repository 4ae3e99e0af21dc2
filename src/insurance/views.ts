import { z } from 'zod';
import { ZMoney } from '../platform/money.ts';
import { ZAppetite } from './appetite.ts';
import { INSURANCE_STATUSES } from './compliance.ts';
import {
  INSURER_EXAMPLE,
  POLICY_EXAMPLE,
  QUOTE_EXAMPLE,
  QUOTE_REQUEST_EXAMPLE,
  SELLER_INSURANCE_EXAMPLE,
} from './examples.ts';
import type { InsurancePolicyRow, InsurerRow, QuoteRequestRow, QuoteRow, TenderRow } from './store.ts';
import { tenderStates } from './tender-states.ts';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export const ZInsurer = z
  .object({
    id: z.string(),
    name: z.string(),
    financialRating: z.string().nullable(),
    contactEmail: z.string().nullable(),
    networkStatus: z.enum(['none', 'applied', 'vetted', 'suspended']),
    vettedAt: z.string().nullable(),
    appetite: ZAppetite.nullable(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Insurer', example: INSURER_EXAMPLE });

export function toInsurerView(r: InsurerRow): z.infer<typeof ZInsurer> {
  return {
    id: r.id,
    name: r.name,
    financialRating: r.financial_rating,
    contactEmail: r.contact_email,
    networkStatus: r.network_status as z.infer<typeof ZInsurer>['networkStatus'],
    vettedAt: iso(r.vetted_at),
    appetite: r.appetite === null ? null : ZAppetite.parse(r.appetite),
    updatedAt: r.updated_at.toISOString(),
  };
}

export const POLICY_STATUSES = ['pending_verification', 'verified', 'rejected', 'expired'] as const;

export const ZInsurancePolicy = z
  .object({
    id: z.string(),
    sellerId: z.string(),
    insurerId: z.string(),
    policyNumber: z.string(),
    perOccurrence: ZMoney,
    aggregate: ZMoney,
    deductible: ZMoney,
    additionalInsured: z.boolean(),
    effectiveFrom: z.string(),
    expiresAt: z.string(),
    status: z.enum(POLICY_STATUSES),
    certificate: z
      .object({
        sha256: z.string(),
        mediaType: z.string(),
        sizeBytes: z.number().int(),
        filename: z.string().nullable(),
      })
      .nullable(),
    rejectionReason: z.string().nullable(),
    verifiedAt: z.string().nullable(),
    verifiedBy: z.string().nullable().describe('The role that verified it: agent, admin or insurer'),
    source: z.enum(['seller', 'agent', 'network']),
    quoteId: z.string().nullable(),
    shortfalls: z
      .array(z.object({ rule: z.string(), detail: z.string() }))
      .describe("Where it falls short of the marketplace's minimum; empty when it meets it"),
    createdAt: z.string(),
  })
  .meta({ id: 'InsurancePolicy', example: POLICY_EXAMPLE });

export type InsurancePolicyView = z.infer<typeof ZInsurancePolicy>;

export function toPolicyView(
  p: InsurancePolicyRow,
  shortfalls: { rule: string; detail: string }[],
): InsurancePolicyView {
  const m = (value: number) => ({ value, currency: p.currency });
  return {
    id: p.id,
    sellerId: p.seller_id,
    insurerId: p.insurer_id,
    policyNumber: p.policy_number,
    perOccurrence: m(p.per_occurrence),
    aggregate: m(p.aggregate),
    deductible: m(p.deductible),
    additionalInsured: p.additional_insured,
    effectiveFrom: p.effective_from.toISOString(),
    expiresAt: p.expires_at.toISOString(),
    status: p.status as InsurancePolicyView['status'],
    certificate: p.certificate,
    rejectionReason: p.rejection_reason,
    verifiedAt: iso(p.verified_at),
    verifiedBy: p.verified_by,
    source: p.source as InsurancePolicyView['source'],
    quoteId: p.quote_id,
    shortfalls,
    createdAt: p.created_at.toISOString(),
  };
}

export const ZSellerInsurance = z
  .object({
    sellerId: z.string(),
    status: z.enum(INSURANCE_STATUSES),
    requiredSince: z.string().nullable().describe('When its sales first passed the threshold'),
    graceUntil: z.string().nullable(),
    coveringPolicyId: z.string().nullable().describe('Verified cover in force now that meets the minimum'),
    policies: z.array(ZInsurancePolicy),
  })
  .meta({ id: 'SellerInsurance', example: SELLER_INSURANCE_EXAMPLE });

export const TENDER_STATUSES = tenderStates.statuses;

export const TENDER_EXAMPLE = {
  id: 'tnd_01m8mde4s63djhp51zndyq2s7n',
  kind: 'claim' as const,
  claimId: 'clm_01m8mde3h3texx32xfxnd1tj85',
  recoveryId: null,
  sellerId: 'slr-acme',
  insurerId: 'ins-harbor',
  policyId: 'ipol_01m8mddy5w99774dfyr6026zjx',
  amount: { value: 260000, currency: 'USD' },
  deductible: { value: 100000, currency: 'USD' },
  status: 'open' as const,
  dueAt: '2026-12-05T05:00:00.000Z',
  question: null,
  information: null,
  declineReason: null,
  paymentReference: null,
  answeredAt: null,
  createdAt: '2026-11-29T19:45:13.339Z',
};

export const ZTender = z
  .object({
    id: z.string(),
    kind: z.enum(['claim', 'recovery']).describe('claim: pay the customer; recovery: repay the marketplace'),
    claimId: z.string(),
    recoveryId: z.string().nullable(),
    sellerId: z.string(),
    insurerId: z.string(),
    policyId: z.string(),
    amount: ZMoney,
    deductible: ZMoney.describe('Charged to the seller, not the insurer'),
    status: z.enum(TENDER_STATUSES),
    dueAt: z.string().describe('The insurer answers by then; after it the marketplace may step in'),
    question: z.string().nullable().describe('What the insurer asked, when it asked for information'),
    information: z.string().nullable(),
    declineReason: z.string().nullable(),
    paymentReference: z
      .string()
      .nullable()
      .describe("The insurer's reference for its payment, given on accepting"),
    answeredAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'Tender', example: TENDER_EXAMPLE });

export function toTenderView(t: TenderRow): z.infer<typeof ZTender> {
  const m = (value: number) => ({ value, currency: t.currency });
  return {
    id: t.id,
    kind: t.kind as 'claim',
    claimId: t.claim_id,
    recoveryId: t.recovery_id,
    sellerId: t.seller_id,
    insurerId: t.insurer_id,
    policyId: t.policy_id,
    amount: m(t.amount),
    deductible: m(t.deductible),
    status: t.status as z.infer<typeof ZTender>['status'],
    dueAt: t.due_at.toISOString(),
    question: t.question,
    information: t.information,
    declineReason: t.decline_reason,
    paymentReference: t.payment_reference,
    answeredAt: iso(t.answered_at),
    createdAt: t.created_at.toISOString(),
  };
}

export const ZQuote = z
  .object({
    id: z.string(),
    requestId: z.string(),
    insurerId: z.string(),
    insurerName: z.string(),
    financialRating: z.string().nullable(),
    source: z.enum(['rating_table', 'api']),
    premium: ZMoney.describe('Per year; the only thing the seller pays'),
    platformFee: ZMoney.describe('Always zero: the marketplace takes no fee on the insurance network'),
    perOccurrence: ZMoney,
    aggregate: ZMoney,
    deductible: ZMoney,
    exclusions: z.array(z.string()),
    rating: z.unknown().nullable().describe('How a rating-table premium was computed'),
    validUntil: z.string(),
    status: z.enum(['offered', 'bind_requested', 'bound', 'not_taken', 'bind_refused']),
    policyId: z.string().nullable(),
  })
  .meta({ id: 'InsuranceQuote', example: QUOTE_EXAMPLE });

export function toQuoteView(q: QuoteRow, insurer: { name: string; financial_rating: string | null }) {
  const m = (value: number) => ({ value, currency: q.currency });
  return {
    id: q.id,
    requestId: q.request_id,
    insurerId: q.insurer_id,
    insurerName: insurer.name,
    financialRating: insurer.financial_rating,
    source: q.source as 'api',
    premium: m(q.premium),
    platformFee: m(q.platform_fee),
    perOccurrence: m(q.per_occurrence),
    aggregate: m(q.aggregate),
    deductible: m(q.deductible),
    exclusions: q.exclusions,
    rating: q.rating,
    validUntil: q.valid_until.toISOString(),
    status: q.status as z.infer<typeof ZQuote>['status'],
    policyId: q.policy_id,
  };
}

export const ZQuoteRequest = z
  .object({
    id: z.string(),
    sellerId: z.string(),
    status: z.enum(['open', 'bound']),
    sales: z.array(z.object({ category: z.string(), annualSales: ZMoney })),
    perOccurrence: ZMoney,
    aggregate: ZMoney,
    claimsHistory: z.object({ claims: z.number().int(), paidAmount: ZMoney, years: z.number().int() }),
    compliance: z.enum(INSURANCE_STATUSES),
    respondBy: z.string().describe('Until when providers that quote by API may answer'),
    quotes: z.array(ZQuote).describe('Side by side, cheapest first'),
    awaiting: z.array(z.string()).describe('Providers invited to quote by API that have not yet'),
    declinedBy: z
      .array(
        z.object({
          insurerId: z.string(),
          name: z.string(),
          rules: z.array(z.object({ rule: z.string(), detail: z.string() })),
        }),
      )
      .describe('Vetted providers whose appetite excluded the seller, and the rules that did'),
    createdAt: z.string(),
  })
  .meta({ id: 'QuoteRequest', example: QUOTE_REQUEST_EXAMPLE });

export function toQuoteRequestView(
  r: QuoteRequestRow,
  quotes: z.infer<typeof ZQuote>[],
  now: Date,
): z.infer<typeof ZQuoteRequest> {
  const m = (value: number) => ({ value, currency: r.currency });
  const quoted = new Set(quotes.map((q) => q.insurerId));
  return {
    id: r.id,
    sellerId: r.seller_id,
    status: r.status as 'open',
    sales: r.sales.map((s) => ({ category: s.category, annualSales: m(s.annualSales) })),
    perOccurrence: m(r.desired_per_occurrence),
    aggregate: m(r.desired_aggregate),
    claimsHistory: {
      claims: r.claims_history.claims,
      paidAmount: m(r.claims_history.paidAmount),
      years: r.claims_history.years,
    },
    compliance: r.compliance as z.infer<typeof ZQuoteRequest>['compliance'],
    respondBy: r.respond_by.toISOString(),
    quotes,
    awaiting: now < r.respond_by ? r.invited.filter((id) => !quoted.has(id)) : [],
    declinedBy: r.declined_by,
    createdAt: r.created_at.toISOString(),
  };
}
