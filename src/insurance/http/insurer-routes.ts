import { z } from 'zod';
import { ZExternalId } from '../../marketplace/schemas.ts';
import { isStaff } from '../../platform/auth/roles.ts';
import type { AppContext } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app-types.ts';
import { ZAppetite } from '../appetite.ts';
import { INSURER_EXAMPLE } from '../examples.ts';
import { publishAppetite, putInsurer, vetInsurer, ZInsurerInput, ZVettingDecision } from '../insurers.ts';
import { findInsurer, type InsurerRow, listInsurers } from '../store.ts';
import { toInsurerView, ZInsurer } from '../views.ts';

const ZInsurerParams = z.object({
  id: ZExternalId.describe('The insurer id, chosen by the marketplace (demo: ins-harbor, ins-beacon)').meta({
    example: 'ins-harbor',
  }),
});
const tags = ['insurance network'];

export function registerInsurerRoutes(app: App, ctx: AppContext): void {
  /** Parties see vetted providers (whom they may buy from) and themselves; staff see all. */
  const visible = (principal: Parameters<typeof isStaff>[0], insurer: InsurerRow | undefined) =>
    insurer !== undefined &&
    (isStaff(principal) ||
      insurer.network_status === 'vetted' ||
      (principal.role === 'insurer' && principal.partyId === insurer.id));

  app.route({
    method: 'PUT',
    url: '/v1/insurers/:id',
    config: { roles: ['admin'] },
    schema: {
      summary: 'Register or update an insurer: a seller’s carrier, or a provider applying to the network',
      description:
        'Creates the insurer or replaces its name, rating and contact; its network status and appetite ' +
        "are kept. A seller's policy names its insurer by this id; a provider that wants to quote " +
        'through the network then publishes its appetite. Admin only. Errors: 400 for a bad body.',
      tags,
      params: ZInsurerParams,
      body: ZInsurerInput,
      response: { 200: ZInsurer },
    },
    handler: async (request) => putInsurer(ctx.db, ctx.clock, request.params.id, request.body),
  });

  app.route({
    method: 'GET',
    url: '/v1/insurers',
    config: { roles: ['admin', 'agent', 'seller', 'insurer'] },
    schema: {
      summary: 'Insurers; a seller or insurer sees the vetted network providers (and an insurer itself)',
      description:
        'Staff (admin, agent) see every insurer and may filter by network status; a seller or insurer ' +
        'sees the vetted network providers (whom a seller may buy from) and an insurer also itself. At ' +
        'most 1000, by id.',
      tags,
      querystring: z.object({ networkStatus: ZInsurer.shape.networkStatus.optional() }),
      response: {
        200: z.object({ data: z.array(ZInsurer) }).meta({ example: { data: [INSURER_EXAMPLE] } }),
      },
    },
    handler: async (request) => {
      const rows = await listInsurers(ctx.db, request.query.networkStatus);
      return { data: rows.filter((r) => visible(request.principal, r)).map(toInsurerView) };
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/insurers/:id',
    config: { roles: ['admin', 'agent', 'seller', 'insurer'] },
    schema: {
      summary: 'One insurer with its published appetite',
      description:
        'With its published appetite and rating table. Staff read every insurer; a seller or insurer a ' +
        'vetted provider (and an insurer itself). Errors: 404 for an unknown insurer or one the caller ' +
        'may not see.',
      tags,
      params: ZInsurerParams,
      response: { 200: ZInsurer },
    },
    handler: async (request) => {
      const insurer = await findInsurer(ctx.db, request.params.id);
      if (!insurer || !visible(request.principal, insurer)) throw notFound('insurer', request.params.id);
      return toInsurerView(insurer);
    },
  });

  app.route({
    method: 'PUT',
    url: '/v1/insurers/:id/appetite',
    config: { roles: ['admin', 'insurer'] },
    schema: {
      summary: 'Publish what the provider insures and its rating table (as data)',
      description:
        'What the provider insures (categories, sales, limits, claims history) and how it prices (a ' +
        'rating table, or quotes by API). A provider new to the network becomes `applied` and quotes ' +
        'once an admin vets it. Callers: an admin, or the insurer itself (another insurer gets 403). ' +
        'Errors: 404 unknown insurer, 400 for an appetite that does not validate.',
      tags,
      params: ZInsurerParams,
      body: ZAppetite,
      response: { 200: ZInsurer },
    },
    handler: async (request) =>
      ctx.db
        .transaction()
        .execute((tx) => publishAppetite(tx, ctx.clock, request.principal, request.params.id, request.body)),
  });

  app.route({
    method: 'POST',
    url: '/v1/insurers/:id/vetting',
    config: { roles: ['admin'] },
    schema: {
      summary: 'Vet a provider into the network, or suspend it',
      description:
        '`vetted` lets the provider quote sellers through the network; `suspended` stops its quoting at ' +
        'once (policies already bound stay on file). Admin only. Errors: 404 unknown insurer, 400 for a ' +
        'bad body.',
      tags,
      params: ZInsurerParams,
      body: ZVettingDecision,
      response: { 200: ZInsurer },
    },
    handler: async (request) =>
      ctx.db
        .transaction()
        .execute((tx) => vetInsurer(tx, ctx.clock, request.principal, request.params.id, request.body)),
  });
}
