import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import type { App } from '../../http/app-types.ts';
import { ZPageQuery } from '../../http/paging.ts';
import { createApiKey } from '../api-keys.ts';
import { listApiKeys } from '../list-api-keys.ts';
import { revokeApiKey } from '../revoke-api-key.ts';
import { type Role, ZRole } from '../roles.ts';
import { DEFAULT_OVERLAP_SECONDS, MAX_OVERLAP_SECONDS, rotateApiKey } from '../rotate-api-key.ts';

const tags = ['access'];
/** Admins manage every key; each party manages its own. */
const KEY_HOLDERS: readonly Role[] = ['admin', 'tpa', 'customer', 'seller', 'insurer', 'expert'];
const ZKeyId = z
  .string()
  .min(1)
  .max(64)
  .describe('The key id (key_…), never its secret; GET /v1/api-keys lists them')
  .meta({ example: 'key_01jd8x4m2k3n5p7q9r1s3t5v7w' });
const ZFutureTime = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time' })
  .nullish()
  .transform((v) => (v ? new Date(v) : null));

export const ZCreateApiKeyRequest = z
  .object({
    role: ZRole.describe('What the key may do: the roles of docs/security.md'),
    partyId: z
      .string()
      .min(1)
      .max(200)
      .nullish()
      .describe(
        'Required for customer, seller, insurer, expert and tpa keys: the customer, seller, insurer, expert or ' +
          'third-party administrator id',
      ),
    label: z.string().max(200).nullish().describe('A name for people: which integration holds the key'),
    expiresAt: ZFutureTime.describe('When the key stops working on its own; absent: never'),
  })
  .meta({
    example: {
      role: 'seller',
      partyId: 'slr-acme',
      label: 'Acme integration',
      expiresAt: '2027-06-30T00:00:00Z',
    },
  });

const CREATED_API_KEY_EXAMPLE = {
  id: 'key_01jd8x4m2k3n5p7q9r1s3t5v7w',
  secret: 'rdk_Yf3kQ8x2…',
  role: 'seller' as const,
  partyId: 'slr-acme',
  label: 'Acme integration',
  expiresAt: '2027-06-30T00:00:00.000Z',
};

const API_KEY_EXAMPLE = {
  id: 'key_01jd8x4m2k3n5p7q9r1s3t5v7w',
  role: 'seller' as const,
  partyId: 'slr-acme',
  label: 'Acme integration',
  status: 'active' as const,
  createdAt: '2026-11-16T15:00:00.000Z',
  expiresAt: null,
  lastUsedAt: '2026-11-20T09:41:00.000Z',
  revokedAt: null,
  replacedBy: null,
};

export const ZCreatedApiKey = z
  .object({
    id: z.string().describe('The key id, for listing, revoking and rotating'),
    secret: z.string().describe('Shown only in this response; store it now'),
    role: ZRole,
    partyId: z
      .string()
      .nullable()
      .describe('The party the key acts for (a tpa key: its TPA); null for admin and agent keys'),
    label: z.string().nullable(),
    expiresAt: z.string().nullable().describe('When the key stops working on its own; null: never'),
  })
  .meta({ id: 'CreatedApiKey', example: CREATED_API_KEY_EXAMPLE });

export const ZApiKey = z
  .object({
    id: z.string(),
    role: ZRole,
    partyId: z.string().nullable(),
    label: z.string().nullable(),
    status: z.enum(['active', 'expired', 'revoked']).describe('Whether the key works now'),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    lastUsedAt: z.string().nullable().describe('To the minute: recorded at most once a minute'),
    revokedAt: z.string().nullable(),
    replacedBy: z.string().nullable().describe('The key issued when this one was rotated'),
  })
  .meta({
    id: 'ApiKey',
    description: 'An API key as its managers see it; the secret is never shown again',
    example: API_KEY_EXAMPLE,
  });

function toCreatedView(created: Awaited<ReturnType<typeof createApiKey>>) {
  return { ...created, expiresAt: created.expiresAt?.toISOString() ?? null };
}

