import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import type { App } from '../../http/app-types.ts';
import { createApiKey } from '../api-keys.ts';
import { ZRole } from '../roles.ts';

export const ZCreateApiKeyRequest = z
  .object({
    role: ZRole,
    partyId: z
      .string()
      .min(1)
      .max(200)
      .nullish()
      .describe('Required for customer, seller, insurer and expert keys'),
    label: z.string().max(200).nullish(),
  })
  .meta({ example: { role: 'seller', partyId: 'slr_acme', label: 'Acme integration' } });

export const ZCreatedApiKey = z
  .object({
    id: z.string(),
    secret: z.string().describe('Shown only in this response; store it now'),
    role: ZRole,
    partyId: z.string().nullable(),
    label: z.string().nullable(),
  })
  .meta({
    example: {
      id: 'key_01jd…',
      secret: 'rdk_…',
      role: 'seller',
      partyId: 'slr_acme',
      label: 'Acme integration',
    },
  });

export function registerApiKeyRoutes(app: App, ctx: AppContext): void {
  app.route({
    method: 'POST',
    url: '/v1/api-keys',
    config: { roles: ['admin'] },
    schema: {
      summary: 'Create an API key (the secret is returned once)',
      tags: ['access'],
      body: ZCreateApiKeyRequest,
      response: { 201: ZCreatedApiKey },
    },
    handler: async (request, reply) => {
      const created = await createApiKey(ctx.db, ctx.clock, {
        role: request.body.role,
        partyId: request.body.partyId ?? null,
        label: request.body.label ?? null,
      });
      return reply.status(201).send(created);
    },
  });
}
