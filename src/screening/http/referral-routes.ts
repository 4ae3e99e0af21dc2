import { z } from 'zod';
import { ZClaimParams } from '../../claims/http/claims-routes.ts';
import { findEvidence, listExperts } from '../../claims/store.ts';
import { ZExternalId } from '../../marketplace/schemas.ts';
import { sendStoredFile } from '../../platform/blobs/serve-stored-file.ts';
import type { AppContext } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app-types.ts';
import { ZMoney } from '../../platform/money.ts';
import { VERDICTS, ZFindings } from '../findings.schemas.ts';
import { putExpert, ZExpert, ZExpertInput } from '../put-expert.ts';
import { referClaimByAgent } from '../refer-to-expert.ts';
import { referralStates } from '../referral-states.ts';
import { listReferrals, minimisedReferral, recordExpertAccess, requireOwnReferral } from '../referrals.ts';
import { submitFindings } from '../submit-findings.ts';

/** A referral as an expert reads it, from the demo: the claims' ids differ per database. */
const REFERRAL_EXAMPLE = {
  id: 'ref_01m8mt36geewhspb7qxgd0r1nw',
  status: 'open' as const,
  reason: 'frequent_claimant,paraphrased_narrative',
  dueAt: '2026-12-05T05:00:00.000Z',
  verdict: null,
  claim: {
    id: 'clm_01m8mt36geewhspb7qxgd0r1nq',
    status: 'expert_review',
    type: 'personal_injury',
    incidentAt: '2026-11-23T01:56:52.337Z',
    filedAt: '2026-11-28T03:56:52.337Z',
    description: 'While in normal use the electric kettle sparked at the plug and burned the cord.',
    amount: { value: 32494, currency: 'USD' },
    damages: [
      {
        kind: 'medical_bills',
        description: 'Urgent care invoice',
        amount: { value: 32494, currency: 'USD' },
      },
    ],
    product: { title: 'Electric kettle 1.7 l', category: 'kitchen_appliances' },
    claimant: { ageBand: null, region: null, accountAge: null, claimsInPastYear: 3 },
    risk: {
      score: 0.7311,
      hardRule: null,
      signals: [
        {
          code: 'frequent_claimant',
          reason: 'the claimant filed 3 other claims in the past year',
          weight: 1.5,
        },
      ],
    },
    evidence: [],
  },
};

export const ZReferral = z
  .object({
    id: z.string(),
    status: z.enum(referralStates.statuses),
    reason: z.string(),
    dueAt: z.string(),
    verdict: z.enum(VERDICTS).nullable(),
    claim: z.object({
      id: z.string(),
      status: z.string(),
      type: z.string(),
      incidentAt: z.string(),
      filedAt: z.string(),
      description: z.string(),
      amount: ZMoney,
      damages: z.array(z.object({ kind: z.string(), description: z.string(), amount: ZMoney })),
      product: z.object({ title: z.string(), category: z.string() }).nullable(),
      claimant: z
        .object({
          ageBand: z.string().nullable(),
          region: z.string().nullable(),
          accountAge: z.string().nullable(),
          claimsInPastYear: z.number().int(),
        })
        .describe('Minimised: no name, contact, address or payment data'),
      risk: z
        .object({
          score: z.number(),
          hardRule: z.string().nullable(),
          signals: z.array(z.object({ code: z.string(), reason: z.string(), weight: z.number() })),
        })
        .nullable(),
      evidence: z.array(
        z.object({
          id: z.string(),
          mediaType: z.string(),
          sizeBytes: z.number(),
          purpose: z.string(),
          sha256: z.string(),
        }),
      ),
    }),
  })
  .meta({ id: 'Referral', example: REFERRAL_EXAMPLE });

const ZReferralParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .describe('The referral id (ref_…); each demo database has its own, listed by GET /v1/referrals')
    .meta({ example: REFERRAL_EXAMPLE.id }),
});

