import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import { MAX_UPLOAD_BYTES } from '../../platform/http/upload-limits.ts';
import { EVIDENCE_PURPOSES } from '../add-evidence.ts';
import type { EvidenceFile } from '../file-claim.ts';

/** How many files one filing may carry; more can be attached afterwards. */
export const MAX_FILES_PER_FILING = 10;

const filesOf = new WeakMap<FastifyRequest, EvidenceFile[]>();

const invalid = (field: string, rule: string) =>
  new AppError('validation_failed', `${field}: ${rule}`, { errors: [{ field, rule }] });

/**
 * A filing sent as multipart/form-data: a `claim` part holding the claim's JSON and files in
 * parts named by their purpose (`photo`, `receipt`, `medical_bill`, …). Runs before validation,
 * so the claim part is checked by the same schema as a JSON filing; the files wait for the
 * handler (`filingFiles`).
 */
export async function readMultipartFiling(request: FastifyRequest): Promise<void> {
  if (!request.isMultipart()) return;
  let claim: unknown;
  const files: EvidenceFile[] = [];
  const purposes: readonly string[] = EVIDENCE_PURPOSES;
  for await (const part of request.parts({
    limits: { files: MAX_FILES_PER_FILING, fileSize: MAX_UPLOAD_BYTES, fields: 5 },
  })) {
    if (part.type === 'field') {
      if (part.fieldname !== 'claim')
        throw invalid(part.fieldname, 'unknown part; send the claim in "claim"');
      try {
        claim = JSON.parse(String(part.value));
      } catch {
        throw invalid('claim', 'must be the claim as JSON');
      }
      continue;
    }
    if (!purposes.includes(part.fieldname)) {
      throw invalid(
        part.fieldname,
        `a file's part is named by its purpose: one of ${EVIDENCE_PURPOSES.join(', ')}`,
      );
    }
    files.push({
      bytes: await part.toBuffer(),
      filename: part.filename ? part.filename.slice(0, 255) : null,
      purpose: part.fieldname as EvidenceFile['purpose'],
    });
  }
  if (claim === undefined) throw invalid('claim', 'required: the claim as JSON in a part named "claim"');
  request.body = claim;
  filesOf.set(request, files);
}

/** The files a multipart filing carried (none for a JSON filing). */
export const filingFiles = (request: FastifyRequest): EvidenceFile[] => filesOf.get(request) ?? [];

/**
 * What a retry with the same Idempotency-Key must repeat: the claim and, for a multipart
 * filing, each file's purpose and SHA-256 (the same claim with other photos is another request).
 */
export function filingFingerprint(request: FastifyRequest): unknown {
  const files = filingFiles(request);
  if (files.length === 0) return request.body;
  return {
    claim: request.body,
    files: files.map((f) => ({
      purpose: f.purpose,
      sha256: createHash('sha256').update(f.bytes).digest('hex'),
    })),
  };
}
