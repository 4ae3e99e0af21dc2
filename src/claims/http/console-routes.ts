import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/app-types.ts';
import { CLAIM_HANDLERS, claimListScope, requireClaimAccess } from '../access.ts';
import { assignClaim, ZAssignmentRequest } from '../assign-claim.ts';
import { countQueues } from '../queue-counts.ts';
import { CLAIM_QUEUES } from '../queues.ts';
import { findClaim, listAgents } from '../store.ts';
import { ZClaim } from '../views.ts';
import { addNote, MESSAGE_THREADS, writeMessage, ZMessageRequest, ZNoteRequest } from '../write-to-claim.ts';
import { renderClaim, visibleClaimEvents, ZClaimParams } from './claims-routes.ts';

export const ZClaimMessage = z
  .object({
    id: z.string().describe('The id of the history event that carries it'),
    thread: z.enum(['claimant', 'seller', 'internal']),
    direction: z
      .enum(['in', 'out', 'note'])
      .describe('in: from the party; out: from the marketplace; note: internal'),
    at: z.string(),
    author: z.object({ role: z.string(), id: z.string().nullable() }),
    message: z.string(),
  })
  .meta({ id: 'ClaimMessage' });

/** The agent console's work on a claim: ownership, internal notes, and messages to a party. */
export function registerConsoleRoutes(app: App, ctx: AppContext): void {
  const tags = ['agent console'];

  app.route({
    method: 'POST',
    url: '/v1/claims/:id/assignment',
    config: { roles: [...CLAIM_HANDLERS] },
    schema: {
      summary: 'Take a claim, reassign it to another agent, or release it',
      description:
        '`owner: "me"` takes it; an agent key id (from GET /v1/agents) hands it over; null releases it. ' +
        'Recorded in the history as `claim.assigned` (staff only). Only open claims are worked (409 otherwise).',
      tags,
      params: ZClaimParams,
      body: ZAssignmentRequest,
      response: { 200: ZClaim },
    },
    handler: async (request) =>
      ctx.db.transaction().execute(async (tx) => {
        const claim = await assignClaim(tx, ctx, request.principal, request.params.id, request.body);
        return renderClaim(tx, claim, request.principal);
      }),
  });

  app.route({
    method: 'GET',
    url: '/v1/agents',
    config: { roles: [...CLAIM_HANDLERS] },
    schema: {
      summary: 'The agents a claim can be assigned to (active agent keys), with their open claims',
      description:
        'Every agent key that is not revoked, in id order, with how many open claims it owns; a third-party ' +
        "administrator (tpa) is shown its own firm's keys instead, the only people it may hand a claim to. " +
        'Pass an `id` as `owner` to POST /v1/claims/{id}/assignment to hand a claim over to that agent.',
      tags,
      response: {
        200: z
          .object({
            data: z.array(
              z.object({
                id: z.string().describe('The agent key id: the `owner` to assign a claim to'),
                name: z.string().describe("The key's label, or its id when it has none"),
                openClaims: z.number().int().describe('Open claims the agent owns now'),
              }),
            ),
          })
          .meta({
            example: {
              data: [
                { id: 'key_01m8mddxw3agnt7q2w9e4r6t8y', name: 'Claims team (Jordan)', openClaims: 4 },
                {
                  id: 'key_01m8mddxw5agnt3k5m7p9r1s3v',
                  name: 'key_01m8mddxw5agnt3k5m7p9r1s3v',
                  openClaims: 0,
                },
              ],
            },
          }),
      },
    },
    handler: async (request) => {
      const { principal } = request;
      // A TPA hands claims only to its own firm's people (access.ts, mayOwnClaim): it lists those.
      const of = principal.role === 'tpa' ? { tpaId: principal.partyId ?? '' } : ('marketplace' as const);
      return { data: await listAgents(ctx.db, of) };
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/claim-queues',
    config: { roles: [...CLAIM_HANDLERS] },
    schema: {
      summary: "The agent console's queues with how many claims each holds and its oldest deadline",
      description:
        'In working order: the console opens on the first queue that holds a claim. Each `queue` is a value of ' +
        '`queue` for GET /v1/claims (which lists it, `sort=due` for the oldest due first). `mine` counts the ' +
        "caller's own open claims, `unassigned` the open claims nobody has taken. `oldestDue` is the earliest " +
        'deadline the claims wait on (a review, the seller, the claimant or a payment confirmation). A third-party ' +
        "administrator's counts cover only its marketplaces' claims.",
      tags,
      response: {
        200: z
          .object({
            data: z.array(
              z.object({
                queue: z.enum(CLAIM_QUEUES),
                label: z.string(),
                count: z.number().int(),
                oldestDue: z.string().nullable().describe('UTC'),
              }),
            ),
          })
          .meta({
            example: {
              data: [
                {
                  queue: 'overdue_reviews',
                  label: 'Overdue reviews',
                  count: 2,
                  oldestDue: '2026-11-25T05:00:00.000Z',
                },
                { queue: 'disputed', label: 'Disputed', count: 3, oldestDue: '2026-12-02T05:00:00.000Z' },
                { queue: 'needs_review', label: 'Needs review', count: 0, oldestDue: null },
              ],
            },
          }),
      },
    },
    handler: async (request) => ({
      data: (
        await countQueues(
          ctx.db,
          ctx.clock.now(),
          request.principal.keyId,
          claimListScope(request.principal, {}),
        )
      ).map((q) => ({
        ...q,
        oldestDue: q.oldestDue?.toISOString() ?? null,
      })),
    }),
  });

  app.route({
    method: 'POST',
    url: '/v1/claims/:id/notes',
    config: { roles: [...CLAIM_HANDLERS] },
    schema: {
      summary: 'Write an internal note on a claim (staff only; never shown to a party)',
      description:
        'Recorded in the history as `claim.note_added`, which only staff see; it appears in the internal thread ' +
        'of GET /v1/claims/{id}/messages. The note is sealed with the claimant’s key like every text about the ' +
        'incident. Answers with the claim as it stands.',
      tags,
      params: ZClaimParams,
      body: ZNoteRequest,
      response: { 200: ZClaim },
    },
    handler: async (request) =>
      ctx.db.transaction().execute(async (tx) => {
        const claim = await addNote(tx, ctx, request.principal, request.params.id, request.body);
        return renderClaim(tx, claim, request.principal);
      }),
  });

  app.route({
    method: 'POST',
    url: '/v1/claims/:id/messages',
    config: { roles: [...CLAIM_HANDLERS, 'customer', 'seller'] },
    schema: {
      summary: 'Write in a claim thread: staff to the claimant or the seller (e-mailed), a party back',
      description:
        'Each party has its own thread with the marketplace: the claimant never sees the seller’s, nor the ' +
        'seller the claimant’s. A message from staff is e-mailed to that party.',
      tags,
      params: ZClaimParams,
      body: ZMessageRequest,
      response: { 200: ZClaim },
    },
    handler: async (request) =>
      ctx.db.transaction().execute(async (tx) => {
        const claim = await writeMessage(tx, ctx, request.principal, request.params.id, request.body);
        return renderClaim(tx, claim, request.principal);
      }),
  });

  app.route({
    method: 'GET',
    url: '/v1/claims/:id/messages',
    config: { roles: [...CLAIM_HANDLERS, 'customer', 'seller'] },
    schema: {
      summary:
        "A claim's threads as the viewer may see them: staff all and the internal notes, a party its own",
      description:
        'The messages and internal notes picked out of the claim’s history, oldest first. Staff see the claimant’s ' +
        'thread, the seller’s thread and the internal notes; the claimant sees only its own thread, the seller only ' +
        'its own. A claim the viewer may not see is 404.',
      tags,
      params: ZClaimParams,
      response: {
        200: z.object({ data: z.array(ZClaimMessage) }).meta({
          example: {
            data: [
              {
                id: 'evt_01m8mdg4k2n6q8s0t2w4y6a8c0',
                thread: 'internal',
                direction: 'note',
                at: '2026-11-29T20:02:13.000Z',
                author: { role: 'agent', id: 'key_01m8mddxw3agnt7q2w9e4r6t8y' },
                message: 'Called the seller: the heater batch is being checked by the maker.',
              },
              {
                id: 'evt_01m8mdh7p3r5t7v9x1z3b5d7f9',
                thread: 'claimant',
                direction: 'out',
                at: '2026-11-29T20:05:40.000Z',
                author: { role: 'agent', id: 'key_01m8mddxw3agnt7q2w9e4r6t8y' },
                message: 'Could you tell us where the heater was standing when it tipped over?',
              },
              {
                id: 'evt_01m8mdj9s4v6w8y0a2c4e6g8j0',
                thread: 'claimant',
                direction: 'in',
                at: '2026-11-29T20:31:07.000Z',
                author: { role: 'customer', id: 'cus-dana' },
                message: 'On the wooden floor next to the sofa, about a metre from the rug.',
              },
            ],
          },
        }),
      },
    },
    handler: async (request) => {
      const claim = requireClaimAccess(
        request.principal,
        await findClaim(ctx.db, request.params.id),
        request.params.id,
      );
      // The history's own filter decides what the viewer sees; this only picks the messages out.
      const { data } = await visibleClaimEvents(ctx.db, claim, request.principal);
      return {
        data: data.flatMap((e) => {
          const kind = MESSAGE_THREADS[e.type as keyof typeof MESSAGE_THREADS];
          if (!kind) return [];
          const text = e.data.message ?? e.data.notes;
          return [
            { id: e.id, ...kind, at: e.at, author: e.actor, message: typeof text === 'string' ? text : '' },
          ];
        }),
      };
    },
  });
}
