import type { AppContext } from './context.ts';
import type { TimersTable } from './db/database.ts';
import type { Queryable, Tx } from './db/sql.ts';

export type DueTimer = Pick<TimersTable, 'kind' | 'subject_id'> & { id: number; due_at: Date };

/** What a timer did when it fired, recorded on its row (e.g. `stepped_in`, `stale`). */
export type TimerHandler = (tx: Tx, timer: DueTimer, ctx: AppContext) => Promise<string>;

export type TimerRegistry = Map<string, TimerHandler>;

export async function scheduleTimer(
  db: Queryable,
  timer: { kind: string; subjectId: string; dueAt: Date; now: Date },
): Promise<void> {
  await db
    .insertInto('timers')
    .values({ kind: timer.kind, subject_id: timer.subjectId, due_at: timer.dueAt, created_at: timer.now })
    .execute();
}

/**
 * Fires every timer that is due by the injected clock, one transaction each. Rows are taken
 * with FOR UPDATE SKIP LOCKED, so any number of workers (in any number of processes) share
 * the work and no timer fires twice; a handler re-checks its subject's state under its own
 * lock, so a timer that lost a race to a person's action finds nothing to do.
 */
export async function runDueTimers(ctx: AppContext, options: { max?: number } = {}): Promise<number> {
  const max = options.max ?? 10_000;
  let fired = 0;
  while (fired < max) {
    const did = await ctx.db.transaction().execute(async (tx) => {
      const timer = await tx
        .selectFrom('timers')
        .select(['id', 'kind', 'subject_id', 'due_at'])
        .where('fired_at', 'is', null)
        .where('due_at', '<=', ctx.clock.now())
        .orderBy('due_at')
        .orderBy('id')
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!timer) return false;
      const handler = ctx.timers.get(timer.kind);
      const outcome = handler ? await handler(tx, timer, ctx) : 'no_handler';
      await tx
        .updateTable('timers')
        .set({ fired_at: ctx.clock.now(), outcome })
        .where('id', '=', timer.id)
        .execute();
      return true;
    });
    if (!did) break;
    fired++;
  }
  return fired;
}
