import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../src/platform/auth/roles.ts';
import { claimBody, deliveredOrder, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;
let roleKeys: Record<string, string>;
beforeAll(async () => {
  world = await createWorld();
  keys = await usMarketplace(world);
  roleKeys = {
    admin: world.adminKey,
    agent: keys.agent,
    // A third-party administrator assigned to no marketplace: it passes the door of the claim routes
    // and finds nothing behind it (tpa.test.ts walks an assigned one through its marketplace).
    tpa: await world.key('tpa', 'tpa_walk'),
    customer: keys.dana,
    seller: keys.acme,
    insurer: await world.key('insurer', 'ins_harbor'),
    expert: await world.key('expert', 'exp_lee'),
  };
});
afterAll(() => world.close());

interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  roles: string[] | null;
}

async function operations(): Promise<Operation[]> {
  const doc = (await world.request('GET', '/openapi.json', { key: null })).body;
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      const url = path.replace(/\{[^}]+\}/g, 'probe-id');
      ops.push({
        method: method.toUpperCase() as Operation['method'],
        path: url,
        roles: op.security ? op['x-roles'] : null,
      });
    }
  }
  return ops;
}

describe('every route in the OpenAPI document', () => {
  it('declares who may call it', async () => {
    const ops = await operations();
    expect(ops.length).toBeGreaterThan(20);
    const undeclared = ops.filter((op) => op.roles !== null && op.roles.length === 0);
    expect(undeclared).toEqual([]);
  });

  it('refuses a missing key with 401, a role not listed with 403, and lets listed roles past the door', async () => {
    const failures: string[] = [];
    for (const op of await operations()) {
      if (op.roles === null) continue; // public: health, readiness, docs
      const anonymous = await world.request(op.method, op.path, { key: null, body: {} });
      if (anonymous.status !== 401)
        failures.push(`${op.method} ${op.path} without a key → ${anonymous.status}`);
      for (const role of ROLES) {
        const res = await world.request(op.method, op.path, {
          key: roleKeys[role] as string,
          body: {},
          headers: { 'idempotency-key': 'authorization-probe' },
        });
        const allowed = op.roles.includes(role);
        if (!allowed && res.status !== 403)
          failures.push(`${op.method} ${op.path} as ${role} → ${res.status}, expected 403`);
        if (allowed && (res.status === 401 || res.status === 403)) {
          failures.push(`${op.method} ${op.path} as ${role} → ${res.status}, expected to pass authorization`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('claims belong to their parties', () => {
  it('hides a customer’s claim from another customer and from a seller it is not about', async () => {
    const claim = (await fileClaim(world, keys.dana, claimBody())).body;
    expect((await world.request('GET', `/v1/claims/${claim.id}`, { key: keys.eli })).status).toBe(404);
    expect((await world.request('GET', `/v1/claims/${claim.id}`, { key: keys.other })).status).toBe(404);
    expect((await world.request('GET', `/v1/claims/${claim.id}/events`, { key: keys.other })).status).toBe(
      404,
    );
    expect((await world.request('GET', `/v1/claims/${claim.id}`, { key: keys.acme })).status).toBe(200);
  });

  it('hides every claim from a third-party administrator not assigned to its marketplace', async () => {
    await deliveredOrder(world, 'ord_tpa_walk', 'cus_dana');
    const claim = (await fileClaim(world, keys.dana, claimBody({ orderId: 'ord_tpa_walk' }))).body;
    expect(claim.id, JSON.stringify(claim)).toBeTruthy();
    expect((await world.request('GET', `/v1/claims/${claim.id}`, { key: roleKeys.tpa })).status).toBe(404);
    const note = await world.request('POST', `/v1/claims/${claim.id}/notes`, {
      key: roleKeys.tpa,
      body: { note: 'probe' },
    });
    expect(note.status).toBe(404);
    expect((await world.request('GET', '/v1/claims', { key: roleKeys.tpa })).body.data).toEqual([]);
  });

  it('does not let a seller answer another seller’s claim', async () => {
    const claim = (
      await fileClaim(
        world,
        keys.dana,
        claimBody({ lineId: '2', amount: { value: 200_000, currency: 'USD' } }),
      )
    ).body;
    const res = await world.request('POST', `/v1/claims/${claim.id}/seller-response`, {
      key: keys.other,
      body: { action: 'accept' },
    });
    expect(res.status).toBe(404);
    expect((await world.request('GET', `/v1/claims/${claim.id}`)).body.status).toBe('awaiting_seller');
  });

  it('does not let a customer decide, nor a seller withdraw', async () => {
    const claim = (
      await fileClaim(
        world,
        keys.eli,
        claimBody({ orderId: 'ord_2', lineId: '1', amount: { value: 200_000, currency: 'USD' } }),
      )
    ).body;
    const decide = await world.request('POST', `/v1/claims/${claim.id}/decision`, {
      key: keys.eli,
      body: { outcome: 'approve', reason: 'mine' },
    });
    expect(decide.status).toBe(403);
    const withdraw = await world.request('POST', `/v1/claims/${claim.id}/withdraw`, {
      key: keys.acme,
      body: {},
    });
    expect(withdraw.status).toBe(403);
  });

  it('lists only a party’s own claims, and refuses a filter on someone else', async () => {
    const eliList = await world.request('GET', '/v1/claims', { key: keys.eli });
    expect(eliList.body.data.every((c: { customerId: string }) => c.customerId === 'cus_eli')).toBe(true);
    expect((await world.request('GET', '/v1/claims?customerId=cus_dana', { key: keys.eli })).status).toBe(
      403,
    );
    const otherSeller = await world.request('GET', '/v1/claims', { key: keys.other });
    expect(otherSeller.body.data).toEqual([]);
    const acmeList = await world.request('GET', '/v1/claims', { key: keys.acme });
    expect(acmeList.body.data.length).toBeGreaterThan(0);
    expect(acmeList.body.data.every((c: { sellerId: string }) => c.sellerId === 'slr_acme')).toBe(true);
  });

  it('shows risk details to staff only, and redacts screening data from others’ history', async () => {
    const claim = (await fileClaim(world, keys.dana, claimBody({ lineId: '5' }))).body;
    expect(
      (await world.request('GET', `/v1/claims/${claim.id}`, { key: keys.agent })).body.risk,
    ).not.toBeNull();
    expect((await world.request('GET', `/v1/claims/${claim.id}`, { key: keys.dana })).body.risk).toBeNull();
    const history = await world.request('GET', `/v1/claims/${claim.id}/events`, { key: keys.dana });
    // Screening is the marketplace's own business: the claimant's history does not show it at all.
    expect(history.body.data.map((e: { type: string }) => e.type)).not.toContain('claim.screened');
    expect(history.body.chain.valid).toBe(true);
  });

  it('pages through claims with a cursor, newest first', async () => {
    const first = await world.request('GET', '/v1/claims?limit=2');
    expect(first.body.data).toHaveLength(2);
    const second = await world.request('GET', `/v1/claims?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.data[0].id < first.body.data[1].id).toBe(true);
  });
});