export function registerApiKeyRoutes(app: App, ctx: AppContext): void {
  app.route({
    method: 'POST',
    url: '/v1/api-keys',
    config: { roles: ['admin'] },
    schema: {
      summary: 'Create an API key (the secret is returned once)',
      description:
        "Only the key's hash is stored: the secret in the answer cannot be shown again. A key for a customer, " +
        'seller, insurer or expert names its party; it then sees and does only what that party may.',
      tags,
      body: ZCreateApiKeyRequest,
      response: { 201: ZCreatedApiKey },
    },
    handler: async (request, reply) => {
      const created = await createApiKey(ctx.db, ctx.clock, {
        role: request.body.role,
        partyId: request.body.partyId ?? null,
        label: request.body.label ?? null,
        expiresAt: request.body.expiresAt,
      });
      return reply.status(201).send(toCreatedView(created));
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/api-keys',
    config: { roles: KEY_HOLDERS },
    schema: {
      summary: 'List API keys, newest first',
      description:
        'An admin sees every key and may filter by role or party; a customer, seller, insurer or expert ' +
        'sees only the keys of its own party (the filters are ignored). Secrets are never listed.',
      tags,
      querystring: ZPageQuery.extend({
        role: ZRole.optional(),
        partyId: z.string().min(1).max(200).optional(),
      }),
      response: {
        200: z
          .object({
            data: z.array(ZApiKey),
            nextCursor: z.string().nullable().describe('Pass as cursor for the next page'),
          })
          .meta({ example: { data: [API_KEY_EXAMPLE], nextCursor: null } }),
      },
    },
    handler: async (request) => listApiKeys(ctx.db, ctx.clock, request.principal, request.query),
  });

  app.route({
    method: 'POST',
    url: '/v1/api-keys/:id/revoke',
    config: { roles: KEY_HOLDERS },
    schema: {
      summary: 'Revoke an API key and end its sessions, at once',
      description:
        'The next request with the key, or with a session opened with it, answers 401. Revoking a ' +
        'revoked key answers the same. A party may revoke only its own keys; others are 404.',
      tags,
      params: z.object({ id: ZKeyId }),
      response: { 200: ZApiKey },
    },
    handler: async (request) => {
      const revoked = await ctx.db
        .transaction()
        .execute((tx) => revokeApiKey(tx, ctx.clock, request.principal, request.params.id));
      request.log.info({ keyId: revoked.id, by: request.principal.keyId }, 'API key revoked');
      return revoked;
    },
  });

  app.route({
    method: 'POST',
    url: '/v1/api-keys/:id/rotate',
    config: { roles: KEY_HOLDERS },
    schema: {
      summary: 'Rotate an API key: a new key now, the old one expires after an overlap window',
      description:
        'Issues a key with the same role, party and label (its secret is returned once) and sets the ' +
        `old key to expire after \`overlapSeconds\` (default ${DEFAULT_OVERLAP_SECONDS}, 0 for at once), ` +
        'so clients can switch without an outage. Only an active key that was not rotated before can be rotated.',
      tags,
      params: z.object({ id: ZKeyId }),
      body: z
        .object({
          overlapSeconds: z.number().int().min(0).max(MAX_OVERLAP_SECONDS).default(DEFAULT_OVERLAP_SECONDS),
          expiresAt: ZFutureTime.describe('When the new key stops working on its own; absent: never'),
        })
        .meta({ example: { overlapSeconds: 3600 } }),
      response: {
        201: z
          .object({ created: ZCreatedApiKey, previous: ZApiKey })
          .describe('The new key (with its secret, shown once) and the old key as it now stands')
          .meta({
            example: {
              created: { ...CREATED_API_KEY_EXAMPLE, id: 'key_01jd9a0b1c2d3e4f5g6h7j8k9m' },
              previous: {
                ...API_KEY_EXAMPLE,
                expiresAt: '2026-11-20T10:41:00.000Z',
                replacedBy: 'key_01jd9a0b1c2d3e4f5g6h7j8k9m',
              },
            },
          }),
      },
    },
    handler: async (request, reply) => {
      const { created, previous } = await ctx.db.transaction().execute((tx) =>
        rotateApiKey(tx, ctx.clock, request.principal, request.params.id, {
          overlapSeconds: request.body.overlapSeconds,
          expiresAt: request.body.expiresAt,
        }),
      );
      request.log.info(
        { keyId: previous.id, newKeyId: created.id, by: request.principal.keyId },
        'API key rotated',
      );
      return reply.status(201).send({ created: toCreatedView(created), previous });
    },
  });
}
