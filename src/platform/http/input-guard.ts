import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import { ID_MAX_LENGTH } from '../ids.ts';
import { findUnstorableText } from '../storable-text.ts';
import { problemBody, sendProblem } from './problem.ts';

/**
 * The preValidation hook on every route: path ids, query and body, in the order a reader would
 * check them. One hook, rather than a refinement in each schema, so no route can forget it.
 */
export async function refuseUnstorableText(request: FastifyRequest): Promise<void> {
  const issue =
    // The router's params and the query parser's object have their own prototypes: copy them.
    findUnstorableText({ ...(request.params as object) }, 'params') ??
    findUnstorableText({ ...(request.query as object) }, 'query') ??
    findUnstorableText(request.body, 'body');
  if (issue) {
    throw new AppError('validation_failed', `${issue.field}: ${issue.rule}`, { errors: [issue] });
  }
}

/**
 * Errors Fastify raises before any route runs (an id longer than the router keeps, a URL that
 * cannot be decoded) would otherwise get Fastify's own JSON, not problem+json.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    const rule = `must be at most ${ID_MAX_LENGTH} characters`;
    sendProblem(
      reply,
      problemBody('uri_too_long', `params: a path segment ${rule}`, request, {
        errors: [{ field: 'params', rule }],
      }),
    );
    return;
  }
  sendProblem(
    reply,
    problemBody('validation_failed', `url: ${error.message}`, request, {
      errors: [{ field: 'url', rule: 'must be a well-formed, percent-encoded path' }],
    }),
  );
}
