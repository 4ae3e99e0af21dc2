import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/app-types.ts';
import { ZPolicy } from '../policy.ts';
import { policyVersionDiff, policyVersions } from '../policy-history.ts';
import { ZExternalId } from '../schemas.ts';
import { listMarketplaces } from '../store.ts';
import { MARKETPLACE_EXAMPLE } from './reference-data-routes.ts';

const ZParams = z.object({
  id: ZExternalId.describe("The marketplace's id").meta({ example: MARKETPLACE_EXAMPLE.id }),
});

const VERSION_EXAMPLE = {
  id: MARKETPLACE_EXAMPLE.policyVersion.id,
  version: 1,
  effectiveAt: MARKETPLACE_EXAMPLE.policyVersion.effectiveAt,
  createdBy: 'key_01m8mddxtvmb5g53xjgwd69bs0',
  policy: MARKETPLACE_EXAMPLE.policy,
};

const ZPolicyVersion = z
  .object({
    id: z.string(),
    version: z.number().int().describe('1 for the first policy, one more for each change'),
    effectiveAt: z.string().describe('When the version came into force; claims filed from then on use it'),
    createdBy: z.string().describe('The API key (or role) that made the change'),
    policy: ZPolicy,
  })
  .meta({ id: 'PolicyVersion', example: VERSION_EXAMPLE });

const ZChange = z.object({
  path: z.string().describe('The field, dotted: `insurance.monthlySalesThreshold`'),
  change: z.enum(['added', 'removed', 'changed']),
  before: z.unknown().describe('The value in `from` (null when added)'),
  after: z.unknown().describe('The value in `to` (null when removed)'),
});

/** The admin's view of marketplaces: the list, every policy version, and what changed between two. */
export function registerPolicyVersionRoutes(app: App, ctx: AppContext): void {
  const tags = ['marketplace data'];

  app.route({
    method: 'GET',
    url: '/v1/marketplaces',
    config: { roles: ['admin', 'agent'] },
    schema: {
      summary: 'Every marketplace, by id',
      description:
        'The marketplaces this installation runs, each with its currency, region and zone, for the admin screens. ' +
        'Their policy is at GET /v1/marketplaces/{id}; its history at …/policy-versions.',
      tags,
      response: {
        200: z
          .object({
            data: z.array(
              z.object({
                id: z.string(),
                name: z.string(),
                currency: z.string(),
                region: z.string(),
                timeZone: z.string(),
              }),
            ),
          })
          .meta({
            example: {
              data: [
                {
                  id: MARKETPLACE_EXAMPLE.id,
                  name: MARKETPLACE_EXAMPLE.name,
                  currency: MARKETPLACE_EXAMPLE.currency,
                  region: MARKETPLACE_EXAMPLE.region,
                  timeZone: MARKETPLACE_EXAMPLE.timeZone,
                },
              ],
            },
          }),
      },
    },
    handler: async () => ({
      data: (await listMarketplaces(ctx.db)).map((m) => ({
        id: m.id,
        name: m.name,
        currency: m.currency,
        region: m.region,
        timeZone: m.time_zone,
      })),
    }),
  });

  app.route({
    method: 'GET',
    url: '/v1/marketplaces/:id/policy-versions',
    config: { roles: ['admin', 'agent'] },
    schema: {
      summary: "Every version of a marketplace's policy, newest first",
      description:
        'Each PUT /v1/marketplaces/{id} that changes the policy adds a version, effective from then on; claims keep ' +
        'the version they were filed under (`policyVersionId` on a claim). Each version is whole, defaults filled in.',
      tags,
      params: ZParams,
      response: {
        200: z.object({ data: z.array(ZPolicyVersion) }).meta({ example: { data: [VERSION_EXAMPLE] } }),
      },
    },
    handler: async (request) => ({ data: await policyVersions(ctx.db, request.params.id) }),
  });

  app.route({
    method: 'GET',
    url: '/v1/marketplaces/:id/policy-diff',
    config: { roles: ['admin', 'agent'] },
    schema: {
      summary: 'What changed between two versions of a marketplace’s policy',
      description:
        'Field by field, sorted by dotted path; a list (windows, rules) is compared whole. `from` may be newer than ' +
        '`to`: the diff then reads backwards. A version the marketplace does not have is a 422 naming the field.',
      tags,
      params: ZParams,
      querystring: z.object({
        from: z.coerce.number().int().min(1).describe('A version number, e.g. 1'),
        to: z.coerce.number().int().min(1).describe('Another version number, e.g. 2'),
      }),
      response: {
        200: z.object({ from: ZPolicyVersion, to: ZPolicyVersion, changes: z.array(ZChange) }).meta({
          example: {
            from: VERSION_EXAMPLE,
            to: {
              ...VERSION_EXAMPLE,
              id: 'pol_01m8mf2kq7t3v9x4b6n8c0d2e4',
              version: 2,
              effectiveAt: '2026-11-30T09:00:00.000Z',
              policy: { ...VERSION_EXAMPLE.policy, smallClaimLimit: 50000 },
            },
            changes: [{ path: 'smallClaimLimit', change: 'changed', before: 100000, after: 50000 }],
          },
        }),
      },
    },
    handler: async (request) =>
      policyVersionDiff(ctx.db, request.params.id, request.query.from, request.query.to),
  });
}
