import { z } from 'zod';
import type { PayoutRow } from '../../ledger/payouts.ts';
import { ZExternalId } from '../../marketplace/schemas.ts';
import { audienceOf, eventForAudience, partyStatus } from '../../notifications/catalogue.ts';
import type { Principal } from '../../platform/auth/roles.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/sql.ts';
import type { App } from '../../platform/http/app-types.ts';
import { idempotentRequest } from '../../platform/http/idempotent-request.ts';
import { type KeyScope, openPersonal } from '../../privacy/data-keys.ts';
import { CLAIM_HANDLERS, claimListScope, requireClaimAccess } from '../access.ts';
import { REFERABLE } from '../claim-actions.ts';
import { ZFileClaimRequest } from '../claim-request.schemas.ts';
import { CLAIM_EVENT_EXAMPLE, CLAIM_EXAMPLE } from '../examples.ts';
import { fileClaimInContext } from '../file-claim.ts';
import type { FilingContext } from '../filing-context.ts';
import { chainedContent, listClaimEvents, openClaimEvents } from '../history.ts';
import { verifyChain } from '../history-chain.ts';
import { CLAIM_STATUSES } from '../lifecycle.ts';
import { type ClaimNames, claimNames } from '../party-names.ts';
import { CLAIM_QUEUES, queueFilter } from '../queues.ts';
import {
  CLAIM_SORTS,
  type ClaimRow,
  claimsMoney,
  claimsWithOpenReferral,
  findClaim,
  listClaims,
  marketplaceTimeZone,
  nextClaimCursor,
  resolveClaimSearch,
} from '../store.ts';
import { toClaimView, ZClaim } from '../views.ts';
import {
  filingFiles,
  filingFingerprint,
  MAX_FILES_PER_FILING,
  readMultipartFiling,
} from './multipart-filing.ts';

export const ZClaimParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .describe('The claim id (clm_…); in the demo each database has its own, listed by GET /v1/claims')
    .meta({ example: CLAIM_EXAMPLE.id }),
});

/** A day (start of that day, UTC) or a moment. */
const ZInstant = z.coerce.date().refine((d) => !Number.isNaN(d.getTime()), 'must be a date or date-time');

