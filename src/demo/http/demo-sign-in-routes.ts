import { z } from 'zod';
import { findPrincipalBySecret } from '../../platform/auth/api-keys.ts';
import { startSession, ZSession } from '../../platform/auth/http/session-routes.ts';
import { ZRole } from '../../platform/auth/roles.ts';
import type { AppContext } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app-types.ts';
import { DEMO_KEYS } from '../seed-demo.ts';

/** `serve --demo` only: one click signs in as the demo party of a role. Never on a real marketplace. */
export function registerDemoSignInRoutes(app: App, ctx: AppContext): void {
  app.route({
    method: 'POST',
    url: '/v1/sessions/demo',
    config: { roles: 'public' },
    schema: {
      summary: 'Demo only: sign in as the demo party of a role',
      tags: ['access'],
      body: z.object({ role: ZRole }).meta({ example: { role: 'customer' } }),
      response: { 201: ZSession },
    },
    handler: async (request, reply) => {
      const demo = DEMO_KEYS.find((k) => k.role === request.body.role);
      const key = demo ? await findPrincipalBySecret(ctx.db, demo.secret, ctx.clock.now()) : null;
      if (!key?.keyId) throw notFound('demo key for role', request.body.role);
      return reply.status(201).send(await startSession(ctx, reply, { ...key, keyId: key.keyId }));
    },
  });
}
