import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImportJobs } from '../src/marketplace/import/run-import-job.ts';
import { ID_MAX_LENGTH } from '../src/platform/ids.ts';
import { claimBody, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;
let claimId: string;
beforeAll(async () => {
  world = await createWorld();
  keys = await usMarketplace(world);
  claimId = (await fileClaim(world, keys.dana, claimBody({ lineId: '2' }))).body.id;
});
afterAll(() => world.close());

const NUL_RULE = 'must not contain the NUL character (U+0000)';
const SURROGATE_RULE = 'must be well-formed Unicode (no lone UTF-16 surrogate)';

function expectProblem(res: { status: number; body: any; headers: Record<string, unknown> }, status: number) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  expect(res.body.type).toMatch(/^urn:redress:problem:/);
}

describe('text PostgreSQL cannot store is refused before any query', () => {
  it('names the body field holding a NUL', async () => {
    const res = await fileClaim(world, keys.dana, claimBody({ description: 'Arm\u0000 stuck' }));
    expectProblem(res, 400);
    expect(res.body.errors).toEqual([{ field: 'body.description', rule: NUL_RULE }]);
  });

  it('names a nested field and a field name holding a NUL', async () => {
    const body = claimBody();
    body.damages[0] = { ...body.damages[0]!, description: 'Counter\u0000' };
    const nested = await fileClaim(world, keys.dana, body);
    expect(nested.body.errors).toEqual([{ field: 'body.damages.0.description', rule: NUL_RULE }]);
    const key = await fileClaim(world, keys.dana, { ...claimBody(), 'note\u0000': 'x' });
    expectProblem(key, 400);
    expect(key.body.errors).toEqual([{ field: 'body', rule: `field names ${NUL_RULE}` }]);
  });

  it('names the path id, the cursor and the query field holding a NUL', async () => {
    const id = await world.request('GET', '/v1/claims/clm_%00');
    expectProblem(id, 400);
    expect(id.body.errors).toEqual([{ field: 'params.id', rule: NUL_RULE }]);
    const cursor = await world.request('GET', '/v1/claims?cursor=clm_%00');
    expect(cursor.body.errors).toEqual([{ field: 'query.cursor', rule: NUL_RULE }]);
    const seller = await world.request('GET', '/v1/sellers/slr%00x');
    expect(seller.body.errors).toEqual([{ field: 'params.id', rule: NUL_RULE }]);
  });

  it('refuses a lone UTF-16 surrogate escaped in JSON', async () => {
    const res = await world.request('POST', `/v1/claims/${claimId}/withdraw`, {
      key: keys.dana,
      payload: '{"reason":"changed my mind \\ud800"}',
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(res, 400);
    expect(res.body.errors).toEqual([{ field: 'body.reason', rule: SURROGATE_RULE }]);
  });

  it('keeps a well-formed pair of surrogates (an emoji)', async () => {
    const res = await fileClaim(
      world,
      keys.dana,
      claimBody({ lineId: '5', description: 'Burnt 🔥 counter top' }),
    );
    expect(res.status).toBe(201);
  });

  it('reports a NUL or a lone surrogate in an import line against that line and imports the others', async () => {
    const seller = (id: string, name: string) =>
      JSON.stringify({
        kind: 'seller',
        id,
        data: { marketplaceId: 'mkt_us', name, standing: 'good', contact: { email: 'claims@nul.example' } },
      });
    const posted = await world.request('POST', '/v1/imports', {
      // JSON.stringify writes both as `\u` escapes: the only way JSON carries them.
      payload: `${seller('slr_nul', 'Bad\u0000Name')}\n${seller('slr_fine', 'Fine Goods')}\n${seller('slr_sur', 'Bad\ud800Name')}\n`,
      headers: { 'content-type': 'application/x-ndjson' },
    });
    // Imports are background jobs (202); the worker runs here as a server's would.
    expect(posted.status, JSON.stringify(posted.body)).toBe(202);
    await runImportJobs(world.ctx, { owner: 'test-worker' });
    const res = await world.request('GET', posted.headers.location as string);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body, JSON.stringify(res.body.errors)).toMatchObject({ imported: 1, failed: 2 });
    expect(res.body.errors).toEqual([
      { line: 1, field: 'line.data.name', rule: NUL_RULE },
      { line: 3, field: 'line.data.name', rule: SURROGATE_RULE },
    ]);
  });
});

describe('ids up to the documented length route; longer ones get problem+json 414', () => {
  it(`answers 404, not 414, for a ${ID_MAX_LENGTH}-character id`, async () => {
    for (const length of [101, 110, ID_MAX_LENGTH]) {
      const res = await world.request('GET', `/v1/sellers/${'s'.repeat(length)}`);
      expectProblem(res, 404);
    }
  });

  it('answers 414 problem+json naming the rule past the limit', async () => {
    const res = await world.request('GET', `/v1/claims/${'c'.repeat(ID_MAX_LENGTH + 1)}`);
    expectProblem(res, 414);
    expect(res.body).toMatchObject({
      type: 'urn:redress:problem:uri_too_long',
      errors: [{ field: 'params', rule: `must be at most ${ID_MAX_LENGTH} characters` }],
    });
  });

  it('answers 400 problem+json for a path that cannot be decoded', async () => {
    const res = await world.request('GET', '/v1/claims/%E0%A4%A');
    expectProblem(res, 400);
  });
});

describe('broken multipart bodies are the client’s fault', () => {
  const upload = (contentType: string, payload: string) =>
    world.request('POST', `/v1/claims/${claimId}/evidence`, {
      key: keys.dana,
      payload,
      headers: { 'content-type': contentType },
    });

  it('refuses multipart without a boundary with 400', async () => {
    const res = await upload('multipart/form-data', 'whatever');
    expectProblem(res, 400);
  });

  it('refuses a truncated multipart body with 400', async () => {
    const res = await upload(
      'multipart/form-data; boundary=XYZ',
      '--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff',
    );
    expectProblem(res, 400);
  });
});

describe('short descriptions are filed, and screening asks for more', () => {
  it('files "Arm stuck" and asks the claimant what happened', async () => {
    const res = await fileClaim(
      world,
      keys.dana,
      claimBody({ lineId: '1', type: 'personal_injury', description: 'Arm stuck' }),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.status).toBe('needs_info');
    const answered = await world.request('POST', `/v1/claims/${res.body.id}/information`, {
      key: keys.dana,
      body: {
        message: 'The recliner arm folded shut on my forearm while I sat down; the hinge had no stop.',
        evidenceIds: [],
      },
    });
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(answered.body.status).not.toBe('needs_info');
  });

  it('still refuses fewer than 3 characters, naming the rule', async () => {
    const res = await fileClaim(world, keys.dana, claimBody({ description: ' ok ' }));
    expectProblem(res, 400);
    expect(res.body.errors).toEqual([
      { field: 'body.description', rule: 'must describe what happened in at least 3 characters' },
    ]);
  });
});
