import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/sql.ts';
import type { App } from '../../platform/http/app-types.ts';
import { ZPageQuery } from '../../platform/http/paging.ts';
import { decidePublicRecallMatch, ZPublicRecallMatchDecision } from '../decide-public-recall-match.ts';
import { PUBLIC_RECALL_MATCH_EXAMPLE } from '../examples.ts';
import { importPublicRecalls } from '../import-public-recalls.ts';
import type { PublicRecallMatchRow, PublicRecallRow } from '../match-public-recalls.ts';
import { toPublicRecallMatchView, ZPublicRecallMatch } from '../public-recall-views.ts';
import { listPublicRecallMatches, publicRecallsById } from '../store.ts';

const tags = ['safety'];

const ZPublicRecallImportReport = z
  .object({
    lines: z.number().int(),
    imported: z.number().int(),
    failed: z.number().int(),
    productMatches: z.number().int().describe('Products newly matched, waiting for a safety officer'),
    errors: z.array(z.object({ line: z.number().int(), field: z.string(), rule: z.string() })),
  })
  .meta({
    example: {
      lines: 2,
      imported: 1,
      failed: 1,
      productMatches: 1,
      errors: [
        { line: 2, field: 'recallNumber', rule: 'Invalid input: expected string, received undefined' },
      ],
    },
  });

async function renderMatches(db: Queryable, matches: PublicRecallMatchRow[]) {
  if (matches.length === 0) return [];
  const byId = await publicRecallsById(db, [...new Set(matches.map((m) => m.public_recall_id))]);
  return matches.map((m) => toPublicRecallMatchView(m, byId.get(m.public_recall_id) as PublicRecallRow));
}

/**
 * Public recall notices (the CPSC's format): an admin imports them; staff confirm or reject
 * the products they matched. Staff only: parties see a matched recall on their claim, never
 * how it was matched.
 */
export function registerPublicRecallRoutes(app: App, ctx: AppContext): void {
  app.addContentTypeParser(
    'text/csv',
    { parseAs: 'string', bodyLimit: 50 * 1024 * 1024 },
    (_req, body, done) => done(null, body),
  );

  app.route({
    method: 'POST',
    url: '/v1/safety/public-recalls/import',
    config: { roles: ['admin'] },
    bodyLimit: 50 * 1024 * 1024,
    schema: {
      summary: 'Import public recall notices (CPSC format) as NDJSON or CSV, and match them to products',
      description:
        'NDJSON (`application/x-ndjson`): one notice a line, either flat (`{"recallNumber":"19-094","title":…,"brands":[…],"modelNumbers":[…],"upcs":[…]}`) ' +
        'or as the CPSC recall web service publishes it (`RecallNumber`, `Products[].Model`, `ProductUPCs[].UPC`…). ' +
        'CSV (`text/csv`): a header row with the flat names; list columns hold `;`-separated values. ' +
        'A notice is keyed by its number (a re-import updates it). Each is stored and matched in its own transaction; bad records are reported with line, field and rule, and skipped.',
      tags,
      consumes: ['application/x-ndjson', 'text/csv'],
      body: z.string().describe('NDJSON or CSV'),
      response: { 200: ZPublicRecallImportReport },
    },
    handler: async (request) =>
      importPublicRecalls(
        ctx,
        request.body,
        String(request.headers['content-type']).startsWith('text/csv') ? 'csv' : 'ndjson',
      ),
  });

  app.route({
    method: 'GET',
    url: '/v1/safety/public-recall-matches',
    config: { roles: ['admin', 'agent'] },
    schema: {
      summary:
        'Products matched to public recall notices, newest first: what a safety officer confirms or rejects',
      description:
        "Products that imported public recall notices (the CPSC's) matched by UPC, model number or brand " +
        "and title, with the score and the words that matched; `status=pending` is the safety officer's " +
        'queue. Staff only: parties see a confirmed recall on their claim, never how it was matched.',
      tags,
      querystring: ZPageQuery.extend({
        status: z.enum(['pending', 'confirmed', 'rejected']).optional(),
        productId: z.string().max(64).optional(),
      }),
      response: {
        200: z
          .object({ data: z.array(ZPublicRecallMatch), nextCursor: z.string().nullable() })
          .meta({ example: { data: [PUBLIC_RECALL_MATCH_EXAMPLE], nextCursor: null } }),
      },
    },
    handler: async (request) => {
      const { page, nextCursor } = await listPublicRecallMatches(ctx.db, request.query, request.query);
      return { data: await renderMatches(ctx.db, page), nextCursor };
    },
  });

  app.route({
    method: 'POST',
    url: '/v1/safety/public-recall-matches/:id/decision',
    config: { roles: ['admin', 'agent'] },
    schema: {
      summary:
        'Confirm (links the product’s open claims, may pause the listing) or reject (releases claims an exact code linked) a matched product',
      description:
        "`confirm` links the product's open claims to the recall (and may pause the listing); `reject` " +
        'releases claims that an exact code had linked, with an optional note. Staff only. Errors: 404 ' +
        'unknown match, 409 when it was already decided, 400 for a bad body.',
      tags,
      params: z.object({
        id: z
          .string()
          .min(1)
          .max(64)
          .describe('The match id (prm_…); GET /v1/safety/public-recall-matches lists them')
          .meta({ example: PUBLIC_RECALL_MATCH_EXAMPLE.id }),
      }),
      body: ZPublicRecallMatchDecision,
      response: { 200: ZPublicRecallMatch },
    },
    handler: async (request) => {
      const decided = await ctx.db
        .transaction()
        .execute((tx) =>
          decidePublicRecallMatch(tx, ctx, request.principal, request.params.id, request.body),
        );
      const [view] = await renderMatches(ctx.db, [decided]);
      return view as z.infer<typeof ZPublicRecallMatch>;
    },
  });
}
