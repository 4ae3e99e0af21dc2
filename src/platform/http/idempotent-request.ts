import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import type { Tx } from '../db/sql.ts';
import { type IdempotentResult, idempotent } from '../idempotency.ts';

/**
 * Runs a route's work in one transaction, at most once per caller and Idempotency-Key: the
 * shape every POST that creates a claim or moves money shares. `operation` names what the key
 * protects (include the resource id where the same key may serve several resources).
 * `fingerprint` is what a retry must repeat, when the body alone is not all of the request
 * (a multipart filing: the claim part and its files' hashes).
 */
export function idempotentRequest<T>(
  ctx: AppContext,
  request: FastifyRequest & { headers: { 'idempotency-key': string }; body: unknown },
  operation: string,
  work: (tx: Tx) => Promise<{ status: number; body: T }>,
  fingerprint: unknown = request.body,
): Promise<IdempotentResult<T>> {
  return ctx.db.transaction().execute((tx) =>
    idempotent(
      tx,
      ctx.clock,
      {
        principal: request.principal,
        operation,
        key: request.headers['idempotency-key'],
        request: fingerprint,
      },
      () => work(tx),
    ),
  );
}
