import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema.ts';

/** The problem+json every error of the API comes as (RFC 9457). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { field: string; rule: string }[];
}

export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.problem = problem;
  }
}

function cookie(name: string): string | null {
  const found = document.cookie.split('; ').find((c) => c.startsWith(`${name}=`));
  return found ? decodeURIComponent(found.slice(name.length + 1)) : null;
}

/** Every change carries the session's CSRF token, read from the cookie only our origin can read. */
const csrf: Middleware = {
  onRequest({ request }) {
    if (!['GET', 'HEAD'].includes(request.method)) {
      const token = cookie('redress_csrf');
      if (token) request.headers.set('x-csrf-token', token);
    }
    return request;
  },
};

/** The typed client: paths, parameters and bodies come from the server's OpenAPI document. */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(csrf);

/** Unwraps an openapi-fetch result: the data, or an ApiError carrying the problem. */
export async function call<T>(
  promise: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await promise;
  if (error !== undefined || !response.ok) {
    const problem = (error ?? {}) as Partial<Problem>;
    throw new ApiError({
      type: problem.type ?? 'about:blank',
      title: problem.title ?? response.statusText,
      status: problem.status ?? response.status,
      detail: problem.detail ?? response.statusText,
      ...(problem.errors ? { errors: problem.errors } : {}),
    });
  }
  return data as T;
}

/**
 * Uploads a file as multipart with upload progress (fetch cannot report it; XMLHttpRequest can).
 * `url` is an API path taking a multipart field "file".
 */
export function upload<T>(url: string, file: File, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    const token = cookie('redress_csrf');
    if (token) xhr.setRequestHeader('x-csrf-token', token);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      const body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else reject(new ApiError(body as Problem));
    };
    xhr.onerror = () => reject(new Error('the upload did not reach the server'));
    const form = new FormData();
    form.append('file', file);
    xhr.send(form);
  });
}
