import type { FastifyRequest } from 'fastify';
import { findPrincipalBySecret } from '../auth/api-keys.ts';
import type { Db } from '../db/sql.ts';
import { AppError } from '../errors.ts';

/**
 * Runs before validation on every route, so an unauthenticated caller learns nothing about
 * what a valid request would look like. A route without a `roles` declaration is refused
 * for everyone: forgetting to declare access fails closed.
 */
export async function authenticate(request: FastifyRequest, db: Db): Promise<void> {
  // No route matched: the not-found handler answers, and there is nothing to protect.
  if (request.is404) return;
  const roles = request.routeOptions.config.roles;
  if (roles === 'public') return;
  const header = request.headers.authorization;
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  if (!match?.[1]) throw new AppError('unauthenticated', 'send an API key as "Authorization: Bearer <key>"');
  const found = await findPrincipalBySecret(db, match[1]);
  if (!found) throw new AppError('unauthenticated', 'the API key is not known or has been revoked');
  request.principal = { ...found, requestId: String(request.id) };
  if (!roles || !(roles as readonly string[]).includes(found.role)) {
    throw new AppError(
      'forbidden',
      `a ${found.role} key may not call ${request.method} ${request.routeOptions.url}`,
    );
  }
}
