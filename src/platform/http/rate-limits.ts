import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { AppError } from '../errors.ts';
import type { App } from './app-types.ts';

/**
 * How many of each guarded action one client may take per window. Counted in memory, per
 * process (see docs/security.md, "Rate limits"): N API processes behind a balancer allow up to
 * N times these figures.
 */
export interface RateLimits {
  windowSeconds: number;
  /** Requests with a missing, unknown or revoked key or session, per client address. */
  authFailuresPerAddress: number;
  /** `POST /v1/sessions` (and the demo sign-in), per client address. */
  signInsPerAddress: number;
  claimFilingsPerKey: number;
  claimFilingsPerAddress: number;
  importsPerKey: number;
  importsPerAddress: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  windowSeconds: 60,
  authFailuresPerAddress: 30,
  signInsPerAddress: 10,
  claimFilingsPerKey: 20,
  claimFilingsPerAddress: 120,
  importsPerKey: 10,
  importsPerAddress: 30,
};

/** The actions a route may declare itself to be, in its config, to be counted. */
export type LimitedAction = 'sign_in' | 'claim_filing' | 'import';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Counts the route's requests against the limits of this action. */
    limitedAs?: LimitedAction;
  }
}

type Limiter = ReturnType<App['createRateLimit']>;
type Counted = Awaited<ReturnType<Limiter>>;

export interface RateLimitGuards {
  /** onRequest: refuses an address that has failed to authenticate too often, without counting. */
  refuseAfterAuthFailures(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** Counts one failed authentication of the request's address. */
  recordAuthFailure(request: FastifyRequest): Promise<void>;
  /** onRoute: adds the counting preValidation hook (bad input counts too) to routes that declare `limitedAs`. */
  attach(route: RouteOptions): void;
}

const address = (request: FastifyRequest) => normalizeIP(request.ip, 64);

/** The caller's key (a session acts as its key), once authentication has run. */
const keyOf = (request: FastifyRequest) => request.principal?.keyId ?? `address:${address(request)}`;

function refuse(reply: FastifyReply, counted: Counted, what: string): never {
  const retryAfter = Math.max(1, counted.isAllowed ? 1 : counted.ttlInSeconds);
  reply.header('retry-after', String(retryAfter));
  throw new AppError('rate_limited', `too many ${what}; retry in ${retryAfter} s`, {
    extra: { retryAfterSeconds: retryAfter },
  });
}

/**
 * Registers @fastify/rate-limit without a global limit and builds one limiter per counted
 * thing with `createRateLimit`, because one route counts twice (per key and per address) and
 * failed authentications are counted only when they fail, which route-level config cannot say.
 */
export async function registerRateLimits(app: App, limits: RateLimits): Promise<RateLimitGuards> {
  await app.register(fastifyRateLimit, { global: false });
  const timeWindow = limits.windowSeconds * 1000;
  const limiter = (name: string, max: number, by: (request: FastifyRequest) => string): Limiter =>
    app.createRateLimit({ max, timeWindow, keyGenerator: (request) => `${name}|${by(request)}` });

  const authFailures = limiter('auth-failures', limits.authFailuresPerAddress, address);
  const actions: Record<LimitedAction, { what: string; limiters: Limiter[] }> = {
    sign_in: { what: 'sign-ins', limiters: [limiter('sign-in', limits.signInsPerAddress, address)] },
    claim_filing: {
      what: 'claims filed',
      limiters: [
        limiter('claim-filing-key', limits.claimFilingsPerKey, keyOf),
        limiter('claim-filing-address', limits.claimFilingsPerAddress, address),
      ],
    },
    import: {
      what: 'imports',
      limiters: [
        limiter('import-key', limits.importsPerKey, keyOf),
        limiter('import-address', limits.importsPerAddress, address),
      ],
    },
  };

  return {
    async refuseAfterAuthFailures(request, reply) {
      const seen = await authFailures(request, { increment: false });
      if (!seen.isAllowed && seen.remaining === 0) refuse(reply, seen, 'failed authentications');
    },
    async recordAuthFailure(request) {
      await authFailures(request);
    },
    attach(route) {
      const action = route.config?.limitedAs;
      if (!action) return;
      const { what, limiters } = actions[action];
      const count = async (request: FastifyRequest, reply: FastifyReply) => {
        for (const counter of limiters) {
          const counted = await counter(request);
          if (!counted.isAllowed && counted.isExceeded) refuse(reply, counted, what);
        }
      };
      const existing = route.preValidation;
      route.preValidation = [count, ...(Array.isArray(existing) ? existing : existing ? [existing] : [])];
    },
  };
}
