import type { Selectable } from 'kysely';
import { recordClaimEvent } from '../claims/history.ts';
import type { RiskAssessment } from '../claims/risk.ts';
import { findEvidence, lockClaim, openClaim } from '../claims/store.ts';
import { findProduct } from '../marketplace/store.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { ReferralsTable } from '../platform/db/database.ts';
import { fetchPage, type PageRequest } from '../platform/db/paging.ts';
import type { Queryable, Tx } from '../platform/db/sql.ts';
import { notFound } from '../platform/errors.ts';
import type { VERDICTS } from './findings.schemas.ts';

/*
 * A referral as the expert and staff read it. The use cases that move one live beside it, one per
 * file: refer-to-expert.ts (open it), submit-findings.ts (answer it), labels.ts (what the outcome
 * teaches screening); they import this module, never the reverse, so no import cycle returns.
 */

export type ReferralRow = Selectable<ReferralsTable>;

export const REFERRAL_TIMERS = { reminder: 'referral.reminder', due: 'referral.due' } as const;

export async function requireOwnReferral(
  db: Queryable,
  principal: Principal,
  referralId: string,
): Promise<ReferralRow> {
  const referral = await db
    .selectFrom('referrals')
    .selectAll()
    .where('id', '=', referralId)
    .executeTakeFirst();
  const staff = principal.role === 'admin' || principal.role === 'agent';
  if (!referral || (!staff && referral.expert_id !== principal.partyId))
    throw notFound('referral', referralId);
  return referral;
}

const ageBand = (birthYear: number | null, now: Date) => {
  if (!birthYear) return null;
  const age = now.getUTCFullYear() - birthYear;
  if (age < 18) return 'under 18';
  if (age >= 75) return '75+';
  const low = age < 25 ? 18 : Math.floor(age / 10) * 10;
  const high = age < 25 ? 24 : low + 9;
  return `${low}–${high}`;
};

const accountAgeBand = (createdAt: Date | null, at: Date) => {
  if (!createdAt) return null;
  const days = (at.getTime() - createdAt.getTime()) / 86_400_000;
  if (days < 30) return 'under 30 days';
  if (days < 365) return '1–12 months';
  if (days < 5 * 365) return '1–5 years';
  return 'over 5 years';
};

/**
 * What an expert sees: the facts needed to judge the claim and nothing that identifies the
 * claimant — no name, e-mail, address, phone or payment data; an age band and a region instead.
 */
export async function minimisedReferral(db: Queryable, referral: ReferralRow, now: Date) {
  const claim = await openClaim(
    db,
    await db.selectFrom('claims').selectAll().where('id', '=', referral.claim_id).executeTakeFirstOrThrow(),
  );
  const customer = await db
    .selectFrom('customers')
    .select(['birth_year', 'region', 'account_created_at'])
    .where('id', '=', claim.customer_id)
    .executeTakeFirstOrThrow();
  const productRow = claim.product_id ? await findProduct(db, claim.product_id) : undefined;
  const product = productRow ? { title: productRow.title, category: productRow.category } : undefined;
  const prior = await db
    .selectFrom('claims')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('customer_id', '=', claim.customer_id)
    .where('id', '!=', claim.id)
    .where('filed_at', '>=', new Date(claim.filed_at.getTime() - 365 * 86_400_000))
    .executeTakeFirst();
  const risk = claim.risk as RiskAssessment | null;
  const money = (value: number) => ({ value, currency: claim.currency });
  return {
    id: referral.id,
    status: referral.status as 'open' | 'answered' | 'withdrawn',
    reason: referral.reason,
    dueAt: referral.due_at.toISOString(),
    verdict: referral.verdict as (typeof VERDICTS)[number] | null,
    claim: {
      id: claim.id,
      status: claim.status,
      type: claim.type,
      incidentAt: claim.incident_at.toISOString(),
      filedAt: claim.filed_at.toISOString(),
      description: claim.description,
      amount: money(claim.amount),
      damages: (claim.damages as { kind: string; description: string; amount: { value: number } }[]).map(
        (d) => ({
          kind: d.kind,
          description: d.description,
          amount: money(d.amount.value),
        }),
      ),
      product: product ?? null,
      claimant: {
        ageBand: ageBand(customer.birth_year, now),
        region: customer.region,
        accountAge: accountAgeBand(customer.account_created_at, claim.filed_at),
        claimsInPastYear: Number(prior?.n ?? 0),
      },
      risk: risk ? { score: risk.score, hardRule: risk.hardRule, signals: risk.signals } : null,
      evidence: (await findEvidence(db, claim.id)).map((e) => ({
        id: e.id,
        mediaType: e.media_type,
        sizeBytes: e.size_bytes,
        purpose: e.purpose,
        sha256: e.sha256,
      })),
    },
  };
}

/** Every look an expert takes is written in the claim's history. */
export async function recordExpertAccess(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  referral: ReferralRow,
  what: string,
) {
  if (principal.role !== 'expert') return;
  const claim = await lockClaim(tx, referral.claim_id);
  if (claim) {
    await recordClaimEvent(tx, ctx.clock, claim, {
      type: 'claim.viewed_by_expert',
      actor: principal,
      reason: what,
      data: { referralId: referral.id },
    });
  }
}

/** One page of referrals, newest first; an expert's own when `expertId` is given. */
export function listReferrals(
  db: Queryable,
  filter: { expertId?: string; status?: string | undefined },
  page: PageRequest,
) {
  let query = db.selectFrom('referrals').selectAll();
  if (filter.expertId !== undefined) query = query.where('expert_id', '=', filter.expertId);
  if (filter.status) query = query.where('status', '=', filter.status);
  return fetchPage(query, page);
}
