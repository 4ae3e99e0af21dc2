import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Principal, Role } from '../auth/roles.ts';

/** The Fastify instance every route file registers on: zod types flow into handlers. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; 'public' needs no key. Every route must say. */
    roles?: readonly Role[] | 'public';
  }
  interface FastifyRequest {
    principal: Principal;
    /** Set when the caller is a signed-in person rather than a machine with an API key. */
    session: { expiresAt: Date; csrfToken: string } | null;
  }
}
