import type { KyselyPlugin, LogEvent, QueryId } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimBody, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

/**
 * With DATABASE_READ_URL, reports read the replica and leave the primary to intake. The world's
 * "replica" is its own database seen through a plugin that marks each query it sends, so the test
 * can tell, statement by statement, which handle a report used (a real replica is an operator's
 * streaming standby; docs/scaling.md).
 */
let world: World;
const sentThroughReplica = new Set<QueryId>();
const statements: { queryId: QueryId; sql: string }[] = [];

const markReplicaQueries: KyselyPlugin = {
  transformQuery: (args) => {
    sentThroughReplica.add(args.queryId);
    return args.node;
  },
  transformResult: async (args) => args.result,
};

beforeAll(async () => {
  world = await createWorld({
    log: (event: LogEvent) => {
      statements.push({ queryId: event.query.queryId, sql: event.query.sql });
    },
  });
  const keys = await usMarketplace(world);
  await fileClaim(world, keys.eli, claimBody());
  world.ctx.reportsDb = world.ctx.db.withPlugin(markReplicaQueries);
});
afterAll(() => world.close());

describe('reports on a read replica', () => {
  it.each([
    ['summary', '/v1/reports/summary?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z'],
    ['trends', '/v1/reports/trends?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z'],
    ['safety clusters', '/v1/safety/clusters'],
  ])('the %s report reads the replica, the primary only authenticates', async (_name, url) => {
    statements.length = 0;
    sentThroughReplica.clear();
    const res = await world.request('GET', url);
    expect(res.status).toBe(200);
    const onReplica = statements.filter((s) => sentThroughReplica.has(s.queryId));
    const onPrimary = statements.filter((s) => !sentThroughReplica.has(s.queryId));
    expect(onReplica.length).toBeGreaterThan(0);
    expect(onReplica.some((s) => /\bclaims\b/.test(s.sql))).toBe(true);
    // The key lookup and its last-used stamp: nothing of the report itself.
    expect(onPrimary.filter((s) => !/^(begin|commit|rollback)/i.test(s.sql))).toEqual(
      onPrimary.filter((s) => /\bapi_keys\b/.test(s.sql)),
    );
  });

  it('the summary on the replica counts what the primary holds', async () => {
    const res = await world.request(
      'GET',
      '/v1/reports/summary?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z',
    );
    expect(res.body.claims.total).toBe(1);
  });
});
