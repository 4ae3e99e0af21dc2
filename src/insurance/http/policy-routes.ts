import { z } from 'zod';
import { ZExternalId } from '../../marketplace/schemas.ts';
import { findSeller } from '../../marketplace/store.ts';
import type { Principal } from '../../platform/auth/roles.ts';
import { sendStoredFile } from '../../platform/blobs/serve-stored-file.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Queryable } from '../../platform/db/sql.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app-types.ts';
import { ZPageQuery } from '../../platform/http/paging.ts';
import { compliantCoverOn, shortfalls } from '../compliance.ts';
import { POLICY_EXAMPLE } from '../examples.ts';
import { attachCertificate, filePolicy, requireOwnSeller, ZPolicyInput } from '../file-policy.ts';
import {
  findPolicy,
  type InsurancePolicyRow,
  insuranceRules,
  listPolicies,
  sellerPoliciesNewestFirst,
} from '../store.ts';
import { verifyPolicy, ZPolicyVerification } from '../verify-policy.ts';
import {
  type InsurancePolicyView,
  POLICY_STATUSES,
  toPolicyView,
  ZInsurancePolicy,
  ZSellerInsurance,
} from '../views.ts';

const tags = ['insurance'];
const ZPolicyParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .describe('The policy id (ipol_…); each demo database has its own, listed by GET /v1/insurance-policies')
    .meta({ example: POLICY_EXAMPLE.id }),
});
const ZSellerParams = z.object({
  id: ZExternalId.describe('The seller id (demo: slr-acme, slr-volt)').meta({ example: 'slr-acme' }),
});

type InsuranceRules = Awaited<ReturnType<typeof insuranceRules>>;

/** A policy as shown: with where it falls short of its seller's marketplace's minimum. */
function policyView(row: InsurancePolicyRow, known: InsuranceRules): InsurancePolicyView {
  const facts = known?.onFile.find((p) => p.id === row.id);
  return toPolicyView(row, facts && known ? shortfalls(facts, known.rules, known.currency) : []);
}

/** Policies as shown; the rules are read once per seller, not once per policy. */
async function renderPolicies(db: Queryable, rows: InsurancePolicyRow[]): Promise<InsurancePolicyView[]> {
  const bySeller = new Map<string, Promise<InsuranceRules>>();
  const rulesOf = async (sellerId: string) => {
    const seller = await findSeller(db, sellerId);
    return seller ? insuranceRules(db, seller) : null;
  };
  return Promise.all(
    rows.map(async (row) => {
      let known = bySeller.get(row.seller_id);
      if (!known) {
        known = rulesOf(row.seller_id);
        bySeller.set(row.seller_id, known);
      }
      return policyView(row, await known);
    }),
  );
}

async function renderPolicy(db: Queryable, row: InsurancePolicyRow): Promise<InsurancePolicyView> {
  const [view] = await renderPolicies(db, [row]);
  if (!view) throw new Error(`policy ${row.id} did not render`);
  return view;
}

/** The seller itself, its insurer, and staff may read a policy; anyone else is told it does not exist. */
function canReadPolicy(principal: Principal, policy: InsurancePolicyRow): boolean {
  if (principal.role === 'admin' || principal.role === 'agent') return true;
  if (principal.role === 'seller') return principal.partyId === policy.seller_id;
  if (principal.role === 'insurer') return principal.partyId === policy.insurer_id;
  return false;
}

