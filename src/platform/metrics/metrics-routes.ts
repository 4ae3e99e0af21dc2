import { timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';
import { findPrincipalBySecret } from '../auth/api-keys.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { App } from '../http/app-types.ts';
import type { Metrics } from './metrics.ts';

const sameSecret = (sent: string, expected: string) => {
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * Records every request, and serves /metrics on the main port to an admin key or the
 * REDRESS_METRICS_TOKEN. The route is `public` to the API-key hook because the metrics token
 * is not an API key; it checks who is asking itself. Hidden from the OpenAPI document: it
 * answers Prometheus text, not JSON (docs/operations.md describes it).
 */
export function registerMetrics(app: App, ctx: AppContext, metrics: Metrics): void {
  app.addHook('onResponse', async (request, reply) => metrics.observeRequest(request, reply));
  app.route({
    method: 'GET',
    url: '/metrics',
    config: { roles: 'public' },
    schema: { hide: true },
    handler: async (request, reply) => {
      const secret = request.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
      if (!secret)
        throw new AppError(
          'unauthenticated',
          'send an admin key or the metrics token as "Authorization: Bearer <key>"',
        );
      if (!(metrics.token && sameSecret(secret, metrics.token))) {
        const principal = await findPrincipalBySecret(ctx.db, secret, ctx.clock.now());
        if (!principal)
          throw new AppError('unauthenticated', 'the key is neither a known API key nor the metrics token');
        if (principal.role !== 'admin')
          throw new AppError('forbidden', `a ${principal.role} key may not read /metrics`);
      }
      return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    },
  });
}

/**
 * `serve --metrics-port`: /metrics alone, without a key, on a port of its own that only the
 * monitoring network reaches (never expose it publicly).
 */
export async function startMetricsServer(metrics: Metrics, address: { port: number; host: string }) {
  const server = Fastify({ logger: false });
  server.get('/metrics', async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
  await server.listen(address);
  return server;
}
