import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { registerSessionRoutes } from '../platform/auth/http/session-routes.ts';
import type { ManualClock } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import { PROBLEMS } from '../platform/errors.ts';
import type { App } from '../platform/http/app-types.ts';
import { authenticate } from '../platform/http/authenticate.ts';
import { frameworkErrors, refuseUnstorableText } from '../platform/http/input-guard.ts';
import { problemBody, sendProblem, toProblem, ZProblem } from '../platform/http/problem.ts';
import { DEFAULT_RATE_LIMITS, type RateLimits, registerRateLimits } from '../platform/http/rate-limits.ts';
import { registerSecurityHeaders } from '../platform/http/security-headers.ts';
import { registerSystemRoutes } from '../platform/http/system-routes.ts';
import { MAX_UPLOAD_BYTES } from '../platform/http/upload-limits.ts';
import { registerWebApp } from '../platform/http/web-app.ts';
import { ID_MAX_LENGTH } from '../platform/ids.ts';
import { createMetrics, type Metrics } from '../platform/metrics/metrics.ts';
import { registerMetrics } from '../platform/metrics/metrics-routes.ts';
import { registerDomainRoutes } from './routes.ts';

export interface ServerOptions {
  /** Present only when REDRESS_TEST_CLOCK=1: enables the test-clock routes. */
  testClock: ManualClock | null;
  logger?: FastifyServerOptions['logger'];
  loggerInstance?: FastifyServerOptions['loggerInstance'];
  /** `serve --demo`: one-click demo sign-ins for each role. */
  demoSignIn?: boolean;
  /** Prometheus metrics (src/platform/metrics); a fresh set, readable by admin keys only, when absent. */
  metrics?: Metrics;
  /** Limits on failed authentication, sign-ins, filings and imports; the defaults otherwise. */
  rateLimits?: RateLimits;
  /**
   * Behind a proxy or load balancer: believe its X-Forwarded-For (the client address the rate
   * limits count) and X-Forwarded-Proto (whether to send HSTS).
   */
  trustProxy?: boolean;
}

const ERROR_STATUSES = [400, 401, 403, 404, 409, 413, 415, 422, 429] as const;

export async function buildServer(ctx: AppContext, options: ServerOptions): Promise<App> {
  const app = Fastify({
    ...(options.loggerInstance
      ? { loggerInstance: options.loggerInstance }
      : { logger: options.logger ?? false }),
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    bodyLimit: 2 * 1024 * 1024,
    return503OnClosing: true,
    // The router and the id schemas agree on the longest id, so a documented id always routes.
    routerOptions: { maxParamLength: ID_MAX_LENGTH },
    frameworkErrors,
    trustProxy: options.trustProxy ?? false,
  }).withTypeProvider() as unknown as App;

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await registerSecurityHeaders(app);
  const rateLimits = await registerRateLimits(app, options.rateLimits ?? DEFAULT_RATE_LIMITS);

  app.addHook('onRoute', (route) => {
    rateLimits.attach(route);
    const roles = route.config?.roles;
    if (route.url.startsWith('/docs')) {
      route.config = { ...route.config, roles: 'public' };
      return;
    }
    if (!route.schema || roles === 'public') return;
    const responses = { ...(route.schema.response as Record<number, unknown>) };
    for (const status of ERROR_STATUSES) {
      if (!(status in responses))
        responses[status] = ZProblem.describe(PROBLEMS_BY_STATUS[status] ?? 'Problem');
    }
    route.schema = {
      ...route.schema,
      security: [{ apiKey: [] }],
      response: responses,
      'x-roles': roles ?? [],
    } as typeof route.schema;
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Redress API',
        version: '1',
        description:
          'Claims platform for marketplaces standing behind third-party sellers. Every route needs ' +
          '`Authorization: Bearer <api key>`; `x-roles` on each operation lists the roles that may call it. ' +
          'Errors are RFC 9457 problem+json with a stable `type`.',
      },
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'A Redress API key' } },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  await app.register(fastifyCookie);
  await app.register(fastifyMultipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10 } });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    await authenticate(request, ctx.db, ctx.clock, {
      beforeCheck: () => rateLimits.refuseAfterAuthFailures(request, reply),
      onFailure: () => rateLimits.recordAuthFailure(request),
    });
  });
  app.addHook('preValidation', refuseUnstorableText);

  app.setErrorHandler((error, request, reply) => sendProblem(reply, toProblem(error, request)));
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      problemBody('not_found', `no route ${request.method} ${request.url.split('?')[0]}`, request),
    ),
  );

  registerSystemRoutes(app, ctx, options.testClock);
  registerMetrics(app, ctx, options.metrics ?? createMetrics(ctx));
  registerSessionRoutes(app, ctx);
  await registerWebApp(app);
  registerDomainRoutes(app, ctx, { demoSignIn: options.demoSignIn ?? false });
  return app;
}

const PROBLEMS_BY_STATUS: Record<number, string> = Object.fromEntries(
  Object.entries(PROBLEMS).map(([code, p]) => [p.status, `Problem (e.g. ${code})`]),
);