export function registerReferralRoutes(app: App, ctx: AppContext): void {
  const tags = ['experts'];

  app.route({
    method: 'PUT',
    url: '/v1/experts/:id',
    config: { roles: ['admin'] },
    schema: {
      summary: 'Create or replace an independent fraud expert (give them a key with role expert and this id)',
      description:
        'Creates the expert or replaces its name, firm and marketplace; `active: false` stops new ' +
        'referrals to it (open ones stay). Give the expert an API key with role expert and this id as ' +
        'its party. Admin only. Errors: 422 when the marketplace does not exist, 400 for a bad body.',
      tags,
      params: z.object({
        id: ZExternalId.describe('The expert id; the expert’s API key acts as it (demo: exp-lee)').meta({
          example: 'exp-lee',
        }),
      }),
      body: ZExpertInput,
      response: { 200: ZExpert },
    },
    handler: async (request) => putExpert(ctx, request.params.id, request.body),
  });

  app.route({
    method: 'GET',
    url: '/v1/experts',
    config: { roles: ['agent', 'admin'] },
    schema: {
      summary: 'The active independent experts a claim can be referred to, least busy first',
      description:
        'Every active expert, ordered by open referrals (fewest first), then by id, with how many of those are overdue. Pass an `id` as `expertId` to ' +
        'POST /v1/claims/{id}/referrals to choose the expert; without it the least busy one is taken.',
      tags,
      response: {
        200: z
          .object({
            data: z.array(
              z.object({
                id: z.string(),
                name: z.string(),
                organisation: z.string(),
                marketplaceId: z.string(),
                openReferrals: z.number().int().describe('Referrals made to the expert and not yet answered'),
                overdueReferrals: z
                  .number()
                  .int()
                  .describe(
                    'Of the open referrals, those past their due time (the agent queue "expert overdue")',
                  ),
              }),
            ),
          })
          .meta({
            example: {
              data: [
                {
                  id: 'exp-lee',
                  name: 'J. Lee',
                  organisation: 'Lee Claims Integrity LLC',
                  marketplaceId: 'demo-us',
                  openReferrals: 1,
                  overdueReferrals: 0,
                },
              ],
            },
          }),
      },
    },
    handler: async () => ({ data: await listExperts(ctx.db, ctx.clock.now()) }),
  });

  app.route({
    method: 'POST',
    url: '/v1/claims/:id/referrals',
    config: { roles: ['agent', 'tpa', 'admin'] },
    schema: {
      summary: 'Refer a claim to an independent fraud expert (the least busy one unless named)',
      description:
        'The claim goes to `expert_review` and the expert (named, or the least busy active one) gets a ' +
        "referral due in the marketplace's review time, reading a minimised claim: no name, contact, " +
        'address or payment data. Staff only (admin, agent). Errors: 404 unknown claim, 409 when the ' +
        'claim cannot be referred in its state or already has an open referral, 422 when the named ' +
        'expert is unknown or inactive. Claim ids differ per demo database: list them with GET ' +
        '/v1/claims?status=under_review.',
      tags,
      params: ZClaimParams,
      body: z
        .object({ expertId: ZExternalId.optional(), reason: z.string().trim().min(3).max(2000) })
        .meta({ example: { reason: 'Photos look like stock images' } }),
      response: { 201: ZReferral },
    },
    handler: async (request, reply) => {
      const view = await ctx.db.transaction().execute(async (tx) => {
        const referral = await referClaimByAgent(tx, ctx, request.principal, request.params.id, request.body);
        return minimisedReferral(tx, referral, ctx.clock.now());
      });
      return reply.status(201).send(view);
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/referrals',
    config: { roles: ['expert', 'agent', 'admin'] },
    schema: {
      summary: 'Referrals: an expert sees only those made to them',
      description:
        "Newest first. An expert sees only the referrals made to it, each read recorded in the claim's " +
        'access log; staff see every one. Each holds the minimised claim the expert works from.',
      tags,
      querystring: z.object({
        status: z.enum(referralStates.statuses).optional(),
        cursor: z.string().max(64).optional(),
        limit: z.coerce.number().int().min(1).max(100).default(25),
      }),
      response: {
        200: z
          .object({ data: z.array(ZReferral), nextCursor: z.string().nullable() })
          .meta({ example: { data: [REFERRAL_EXAMPLE], nextCursor: null } }),
      },
    },
    handler: async (request) => {
      const q = request.query;
      const { page, nextCursor } = await listReferrals(
        ctx.db,
        {
          ...(request.principal.role === 'expert' ? { expertId: request.principal.partyId ?? '' } : {}),
          status: q.status,
        },
        q,
      );
      const data = await ctx.db.transaction().execute(async (tx) => {
        const views = [];
        for (const r of page) {
          await recordExpertAccess(tx, ctx, request.principal, r, 'listed');
          views.push(await minimisedReferral(tx, r, ctx.clock.now()));
        }
        return views;
      });
      return { data, nextCursor };
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/referrals/:id',
    config: { roles: ['expert', 'agent', 'admin'] },
    schema: {
      summary: 'A referral with its minimised claim',
      description:
        'The minimised claim: what happened, the amounts, the product, a claimant described only by age ' +
        'band, region, account age and claim count, the risk signals and the evidence list. Callers: the ' +
        'expert it was made to (each read is logged), staff. Errors: 404 when it does not exist or is ' +
        "another expert's.",
      tags,
      params: ZReferralParams,
      response: { 200: ZReferral },
    },
    handler: async (request) =>
      ctx.db.transaction().execute(async (tx) => {
        const referral = await requireOwnReferral(tx, request.principal, request.params.id);
        await recordExpertAccess(tx, ctx, request.principal, referral, 'viewed');
        return minimisedReferral(tx, referral, ctx.clock.now());
      }),
  });

  app.route({
    method: 'GET',
    url: '/v1/referrals/:id/evidence/:evidenceId/content',
    config: { roles: ['expert', 'agent', 'admin'] },
    schema: {
      summary: 'Download evidence of a referred claim',
      description:
        'The file as uploaded, for the expert to examine; the read is logged on the claim. Callers: the ' +
        "expert of the referral, staff. Errors: 404 when the referral is not the caller's or the " +
        "evidence is not its claim's.",
      tags,
      params: ZReferralParams.extend({
        evidenceId: z
          .string()
          .min(1)
          .max(64)
          .describe('An evidence id from the referral’s claim.evidence')
          .meta({ example: 'evd_01m8mt36geewhspb7qxgd0r1nz' }),
      }),
    },
    handler: async (request, reply) => {
      const { referral, evidence } = await ctx.db.transaction().execute(async (tx) => {
        const referral = await requireOwnReferral(tx, request.principal, request.params.id);
        const evidence = (await findEvidence(tx, referral.claim_id)).find(
          (e) => e.id === request.params.evidenceId,
        );
        if (evidence)
          await recordExpertAccess(tx, ctx, request.principal, referral, `downloaded ${evidence.id}`);
        return { referral, evidence };
      });
      const bytes = evidence && (await ctx.blobs.get(evidence.content_sha256));
      if (!evidence || !bytes) throw notFound('evidence', `${request.params.evidenceId} of ${referral.id}`);
      return sendStoredFile(reply, { bytes, mediaType: evidence.media_type, recordId: evidence.id });
    },
  });

  app.route({
    method: 'POST',
    url: '/v1/referrals/:id/findings',
    config: { roles: ['expert'] },
    schema: {
      summary:
        'Return findings: valid sends the claim on; otherwise it is denied with the verdict (appealable)',
      description:
        'The verdict (valid, unsubstantiated, frivolous, abusive), notes and confidence; the claim then ' +
        'goes on: paid or to the seller when valid, denied otherwise, and the outcome teaches screening. ' +
        "Caller: the expert the referral was made to. Errors: 404 not the caller's referral, 409 once it " +
        'was answered or withdrawn, 400 for notes under 10 characters.',
      tags,
      params: ZReferralParams,
      body: ZFindings,
      response: { 200: ZReferral },
    },
    handler: async (request) =>
      ctx.db.transaction().execute(async (tx) => {
        const answered = await submitFindings(tx, ctx, request.principal, request.params.id, request.body);
        return minimisedReferral(tx, answered, ctx.clock.now());
      }),
  });
}
