import { z } from 'zod';
import { partyStatus } from '../notifications/catalogue.ts';
import type { Principal } from '../platform/auth/roles.ts';
import { dateTimeFormat } from '../platform/locale.ts';
import { ZMoney } from '../platform/money.ts';
import { handlesClaim } from './access.ts';
import { CLAIM_ACTIONS, claimActions } from './claim-actions.ts';
import { CLAIM_EXAMPLE } from './examples.ts';
import { FILING_CHANNELS, type FilingChannel } from './filing-channel.ts';
import { CLAIM_STATUSES } from './lifecycle.ts';
import type { ClaimNames } from './party-names.ts';
import type { RiskAssessment } from './risk.ts';
import type { ClaimRow } from './store.ts';

export const ZDeadline = z
  .object({
    at: z.string().describe('The moment it passes, UTC'),
    local: z.string().describe("The same moment in the marketplace's time zone, with its offset"),
    timeZone: z.string(),
  })
  .nullable();

export const ZClaim = z
  .object({
    id: z.string(),
    claimNumber: z
      .string()
      .describe(
        'The number people read aloud on the phone, from the last 8 characters of the id (Crockford base32: no I, L, O or U), e.g. R-7K2M-9XQ3',
      ),
    productTitle: z.string().nullable(),
    sellerName: z.string().nullable(),
    customerName: z
      .string()
      .nullable()
      .describe("Staff see it; the seller and insurer only when the claim's policy allows; the expert never"),
    marketplaceId: z.string(),
    orderId: z.string(),
    lineId: z.string(),
    customerId: z.string(),
    sellerId: z.string().nullable(),
    productId: z.string().nullable(),
    type: z.enum(['property_damage', 'personal_injury']),
    incidentAt: z.string(),
    description: z.string(),
    amount: ZMoney,
    approvedAmount: ZMoney.nullable(),
    damages: z.array(z.object({ kind: z.string(), description: z.string(), amount: ZMoney })),
    status: z.enum(CLAIM_STATUSES),
    payer: z.enum(['marketplace', 'seller', 'insurer']).nullable(),
    stepIn: z.boolean(),
    insurerId: z
      .string()
      .nullable()
      .describe('The insurer a tender or recovery went to; not shown to the claimant'),
    recallId: z.string().nullable().describe("The recall of the claim's product, if any"),
    coveringPolicyId: z
      .string()
      .nullable()
      .describe(
        "The seller's verified policy in force on the incident date, recorded at the decision; not shown to the claimant",
      ),
    reviewKind: z.enum(['risk', 'dispute', 'appeal']).nullable(),
    policyVersion: z.object({ id: z.string(), version: z.number().int() }),
    deadlines: z.object({
      sellerResponse: ZDeadline,
      claimantInformation: ZDeadline,
      appeal: ZDeadline,
      review: ZDeadline.describe(
        'When the review in progress (risk, dispute, appeal) is due; past it the review escalates and a new date is set',
      ),
    }),
    owner: z
      .object({ id: z.string(), name: z.string(), since: z.string().nullable() })
      .nullable()
      .describe('Staff only: the agent working the claim'),
    reviewEscalatedAt: z.string().nullable().describe('Staff only: when the review last passed its due time'),
    filing: z
      .object({
        channel: z
          .enum(FILING_CHANNELS)
          .nullable()
          .describe(
            'web or api: the claimant filed itself; phone, email, letter or chat: staff took it down',
          ),
        filedBy: z
          .object({ role: z.string(), id: z.string().nullable() })
          .describe('Who filed it: the customer, or the agent or TPA (its party or key id) who took it down'),
      })
      .nullable()
      .describe('Staff only: how the claim came in and who filed it (null for others)'),
    denialReason: z.string().nullable(),
    sellerResponse: z
      .object({
        action: z.string(),
        defense: z.string().nullable(),
        evidenceIds: z.array(z.string()),
        late: z.boolean(),
      })
      .nullable()
      .describe(
        "The seller's answer. Staff, the seller and its insurer see it whole; the claimant sees what the seller did, never its defence text or evidence",
      ),
    risk: z
      .object({
        score: z.number(),
        outcome: z.string(),
        hardRule: z.string().nullable(),
        signals: z.array(z.object({ code: z.string(), reason: z.string(), weight: z.number() })),
      })
      .nullable()
      .describe('Shown to staff only'),
    payment: z
      .object({
        payoutId: z.string(),
        payer: z.enum(['marketplace', 'seller', 'insurer']),
        status: z
          .enum(['pending', 'executing', 'settled', 'failed', 'held', 'cancelled'])
          .describe('held: waiting while a detail of the claim is checked; cancelled: will not be paid'),
        amount: ZMoney,
        reference: z.string().nullable(),
        settledAt: z.string().nullable(),
      })
      .nullable(),
    recovery: z
      .object({ id: z.string(), status: z.string(), amount: ZMoney, waiverReason: z.string().nullable() })
      .nullable(),
    deadlinePaymentConfirmation: ZDeadline.describe(
      'When an accepting seller or insurer must confirm payment',
    ),
    actions: z
      .array(
        z.object({
          name: z.enum(CLAIM_ACTIONS),
          deadline: ZDeadline.describe('When it must be done by; null when nothing presses'),
        }),
      )
      .describe(
        'What the caller may do to the claim now, computed on the server from the transition table, the ' +
          "claim's state and the caller's role and ownership (src/claims/claim-actions.ts). Each name is one " +
          'route: decide (POST …/decision), request_information (…/information-request), refer_to_expert ' +
          '(…/referrals; in expert_review with no expert it reads "assign an expert"), resolve_hold ' +
          '(…/payout-hold), take, reassign, release (…/assignment), note (…/notes), message_claimant, ' +
          'message_seller, message (…/messages), provide_information (…/information), appeal, withdraw, ' +
          'respond and defend (…/seller-response).',
      ),
    appealed: z.boolean(),
    filedAt: z.string(),
    decidedAt: z.string().nullable(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Claim', example: CLAIM_EXAMPLE });

export type ClaimView = z.infer<typeof ZClaim>;

function localTime(at: Date, timeZone: string): string {
  const parts = dateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'longOffset',
  }).format(at);
  // "2026-11-25 00:00:00 GMT−05:00" → "2026-11-25T00:00:00-05:00"
  const [date, time, zone] = parts.split(' ');
  const offset = (zone ?? 'GMT').replace('GMT', '').replace('−', '-') || '+00:00';
  return `${date}T${time}${offset}`;
}

/** A deadline as shown everywhere: UTC, the marketplace's local time with its offset, and the zone. */
export const deadline = (at: Date | null, timeZone: string) =>
  at ? { at: at.toISOString(), local: localTime(at, timeZone), timeZone } : null;

export interface ClaimMoney {
  payout?: {
    id: string;
    payer: string;
    status: string;
    amount: number;
    provider_reference: string | null;
    settled_at: Date | null;
  };
  recovery?: { id: string; status: string; amount: number; waiver_reason: string | null };
  /** An expert has an open referral on the claim. */
  withExpert?: boolean;
}

/** "clm_01jd…9xq3" → "R-7K2M-9XQ3": short enough to read aloud, taken from the id's random end. */
export function claimNumber(id: string): string {
  const tail = id.slice(-8).toUpperCase();
  return `R-${tail.slice(0, 4)}-${tail.slice(4)}`;
}

const NO_NAMES: ClaimNames = {
  productTitle: null,
  sellerName: null,
  customerName: null,
  sellerSeesCustomerName: false,
};

/** Staff see the claimant's name; the seller and its insurer only as the policy allows; an expert never. */
function customerNameFor(viewer: Principal, claim: ClaimRow, names: ClaimNames): string | null {
  if (handlesClaim(viewer, claim)) return names.customerName;
  if (viewer.role === 'customer') return viewer.partyId === claim.customer_id ? names.customerName : null;
  if (viewer.role === 'seller' || viewer.role === 'insurer')
    return names.sellerSeesCustomerName ? names.customerName : null;
  return null;
}

/** The claimant learns what the seller did and whether it was late, never the defence it argued. */
function sellerResponseFor(
  viewer: Principal,
  response: ClaimView['sellerResponse'],
): ClaimView['sellerResponse'] {
  if (!response || viewer.role !== 'customer') return response;
  return { action: response.action, defense: null, evidenceIds: [], late: response.late };
}

export function toClaimView(
  claim: ClaimRow,
  timeZone: string,
  viewer: Principal,
  paid: ClaimMoney = {},
  names: ClaimNames = NO_NAMES,
): ClaimView {
  const money = (value: number) => ({ value, currency: claim.currency });
  const risk = claim.risk as RiskAssessment | null;
  const staff = handlesClaim(viewer, claim);
  // A party sees an expert referral or a risk review as a review like any other (catalogue.ts).
  const status = (staff ? claim.status : partyStatus(claim.status)) as ClaimView['status'];
  const reviewKind = (
    staff || claim.review_kind !== 'risk' ? claim.review_kind : null
  ) as ClaimView['reviewKind'];
  const response = claim.seller_response as ClaimView['sellerResponse'];
  // Which insurer and which policy cover the seller is between the seller, its insurer and staff.
  const claimant = viewer.role === 'customer';
  return {
    id: claim.id,
    claimNumber: claimNumber(claim.id),
    productTitle: names.productTitle,
    sellerName: names.sellerName,
    customerName: customerNameFor(viewer, claim, names),
    marketplaceId: claim.marketplace_id,
    orderId: claim.order_id,
    lineId: claim.line_id,
    customerId: claim.customer_id,
    sellerId: claim.seller_id,
    productId: claim.product_id,
    type: claim.type as ClaimView['type'],
    incidentAt: claim.incident_at.toISOString(),
    description: claim.description,
    amount: money(claim.amount),
    approvedAmount: claim.approved_amount === null ? null : money(claim.approved_amount),
    damages: claim.damages as ClaimView['damages'],
    status,
    payer: claim.payer as ClaimView['payer'],
    stepIn: claim.step_in,
    insurerId: claimant ? null : claim.insurer_id,
    recallId: claim.recall_id,
    coveringPolicyId: claimant ? null : claim.covering_policy_id,
    reviewKind,
    policyVersion: { id: claim.policy_version_id, version: claim.policy_version },
    deadlines: {
      sellerResponse: claim.status === 'awaiting_seller' ? deadline(claim.seller_deadline, timeZone) : null,
      claimantInformation: claim.status === 'needs_info' ? deadline(claim.info_deadline, timeZone) : null,
      appeal:
        claim.status === 'denied' && !claim.appealed_at ? deadline(claim.appeal_deadline, timeZone) : null,
      review: claim.status === 'under_review' ? deadline(claim.review_due_at, timeZone) : null,
    },
    owner:
      staff && claim.owner_id
        ? {
            id: claim.owner_id,
            name: claim.owner_name ?? claim.owner_id,
            since: claim.owner_since?.toISOString() ?? null,
          }
        : null,
    reviewEscalatedAt: staff ? (claim.review_escalated_at?.toISOString() ?? null) : null,
    filing: staff
      ? {
          channel: (claim.channel ?? null) as FilingChannel | null,
          filedBy: { role: claim.filed_by_role, id: claim.filed_by_id },
        }
      : null,
    denialReason: claim.denial_reason,
    sellerResponse: sellerResponseFor(viewer, response),
    risk:
      risk && staff
        ? { score: risk.score, outcome: risk.outcome, hardRule: risk.hardRule, signals: risk.signals }
        : null,
    payment: paid.payout
      ? {
          payoutId: paid.payout.id,
          payer: paid.payout.payer as 'marketplace',
          status: paid.payout.status as 'settled',
          amount: { value: paid.payout.amount, currency: claim.currency },
          reference: paid.payout.provider_reference,
          settledAt: paid.payout.settled_at?.toISOString() ?? null,
        }
      : null,
    recovery: paid.recovery
      ? {
          id: paid.recovery.id,
          status: paid.recovery.status,
          amount: { value: paid.recovery.amount, currency: claim.currency },
          waiverReason: paid.recovery.waiver_reason,
        }
      : null,
    deadlinePaymentConfirmation:
      claim.status === 'approved' && claim.payer !== 'marketplace'
        ? deadline(claim.payment_deadline, timeZone)
        : null,
    actions: claimActions(
      {
        ...claim,
        payoutHeld: paid.payout?.status === 'held',
        payoutUnderway: ['executing', 'settled'].includes(paid.payout?.status ?? ''),
        withExpert: paid.withExpert ?? false,
      },
      viewer,
    ).map((a) => ({ name: a.name, deadline: deadline(a.due, timeZone) })),
    appealed: claim.appealed_at !== null,
    filedAt: claim.filed_at.toISOString(),
    decidedAt: claim.decided_at?.toISOString() ?? null,
    updatedAt: claim.updated_at.toISOString(),
  };
}
