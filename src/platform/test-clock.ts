import type { ManualClock } from './clock.ts';
import type { AppContext } from './context.ts';
import type { Queryable } from './db/sql.ts';
import { runAllDue } from './jobs.ts';

/** Loads the stored test time (so restarts and other processes agree), or stores the start. */
export async function loadTestClock(db: Queryable, clock: ManualClock): Promise<void> {
  const row = await db.selectFrom('test_clock').select('now').where('id', '=', 1).executeTakeFirst();
  if (row) clock.set(row.now);
  else await db.insertInto('test_clock').values({ id: 1, now: clock.now() }).execute();
}

export async function advanceTestClock(
  ctx: AppContext,
  clock: ManualClock,
  seconds: number,
): Promise<{ now: Date; timersFired: number }> {
  const now = clock.advance(seconds);
  await ctx.db
    .insertInto('test_clock')
    .values({ id: 1, now })
    .onConflict((oc) => oc.column('id').doUpdateSet({ now }))
    .execute();
  const done = await runAllDue(ctx);
  return { now, timersFired: done.timers ?? 0 };
}
