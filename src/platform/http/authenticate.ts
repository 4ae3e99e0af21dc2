import type { FastifyRequest } from 'fastify';
import { findPrincipalBySecret } from '../auth/api-keys.ts';
import { CSRF_HEADER, csrfMatches, findSession, SESSION_COOKIE } from '../auth/sessions.ts';
import { tpaMarketplaceIds } from '../auth/tpa-scope.ts';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/sql.ts';
import { AppError } from '../errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Runs before validation on every route, so an unauthenticated caller learns nothing about
 * what a valid request would look like. A route without a `roles` declaration is refused
 * for everyone: forgetting to declare access fails closed.
 *
 * Machines send an API key; people carry a session cookie. A cookie is sent by the browser on
 * its own, so a request that changes something must also prove it came from our page: the
 * CSRF token, readable only by our own origin's script, in a header (double submit).
 */
export async function authenticate(
  request: FastifyRequest,
  db: Db,
  clock: Clock,
  failures: AuthFailureHooks,
): Promise<void> {
  request.session = null;
  // No route matched: the not-found handler answers, and there is nothing to protect.
  if (request.is404) return;
  const roles = request.routeOptions.config.roles;
  if (roles === 'public') return;
  await failures.beforeCheck();
  try {
    await identify(request, db, clock, roles);
  } catch (error) {
    if (error instanceof AppError && error.code === 'unauthenticated') await failures.onFailure();
    throw error;
  }
}

/** Rate limiting of wrong keys: refuse an address that failed too often, count each failure. */
export interface AuthFailureHooks {
  beforeCheck(): Promise<void>;
  onFailure(): Promise<void>;
}

async function identify(
  request: FastifyRequest,
  db: Db,
  clock: Clock,
  roles: FastifyRequest['routeOptions']['config']['roles'],
): Promise<void> {
  const header = request.headers.authorization;
  const cookie = request.cookies?.[SESSION_COOKIE];
  let found: Awaited<ReturnType<typeof findPrincipalBySecret>>;
  if (header || !cookie) {
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match?.[1]) {
      throw new AppError('unauthenticated', 'send an API key as "Authorization: Bearer <key>", or sign in');
    }
    found = await findPrincipalBySecret(db, match[1], clock.now());
    if (!found)
      throw new AppError('unauthenticated', 'the API key is not known, has been revoked or has expired');
  } else {
    const session = await findSession(db, cookie, clock.now());
    if (!session) throw new AppError('unauthenticated', 'the session has ended: sign in again');
    if (!SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (!csrfMatches(typeof sent === 'string' ? sent : undefined, session.csrfToken)) {
        throw new AppError(
          'forbidden',
          `a signed-in request that changes something must carry the ${CSRF_HEADER} header with the session's CSRF token`,
        );
      }
    }
    found = { role: session.role, partyId: session.partyId, keyId: session.keyId };
    request.session = { expiresAt: session.expiresAt, csrfToken: session.csrfToken };
  }
  request.principal = { ...found, requestId: String(request.id) };
  if (found.role === 'tpa') {
    request.principal.marketplaceIds = found.partyId ? await tpaMarketplaceIds(db, found.partyId) : [];
  }
  if (!roles || !(roles as readonly string[]).includes(found.role)) {
    throw new AppError(
      'forbidden',
      `a ${found.role} key may not call ${request.method} ${request.routeOptions.url}`,
    );
  }
}
