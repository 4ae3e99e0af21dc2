import type { FastifyInstance } from 'fastify';
import { type Kysely, sql } from 'kysely';
import type { Random } from '../../src/simulation/random.ts';

/**
 * Malformed requests for every operation in the OpenAPI document, shared by the CI fuzz test
 * (a few thousand) and `npm run bench -- fuzz` (100,000 or more). Each shape is one way a
 * client, a proxy or an attacker has been seen to break a request; the server must answer
 * each with a 4xx problem+json and store nothing.
 */
export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** The OpenAPI path, e.g. `/v1/claims/{id}`. */
  path: string;
  pathParams: string[];
  queryParams: string[];
  bodyType: 'application/json' | 'application/x-ndjson' | 'multipart/form-data' | null;
  /** The documented example body, the base that one broken field is put into. */
  example: Record<string, unknown>;
}

export interface MalformedRequest {
  shape: string;
  method: Operation['method'];
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** The operation's path, to count by. */
  operation: string;
}

export function operationsOf(doc: { paths: Record<string, Record<string, any>> }): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries<any>(item)) {
      const parameters: Array<{ name: string; in: string }> = op.parameters ?? [];
      const content = op.requestBody?.content ?? {};
      const bodyType = content['application/json']
        ? 'application/json'
        : content['application/x-ndjson']
          ? 'application/x-ndjson'
          : method === 'post' && path.endsWith('/evidence')
            ? 'multipart/form-data'
            : null;
      const example = content['application/json']?.schema?.example;
      ops.push({
        method: method.toUpperCase() as Operation['method'],
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        bodyType,
        example: example && typeof example === 'object' && !Array.isArray(example) ? example : {},
      });
    }
  }
  return ops;
}

/** Ids that exist in the fuzzed world, by the collection the path names, so bodies reach the rules. */
export type KnownIds = Record<string, string>;

const LONG = (n: number) => 'x'.repeat(n);

/** Bad path ids: NUL, undecodable bytes, a lone surrogate's bytes, lengths around the limit. */
const BAD_IDS: Array<[string, string]> = [
  ['id_nul', 'clm_%00x'],
  ['id_bad_utf8', '%E0%A4%A'],
  ['id_lone_surrogate_bytes', '%ED%A0%80'],
  ['id_101_chars', LONG(101)],
  ['id_120_chars', LONG(120)],
  ['id_121_chars', LONG(121)],
  ['id_2000_chars', LONG(2000)],
  ['id_dot_dot', '..%2F..%2Fetc%2Fpasswd'],
  ['id_sql', "'%20or%201%3D1--"],
  ['id_emoji', '%F0%9F%94%A5'],
];

const BAD_QUERY_VALUES: Array<[string, string]> = [
  ['query_nul', '%00'],
  ['query_lone_surrogate_bytes', '%ED%A0%80'],
  ['query_bad_utf8', '%E0%A4%A'],
  ['query_negative', '-1'],
  ['query_huge', '99999999999999999999999'],
  ['query_long', LONG(5000)],
  ['query_text', 'abc'],
];

/** Values put into one field of a valid body. */
const BAD_VALUES: Array<[string, unknown]> = [
  ['null', null],
  ['nul_string', 'a\u0000b'],
  ['lone_surrogate', '\ud800'],
  ['empty', ''],
  ['long_string', LONG(100_001)],
  ['negative', -1],
  ['fraction', 1.5],
  ['huge_number', 1e300],
  ['boolean', true],
  ['array', [1, 'a', null]],
  ['object', { a: { b: '\u0000' } }],
  ['deep', JSON.parse(`${'['.repeat(200)}${']'.repeat(200)}`)],
];

function encodeJsonKeepingSurrogates(value: unknown): string {
  // JSON.stringify writes a lone surrogate as the escape "\ud800", which is what a client sends.
  return JSON.stringify(value);
}

function fillPath(op: Operation, known: KnownIds, badId?: string): string {
  const collection = op.path.split('/')[2] ?? '';
  let first = true;
  return op.path.replace(/\{([^}]+)\}/g, () => {
    const id = badId !== undefined && first ? badId : first ? (known[collection] ?? 'probe-id') : 'probe-id';
    first = false;
    return id;
  });
}

