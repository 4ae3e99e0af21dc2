import { PGlite } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ConnectionLine, PGliteDialect } from './pglite-dialect.ts';
import { AUTO_PREPARE_AFTER, statementNames } from './prepared-statements.ts';

describe("PGlite's connection line", () => {
  it('serves in the order asked, an urgent user before the ordinary ones already waiting', async () => {
    const line = new ConnectionLine();
    const served: string[] = [];
    const use = async (who: string, urgent: boolean) => {
      await line.take(urgent);
      served.push(who);
      await Promise.resolve();
      line.give();
    };
    await line.take(false); // a transaction in flight
    const all = [
      use('filing 1', false),
      use('filing 2', false),
      use('payout 1', true),
      use('filing 3', false),
      use('payout 2', true),
    ];
    line.give();
    await Promise.all(all);
    expect(served).toEqual(['payout 1', 'payout 2', 'filing 1', 'filing 2', 'filing 3']);
    // Free again: the next user is served at once.
    await line.take(false);
    line.give();
  });
});

describe('PGlite named statements', () => {
  it('runs a text run often enough as a named statement: same rows, errors and counts as before', async () => {
    const pglite = await PGlite.create();
    const db = new Kysely<unknown>({ dialect: new PGliteDialect(pglite, { names: statementNames() }) });
    try {
      await sql`create table notes (id text primary key, at timestamptz, body jsonb, n int8, tags text[])`.execute(
        db,
      );
      const at = new Date('2026-11-30T12:00:00.000Z');
      const insert = (id: string, n: number | null) =>
        sql`insert into notes (id, at, body, n, tags) values (${id}, ${at}, ${JSON.stringify({ id })}::text::jsonb, ${n}, ${['a', 'b']})`;
      for (let run = 0; run < AUTO_PREPARE_AFTER + 2; run++) {
        const { numAffectedRows } = await insert(`note-${run}`, run === 1 ? null : run).execute(db);
        expect(numAffectedRows).toBe(1n);
      }
      const read = (id: string) =>
        sql<{ id: string; at: Date; body: unknown; n: number | null; tags: string[] }>`
          select id, at, body, n, tags from notes where id = ${id}`;
      for (let run = 0; run < AUTO_PREPARE_AFTER + 1; run++) {
        expect((await read('note-1').execute(db)).rows).toEqual([
          { id: 'note-1', at, body: { id: 'note-1' }, n: null, tags: ['a', 'b'] },
        ]);
      }
      expect((await read('note-4').execute(db)).rows[0]?.n).toBe(4);
      const prepared = await pglite.query<{ statement: string }>(
        'select statement from pg_prepared_statements',
      );
      expect(prepared.rows.map((row) => row.statement).sort()).toEqual(
        [insert('x', 0).compile(db).sql, read('x').compile(db).sql].sort(),
      );
      // A failing run reports PostgreSQL's error, and the session goes on (in a transaction too).
      await expect(insert('note-2', 2).execute(db)).rejects.toMatchObject({
        code: '23505',
        query: insert('x', 0).compile(db).sql,
      });
      await expect(
        db.transaction().execute(async (tx) => {
          await insert('note-9', 9).execute(tx);
          await insert('note-9', 9).execute(tx);
        }),
      ).rejects.toMatchObject({ code: '23505' });
      expect((await read('note-9').execute(db)).rows).toEqual([]);
      await insert('note-9', 9).execute(db);
      expect((await read('note-9').execute(db)).rows[0]?.n).toBe(9);
      // A second dialect over the same session (openPglite's urgent database) uses the names
      // the first one parsed, instead of parsing them again.
      const preparedAt = async () =>
        (
          await pglite.query<{ statement: string; prepare_time: Date }>(
            'select statement, prepare_time from pg_prepared_statements order by statement',
          )
        ).rows;
      const before = await preparedAt();
      const urgent = new Kysely<unknown>({
        dialect: new PGliteDialect(pglite, { urgent: true, names: statementNames() }),
      });
      for (let run = 0; run < AUTO_PREPARE_AFTER + 1; run++)
        expect((await read('note-9').execute(urgent)).rows[0]?.n).toBe(9);
      await urgent.destroy();
      expect(await preparedAt()).toEqual(before);
    } finally {
      await db.destroy();
      await pglite.close();
    }
  });
});

describe('PGlite and the event loop', () => {
  it('gives other work a turn during a long run of statements, inside a transaction too', async () => {
    const pglite = await PGlite.create();
    const db = new Kysely<unknown>({ dialect: new PGliteDialect(pglite, { names: statementNames() }) });
    try {
      // PGlite answers a statement without waiting for I/O: statement after statement, a timer
      // (a /healthz request, say) never ran until the whole run ended.
      const statementsBeforeTimer = await db.transaction().execute(async (tx) => {
        let timerRan = false;
        setTimeout(() => {
          timerRan = true;
        }, 0);
        const started = performance.now();
        let statements = 0;
        while (!timerRan && performance.now() - started < 2_000) {
          await sql`select ${statements}::int as n`.execute(tx);
          statements++;
        }
        return timerRan ? statements : null;
      });
      expect(statementsBeforeTimer).not.toBeNull();
    } finally {
      await db.destroy();
      await pglite.close();
    }
  });
});