export const ZClaimListQuery = z
  .object({
    q: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe('A claim number, id, order, product, customer or seller'),
    status: z.enum(CLAIM_STATUSES).optional(),
    sellerId: ZExternalId.optional(),
    productId: ZExternalId.optional(),
    customerId: ZExternalId.optional(),
    hazard: z
      .string()
      .regex(/^[a-z_]{2,40}$/, 'must be a hazard code such as fire_burn')
      .optional()
      .describe('Staff only: the hazard the claim was classified as'),
    minAmount: z.coerce.number().int().min(0).optional().describe('In minor units (cents)'),
    maxAmount: z.coerce.number().int().min(0).optional().describe('In minor units (cents)'),
    filedFrom: ZInstant.optional().describe('Filed at or after (ISO date or date-time)'),
    filedTo: ZInstant.optional().describe('Filed before (ISO date or date-time)'),
    owner: z
      .string()
      .regex(/^(me|none|key_[0-9a-z]+)$/, 'must be me, none or an agent key id')
      .optional()
      .describe('Staff only: me, none (nobody has taken it) or an agent key id'),
    queue: z
      .enum(CLAIM_QUEUES)
      .optional()
      .describe(
        "Staff only: one of the agent console's queues (counts: GET /v1/claim-queues); other filters narrow it",
      ),
    overdue: z
      .enum(['true'])
      .optional()
      .describe('Staff only: reviews past their due time (the overdue queue)'),
    sort: z.enum(CLAIM_SORTS).default('newest').describe('due: the oldest deadline first'),
    cursor: z.string().max(64).optional().describe('nextCursor of the previous page'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .refine((v) => v.minAmount === undefined || v.maxAmount === undefined || v.minAmount <= v.maxAmount, {
    message: 'minAmount must not be above maxAmount',
    path: ['minAmount'],
  });

export const ZIdempotencyHeaders = z
  .object({
    'idempotency-key': z
      .string()
      .min(8, 'must be at least 8 characters')
      .max(200)
      .describe('A key unique to this request; a retry with the same key returns the first answer'),
  })
  .loose();

export const ZClaimEvent = z
  .object({
    id: z.string(),
    seq: z.number().int(),
    type: z.string(),
    at: z.string(),
    actor: z.object({ role: z.string(), id: z.string().nullable() }),
    reason: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ example: CLAIM_EVENT_EXAMPLE });

/** A claim's history as this viewer may see it, with the server's check of its hash chain. */
export async function visibleClaimEvents(db: Queryable, claim: ClaimRow, viewer: Principal) {
  const stored = await listClaimEvents(db, claim.id);
  const events = (await openClaimEvents(db, claim.customer_id, stored)).map(chainedContent);
  // The chain is checked over the events as stored (personal text sealed, see docs/security.md),
  // so neither what a party may not see nor the opening of sealed text can hide tampering.
  const chain = verifyChain(stored.map(chainedContent));
  const audience = audienceOf(viewer.role);
  const visible = events.flatMap((e) => eventForAudience(e, audience) ?? []);
  return { data: visible, chain };
}

/** Renders claims with their marketplace's time zone, looked up once per marketplace. */
export async function renderClaims(
  db: Queryable,
  claims: ClaimRow[],
  viewer: Principal,
  /**
   * A claim just filed: its names, zone and payout (the one its filing queued, or none) are in
   * hand, and a new claim has no recovery.
   */
  filed?: { timeZone: string; names: ClaimNames; payout: PayoutRow | null },
  /** The request's data keys already read (findClaim's), so a name is opened without reading again. */
  keys?: KeyScope,
) {
  if (claims.length === 0) return [];
  const ids = claims.map((c) => c.id);
  const { payouts, recoveries } = filed
    ? {
        payouts: new Map(filed.payout ? [[filed.payout.claim_id, filed.payout]] : []),
        recoveries: new Map<string, never>(),
      }
    : await claimsMoney(db, ids, { recoveries: true });
  // A claim in expert review with no open referral is one an agent must assign an expert to.
  // Asked only where a referral could be offered (a clean filing, approved at once, asks nothing).
  const withExpert = new Set(
    await claimsWithOpenReferral(
      db,
      claims.filter((c) => REFERABLE.includes(c.status)).map((c) => c.id),
    ),
  );
  const names = filed ? new Map(claims.map((c) => [c.id, filed.names])) : await claimNames(db, claims, keys);
  const zones = new Map<string, string>(filed ? claims.map((c) => [c.marketplace_id, filed.timeZone]) : []);
  const views = [];
  for (const claim of claims) {
    let zone = zones.get(claim.marketplace_id);
    if (!zone) {
      zone = await marketplaceTimeZone(db, claim.marketplace_id);
      zones.set(claim.marketplace_id, zone);
    }
    const payout = payouts.get(claim.id);
    const recovery = recoveries.get(claim.id);
    views.push(
      toClaimView(
        claim,
        zone,
        viewer,
        {
          ...(payout ? { payout } : {}),
          ...(recovery ? { recovery } : {}),
          withExpert: withExpert.has(claim.id),
        },
        names.get(claim.id),
      ),
    );
  }
  return views;
}

export const renderClaim = async (db: Queryable, claim: ClaimRow, viewer: Principal, keys?: KeyScope) =>
  (await renderClaims(db, [claim], viewer, undefined, keys))[0] as z.infer<typeof ZClaim>;

/** The answer to a filing, rendered from the rows the filing holds (one read: its payout). */
async function renderFiledClaim(
  db: Queryable,
  filed: { claim: ClaimRow; context: FilingContext; payout: PayoutRow | null },
  viewer: Principal,
) {
  const { claim, context, payout } = filed;
  const names: ClaimNames = {
    productTitle: claim.product_id ? (context.product?.title ?? null) : null,
    sellerName: claim.seller_id ? (context.line?.sellerName ?? null) : null,
    customerName: await openPersonal(db, claim.customer_id, 'customer.name', context.customer.sealedName),
    sellerSeesCustomerName: context.policyVersion?.policy.sellerSeesCustomerName ?? false,
  };
  const timeZone = context.marketplace.calendar.timeZone;
  return (await renderClaims(db, [claim], viewer, { timeZone, names, payout }))[0] as z.infer<typeof ZClaim>;
}

export function registerClaimsRoutes(app: App, ctx: AppContext): void {
  const tags = ['claims'];

  app.route({
    method: 'POST',
    url: '/v1/claims',
    config: { roles: ['customer', 'agent', 'tpa'], limitedAs: 'claim_filing' },
    schema: {
      summary: 'File a claim against one delivered order line; it is screened at once',
      description:
        'An ineligible claim is stored and returned `denied` with its reason code. Retrying with the same ' +
        '`Idempotency-Key` returns the first answer (header `Idempotent-Replayed: true`).\n\n' +
        'To file with photos in one request, send `multipart/form-data`: a part named `claim` holding this ' +
        'JSON body, and up to ' +
        `${MAX_FILES_PER_FILING} files in parts named by their purpose (\`photo\`, \`receipt\`, \`medical_bill\`, ` +
        '`repair_quote`, `report`, `other`; JPEG, PNG, WebP, HEIC or PDF, 10 MiB each). The files are ' +
        'screened before the decision, so a photo already used on another claim sends the claim to review ' +
        'instead of payment. A retry must repeat the same claim and the same files.',
      tags,
      consumes: ['application/json', 'multipart/form-data'],
      headers: ZIdempotencyHeaders,
      body: ZFileClaimRequest,
      response: { 201: ZClaim },
    },
    preValidation: readMultipartFiling,
    handler: async (request, reply) => {
      const result = await idempotentRequest(
        ctx,
        request,
        'claims.file',
        async (tx) => ({
          status: 201,
          body: await renderFiledClaim(
            tx,
            await fileClaimInContext(tx, ctx, request.principal, request.body, filingFiles(request)),
            request.principal,
          ),
        }),
        filingFingerprint(request),
      );
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(201).send(result.body);
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/claims/:id',
    config: { roles: [...CLAIM_HANDLERS, 'customer', 'seller', 'insurer'] },
    schema: {
      summary: 'A claim',
      description:
        "As the caller may see it: staff see everything; the claimant and the seller see their own claim's " +
        "progress, never risk signals or the other party's personal data; an insurer sees a claim tendered to it.",
      tags,
      params: ZClaimParams,
      response: { 200: ZClaim },
    },
    handler: async (request) => {
      // The claimant's data key, read once for the claim and its names.
      const keys = {};
      const claim = requireClaimAccess(
        request.principal,
        await findClaim(ctx.db, request.params.id, keys),
        request.params.id,
      );
      return renderClaim(ctx.db, claim, request.principal, keys);
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/claims',
    config: { roles: [...CLAIM_HANDLERS, 'customer', 'seller'] },
    schema: {
      summary: 'Search and list claims; a customer or seller sees only its own',
      description:
        '`q` finds a claim by its number (R-7K2M-9XQ3) or id, its order id or its product title; staff ' +
        'also by the customer id, e-mail or full name (matched through a blind index: names are stored ' +
        'sealed) and the seller name or id. Every filter narrows the list. `hazard`, `owner`, `overdue` ' +
        'and `queue` are for staff; a party naming another party is refused (403). `sort=due` puts the oldest ' +
        'deadline first (a review, the seller, the claimant or a payment confirmation, by status).',
      tags,
      querystring: ZClaimListQuery,
      response: {
        200: z
          .object({ data: z.array(ZClaim), nextCursor: z.string().nullable() })
          .meta({ example: { data: [CLAIM_EXAMPLE], nextCursor: null } }),
      },
    },
    handler: async (request) => {
      const q = request.query;
      const p = request.principal;
      const scope = claimListScope(p, {
        sellerId: q.sellerId,
        customerId: q.customerId,
        ...(q.hazard ? { hazard: q.hazard } : {}),
        ...(q.owner ? { owner: q.owner } : {}),
        ...(q.overdue ? { overdue: q.overdue } : {}),
        ...(q.queue ? { queue: q.queue } : {}),
      });
      // A party filters by the status it is shown, so asking for expert_review cannot find a referral.
      const shownAs = (status: string) => (scope.searchPeople ? status : partyStatus(status));
      const queue = q.queue ? queueFilter(q.queue, ctx.clock.now(), p.keyId) : {};
      // A status asked for within a queue narrows the queue's statuses, never widens them.
      const asked = q.status ? CLAIM_STATUSES.filter((s) => shownAs(s) === q.status) : undefined;
      const statuses =
        queue.statuses && asked
          ? queue.statuses.filter((s) => asked.includes(s as never))
          : (asked ?? queue.statuses);
      const sort = q.sort;
      const rows = await listClaims(ctx.db, {
        ...queue,
        ...(statuses ? { statuses } : {}),
        ...scope,
        ...(q.productId ? { productId: q.productId } : {}),
        ...(q.hazard ? { hazard: q.hazard } : {}),
        ...(q.minAmount !== undefined ? { minAmount: q.minAmount } : {}),
        ...(q.maxAmount !== undefined ? { maxAmount: q.maxAmount } : {}),
        ...(q.filedFrom ? { filedFrom: q.filedFrom } : {}),
        ...(q.filedTo ? { filedTo: q.filedTo } : {}),
        ...(q.owner
          ? { ownerId: q.owner === 'none' ? null : q.owner === 'me' ? (p.keyId ?? '') : q.owner }
          : {}),
        ...(q.overdue ? { overdueAt: ctx.clock.now() } : {}),
        ...(q.q ? { search: await resolveClaimSearch(ctx.db, q.q, { people: scope.searchPeople }) } : {}),
        sort,
        ...(q.cursor ? { cursor: q.cursor } : {}),
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      return {
        data: await renderClaims(ctx.db, page, p),
        nextCursor: nextClaimCursor(sort, q.cursor, page, rows.length > q.limit),
      };
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/claims/:id/events',
    config: { roles: [...CLAIM_HANDLERS, 'customer', 'seller', 'insurer'] },
    schema: {
      summary: "The claim's history, hash-chained, with the server's own check of the chain",
      description:
        'hash = SHA-256 hex of prevHash + "\\n" + the RFC 8785 canonical JSON of ' +
        '{ id, seq, type, at, actor, reason, data }; the first event has prevHash "". Staff see every ' +
        'event whole. The claimant, the seller and the insurer see only the events the event catalogue ' +
        '(GET /v1/event-types) shows them, with only the fields it lists: never screening signals, scores ' +
        'or staff notes. The chain is checked on the full history, so what is hidden cannot hide tampering.',
      tags,
      params: ZClaimParams,
      response: {
        200: z
          .object({
            data: z.array(ZClaimEvent),
            chain: z.object({ valid: z.boolean(), brokenAtSeq: z.number().int().nullable() }),
          })
          .meta({ example: { data: [CLAIM_EVENT_EXAMPLE], chain: { valid: true, brokenAtSeq: null } } }),
      },
    },
    handler: async (request) =>
      visibleClaimEvents(
        ctx.db,
        requireClaimAccess(request.principal, await findClaim(ctx.db, request.params.id), request.params.id),
        request.principal,
      ),
  });
}
