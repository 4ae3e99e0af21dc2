import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/app/server.ts';
import type { Database } from '../src/platform/db/database.ts';
import { WorkerMonitor } from '../src/platform/worker-monitor.ts';
import { createWorld, type World } from './harness.ts';

let world: World;
beforeAll(async () => {
  world = await createWorld();
});
afterAll(() => world.close());

const readyz = () => world.request('GET', '/readyz', { key: null });

function expectNotReady(res: { status: number; body: unknown; headers: Record<string, unknown> }) {
  expect(res.status).toBe(503);
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.headers['retry-after']).toBe('2');
  expect(res.body).toMatchObject({ type: 'urn:redress:problem:not_ready', detail: 'not ready' });
}

describe('/readyz', () => {
  it('says ready, and nothing else', async () => {
    const res = await readyz();
    expect(res).toMatchObject({ status: 200, body: { status: 'ready' } });
    expect(Object.keys(res.body)).toEqual(['status']);
  });

  it('says not ready while the worker of this process has stopped', async () => {
    const monitor = new WorkerMonitor(1000);
    world.ctx.worker = monitor;
    try {
      expect((await readyz()).status).toBe(200);
      monitor.stopped();
      expectNotReady(await readyz());
    } finally {
      delete world.ctx.worker;
    }
  });

  it('says not ready while the database lacks a migration this code expects', async () => {
    await sql`delete from kysely_migration where name = '0013_keys_failover'`.execute(world.ctx.db);
    try {
      expectNotReady(await readyz());
    } finally {
      await sql`insert into kysely_migration (name, timestamp) values ('0013_keys_failover', ${new Date().toISOString()})`.execute(
        world.ctx.db,
      );
    }
    expect((await readyz()).status).toBe(200);
  });
});

describe('a database that does not answer', () => {
  // Nothing listens on port 1: every connection is refused, as while PostgreSQL restarts.
  const deadDb = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool: new pg.Pool({ connectionString: 'postgres://redress@127.0.0.1:1/redress', max: 1 }),
    }),
  });
  afterAll(() => deadDb.destroy());

  it('makes /readyz say not ready, keeping the driver message out of the answer', async () => {
    const app = await buildServer({ ...world.ctx, db: deadDb }, { testClock: null });
    try {
      const res = await app.inject({ method: 'GET', url: '/readyz' });
      expectNotReady({ status: res.statusCode, body: res.json(), headers: res.headers });
      expect(res.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|redress@/);
    } finally {
      await app.close();
    }
  });

  it('answers a request 503 with Retry-After, not 500', async () => {
    const app = await buildServer({ ...world.ctx, db: deadDb }, { testClock: null });
    try {
      const res = await app.inject({
        method: 'GET',
        url: '/v1/claims',
        headers: { authorization: `Bearer ${world.adminKey}` },
      });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('2');
      expect(res.json()).toMatchObject({
        type: 'urn:redress:problem:not_ready',
        detail: 'the database is briefly unavailable; retry shortly',
      });
      expect(res.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    } finally {
      await app.close();
    }
  });
});