/** One malformed request for one operation and key, chosen by the generator. */
export function malformedRequest(
  random: Random,
  op: Operation,
  key: { role: string; secret: string | null },
  known: KnownIds,
): MalformedRequest {
  const headers: Record<string, string> = {};
  if (key.secret) headers.authorization = `Bearer ${key.secret}`;
  if (op.method === 'POST') headers['idempotency-key'] = `fuzz-${random.int(0, 1e9)}`;
  if (op.bodyType === 'application/json') headers['content-type'] = 'application/json';
  const base = { method: op.method, headers, operation: `${op.method} ${op.path}` };
  const shapes: Array<() => MalformedRequest> = [];

  if (op.pathParams.length > 0) {
    shapes.push(() => {
      const [shape, id] = random.pick(BAD_IDS);
      return { ...base, shape, url: fillPath(op, known, id), ...body(op, op.example) };
    });
  }
  const names = op.queryParams.length > 0 ? op.queryParams : ['cursor', 'unknown'];
  shapes.push(() => {
    const [shape, value] = random.pick(BAD_QUERY_VALUES);
    return {
      ...base,
      shape,
      url: `${fillPath(op, known)}?${random.pick(names)}=${value}`,
      ...body(op, op.example),
    };
  });
  if (op.bodyType === 'application/json') {
    const fields = Object.keys(op.example);
    shapes.push(() => {
      const [shape, value] = random.pick(BAD_VALUES);
      const field = fields.length > 0 ? random.pick(fields) : 'field';
      return {
        ...base,
        shape: `body_${shape}`,
        url: fillPath(op, known),
        ...body(op, { ...op.example, [field]: value }),
      };
    });
    shapes.push(() => {
      const text = encodeJsonKeepingSurrogates(op.example);
      const [shape, payload] = random.pick<[string, string]>([
        ['json_truncated', text.slice(0, Math.max(1, random.int(1, text.length - 1)))],
        ['json_not_json', 'not json at all'],
        ['json_empty', ''],
        ['json_array', '[]'],
        ['json_nul_escape_key', '{"\\u0000":1}'],
        ['json_raw_lone_surrogate', text.replace(/"$|}$/, ',"x":"\\udfff"}')],
        ['json_bom', `\ufeff${text}`],
      ]);
      headers['content-type'] = 'application/json';
      return { ...base, shape, url: fillPath(op, known), payload };
    });
    shapes.push(() => {
      headers['content-type'] = random.pick(['text/plain', 'application/xml', 'multipart/form-data']);
      return { ...base, shape: 'wrong_content_type', url: fillPath(op, known), payload: 'a=1' };
    });
  }
  if (op.bodyType === 'application/x-ndjson') {
    shapes.push(() => {
      headers['content-type'] = 'application/x-ndjson';
      const payload = random.pick([
        '{"kind":"seller","id":"slr_\\u0000","data":{}}\n',
        '{"kind":"seller","id":"slr_x","data":{"name":"\\ud800"}}\n',
        '{"kind":"nope"}\n{not json\n',
        '\u0000\n',
      ]);
      return { ...base, shape: 'ndjson_bad_lines', url: fillPath(op, known), payload };
    });
  }
  if (op.bodyType === 'multipart/form-data') {
    shapes.push(() => {
      const [shape, contentType, payload] = random.pick<[string, string, string]>([
        ['multipart_no_boundary', 'multipart/form-data', 'whatever'],
        [
          'multipart_truncated',
          'multipart/form-data; boundary=XYZ',
          '--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\n\xff\xd8',
        ],
        ['multipart_empty', 'multipart/form-data; boundary=XYZ', ''],
        [
          'multipart_nul_field',
          'multipart/form-data; boundary=XYZ',
          '--XYZ\r\nContent-Disposition: form-data; name="fi\u0000le"\r\n\r\nx\r\n--XYZ--\r\n',
        ],
      ]);
      headers['content-type'] = contentType;
      return { ...base, shape, url: fillPath(op, known), payload };
    });
  }
  return random.pick(shapes)();
}

function body(op: Operation, value: unknown): { payload?: string } {
  if (op.bodyType !== 'application/json') return {};
  return { payload: encodeJsonKeepingSurrogates(value) };
}

/**
 * Every row of every table, as one fingerprint per table. Compared between batches of fuzzed
 * requests: a batch in which no change was accepted (no 2xx to a POST, PUT or DELETE) must leave
 * every table as it was.
 */
export async function tableFingerprints(db: Kysely<any>): Promise<Map<string, string>> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const prints = new Map<string, string>();
  for (const { name } of tables.rows) {
    const row = await sql<{ f: string | null }>`
      select md5(string_agg(t::text, '|' order by t::text)) as f from ${sql.table(name)} t`.execute(db);
    prints.set(name, row.rows[0]?.f ?? '');
  }
  return prints;
}

export interface FuzzReport {
  requests: number;
  byStatus: Record<string, number>;
  byShape: Record<string, number>;
  /** Requests answered with a 5xx, or a 4xx that is not problem+json; should be empty. */
  failures: Array<{ shape: string; method: string; url: string; status: number; body: string }>;
  /** Tables that changed in a batch where no change was accepted; should be empty. */
  unexplainedChanges: string[];
  acceptedChanges: number;
}

type Inject = (request: MalformedRequest) => Promise<{ status: number; contentType: string; body: string }>;

/** Sends a malformed request through Fastify's inject, as a client on 127.0.0.1 would. */
export function injectInto(app: Pick<FastifyInstance, 'inject'>): Inject {
  return async (request) => {
    const res = await app.inject({
      method: request.method,
      url: request.url,
      headers: request.headers,
      ...(request.payload !== undefined ? { payload: request.payload } : {}),
    });
    return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), body: res.body };
  };
}

