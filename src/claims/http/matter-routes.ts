import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/app-types.ts';
import { closeMatter, findMatter, openMatter, ZCloseMatter, ZMatter, ZOpenMatter } from '../matters.ts';
import { ZClaim } from '../views.ts';
import { renderClaim, ZClaimParams } from './claims-routes.ts';

export function registerMatterRoutes(app: App, ctx: AppContext): void {
  const tags = ['matters'];
  app.route({
    method: 'POST',
    url: '/v1/claims/:id/matter',
    config: { roles: ['agent', 'admin'] },
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
    config: { roles: ['agent', 'admin'] },
    schema: {
      summary: "The claim's matter: cause, counsel, court, case number (staff only)",
      tags,
      params: ZClaimParams,
      response: { 200: ZMatter },
    },
    handler: async (request) => findMatter(ctx.db, request.principal, request.params.id),
  });
  app.route({
    method: 'POST',
    url: '/v1/claims/:id/matter/close',
    config: { roles: ['agent', 'admin'] },
    schema: {
      summary: 'A person closes the matter (and a paid or denied claim with it)',
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
