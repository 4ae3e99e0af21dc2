import { z } from 'zod';
import type { ManualClock } from '../clock.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { checkReadiness } from '../readiness.ts';
import { advanceTestClock } from '../test-clock.ts';
import type { App } from './app-types.ts';

export function registerSystemRoutes(app: App, ctx: AppContext, testClock: ManualClock | null): void {
  app.route({
    method: 'GET',
    url: '/healthz',
    config: { roles: 'public' },
    schema: {
      summary: 'The process is up',
      description:
        'Liveness for an orchestrator: answers while the process runs, whether or not the database does.',
      tags: ['operations'],
      response: { 200: z.object({ status: z.literal('ok') }).meta({ example: { status: 'ok' } }) },
    },
    handler: async () => ({ status: 'ok' as const }),
  });

  app.route({
    method: 'GET',
    url: '/readyz',
    config: { roles: 'public' },
    schema: {
      summary: 'Ready for traffic: the database answers, is migrated, and the worker runs',
      description:
        'Public, so it says only ready (200) or not ready (503, problem+json with Retry-After); ' +
        'the reason goes to the server log.',
      tags: ['operations'],
      response: { 200: z.object({ status: z.literal('ready') }).meta({ example: { status: 'ready' } }) },
    },
    handler: async (request) => {
      const readiness = await checkReadiness(ctx);
      if (!readiness.ready) {
        request.log.warn({ reason: readiness.reason }, 'not ready');
        throw new AppError('not_ready', 'not ready');
      }
      return { status: 'ready' as const };
    },
  });

  app.route({
    method: 'GET',
    url: '/openapi.json',
    config: { roles: 'public' },
    schema: { hide: true },
    handler: async () => app.swagger(),
  });

  if (!testClock) return;
  const ZNow = z.object({ now: z.iso.datetime().meta({ example: '2026-11-23T15:00:00.000Z' }) });

  app.route({
    method: 'GET',
    url: '/v1/test-clock',
    config: { roles: ['admin', 'agent', 'tpa', 'customer', 'seller', 'insurer', 'expert'] },
    schema: {
      summary: 'The test clock (only when REDRESS_TEST_CLOCK=1)',
      tags: ['test clock'],
      response: { 200: ZNow },
    },
    handler: async () => ({ now: ctx.clock.now().toISOString() }),
  });

  app.route({
    method: 'POST',
    url: '/v1/test-clock/advance',
    config: { roles: ['admin'] },
    schema: {
      summary: 'Move the test clock forward; every timer that comes due runs before this answers',
      tags: ['test clock'],
      body: z
        .object({
          seconds: z
            .number()
            .int()
            .positive()
            .max(10 * 365 * 86_400),
        })
        .meta({ example: { seconds: 86_400 } }),
      response: { 200: ZNow.extend({ timersFired: z.number().int() }) },
    },
    handler: async (request) => {
      const { now, timersFired } = await advanceTestClock(ctx, testClock, request.body.seconds);
      return { now: now.toISOString(), timersFired };
    },
  });
}
