import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import { z } from 'zod';
import { requireClaimAccess } from '../claims/access.ts';
import { loadClaimPolicy } from '../claims/claim-policy.ts';
import { moveClaim, recordClaimEvent } from '../claims/history.ts';
import { applyRouting, denyClaim } from '../claims/outcomes.ts';
import { cancelHold, hasHeldPayout, releaseHold } from '../claims/resolve-payout-hold.ts';
import type { RiskAssessment } from '../claims/risk.ts';
import { routeValidClaim } from '../claims/routing.ts';
import { type ClaimRow, findEvidence, lockClaim, openClaim } from '../claims/store.ts';
import { businessDeadline } from '../marketplace/business-days.ts';
import { findProduct } from '../marketplace/store.ts';
import type { Principal } from '../platform/auth/roles.ts';
import type { AppContext } from '../platform/context.ts';
import type { ReferralsTable } from '../platform/db/database.ts';
import type { Queryable, Tx } from '../platform/db/sql.ts';
import { AppError, notFound, unprocessable } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { scheduleTimer } from '../platform/timers.ts';

export type ReferralRow = Selectable<ReferralsTable>;

export const REFERRAL_TIMERS = { reminder: 'referral.reminder', due: 'referral.due' } as const;
export const VERDICTS = ['valid', 'unsubstantiated', 'frivolous', 'abusive'] as const;

export const ZFindings = z
  .object({
    verdict: z.enum(VERDICTS),
    notes: z.string().trim().min(10, 'must explain the finding in at least 10 characters').max(20_000),
    confidence: z.number().min(0).max(1),
  })
  .meta({
    example: {
      verdict: 'abusive',
      notes: 'Same photo as three earlier claims by linked accounts.',
      confidence: 0.9,
    },
  });

/** The expert with the fewest open referrals in the claim's marketplace, so work spreads. */
async function pickExpert(db: Queryable, marketplaceId: string): Promise<string | null> {
  const row = await sql<{ id: string }>`
    select e.id from experts e
    left join referrals r on r.expert_id = e.id and r.status = 'open'
    where e.marketplace_id = ${marketplaceId} and e.active
    group by e.id order by count(r.id), e.id limit 1`.execute(db);
  return row.rows[0]?.id ?? null;
}

/**
 * Refers a claim to an independent expert, with a business-day deadline and a reminder the
 * day before. Without any expert on file the claim waits in expert_review for an agent.
 */
