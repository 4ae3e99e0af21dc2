import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../src/platform/db/outage.ts';
import { usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

/**
 * What a PostgreSQL restart or failover does to a running server: every session is terminated
 * (57P01), including those of requests in flight and of transactions between two statements.
 * `pg_terminate_backend` does exactly that to this file's own database, without disturbing
 * anyone else's (the real restart is `npm run bench failover`, never part of the suite).
 */
const onServer = Boolean(process.env.DATABASE_URL);

let world: World;
let admin: pg.Client;
let databaseName = '';
beforeAll(async () => {
  if (!onServer) return;
  world = await createWorld();
  await usMarketplace(world);
  databaseName = (await sql<{ name: string }>`select current_database() as name`.execute(world.ctx.db))
    .rows[0]?.name as string;
  admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
});
afterAll(async () => {
  if (!onServer) return;
  await admin.end();
  await world.close();
});

const terminateBackends = () =>
  admin.query(
    'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
    [databaseName],
  );

describe.skipIf(!onServer)(
  'the server survives its database sessions being terminated (PostgreSQL only: PGlite has no server sessions to end)',
  () => {
    it('fails a transaction cut between two statements cleanly, instead of crashing the process', async () => {
      const outcome = await world.ctx.db
        .transaction()
        .execute(async (tx) => {
          await sql`select 1`.execute(tx);
          await terminateBackends();
          // Give the client time to see the socket close while it is checked out and idle:
          // before the fix its 'error' event had no listener and took the process down.
          await new Promise((resolve) => setTimeout(resolve, 200));
          await sql`select 1`.execute(tx);
        })
        .then(
          () => 'committed',
          (error: unknown) => error,
        );
      expect(outcome).not.toBe('committed');
      expect(isDatabaseUnavailable(outcome)).toBe(true);
    });

    it('answers requests in flight 200 or 503 with Retry-After, then serves every later request', async () => {
      const statuses: number[] = [];
      const problems: { status: number; retryAfter: unknown; type: unknown }[] = [];
      const until = performance.now() + 2000;
      const client = async (n: number) => {
        for (let i = 0; performance.now() < until; i++) {
          const res =
            i % 2 === 0
              ? await world.request('GET', '/v1/claims?limit=20')
              : await world.request('PUT', `/v1/customers/cus_load_${n}`, {
                  body: { marketplaceId: 'mkt_us', name: `Load ${n}.${i}`, email: `load${n}@example.com` },
                });
          statuses.push(res.status);
          if (res.status !== 200) {
            problems.push({
              status: res.status,
              retryAfter: res.headers['retry-after'],
              type: res.body.type,
            });
          }
        }
      };
      const killer = (async () => {
        for (const wait of [300, 500, 500]) {
          await new Promise((resolve) => setTimeout(resolve, wait));
          await terminateBackends();
        }
      })();
      await Promise.all([...Array.from({ length: 8 }, (_, n) => client(n)), killer]);

      expect(statuses.length).toBeGreaterThan(20);
      for (const problem of problems) {
        expect(problem).toEqual({ status: 503, retryAfter: '2', type: 'urn:redress:problem:not_ready' });
      }
      // The pool has replaced its connections: everything answers again, workers included.
      for (let n = 0; n < 10; n++) {
        expect((await world.request('GET', '/v1/claims?limit=5')).status).toBe(200);
      }
      expect((await world.request('GET', '/readyz', { key: null })).status).toBe(200);
      await expect(world.work()).resolves.toBeDefined();
    });
  },
);
