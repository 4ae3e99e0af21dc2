import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isDatabaseUnavailable } from '../db/outage.ts';
import { AppError, type FieldIssue, PROBLEMS, type ProblemCode, problemType } from '../errors.ts';

export const ZProblem = z
  .object({
    type: z.string().describe('Stable URI naming the kind of problem; switch on this'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), rule: z.string() })).optional(),
  })
  .catchall(z.unknown())
  .meta({
    id: 'Problem',
    description: 'RFC 9457 problem details',
    example: {
      type: 'urn:redress:problem:validation_failed',
      title: 'The request is not valid',
      status: 400,
      detail: 'body.amount.value: must be an integer',
      errors: [{ field: 'body.amount.value', rule: 'must be an integer' }],
    },
  });

export type Problem = z.infer<typeof ZProblem>;

export function problemBody(
  code: ProblemCode,
  detail: string,
  request: FastifyRequest | null,
  extra: { errors?: FieldIssue[]; [key: string]: unknown } = {},
): Problem {
  const { status, title } = PROBLEMS[code];
  return {
    type: problemType(code),
    title,
    status,
    detail,
    ...(request ? { instance: request.url, requestId: String(request.id) } : {}),
    ...extra,
  };
}

/** Seconds a client should wait before retrying a 503: a PostgreSQL restart takes a few. */
export const RETRY_AFTER_SECONDS = 2;

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  if (body.status === 503) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  return reply.status(body.status).type('application/problem+json').send(body);
}

/** Fastify's own error codes that are the client's fault, and what we call them. */
const FASTIFY_CLIENT_ERRORS: Record<string, ProblemCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_request',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'malformed_request',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'unsupported_media_type',
  FST_REQ_FILE_TOO_LARGE: 'payload_too_large',
  FST_PARTS_LIMIT: 'payload_too_large',
  FST_FILES_LIMIT: 'payload_too_large',
  FST_FIELDS_LIMIT: 'payload_too_large',
};

/**
 * What busboy (under @fastify/multipart) and Node's streams throw for a multipart body that is
 * broken on the wire: no boundary, cut off before its closing boundary, a bad part header.
 * They carry no Fastify code, so they are recognised by message, and only on multipart requests.
 */
const BROKEN_MULTIPART =
  /^(Multipart: Boundary not found|Unexpected end of (form|multipart data)|Malformed part header|Boundary required|Premature close|\w+ terminated early)/;

function isBrokenMultipart(error: unknown, request: FastifyRequest): boolean {
  if (!String(request.headers['content-type'] ?? '').startsWith('multipart/')) return false;
  const { code, message } = error as { code?: string; message?: string };
  return code === 'ERR_STREAM_PREMATURE_CLOSE' || BROKEN_MULTIPART.test(message ?? '');
}

/** Turns anything thrown by a route into problem+json; the one place errors meet HTTP. */
export function toProblem(error: unknown, request: FastifyRequest): Problem {
  if (error instanceof AppError) {
    return problemBody(error.code, error.detail, request, {
      ...(error.errors ? { errors: error.errors } : {}),
      ...error.extra,
    });
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = (error as FastifyError).validationContext ?? 'body';
    const errors = error.validation.map((issue) => ({
      field: [context, ...issue.instancePath.split('/').filter(Boolean)].join('.'),
      rule: issue.message ?? 'is invalid',
    }));
    const detail = errors.map((e) => `${e.field}: ${e.rule}`).join('; ');
    return problemBody('validation_failed', detail, request, { errors });
  }
  const fastifyError = error as FastifyError;
  const code = fastifyError.code ? FASTIFY_CLIENT_ERRORS[fastifyError.code] : undefined;
  if (code) return problemBody(code, fastifyError.message, request);
  if (isBrokenMultipart(error, request)) {
    return problemBody('malformed_request', `body: ${fastifyError.message}`, request, {
      errors: [{ field: 'body', rule: 'must be complete multipart/form-data with its boundary' }],
    });
  }
  if (
    typeof fastifyError.statusCode === 'number' &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500
  ) {
    return problemBody('validation_failed', fastifyError.message, request);
  }
  if (isDatabaseUnavailable(error)) {
    // The driver's message may name hosts and users: the log gets it, the client does not.
    request.log.warn({ err: error }, 'database unavailable');
    return problemBody('not_ready', 'the database is briefly unavailable; retry shortly', request);
  }
  request.log.error({ err: error }, 'unhandled error');
  return problemBody('internal', 'An unexpected error occurred; it has been logged', request);
}