export async function referClaim(
  tx: Tx,
  ctx: AppContext,
  claim: ClaimRow,
  referral: { expertId?: string | null; reason: string; actor: Principal },
): Promise<ReferralRow | null> {
  const expertId = referral.expertId ?? (await pickExpert(tx, claim.marketplace_id));
  if (!expertId) return null;
  const expert = await tx.selectFrom('experts').selectAll().where('id', '=', expertId).executeTakeFirst();
  if (!expert?.active || expert.marketplace_id !== claim.marketplace_id) {
    throw unprocessable(
      'body.expertId',
      `expert ${expertId} is not an active expert of ${claim.marketplace_id}`,
    );
  }
  const open = await tx
    .selectFrom('referrals')
    .select('id')
    .where('claim_id', '=', claim.id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  if (open) throw new AppError('conflict', `claim ${claim.id} is already with an expert (${open.id})`);
  const { policy, calendar } = await loadClaimPolicy(tx, claim);
  const now = ctx.clock.now();
  const dueAt = businessDeadline(now, policy.fraud.expertResponseBusinessDays, calendar);
  const row = await tx
    .insertInto('referrals')
    .values({
      id: newId('referral', ctx.clock),
      claim_id: claim.id,
      expert_id: expertId,
      status: 'open',
      reason: referral.reason,
      due_at: dueAt,
      verdict: null,
      notes: null,
      confidence: null,
      answered_at: null,
      created_at: now,
      created_by: referral.actor.partyId ?? referral.actor.keyId ?? referral.actor.role,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await scheduleTimer(tx, {
    kind: REFERRAL_TIMERS.reminder,
    subjectId: row.id,
    dueAt: new Date(dueAt.getTime() - 86_400_000),
    now,
  });
  await scheduleTimer(tx, { kind: REFERRAL_TIMERS.due, subjectId: row.id, dueAt, now });
  const event = {
    type: 'claim.referred_to_expert' as const,
    actor: referral.actor,
    reason: referral.reason,
    data: { referralId: row.id, expertId, dueAt: dueAt.toISOString() },
  };
  if (claim.status === 'expert_review') await recordClaimEvent(tx, ctx.clock, claim, event);
  else await moveClaim(tx, ctx.clock, claim, 'expert_review', event);
  return row;
}

/** An agent refers a claim by hand (or to a chosen expert). */
export async function referClaimByAgent(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  claimId: string,
  request: { expertId?: string | undefined; reason: string },
): Promise<ReferralRow> {
  const claim = requireClaimAccess(principal, await lockClaim(tx, claimId), claimId);
  if (!['screening', 'under_review', 'awaiting_seller', 'expert_review'].includes(claim.status)) {
    throw new AppError(
      'invalid_transition',
      `claim ${claimId} is ${claim.status}; only a claim still being decided can be referred`,
      {
        extra: { currentStatus: claim.status },
      },
    );
  }
  const referral = await referClaim(tx, ctx, claim, {
    expertId: request.expertId ?? null,
    reason: request.reason,
    actor: principal,
  });
  if (!referral) throw unprocessable('body.expertId', 'no active expert is on file for this marketplace');
  return referral;
}

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

export async function labelOutcome(
  db: Queryable,
  claim: ClaimRow,
  label: { fraudulent: boolean; source: string; at: Date },
): Promise<void> {
  const risk = claim.risk as RiskAssessment | null;
  const signals = risk?.signals.map((s) => s.code) ?? [];
  await db
    .insertInto('screening_labels')
    .values({
      claim_id: claim.id,
      fraudulent: label.fraudulent,
      source: label.source,
      signals: JSON.stringify(signals),
      labelled_at: label.at,
    })
    .onConflict((oc) =>
      oc
        .column('claim_id')
        .doUpdateSet({ fraudulent: label.fraudulent, source: label.source, labelled_at: label.at }),
    )
    .execute();
}

/**
 * The expert's findings move the claim: valid → on to the seller (or paid at once if small);
 * otherwise denied with the verdict as reason code, which the claimant may appeal.
 */
export async function submitFindings(
  tx: Tx,
  ctx: AppContext,
  principal: Principal,
  referralId: string,
  findings: z.infer<typeof ZFindings>,
): Promise<ReferralRow> {
  const referral = await requireOwnReferral(tx, principal, referralId);
  if (principal.role !== 'expert')
    throw new AppError('forbidden', 'findings come from the expert the claim was referred to');
  const locked = await tx
    .selectFrom('referrals')
    .selectAll()
    .where('id', '=', referralId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (locked.status !== 'open') throw new AppError('conflict', `referral ${referralId} is ${locked.status}`);
  const now = ctx.clock.now();
  const answered = await tx
    .updateTable('referrals')
    .set({
      status: 'answered',
      verdict: findings.verdict,
      notes: findings.notes,
      confidence: String(findings.confidence),
      answered_at: now,
    })
    .where('id', '=', referralId)
    .returningAll()
    .executeTakeFirstOrThrow();
  const claim = await lockClaim(tx, referral.claim_id);
  if (!claim) throw notFound('claim', referral.claim_id);
  const recorded = await recordClaimEvent(tx, ctx.clock, claim, {
    type: 'claim.expert_findings',
    actor: principal,
    reason: findings.verdict,
    data: { referralId, confidence: findings.confidence, notes: findings.notes },
  });
  await labelOutcome(tx, recorded, { fraudulent: findings.verdict !== 'valid', source: 'expert', at: now });
  if (recorded.status !== 'expert_review') return answered;
  // Referred because a flag held an approved claim's payout: the findings release or cancel it.
  if (await hasHeldPayout(tx, recorded.id)) {
    if (findings.verdict === 'valid') {
      await releaseHold(tx, ctx, recorded, { actor: principal, reason: 'expert_found_valid' });
    } else {
      await cancelHold(tx, ctx, recorded, { actor: principal, code: findings.verdict, note: findings.notes });
    }
    return answered;
  }
  const rules = await loadClaimPolicy(tx, recorded);
  if (findings.verdict === 'valid') {
    await applyRouting(
      tx,
      ctx,
      recorded,
      routeValidClaim(recorded.amount, rules.policy),
      principal,
      rules,
      'expert_found_valid',
    );
  } else {
    await denyClaim(tx, ctx, recorded, {
      code: findings.verdict,
      actor: principal,
      note: findings.notes,
      rules,
    });
  }
  return answered;
}
