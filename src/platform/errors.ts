/**
 * The one closed set of problems Redress reports. Each has a stable `type` URI (what clients
 * switch on), a title and an HTTP status; everything that can go wrong maps to one of these.
 */
export const PROBLEMS = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  malformed_request: { status: 400, title: 'The request body could not be read' },
  unauthenticated: { status: 401, title: 'A valid API key is required' },
  forbidden: { status: 403, title: 'This key may not do that' },
  not_found: { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  invalid_transition: { status: 409, title: 'The claim cannot move that way from its current status' },
  payload_too_large: { status: 413, title: 'The upload is too large' },
  uri_too_long: { status: 414, title: 'A part of the address is too long' },
  unsupported_media_type: { status: 415, title: 'This kind of content is not accepted' },
  unprocessable: { status: 422, title: 'The request refers to something that does not fit' },
  idempotency_key_reused: { status: 422, title: 'The Idempotency-Key was used for a different request' },
  rate_limited: { status: 429, title: 'Too many requests; wait before trying again' },
  not_ready: { status: 503, title: 'The service is not ready' },
  internal: { status: 500, title: 'Something went wrong on our side' },
} as const;

export type ProblemCode = keyof typeof PROBLEMS;

export interface FieldIssue {
  /** JSON-pointer-like dotted path of the failing field, e.g. `body.amount.value`. */
  field: string;
  /** The rule that failed, in words. */
  rule: string;
}

export function problemType(code: ProblemCode): string {
  return `urn:redress:problem:${code}`;
}

export class AppError extends Error {
  readonly code: ProblemCode;
  readonly detail: string;
  readonly errors: FieldIssue[] | undefined;
  readonly extra: Record<string, unknown> | undefined;

  constructor(
    code: ProblemCode,
    detail: string,
    options: { errors?: FieldIssue[]; extra?: Record<string, unknown> } = {},
  ) {
    super(detail);
    this.code = code;
    this.detail = detail;
    this.errors = options.errors;
    this.extra = options.extra;
  }

  get status(): number {
    return PROBLEMS[this.code].status;
  }
}

export const notFound = (what: string, id: string) =>
  new AppError('not_found', `${what} ${id} does not exist`);

export const forbidden = (detail: string) => new AppError('forbidden', detail);

export const unprocessable = (field: string, rule: string) =>
  new AppError('unprocessable', rule, { errors: [{ field, rule }] });