/** Sends `count` malformed requests, round-robin over operations and keys, checking the store per batch. */
export async function runFuzz(options: {
  inject: Inject;
  db: Kysely<any>;
  operations: Operation[];
  keys: Array<{ role: string; secret: string | null }>;
  known: KnownIds;
  random: Random;
  count: number;
  batch?: number;
  onProgress?: (sent: number) => void;
}): Promise<FuzzReport> {
  const report: FuzzReport = {
    requests: 0,
    byStatus: {},
    byShape: {},
    failures: [],
    unexplainedChanges: [],
    acceptedChanges: 0,
  };
  const batch = options.batch ?? 250;
  let before = await tableFingerprints(options.db);
  let accepted = false;
  for (let i = 0; i < options.count; i++) {
    const op = options.operations[i % options.operations.length]!;
    const key = options.keys[Math.floor(i / options.operations.length) % options.keys.length]!;
    const request = malformedRequest(options.random, op, key, options.known);
    const answer = await options.inject(request);
    report.requests++;
    report.byStatus[answer.status] = (report.byStatus[answer.status] ?? 0) + 1;
    report.byShape[request.shape] = (report.byShape[request.shape] ?? 0) + 1;
    const problem = answer.contentType.includes('application/problem+json');
    if (answer.status >= 500 || (answer.status >= 400 && !problem)) {
      if (report.failures.length < 50) {
        report.failures.push({
          shape: request.shape,
          method: request.method,
          url: request.url.slice(0, 200),
          status: answer.status,
          body: answer.body.slice(0, 300),
        });
      }
    }
    if (answer.status < 300 && request.method !== 'GET') {
      accepted = true;
      report.acceptedChanges++;
    }
    if ((i + 1) % batch === 0 || i + 1 === options.count) {
      const after = await tableFingerprints(options.db);
      if (!accepted) {
        for (const [table, print] of after) {
          if (before.get(table) !== print)
            report.unexplainedChanges.push(`${table} (before request ${i + 1})`);
        }
      }
      before = after;
      accepted = false;
      options.onProgress?.(i + 1);
    }
  }
  return report;
}
