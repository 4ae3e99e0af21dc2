import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/app-types.ts';
import { CLAIM_HANDLERS } from '../access.ts';
import { closeMatter, findMatter, openMatter, ZCloseMatter, ZMatter, ZOpenMatter } from '../matters.ts';
import { ZClaim } from '../views.ts';
import { renderClaim, ZClaimParams } from './claims-routes.ts';

export function registerMatterRoutes(app: App, ctx: AppContext): void {
  const tags = ['matters'];
  app.route({
    method: 'POST',
    url: '/v1/claims/:id/matter',
    config: { roles: [...CLAIM_HANDLERS] },
    schema: {
      summary: 'The claim went to litigation: make it a matter',
      description:
        "Automated deadlines and step-in stop; only a person closes it. Counsel's details are sealed as personal data; " +
        'counsel and court are never shown to a party.',
      tags,
      params: ZClaimParams,
      body: ZOpenMatter,
      response: { 200: ZClaim },
    },
    handler: async (request) =>
      ctx.db.transaction().execute(async (tx) => {
        const claim = await openMatter(tx, ctx, request.principal, request.params.id, request.body);
        return renderClaim(tx, claim, request.principal);
      }),
  });
  app.route({
    method: 'GET',
    url: '/v1/claims/:id/matter',
    config: { roles: [...CLAIM_HANDLERS] },
    schema: {
      summary: "The claim's matter: cause, counsel, court, case number (staff only)",
      description:
        'The litigation record opened with POST /v1/claims/{id}/matter, kept after it is closed (closedAt and ' +
        'closingNote then say when and how it ended). Counsel is unsealed for staff. 404 when the claim never ' +
        'became a matter; 403 for anyone but staff.',
      tags,
      params: ZClaimParams,
      response: { 200: ZMatter },
    },
    handler: async (request) => findMatter(ctx.db, request.principal, request.params.id),
  });
  app.route({
    method: 'POST',
    url: '/v1/claims/:id/matter/close',
    config: { roles: [...CLAIM_HANDLERS] },
    schema: {
      summary: 'A person closes the matter (and a paid or denied claim with it)',
      description:
        'Records how the litigation ended (`claim.matter_closed`) and lets automation run on the claim again. ' +
        'A paid or denied claim is closed with it (only a person may close a claim in litigation); any other goes ' +
        'back to its ordinary handling, its deadlines re-set by whoever works it next. 409 when the claim is not a ' +
        'matter. Answers with the claim as it stands.',
      tags,
      params: ZClaimParams,
      body: ZCloseMatter,
      response: { 200: ZClaim },
    },
    handler: async (request) =>
      ctx.db.transaction().execute(async (tx) => {
        const claim = await closeMatter(tx, ctx, request.principal, request.params.id, request.body);
        return renderClaim(tx, claim, request.principal);
      }),
  });
}
