import { z } from 'zod';
import { sendStoredFile } from '../../platform/blobs/serve-stored-file.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app-types.ts';
import { CLAIM_HANDLERS, handlesClaim, requireClaimAccess } from '../access.ts';
import { addEvidence, EVIDENCE_PURPOSES, toEvidenceView, ZEvidence } from '../add-evidence.ts';
import { EVIDENCE_EXAMPLE } from '../examples.ts';
import { findClaim, findEvidence } from '../store.ts';
import { ZClaimParams } from './claims-routes.ts';

export function registerEvidenceRoutes(app: App, ctx: AppContext): void {
  const tags = ['evidence'];

  app.route({
    method: 'POST',
    url: '/v1/claims/:id/evidence',
    config: { roles: ['customer', 'seller', 'agent', 'tpa'] },
    schema: {
      summary: 'Attach a file (multipart/form-data, field "file"): photos, receipts, medical bills, reports',
      description:
        'At most 10 MiB; JPEG, PNG, WebP or PDF, recognised by content rather than by file name. ' +
        'Photos are re-encoded without metadata (EXIF, GPS, XMP, IPTC, thumbnails), their orientation applied; ' +
        'images above 64 megapixels are refused (413), and PDFs with JavaScript or automatic actions (400).',
      tags,
      consumes: ['multipart/form-data'],
      params: ZClaimParams,
      querystring: z.object({ purpose: z.enum(EVIDENCE_PURPOSES).default('other') }),
      response: { 201: ZEvidence },
    },
    handler: async (request, reply) => {
      if (!request.isMultipart()) {
        throw new AppError(
          'unsupported_media_type',
          'send the file as multipart/form-data in a field named "file"',
        );
      }
      const part = await request.file();
      if (part?.fieldname !== 'file') {
        throw new AppError('validation_failed', 'no file was sent', {
          errors: [{ field: 'file', rule: 'required' }],
        });
      }
      const bytes = await part.toBuffer();
      const evidence = await ctx.db.transaction().execute((tx) =>
        addEvidence(tx, ctx, request.principal, request.params.id, {
          bytes,
          filename: part.filename ? part.filename.slice(0, 255) : null,
          purpose: request.query.purpose,
        }),
      );
      return reply.status(201).send(evidence);
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/claims/:id/evidence',
    config: { roles: [...CLAIM_HANDLERS, 'customer', 'seller', 'insurer'] },
    schema: {
      summary: "The claim's evidence",
      description:
        "Every file attached to the claim, oldest first, with its SHA-256. The other party's file names are " +
        "hidden (a name often carries its uploader's name); staff see them all. An insurer reads the evidence " +
        'of a claim tendered to it (the same claims GET /v1/claims/{id} shows it), to judge the tender.',
      tags,
      params: ZClaimParams,
      response: {
        200: z.object({ data: z.array(ZEvidence) }).meta({ example: { data: [EVIDENCE_EXAMPLE] } }),
      },
    },
    handler: async (request) => {
      const principal = request.principal;
      const claim = requireClaimAccess(
        principal,
        await findClaim(ctx.db, request.params.id),
        request.params.id,
      );
      // A file's name often carries its uploader's name ("dana-reyes-burn.jpg"): the other party never sees it.
      const nameVisible = (row: { uploaded_by_role: string }) =>
        handlesClaim(principal, claim) || row.uploaded_by_role === principal.role;
      return {
        data: (await findEvidence(ctx.db, request.params.id)).map((row) =>
          toEvidenceView(nameVisible(row) ? row : { ...row, filename: null }),
        ),
      };
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/claims/:id/evidence/:evidenceId/content',
    config: { roles: [...CLAIM_HANDLERS, 'customer', 'seller', 'insurer'] },
    schema: {
      summary: 'Download one evidence file',
      description:
        'Always sent as an attachment named after the evidence id, with nosniff and a sandboxing ' +
        'Content-Security-Policy. Photos are the cleaned copy: no EXIF, GPS, XMP or IPTC, orientation applied.',
      tags,
      params: ZClaimParams.extend({
        evidenceId: z
          .string()
          .min(1)
          .max(64)
          .describe('From GET /v1/claims/{id}/evidence')
          .meta({ example: EVIDENCE_EXAMPLE.id }),
      }),
    },
    handler: async (request, reply) => {
      requireClaimAccess(request.principal, await findClaim(ctx.db, request.params.id), request.params.id);
      const evidence = (await findEvidence(ctx.db, request.params.id)).find(
        (e) => e.id === request.params.evidenceId,
      );
      const bytes = evidence && (await ctx.blobs.open(evidence.content_sha256));
      if (!evidence || !bytes) throw notFound('evidence', request.params.evidenceId);
      return sendStoredFile(reply, { bytes, mediaType: evidence.media_type, recordId: evidence.id });
    },
  });
}