export function registerPolicyRoutes(app: App, ctx: AppContext): void {
  const readablePolicy = async (principal: Principal, id: string) => {
    const policy = await findPolicy(ctx.db, id);
    if (!policy || !canReadPolicy(principal, policy)) throw notFound('insurance policy', id);
    return policy;
  };

  app.route({
    method: 'POST',
    url: '/v1/sellers/:id/insurance-policies',
    config: { roles: ['seller', 'agent', 'admin'] },
    schema: {
      summary: 'Put a liability policy on file; it waits for verification',
      description:
        'Attach the certificate with `POST /v1/insurance-policies/{id}/certificate`. A seller may keep several policies.',
      tags,
      params: ZSellerParams,
      body: ZPolicyInput,
      response: {
        201: ZInsurancePolicy.meta({
          example: {
            ...POLICY_EXAMPLE,
            status: 'pending_verification',
            verifiedAt: null,
            verifiedBy: null,
            source: 'seller',
          },
        }),
      },
    },
    handler: async (request, reply) => {
      const filed = await ctx.db
        .transaction()
        .execute((tx) => filePolicy(tx, ctx, request.principal, request.params.id, request.body));
      return reply.status(201).send(await renderPolicy(ctx.db, filed));
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/sellers/:id/insurance',
    config: { roles: ['seller', 'agent', 'admin'] },
    schema: {
      summary: "A seller's insurance standing and its policies on file",
      description:
        "Whether the seller meets its marketplace's insurance minimum (not_required, grace, compliant, " +
        'not_compliant), since when it is required, the grace it has, the verified policy covering it ' +
        'now and every policy on file with its shortfalls. Callers: staff, or the seller itself (another ' +
        'seller gets 403). Errors: 404 unknown seller.',
      tags,
      params: ZSellerParams,
      response: { 200: ZSellerInsurance },
    },
    handler: async (request) => {
      requireOwnSeller(request.principal, request.params.id);
      const seller = await findSeller(ctx.db, request.params.id);
      if (!seller) throw notFound('seller', request.params.id);
      const [known, rows] = await Promise.all([
        insuranceRules(ctx.db, seller),
        sellerPoliciesNewestFirst(ctx.db, seller.id),
      ]);
      const cover = known
        ? compliantCoverOn(known.onFile, ctx.clock.now(), known.rules, known.currency)
        : null;
      return {
        sellerId: seller.id,
        status: seller.insurance_status as z.infer<typeof ZSellerInsurance>['status'],
        requiredSince: seller.insurance_required_since?.toISOString() ?? null,
        graceUntil: seller.insurance_grace_until?.toISOString() ?? null,
        coveringPolicyId: cover?.id ?? null,
        policies: rows.map((row) => policyView(row, known)),
      };
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/insurance-policies',
    config: { roles: ['agent', 'admin', 'insurer'] },
    schema: {
      summary: 'Policies on file, newest first: the verification queue (an insurer sees its own)',
      description:
        'Staff see every policy, an insurer the policies naming it; `status=pending_verification` is the ' +
        'queue of policies waiting for an agent or their insurer to verify them. Each policy shows where ' +
        "it falls short of its marketplace's minimum.",
      tags,
      querystring: ZPageQuery.extend({ status: z.enum(POLICY_STATUSES).optional() }),
      response: {
        200: z
          .object({ data: z.array(ZInsurancePolicy), nextCursor: z.string().nullable() })
          .meta({ example: { data: [POLICY_EXAMPLE], nextCursor: null } }),
      },
    },
    handler: async (request) => {
      const q = request.query;
      const { page, nextCursor } = await listPolicies(
        ctx.db,
        {
          ...(request.principal.role === 'insurer' ? { insurerId: request.principal.partyId ?? '' } : {}),
          ...(q.status ? { status: q.status } : {}),
        },
        q,
      );
      return { data: await renderPolicies(ctx.db, page), nextCursor };
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/insurance-policies/:id',
    config: { roles: ['seller', 'agent', 'admin', 'insurer'] },
    schema: {
      summary: 'One policy on file',
      description:
        'Callers: staff, the seller that holds it, the insurer it names. Errors: 404 when there is no ' +
        "such policy or it is not the caller's.",
      tags,
      params: ZPolicyParams,
      response: { 200: ZInsurancePolicy },
    },
    handler: async (request) =>
      renderPolicy(ctx.db, await readablePolicy(request.principal, request.params.id)),
  });

  app.route({
    method: 'POST',
    url: '/v1/insurance-policies/:id/certificate',
    config: { roles: ['seller', 'agent', 'admin'] },
    schema: {
      summary: 'Attach the certificate of insurance (multipart/form-data, field "file": PDF, PNG or JPEG)',
      description: 'On a rejected policy, a new certificate puts it back in the verification queue.',
      tags,
      consumes: ['multipart/form-data'],
      params: ZPolicyParams,
      response: { 200: ZInsurancePolicy },
    },
    handler: async (request) => {
      if (!request.isMultipart()) {
        throw new AppError(
          'unsupported_media_type',
          'send the certificate as multipart/form-data in a field named "file"',
        );
      }
      const part = await request.file();
      if (part?.fieldname !== 'file') {
        throw new AppError('validation_failed', 'no file was sent', {
          errors: [{ field: 'file', rule: 'required' }],
        });
      }
      const bytes = await part.toBuffer();
      const updated = await ctx.db.transaction().execute((tx) =>
        attachCertificate(tx, ctx, request.principal, request.params.id, {
          bytes,
          filename: part.filename ? part.filename.slice(0, 255) : null,
        }),
      );
      return renderPolicy(ctx.db, updated);
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/insurance-policies/:id/certificate',
    config: { roles: ['seller', 'agent', 'admin', 'insurer'] },
    schema: {
      summary: 'Download the certificate of insurance',
      description:
        'The file as uploaded (PDF, PNG or JPEG), with its media type. Callers: staff, the seller that ' +
        "holds the policy, the insurer it names. Errors: 404 when the policy is not the caller's or has " +
        'no certificate.',
      tags,
      params: ZPolicyParams,
    },
    handler: async (request, reply) => {
      const policy = await readablePolicy(request.principal, request.params.id);
      const certificate = policy.certificate;
      const bytes = certificate ? await ctx.blobs.get(certificate.sha256) : null;
      if (!certificate || !bytes) throw notFound('certificate of policy', policy.id);
      return sendStoredFile(reply, { bytes, mediaType: certificate.mediaType, recordId: policy.id });
    },
  });

  app.route({
    method: 'POST',
    url: '/v1/insurance-policies/:id/verification',
    config: { roles: ['agent', 'admin', 'insurer'] },
    schema: {
      summary: 'Verify or reject a policy on file (an agent, or the insurer that issued it)',
      description:
        '`verified` puts the policy in force for the compliance rules (the seller may become compliant ' +
        'at once); `rejected` needs a reason the seller is shown, and a new certificate puts the policy ' +
        'back in the queue. Callers: an agent or admin, or the insurer the policy names. Errors: 404 not ' +
        "the caller's policy, 409 when it is not waiting for verification, 400 for a reason under 10 " +
        'characters.',
      tags,
      params: ZPolicyParams,
      body: ZPolicyVerification,
      response: { 200: ZInsurancePolicy.meta({ example: POLICY_EXAMPLE }) },
    },
    handler: async (request) => {
      const decided = await ctx.db
        .transaction()
        .execute((tx) => verifyPolicy(tx, ctx, request.principal, request.params.id, request.body));
      return renderPolicy(ctx.db, decided);
    },
  });
}
