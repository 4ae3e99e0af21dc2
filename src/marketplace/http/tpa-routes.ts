import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/app-types.ts';
import {
  assignTpa,
  findTpa,
  listTpas,
  putTpa,
  TPA_EXAMPLE,
  unassignTpa,
  ZTpa,
  ZTpaAssignmentRequest,
  ZTpaMarketplaceParams,
  ZTpaParams,
  ZTpaRequest,
} from '../tpa/tpas.ts';

/** Third-party administrators: an admin records them and assigns them to marketplaces (docs/tpa.md). */
export function registerTpaRoutes(app: App, ctx: AppContext): void {
  const tags = ['third-party administrators'];

  app.route({
    method: 'PUT',
    url: '/v1/tpas/:id',
    config: { roles: ['admin'] },
    schema: {
      summary: 'Create or rename a third-party administrator (TPA)',
      description:
        "A TPA is an outside firm that works claims as the marketplace's claims agent. Give its people " +
        'keys with role `tpa` and this id as `partyId` (POST /v1/api-keys); it sees nothing until it is ' +
        'assigned to a marketplace (PUT /v1/tpas/{id}/marketplaces/{marketplaceId}).',
      tags,
      params: ZTpaParams,
      body: ZTpaRequest,
      response: { 200: ZTpa },
    },
    handler: async (request) =>
      ctx.db.transaction().execute((tx) => putTpa(tx, ctx.clock, request.params.id, request.body)),
  });

  app.route({
    method: 'GET',
    url: '/v1/tpas',
    config: { roles: ['admin'] },
    schema: {
      summary: 'Every third-party administrator with its marketplaces and assignment log',
      description: "For admins: which outside firm works which marketplace's claims, and since when.",
      tags,
      response: {
        200: z.object({ data: z.array(ZTpa) }).meta({ example: { data: [TPA_EXAMPLE] } }),
      },
    },
    handler: async () => ({ data: await listTpas(ctx.db) }),
  });

  app.route({
    method: 'GET',
    url: '/v1/tpas/:id',
    config: { roles: ['admin', 'tpa'] },
    schema: {
      summary: 'A third-party administrator, its marketplaces and its assignment log',
      description:
        'An admin reads any TPA; a TPA reads only its own record (another is 404), to know which ' +
        'marketplaces it works for now.',
      tags,
      params: ZTpaParams,
      response: { 200: ZTpa },
    },
    handler: async (request) => findTpa(ctx.db, request.principal, request.params.id),
  });

  app.route({
    method: 'PUT',
    url: '/v1/tpas/:id/marketplaces/:marketplaceId',
    config: { roles: ['admin'] },
    schema: {
      summary: "Assign a TPA to a marketplace: it works that marketplace's claims from its next request",
      description:
        'The TPA then sees, lists and works (takes, decides, asks for information, refers, writes notes and ' +
        'messages, decides contests, records matters) the claims of this marketplace, as its agents do, and ' +
        "files claims for its customers; never another marketplace's claims, never admin routes. Logged with " +
        'who assigned it and why. Assigning an assigned TPA again changes nothing.',
      tags,
      params: ZTpaMarketplaceParams,
      body: ZTpaAssignmentRequest,
      response: { 200: ZTpa },
    },
    handler: async (request) =>
      ctx.db
        .transaction()
        .execute((tx) =>
          assignTpa(
            tx,
            ctx.clock,
            request.principal,
            request.params.id,
            request.params.marketplaceId,
            request.body ?? {},
          ),
        ),
  });

  app.route({
    method: 'DELETE',
    url: '/v1/tpas/:id/marketplaces/:marketplaceId',
    config: { roles: ['admin'] },
    schema: {
      summary: "End a TPA's assignment to a marketplace: its access to those claims ends at once",
      description:
        "From its next request the TPA gets 404 for this marketplace's claims, as for any claim not its own. " +
        'Open claims its people owned there go back to the unassigned queue (a `claim.assigned` event with ' +
        'reason `tpa_unassigned` on each). Logged with who unassigned it and why. 409 when it was not assigned.',
      tags,
      params: ZTpaMarketplaceParams,
      querystring: z.object({
        reason: z.string().trim().max(500).optional().describe('Why, for the assignment log'),
      }),
      response: {
        200: z
          .object({
            tpa: ZTpa,
            releasedClaims: z.number().int().describe('Open claims its people owned there, now unassigned'),
          })
          .meta({ example: { tpa: { ...TPA_EXAMPLE, marketplaces: [] }, releasedClaims: 2 } }),
      },
    },
    handler: async (request) =>
      ctx.db.transaction().execute((tx) =>
        unassignTpa(tx, ctx.clock, request.principal, request.params.id, request.params.marketplaceId, {
          ...(request.query.reason ? { reason: request.query.reason } : {}),
        }),
      ),
  });
}
