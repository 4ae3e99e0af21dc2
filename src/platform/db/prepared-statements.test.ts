import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openPglite, openPostgres } from './connect.ts';
import { executePrepared, preparedNames } from './prepared-statements.ts';

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
