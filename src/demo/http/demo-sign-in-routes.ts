import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { findPrincipalBySecret } from '../../platform/auth/api-keys.ts';
import { startSession, ZSession } from '../../platform/auth/http/session-routes.ts';
import { ZRole } from '../../platform/auth/roles.ts';
import type { AppContext } from '../../platform/context.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app-types.ts';
import { DEMO_KEYS } from '../seed-demo.ts';

/**
 * Whether the request came from this machine. The socket's own address, never X-Forwarded-For:
 * a header is the client's word, and a proxy on this machine would make every client "local";
 * behind such a proxy the demo sign-in is simply refused.
 */
export function fromLoopback(remoteAddress: string | undefined, forwardedFor: unknown): boolean {
  if (!remoteAddress || forwardedFor !== undefined || !ipaddr.isValid(remoteAddress)) return false;
  return ipaddr.process(remoteAddress).range() === 'loopback';
}

/**
 * `serve --demo` only: one click signs in as the demo party of a role, for a browser on the
 * same machine. Never on a real marketplace, never from another machine.
 */
export function registerDemoSignInRoutes(app: App, ctx: AppContext): void {
  app.route({
    method: 'POST',
    url: '/v1/sessions/demo',
    config: { roles: 'public', limitedAs: 'sign_in' },
    schema: {
      summary: 'Demo only: sign in as the demo party of a role',
      description:
        'Exists only when the server runs with `serve --demo`, and answers only requests from the ' +
        'loopback address of the machine it runs on (403 otherwise).',
      tags: ['access'],
      body: z.object({ role: ZRole }).meta({ example: { role: 'customer' } }),
      response: { 201: ZSession },
    },
    handler: async (request, reply) => {
      if (!fromLoopback(request.socket.remoteAddress, request.headers['x-forwarded-for'])) {
        throw forbidden('the demo sign-in answers only requests from this machine (loopback)');
      }
      const demo = DEMO_KEYS.find((k) => k.role === request.body.role);
      const key = demo ? await findPrincipalBySecret(ctx.db, demo.secret, ctx.clock.now()) : null;
      if (!key?.keyId) throw notFound('demo key for role', request.body.role);
      return reply.status(201).send(await startSession(ctx, reply, { ...key, keyId: key.keyId }));
    },
  });
}
