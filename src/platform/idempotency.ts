import canonicalize from 'canonicalize';
import type { Insertable } from 'kysely';
import { sha256Hex } from './auth/api-keys.ts';
import type { Principal } from './auth/roles.ts';
import type { Clock } from './clock.ts';
import type { IdempotencyKeysTable } from './db/database.ts';
import { writeHeld } from './db/held-writes.ts';
import { reusableStatement } from './db/reusable-statement.ts';
import type { Tx } from './db/sql.ts';
import { json } from './db/sql.ts';
import { AppError } from './errors.ts';

/**
 * Keys are scoped to the party, not to the API key: a customer with two keys (or a key and a
 * browser session, or a rotated key) retrying with the same Idempotency-Key must not file the
 * same claim twice. Staff have no party; each staff role is one party, the marketplace's.
 */
export function idempotencyScope(principal: Pick<Principal, 'role' | 'partyId'>): string {
  return `${principal.role}:${principal.partyId ?? 'marketplace'}`;
}

export interface IdempotentResult<T> {
  status: number;
  body: T;
  replayed: boolean;
}

/** The key's row, unless it is there already; built and compiled once (reusable-statement.ts). */
const claimKey = reusableStatement((db, row: Insertable<IdempotencyKeysTable>) =>
  db
    .insertInto('idempotency_keys')
    .values(row)
    .onConflict((oc) => oc.columns(['principal', 'operation', 'key']).doNothing())
    .returning('key'),
);

/**
 * Runs `work` at most once per (party, operation, key), inside the caller's transaction.
 * The key row is inserted first: a concurrent twin blocks on its unique index until the first
 * commits, then finds the stored answer and returns it; if the first rolls back, the twin
 * does the work itself. The same key with a different body is refused, not replayed.
 */
export async function idempotent<T>(
  tx: Tx,
  clock: Clock,
  scope: { principal: Principal; operation: string; key: string; request: unknown },
  work: () => Promise<{ status: number; body: T }>,
): Promise<IdempotentResult<T>> {
  const principal = idempotencyScope(scope.principal);
  const requestHash = sha256Hex(canonicalize(scope.request) ?? '');
  const [inserted] = await claimKey(tx, {
    principal,
    operation: scope.operation,
    key: scope.key,
    request_sha256: requestHash,
    created_at: clock.now(),
  });
  if (!inserted) {
    const stored = await tx
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('principal', '=', principal)
      .where('operation', '=', scope.operation)
      .where('key', '=', scope.key)
      .executeTakeFirstOrThrow();
    if (stored.request_sha256 !== requestHash) {
      throw new AppError(
        'idempotency_key_reused',
        `Idempotency-Key ${scope.key} was used with a different request`,
        {
          errors: [{ field: 'headers.idempotency-key', rule: 'must be new for a different request' }],
        },
      );
    }
    return { status: stored.response_status ?? 200, body: stored.response_body as T, replayed: true };
  }
  const result = await work();
  // The answer is stored by the transaction's last statement, with what the work held back
  // (a filing's history, db/held-writes.ts).
  await writeHeld(tx, (qc) =>
    qc
      .updateTable('idempotency_keys')
      .set({ response_status: result.status, response_body: json(result.body) })
      .where('principal', '=', principal)
      .where('operation', '=', scope.operation)
      .where('key', '=', scope.key),
  );
  return { ...result, replayed: false };
}
