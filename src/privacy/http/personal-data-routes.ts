import { z } from 'zod';
import { ZEvidence } from '../../claims/add-evidence.ts';
import { CLAIM_EVENT_EXAMPLE, CLAIM_EXAMPLE, EVIDENCE_EXAMPLE } from '../../claims/examples.ts';
import { ZClaimEvent } from '../../claims/http/claims-routes.ts';
import { ZClaim } from '../../claims/views.ts';
import { ORDER_EXAMPLE, ZOrder } from '../../marketplace/http/reference-data-routes.ts';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/app-types.ts';
import { ZMoney } from '../../platform/money.ts';
import { eraseCustomer, ZErasureRequest } from '../erase-customer.ts';
import { exportCustomer } from '../export-customer.ts';

const ZCustomerParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .describe('The customer id, the marketplace’s own (demo: cus-dana, cus-eli)')
    .meta({ example: 'cus-dana' }),
});

const ZErasure = z
  .object({
    id: z.string(),
    customerId: z.string(),
    erasedBy: z.object({ role: z.string(), id: z.string().nullable() }),
    reason: z.string(),
    claimIds: z.array(z.string()),
    evidenceFilesDeleted: z.number().int(),
    mailFilesDeleted: z.number().int(),
    erasedAt: z.string(),
  })
  .meta({
    example: {
      id: 'ers_01jf3k2m9q8w7e6r5t4y3u2i1o',
      customerId: 'cus-dana',
      erasedBy: { role: 'agent', id: 'key_01jf3k2m9q8w7e6r5t4y3u2i1p' },
      reason: 'Data-subject erasure request, ticket DSR-2027-0042',
      claimIds: [CLAIM_EXAMPLE.id],
      evidenceFilesDeleted: 2,
      mailFilesDeleted: 3,
      erasedAt: '2027-02-01T10:00:00.000Z',
    },
  });

const ZCustomerExport = z
  .object({
    exportedAt: z.string(),
    customer: z.object({
      id: z.string(),
      marketplaceId: z.string(),
      name: z.string().describe('"[erased]" after an erasure'),
      email: z.string(),
      language: z.string(),
      region: z.string().nullable(),
      birthYear: z.number().int().nullable(),
      accountCreatedAt: z.string().nullable(),
      createdAt: z.string(),
      erasedAt: z.string().nullable(),
    }),
    orders: z.array(ZOrder),
    claims: z.array(
      z.object({
        claim: ZClaim,
        events: z.array(ZClaimEvent).describe('The history as this viewer may see it'),
        evidence: z.array(ZEvidence),
      }),
    ),
    payouts: z.array(
      z.object({
        id: z.string(),
        claimId: z.string(),
        payer: z.string(),
        amount: ZMoney,
        status: z.string(),
        reference: z.string().nullable(),
        settledAt: z.string().nullable(),
      }),
    ),
    messages: z.array(
      z.object({
        id: z.string(),
        channel: z.literal('email'),
        to: z.string(),
        about: z.object({ eventType: z.string(), subjectId: z.string() }),
        template: z.string(),
        language: z.string(),
        status: z.string(),
        createdAt: z.string(),
        sentAt: z.string().nullable(),
      }),
    ),
    recallNotices: z.array(
      z.object({
        recallId: z.string(),
        units: z.number().int(),
        status: z.string(),
        response: z.string().nullable(),
        notifiedAt: z.string(),
      }),
    ),
    erasures: z.array(ZErasure),
  })
  .meta({
    example: {
      exportedAt: '2026-11-29T23:50:38.406Z',
      customer: {
        id: 'cus-dana',
        marketplaceId: 'demo-us',
        name: 'Dana Reyes',
        email: 'dana@example.com',
        language: 'en',
        region: null,
        birthYear: null,
        accountCreatedAt: null,
        createdAt: '2026-08-30T23:26:26.337Z',
        erasedAt: null,
      },
      orders: [ORDER_EXAMPLE],
      claims: [{ claim: CLAIM_EXAMPLE, events: [CLAIM_EVENT_EXAMPLE], evidence: [EVIDENCE_EXAMPLE] }],
      payouts: [],
      messages: [
        {
          id: 'msg_01m8mt8rbbtgb0bhs9xh1r4nps',
          channel: 'email',
          to: 'dana@example.com',
          about: { eventType: 'claim.filed', subjectId: CLAIM_EXAMPLE.id },
          template: 'claim_filed',
          language: 'en',
          status: 'sent',
          createdAt: '2026-11-29T23:26:26.337Z',
          sentAt: '2026-11-29T23:26:27.000Z',
        },
      ],
      recallNotices: [],
      erasures: [],
    },
  });

export function registerPersonalDataRoutes(app: App, ctx: AppContext): void {
  const tags = ['personal data'];

  app.route({
    method: 'GET',
    url: '/v1/customers/:id/export',
    config: { roles: ['admin', 'agent', 'customer'] },
    schema: {
      summary: 'Everything Redress holds about a customer, as JSON (data-subject access and portability)',
      description:
        'The customer itself, or an agent or admin. Claims, histories and evidence lists appear as the ' +
        'viewer may see them: a customer never sees screening signals. After an erasure, names and ' +
        'narratives read "[erased]" and amounts remain. Errors: 404 for an unknown customer, or for a ' +
        'customer key asking about someone else (the two are not told apart).',
      tags,
      params: ZCustomerParams,
      response: { 200: ZCustomerExport },
    },
    handler: async (request) =>
      ctx.db
        .transaction()
        .execute((tx) => exportCustomer(tx, ctx.clock, request.principal, request.params.id)),
  });

  app.route({
    method: 'POST',
    url: '/v1/customers/:id/erasure',
    config: { roles: ['admin', 'agent'] },
    schema: {
      summary: "Erase a customer's personal data (crypto-shredding), keeping the ledger and histories",
      description:
        "Destroys the customer's data key, so every sealed name, e-mail, narrative and message reads " +
        '"[erased]"; deletes the evidence files the claimant side attached and the mail files sent to ' +
        'them. Refused with 409 while the retention rules hold the data: `rule` names which ' +
        '(claim_open, payout_unsettled, recovery_open, hold_period, already_erased) and `blockers` ' +
        'lists each claim. Recorded in the audit log with who, when and why. Staff only (admin, agent). ' +
        'Errors: 404 unknown customer, 409 as above, 400 for a reason under its minimum length. Erasing ' +
        'cus-dana in the demo really erases her: try it on a throwaway database.',
      tags,
      params: ZCustomerParams,
      body: ZErasureRequest,
      response: { 200: ZErasure },
    },
    handler: async (request) =>
      ctx.db
        .transaction()
        .execute((tx) => eraseCustomer(tx, ctx, request.principal, request.params.id, request.body)),
  });
}
