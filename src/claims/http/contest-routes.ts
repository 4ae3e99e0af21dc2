import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/app-types.ts';
import { CLAIM_HANDLERS } from '../access.ts';
import { contestClaim, findContest, ZContestRequest } from '../contest-claim.ts';
import { toContestView, ZContest } from '../contest-views.ts';
import { decideContest, ZContestDecision } from '../decide-contest.ts';
import { ZClaimParams } from './claims-routes.ts';

export function registerContestRoutes(app: App, ctx: AppContext): void {
  const tags = ['contests'];

  app.route({
    method: 'POST',
    url: '/v1/claims/:id/contest',
    config: { roles: ['seller', 'insurer'] },
    schema: {
      summary: 'The seller (or its insurer) contests how the marketplace resolved the claim',
      description:
        "Within the policy's `contestDays` (30) calendar days of the marketplace's payment or of the latest " +
        'charge of its recovery, with a written reason and evidence already attached to the claim. Once per ' +
        'claim: the decision is final, and a contest of a contest is refused (409). Out of time: 409 with ' +
        '`rule: contest_window_closed`. Taking part waives no rights or defences.',
      tags,
      params: ZClaimParams,
      body: ZContestRequest,
      response: { 201: ZContest },
    },
    handler: async (request, reply) => {
      const contest = await ctx.db
        .transaction()
        .execute((tx) => contestClaim(tx, ctx, request.principal, request.params.id, request.body));
      return reply.status(201).send(toContestView(contest));
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/claims/:id/contest',
    config: { roles: [...CLAIM_HANDLERS, 'seller', 'insurer'] },
    schema: {
      summary: "The claim's contest: the seller's reason, its evidence, the decision",
      description:
        "Staff and the claim's seller or insurer; 404 when there is none or it is not yours to see.",
      tags,
      params: ZClaimParams,
      response: { 200: ZContest },
    },
    handler: async (request) =>
      toContestView(await findContest(ctx.db, request.principal, request.params.id)),
  });

  app.route({
    method: 'POST',
    url: '/v1/claims/:id/contest/decision',
    config: { roles: [...CLAIM_HANDLERS] },
    schema: {
      summary: 'An agent decides the contest: upheld or reversed',
      description:
        'Upheld: the resolution and any recovery stand. Reversed: every seller recovery of the claim is ' +
        "cancelled in the ledger and what was already taken (offset or paid) is credited back to the seller's " +
        "disbursement balance. The claimant's payment is never touched. A decided contest answers 409.",
      tags,
      params: ZClaimParams,
      body: ZContestDecision,
      response: { 200: ZContest },
    },
    handler: async (request) =>
      toContestView(
        await ctx.db
          .transaction()
          .execute((tx) => decideContest(tx, ctx, request.principal, request.params.id, request.body)),
      ),
  });
}
