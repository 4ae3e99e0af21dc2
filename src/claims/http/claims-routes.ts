import { z } from 'zod';
import { ZExternalId } from '../../marketplace/schemas.ts';
import { audienceOf, eventForAudience, partyStatus } from '../../notifications/catalogue.ts';
import { isStaff, type Principal } from '../../platform/auth/roles.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/sql.ts';
import { forbidden } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app-types.ts';
import { idempotentRequest } from '../../platform/http/idempotent-request.ts';
import { requireClaimAccess } from '../access.ts';
import { CLAIM_EVENT_EXAMPLE, CLAIM_EXAMPLE } from '../examples.ts';
import { fileClaim, ZFileClaimRequest } from '../file-claim.ts';
import { chainedContent, listClaimEvents, openClaimEvents } from '../history.ts';
import { verifyChain } from '../history-chain.ts';
import { CLAIM_STATUSES } from '../lifecycle.ts';
import { claimNames } from '../party-names.ts';
import { type ClaimRow, findClaim, listClaims, marketplaceTimeZone } from '../store.ts';
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
export async function renderClaims(db: Queryable, claims: ClaimRow[], viewer: Principal) {
  if (claims.length === 0) return [];
  const ids = claims.map((c) => c.id);
  const payouts = new Map(
    (await db.selectFrom('payouts').selectAll().where('claim_id', 'in', ids).execute()).map((p) => [
      p.claim_id,
      p,
    ]),
  );
  // A claim flagged after payment has the claimant's recovery too; that one is the claim's now.
  const recoveries = new Map(
    (
      await db
        .selectFrom('recoveries')
        .selectAll()
        .where('claim_id', 'in', ids)
        .orderBy('debtor', 'desc')
        .execute()
    ).map((r) => [r.claim_id, r]),
  );
  const names = await claimNames(db, claims);
  const zones = new Map<string, string>();
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
        { ...(payout ? { payout } : {}), ...(recovery ? { recovery } : {}) },
        names.get(claim.id),
      ),
    );
  }
  return views;
}

export const renderClaim = async (db: Queryable, claim: ClaimRow, viewer: Principal) =>
  (await renderClaims(db, [claim], viewer))[0] as z.infer<typeof ZClaim>;

export function registerClaimsRoutes(app: App, ctx: AppContext): void {
  const tags = ['claims'];

  app.route({
    method: 'POST',
    url: '/v1/claims',
    config: { roles: ['customer', 'agent'], limitedAs: 'claim_filing' },
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
          body: await renderClaim(
            tx,
            await fileClaim(tx, ctx, request.principal, request.body, filingFiles(request)),
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
    config: { roles: ['admin', 'agent', 'customer', 'seller', 'insurer'] },
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
      const claim = requireClaimAccess(
        request.principal,
        await findClaim(ctx.db, request.params.id),
        request.params.id,
      );
      return renderClaim(ctx.db, claim, request.principal);
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/claims',
    config: { roles: ['admin', 'agent', 'customer', 'seller'] },
    schema: {
      summary: 'Claims, newest first; a customer or seller sees only its own',
      description:
        "Filter by status, seller or customer; page with `cursor` (the previous page's nextCursor). A customer " +
        "or seller asking for another party's claims is refused (403).",
      tags,
      querystring: z.object({
        status: z.enum(CLAIM_STATUSES).optional(),
        sellerId: ZExternalId.optional(),
        customerId: ZExternalId.optional(),
        cursor: z.string().max(64).optional().describe('nextCursor of the previous page'),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
      response: {
        200: z
          .object({ data: z.array(ZClaim), nextCursor: z.string().nullable() })
          .meta({ example: { data: [CLAIM_EXAMPLE], nextCursor: null } }),
      },
    },
    handler: async (request) => {
      const q = request.query;
      const p = request.principal;
      const ownFilter = (asked: string | undefined, own: string | null) => {
        if (asked && asked !== own) throw forbidden(`a ${p.role} lists only its own claims`);
        return own ?? undefined;
      };
      // A party filters by the status it is shown, so asking for expert_review cannot find a referral.
      const shownAs = (status: string) => (isStaff(p) ? status : partyStatus(status));
      const rows = await listClaims(ctx.db, {
        ...(q.status ? { statuses: CLAIM_STATUSES.filter((s) => shownAs(s) === q.status) } : {}),
        sellerId: p.role === 'seller' ? ownFilter(q.sellerId, p.partyId) : q.sellerId,
        customerId: p.role === 'customer' ? ownFilter(q.customerId, p.partyId) : q.customerId,
        onlyNotifiedToSeller: p.role === 'seller',
        ...(q.cursor ? { cursor: q.cursor } : {}),
        limit: q.limit + 1,
      });
      const page = rows.slice(0, q.limit);
      return {
        data: await renderClaims(ctx.db, page, p),
        nextCursor: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null,
      };
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/claims/:id/events',
    config: { roles: ['admin', 'agent', 'customer', 'seller', 'insurer'] },
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
