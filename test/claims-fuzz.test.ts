import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZAppealRequest } from '../src/claims/appeal-claim.ts';
import { ZFileClaimRequest } from '../src/claims/claim-request.schemas.ts';
import { ZDecisionRequest } from '../src/claims/decide-claim.ts';
import { ZInformationAnswer, ZInformationRequest } from '../src/claims/request-information.ts';
import { ZSellerResponseRequest } from '../src/claims/seller-response.schemas.ts';
import { ZWithdrawRequest } from '../src/claims/withdraw-claim.ts';
import { ZPaymentConfirmation } from '../src/ledger/confirm-payment.ts';
import { claimBody, fileClaim, usMarketplace } from './fixtures.ts';
import { createWorld, type World } from './harness.ts';

let world: World;
let keys: Awaited<ReturnType<typeof usMarketplace>>;
let claimId: string;
beforeAll(async () => {
  world = await createWorld();
  keys = await usMarketplace(world);
  claimId = (
    await fileClaim(world, keys.dana, claimBody({ lineId: '2', amount: { value: 300_000, currency: 'USD' } }))
  ).body.id;
});
afterAll(() => world.close());

/** Everything stored about claims, as one fingerprint: any change shows. */
async function fingerprint(): Promise<string> {
  const result = await sql<{ f: string }>`
    select md5(coalesce((select string_agg(c::text, '|' order by id) from claims c), '') ||
               coalesce((select string_agg(e::text, '|' order by claim_id, seq) from claim_events e), '') ||
               coalesce((select string_agg(v::text, '|' order by id) from evidence v), '') ||
               (select count(*) from outbox)::text || (select count(*) from idempotency_keys)::text ||
               (select count(*) from timers)::text) as f`.execute(world.ctx.db);
  return result.rows[0]?.f ?? '';
}

/** Bodies made to be wrong: random JSON, and valid bodies with one field broken. */
const brokenValue = fc.oneof(
  fc.constant(null),
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(''),
  fc.constant(-1),
  fc.constant(1.5),
  fc.array(fc.anything(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.anything(), { maxKeys: 3 }),
);

function breakOneField(valid: Record<string, unknown>) {
  return fc
    .tuple(fc.constantFrom(...Object.keys(valid)), brokenValue)
    .map(([field, value]) => ({ ...valid, [field]: value }));
}

const routes = [
  { path: () => '/v1/claims', key: () => keys.dana, schema: ZFileClaimRequest, valid: claimBody() },
  {
    path: () => `/v1/claims/${claimId}/seller-response`,
    key: () => keys.acme,
    schema: ZSellerResponseRequest,
    valid: { action: 'dispute', defense: 'A defense long enough to pass.', evidenceIds: [] },
  },
  {
    path: () => `/v1/claims/${claimId}/decision`,
    key: () => keys.agent,
    schema: ZDecisionRequest,
    valid: { outcome: 'approve', reason: 'valid claim' },
  },
  {
    path: () => `/v1/claims/${claimId}/information-request`,
    key: () => keys.agent,
    schema: ZInformationRequest,
    valid: { question: 'Please add photos.' },
  },
  {
    path: () => `/v1/claims/${claimId}/information`,
    key: () => keys.dana,
    schema: ZInformationAnswer,
    valid: { message: 'here', evidenceIds: [] },
  },
  {
    path: () => `/v1/claims/${claimId}/withdraw`,
    key: () => keys.dana,
    schema: ZWithdrawRequest,
    valid: { reason: 'no longer needed' },
  },
  {
    path: () => `/v1/claims/${claimId}/appeal`,
    key: () => keys.dana,
    schema: ZAppealRequest,
    valid: { grounds: 'These are my grounds.' },
  },
  {
    path: () => `/v1/claims/${claimId}/payment-confirmation`,
    key: () => keys.acme,
    schema: ZPaymentConfirmation,
    valid: { reference: 'ACH-12345' },
  },
];

describe('fuzzed bad input on every claim route', () => {
  for (const route of routes) {
    it(`POST ${route.path().replace(/clm_\w+/, '{id}')} answers 4xx problem+json and changes nothing`, async () => {
      const before = await fingerprint();
      const bodies = fc
        .oneof(fc.anything(), breakOneField(route.valid))
        .filter((body) => !route.schema.safeParse(body).success);
      await fc.assert(
        fc.asyncProperty(bodies, fc.string({ maxLength: 30 }), async (body, idempotencyKey) => {
          const res = await world.request('POST', route.path(), {
            key: route.key(),
            payload: JSON.stringify(body) ?? 'undefined',
            headers: { 'content-type': 'application/json', 'idempotency-key': `fuzz-${idempotencyKey}` },
          });
          expect(res.status, JSON.stringify({ body, response: res.body })).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          expect(res.headers['content-type']).toContain('application/problem+json');
          expect(res.body.type).toMatch(/^urn:redress:problem:/);
        }),
        { numRuns: 60 },
      );
      expect(await fingerprint()).toBe(before);
    });
  }

  it('answers fuzzed claim ids and query strings with 4xx, never 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 80 }), fc.string({ maxLength: 40 }), async (id, query) => {
        const get = await world.request('GET', `/v1/claims/${encodeURIComponent(id)}`);
        expect(get.status === 404 || get.status === 400 || get.status === 200).toBe(true);
        const list = await world.request(
          'GET',
          `/v1/claims?status=${encodeURIComponent(query)}&limit=${encodeURIComponent(query)}`,
        );
        expect(list.status === 400 || list.status === 200).toBe(true);
      }),
      { numRuns: 80 },
    );
  });
});
