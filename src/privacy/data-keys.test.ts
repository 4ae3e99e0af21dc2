import { describe, expect, it } from 'vitest';
import type { Queryable } from '../platform/db/sql.ts';
import { openPersonal } from './data-keys.ts';
import { seal } from './sealing.ts';

/**
 * A transaction whose connection drops while a customer's key is read. Only the read's own
 * error may surface: the key cache must not hold a second, unawaited copy of the failed read
 * (vitest fails the run on an unhandled rejection, which is how the server engine's CI run
 * once failed during a PostgreSQL restart).
 */
function droppedTransaction(): Queryable {
  const failing = {
    select: () => failing,
    where: () => failing,
    executeTakeFirst: () => Promise.reject(new Error('Client has encountered a connection error')),
  };
  return { isTransaction: true, selectFrom: () => failing } as unknown as Queryable;
}

describe('customer data keys', () => {
  it('surfaces a failed key read once, to its caller, and does not keep it cached', async () => {
    const db = droppedTransaction();
    const sealed = seal(Buffer.alloc(32, 1), 'Dana', 'customer:cus_1:customer.name');
    await expect(openPersonal(db, 'cus_1', 'customer.name', sealed)).rejects.toThrow(/connection error/);
    // Let Node report any rejection nobody handled before anything else reads the cache.
    await new Promise((resolve) => setTimeout(resolve, 10));
    // Read again in the same transaction: a fresh attempt, not the cached failure.
    await expect(openPersonal(db, 'cus_1', 'customer.name', sealed)).rejects.toThrow(/connection error/);
  });
});
