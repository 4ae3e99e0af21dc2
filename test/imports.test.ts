import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimImportJob } from '../src/marketplace/import/import-jobs.ts';
import { runImportJob, runImportJobs } from '../src/marketplace/import/run-import-job.ts';
import { usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

/** Posts a feed (202), runs the import worker as a server would, and reads the finished job. */
async function importFeed(payload: string, contentType = 'application/x-ndjson') {
  const posted = await world.request('POST', '/v1/imports', {
    payload,
    headers: { 'content-type': contentType },
  });
  expect(posted.status).toBe(202);
  await runImportJobs(world.ctx, { owner: 'test-worker' });
  return world.request('GET', posted.headers.location as string);
}

let world: World;
beforeAll(async () => {
  world = await createWorld();
  await usMarketplace(world);
});
afterAll(() => world.close());

describe('POST /v1/imports', () => {
  it('applies good lines, reports bad ones by line and field, and never stops', async () => {
    const lines = [
      {
        kind: 'customer',
        id: 'cus_imp1',
        data: { marketplaceId: 'mkt_us', name: 'Imp One', email: 'one@example.com' },
      },
      {
        kind: 'customer',
        id: 'cus_imp2',
        data: { marketplaceId: 'mkt_us', name: 'Imp Two', email: 'not-an-email' },
      },
      {
        kind: 'order',
        id: 'ord_imp1',
        data: {
          marketplaceId: 'mkt_us',
          customerId: 'cus_imp1',
          lines: [
            {
              lineId: '1',
              productId: 'prd_lamp',
              sellerId: 'slr_acme',
              quantity: 1,
              unitPrice: { value: 100, currency: 'USD' },
              deliveredAt: null,
            },
          ],
        },
      },
      {
        kind: 'order',
        id: 'ord_imp2',
        data: {
          marketplaceId: 'mkt_us',
          customerId: 'cus_imp1',
          lines: [
            {
              lineId: '1',
              productId: 'prd_lamp',
              sellerId: 'slr_other',
              quantity: 1,
              unitPrice: { value: 100, currency: 'USD' },
              deliveredAt: null,
            },
          ],
        },
      },
      { kind: 'planet', id: 'x', data: {} },
    ].map((l) => JSON.stringify(l));
    const res = await importFeed(lines.join('\n'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'succeeded',
      lines: 5,
      imported: 2,
      failed: 3,
      byKind: { customer: 1, order: 1 },
    });
    expect(res.body.errors).toEqual([
      { line: 2, field: 'data.email', rule: expect.stringContaining('email') },
      { line: 3, field: 'data.lines.0.sellerId', rule: 'product prd_lamp is sold by slr_other' },
      { line: 5, field: 'kind', rule: expect.any(String) },
    ]);
    expect((await world.request('GET', '/v1/orders/ord_imp2')).body.customerId).toBe('cus_imp1');
    expect((await world.request('GET', '/v1/customers/cus_imp2')).status).toBe(404);
  });

  it('refuses unknown references on the PUT routes with 422, not a crash', async () => {
    const res = await world.request('PUT', '/v1/products/prd_x', {
      body: { sellerId: 'slr_nobody', title: 'X', category: 'y' },
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ field: 'body.sellerId', rule: 'seller slr_nobody does not exist' }]);
  });
});
