import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openPglite, openPostgres } from './connect.ts';
import {
  AUTO_PREPARE_AFTER,
  automaticNames,
  executePrepared,
  MAX_AUTO_TEXT,
  MAX_AUTO_VALUES,
  preparable,
  preparedNames,
  preparingPool,
  statementNames,
} from './prepared-statements.ts';

const serverUrl = process.env.DATABASE_URL;

describe('prepared statements', () => {
  it('names at most the capped number of texts, each always by the same name', () => {
    const names = preparedNames(2);
    for (const text of ['select 1', 'select 2', 'select 3', 'select 1']) names.register(text);
    expect(names.nameOf('select 1')).toMatch(/^redress_[0-9a-f]{16}$/);
    expect(names.nameOf('select 2')).toMatch(/^redress_[0-9a-f]{16}$/);
    expect(names.nameOf('select 3')).toBeUndefined();
    expect(preparedNames(2).nameOf('select 1')).toBeUndefined();
    const again = preparedNames(2);
    again.register('select 1');
    expect(again.nameOf('select 1')).toBe(names.nameOf('select 1'));
  });

  it('names a text automatically from its nth run, up to the cap, and forgets counts past their bound', () => {
    const names = automaticNames(2, 3, 4);
    expect([names.nameOf('select 1'), names.nameOf('select 1')]).toEqual([undefined, undefined]);
    const third = names.nameOf('select 1');
    expect(third).toMatch(/^redress_[0-9a-f]{16}$/);
    expect(names.nameOf('select 1')).toBe(third);
    // The same text has the same name as one registered by executePrepared, in any process.
    const registered = preparedNames(1);
    registered.register('select 1');
    expect(registered.nameOf('select 1')).toBe(third);
    for (let run = 0; run < 3; run++) names.nameOf('select 2');
    expect(names.nameOf('select 2')).toMatch(/^redress_/);
    // The cap of two is reached: a third text stays unnamed however often it runs.
    for (let run = 0; run < 5; run++) expect(names.nameOf('select 3')).toBeUndefined();
    // Counting is bounded: past four texts counted, the counts start again.
    const bounded = automaticNames(10, 2, 4);
    bounded.nameOf('a');
    for (const text of ['b', 'c', 'd', 'e']) bounded.nameOf(text);
    expect(bounded.nameOf('a')).toBeUndefined();
    expect(bounded.nameOf('a')).toMatch(/^redress_/);
  });

  it('names only data statements with parameters that do not return every column', () => {
    expect(preparable('select id from claims where id = $1', ['c'])).toBe(true);
    expect(preparable('  with x as (select 1) update claims set status = $1', ['s'])).toBe(true);
    expect(preparable('select count(*) from claims where id = $1', ['c'])).toBe(true);
    // Without values the driver uses the simple protocol, which runs several statements in one text.
    expect(preparable('select id from claims', [])).toBe(false);
    expect(preparable('select id from claims; select 1', undefined)).toBe(false);
    expect(preparable('create index x on claims (id) where id = $1', ['c'])).toBe(false);
    // A prepared `*` fails once a migration adds a column (the previous release still running).
    expect(preparable('select * from "claims" where "id" = $1', ['c'])).toBe(false);
    expect(preparable('select claims.*, dk.owner from claims where id = $1', ['c'])).toBe(false);
    expect(preparable('insert into claims (id) values ($1) returning *', ['c'])).toBe(false);
  });

  it('names automatically only small texts: a long list or a many-row insert has a text per length', () => {
    const names = statementNames();
    const values = (count: number) => Array.from({ length: count }, (_, index) => index);
    const list = (count: number) =>
      `select id from claims where id in (${values(count)
        .map((n) => `$${n + 1}`)
        .join(', ')})`;
    const long = `select id from claims where id = $1 /* ${'x'.repeat(MAX_AUTO_TEXT)} */`;
    for (let run = 0; run <= AUTO_PREPARE_AFTER; run++) {
      names.nameOf(list(MAX_AUTO_VALUES), values(MAX_AUTO_VALUES));
      names.nameOf(list(MAX_AUTO_VALUES + 1), values(MAX_AUTO_VALUES + 1));
      names.nameOf(long, ['c']);
    }
    expect(names.nameOf(list(MAX_AUTO_VALUES), values(MAX_AUTO_VALUES))).toMatch(/^redress_/);
    expect(names.nameOf(list(MAX_AUTO_VALUES + 1), values(MAX_AUTO_VALUES + 1))).toBeUndefined();
    expect(names.nameOf(long, ['c'])).toBeUndefined();
    // A text registered by executePrepared is named whatever its size.
    names.register(long);
    expect(names.nameOf(long, ['c'])).toMatch(/^redress_/);
  });

  it.skipIf(!serverUrl)(
    'on PostgreSQL, a text run often enough is kept prepared, and a statement returning every column is not',
    async () => {
      // A pool of one connection with names of its own: other test files in this worker have
      // used the process's.
      const pool = new pg.Pool({ connectionString: serverUrl, max: 1 });
      const db = new Kysely<unknown>({
        dialect: new PostgresDialect({ pool: preparingPool(pool, statementNames()) }),
      });
      try {
        const marker = `auto-${process.pid}-${Date.now()}`;
        const often = (n: number) => sql<{ n: number }>`select ${n}::int + 1 as n, ${marker} as t`;
        const every = (n: number) => sql`select * from (select ${n}::int as n, ${marker} as t) x`;
        for (let run = 0; run < AUTO_PREPARE_AFTER + 1; run++) {
          expect((await often(run).execute(db)).rows).toEqual([{ n: run + 1, t: marker }]);
          expect((await every(run).execute(db)).rows).toEqual([{ n: run, t: marker }]);
        }
        const { rows } = await sql<{ statement: string }>`
          select statement from pg_prepared_statements`.execute(db);
        expect(rows.map((row) => row.statement)).toEqual([often(0).compile(db).sql]);
        // A value the driver cannot write fails that run only: the same text runs again after it.
        const cyclic: Record<string, unknown> = {};
        cyclic.self = cyclic;
        await expect(sql`select ${cyclic}::text as n, ${marker} as t`.execute(db)).rejects.toThrow();
        for (let run = 0; run < AUTO_PREPARE_AFTER + 1; run++) {
          await sql`select ${String(run)}::text as n, ${marker} as t`.execute(db);
        }
        await expect(sql`select ${cyclic}::text as n, ${marker} as t`.execute(db)).rejects.toThrow();
        expect((await sql`select ${'after'}::text as n, ${marker} as t`.execute(db)).rows).toEqual([
          { n: 'after', t: marker },
        ]);
      } finally {
        await db.destroy();
      }
    },
  );

  it.skipIf(!serverUrl)(
    'on PostgreSQL, a registered text is parsed once per connection and others are not kept',
    async () => {
      // One connection, so the statements below and pg_prepared_statements share a session.
      const handle = openPostgres(serverUrl as string, { max: 1 });
      try {
        const twice = (n: number) =>
          sql<{ n: number }>`select ${n}::int * 2 as n, 'prepared-statements.test' as t`;
        expect((await executePrepared(handle.db, twice(2))).rows).toEqual([
          { n: 4, t: 'prepared-statements.test' },
        ]);
        expect((await executePrepared(handle.db, twice(3))).rows).toEqual([
          { n: 6, t: 'prepared-statements.test' },
        ]);
        await sql`select ${1}::int as unnamed`.execute(handle.db);
        const { rows } = await sql<{ name: string; statement: string }>`
          select name, statement from pg_prepared_statements`.execute(handle.db);
        expect(rows).toEqual([
          { name: expect.stringMatching(/^redress_/), statement: twice(0).compile(handle.db).sql },
        ]);
      } finally {
        await handle.close();
      }
    },
  );

  it('on PGlite, runs as any other statement', async () => {
    const handle = await openPglite({});
    try {
      const { rows } = await executePrepared(handle.db, sql<{ n: number }>`select ${5}::int * 2 as n`);
      expect(rows).toEqual([{ n: 10 }]);
    } finally {
      await handle.close();
    }
  });
});
