import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../errors.ts';
import type { App } from '../../http/app-types.ts';
import { findPrincipalBySecret } from '../api-keys.ts';
import { type Principal, type Role, ZRole } from '../roles.ts';
import { CSRF_COOKIE, closeSession, openSession, SESSION_COOKIE } from '../sessions.ts';

const tags = ['access'];

export const ZSession = z
  .object({
    role: ZRole,
    partyId: z.string().nullable().describe('The customer, seller, insurer or expert the key acts for'),
    csrfToken: z
      .string()
      .nullable()
      .describe('Send it as the x-csrf-token header on every request that changes something'),
    expiresAt: z.string().nullable().describe('When the session ends unless used; null for a bare API key'),
    via: z
      .enum(['session', 'api_key'])
      .describe('Whether this request came with a session cookie or an API key'),
  })
  .meta({
    id: 'Session',
    example: {
      role: 'seller',
      partyId: 'slr-acme',
      csrfToken: 'q8V3xWm2…',
      expiresAt: '2026-11-30T07:45:00.000Z',
      via: 'session',
    },
  });

/**
 * Opens a session for an API key's holder and sets its cookies: the session itself (HttpOnly,
 * so no script can read it) and the CSRF token (readable by our own page, which echoes it in a
 * header). Both SameSite=Strict and Secure; browsers treat localhost as secure.
 */
export async function startSession(
  ctx: AppContext,
  reply: FastifyReply,
  key: { keyId: string; role: Principal['role']; partyId: string | null },
) {
  const session = await openSession(ctx.db, ctx.clock, key.keyId);
  // No Expires: the server ends the session (its clock, not the browser's, is the one that
  // counts), and a browser cookie dies with the browser anyway.
  const common = { path: '/', sameSite: 'strict' as const, secure: true };
  reply.setCookie(SESSION_COOKIE, session.token, { ...common, httpOnly: true });
  reply.setCookie(CSRF_COOKIE, session.csrfToken, { ...common, httpOnly: false });
  return {
    role: key.role as Role,
    partyId: key.partyId,
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt.toISOString(),
    via: 'session' as const,
  };
}

export function registerSessionRoutes(app: App, ctx: AppContext): void {
  app.route({
    method: 'POST',
    url: '/v1/sessions',
    config: { roles: 'public', limitedAs: 'sign_in' },
    schema: {
      summary: 'Sign in: exchange a personal API key for a browser session (cookie)',
      description:
        'Machines keep sending the key; people sign in once and carry an HttpOnly, SameSite=Strict cookie.',
      tags,
      body: z
        .object({ apiKey: z.string().min(8).max(200) })
        .meta({ example: { apiKey: 'rdk_demo_seller_acme_000000000000000' } }),
      response: { 201: ZSession },
    },
    handler: async (request, reply) => {
      const key = await findPrincipalBySecret(ctx.db, request.body.apiKey, ctx.clock.now());
      if (!key?.keyId)
        throw new AppError('unauthenticated', 'the API key is not known, has been revoked or has expired');
      return reply.status(201).send(await startSession(ctx, reply, { ...key, keyId: key.keyId }));
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/session',
    config: { roles: ['admin', 'agent', 'tpa', 'customer', 'seller', 'insurer', 'expert'] },
    schema: {
      summary: 'Who is signed in (or whose key this is)',
      description:
        'The web app asks this first: the role decides which pages it shows. With an API key instead of a ' +
        'session it answers the key\'s role and party, `via: "api_key"` and no CSRF token.',
      tags,
      response: { 200: ZSession },
    },
    handler: async (request) => ({
      role: request.principal.role as z.infer<typeof ZRole>,
      partyId: request.principal.partyId,
      csrfToken: request.session?.csrfToken ?? null,
      expiresAt: request.session?.expiresAt.toISOString() ?? null,
      via: request.session ? ('session' as const) : ('api_key' as const),
    }),
  });

  app.route({
    method: 'DELETE',
    url: '/v1/session',
    config: { roles: ['admin', 'agent', 'tpa', 'customer', 'seller', 'insurer', 'expert'] },
    schema: {
      summary: 'Sign out: the session ends and its cookies are cleared',
      description: 'Answers 204 with no body. The API key the session was opened with keeps working.',
      tags,
    },
    handler: async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await closeSession(ctx.db, ctx.clock, token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      reply.clearCookie(CSRF_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  });
}
