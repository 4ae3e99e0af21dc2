import { z } from 'zod';
import { ZClaimParams } from '../../claims/http/claims-routes.ts';
import { findEvidence, listExperts } from '../../claims/store.ts';
import { ZExternalId } from '../../marketplace/schemas.ts';
import { sendStoredFile } from '../../platform/blobs/serve-stored-file.ts';
import type { AppContext } from '../../platform/context.ts';
import { notFound, unprocessable } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app-types.ts';
import { fetchPage } from '../../platform/http/paging.ts';
import { ZMoney } from '../../platform/money.ts';
import { referClaimByAgent } from '../refer-to-expert.ts';
import { referralStates } from '../referral-states.ts';
import { minimisedReferral, recordExpertAccess, requireOwnReferral, VERDICTS } from '../referrals.ts';
import { submitFindings, ZFindings } from '../submit-findings.ts';

const ZExpert = z.object({
  id: z.string(),
  marketplaceId: z.string(),
  organisation: z.string(),
  name: z.string(),
  active: z.boolean(),
});

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
  .meta({ id: 'Referral' });

export function registerReferralRoutes(app: App, ctx: AppContext): void {
  const tags = ['experts'];

  app.route({
    method: 'PUT',
    url: '/v1/experts/:id',
    config: { roles: ['admin'] },
    schema: {
      summary: 'Create or replace an independent fraud expert (give them a key with role expert and this id)',
      tags,
      params: z.object({ id: ZExternalId }),
      body: z
        .object({
          marketplaceId: ZExternalId,
          organisation: z.string().min(1).max(200),
          name: z.string().min(1).max(200),
          active: z.boolean().default(true),
        })
        .meta({
          example: {
            marketplaceId: 'mkt_us',
            organisation: 'Veritas Claims Investigation',
            name: 'J. Lee',
            active: true,
          },
        }),
      response: { 200: ZExpert },
    },
    handler: async (request) => {
      const now = ctx.clock.now();
      const b = request.body;
      const market = await ctx.db
        .selectFrom('marketplaces')
        .select('id')
        .where('id', '=', b.marketplaceId)
        .executeTakeFirst();
      if (!market) throw unprocessable('body.marketplaceId', `marketplace ${b.marketplaceId} does not exist`);
      const fields = {
        marketplace_id: b.marketplaceId,
        organisation: b.organisation,
        name: b.name,
        active: b.active,
        updated_at: now,
      };
      const row = await ctx.db
        .insertInto('experts')
        .values({ id: request.params.id, created_at: now, ...fields })
        .onConflict((oc) => oc.column('id').doUpdateSet(fields))
        .returningAll()
        .executeTakeFirstOrThrow();
      return {
        id: row.id,
        marketplaceId: row.marketplace_id,
        organisation: row.organisation,
        name: row.name,
        active: row.active,
      };
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/experts',
    config: { roles: ['agent', 'admin'] },
    schema: {
      summary: 'The active independent experts a claim can be referred to, least busy first',
      description:
        'Every active expert, ordered by open referrals (fewest first), then by id. Pass an `id` as `expertId` to ' +
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
                },
              ],
            },
          }),
      },
    },
    handler: async () => ({ data: await listExperts(ctx.db) }),
  });

  app.route({
    method: 'POST',
    url: '/v1/claims/:id/referrals',
    config: { roles: ['agent', 'tpa', 'admin'] },
    schema: {
      summary: 'Refer a claim to an independent fraud expert (the least busy one unless named)',
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
      tags,
      querystring: z.object({
        status: z.enum(referralStates.statuses).optional(),
        cursor: z.string().max(64).optional(),
        limit: z.coerce.number().int().min(1).max(100).default(25),
      }),
      response: { 200: z.object({ data: z.array(ZReferral), nextCursor: z.string().nullable() }) },
    },
    handler: async (request) => {
      const q = request.query;
      let query = ctx.db.selectFrom('referrals').selectAll();
      if (request.principal.role === 'expert')
        query = query.where('expert_id', '=', request.principal.partyId ?? '');
      if (q.status) query = query.where('status', '=', q.status);
      const { page, nextCursor } = await fetchPage(query, q);
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
      tags,
      params: ZClaimParams,
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
      tags,
      params: ZClaimParams.extend({ evidenceId: z.string().min(1).max(64) }),
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
      tags,
      params: ZClaimParams,
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
