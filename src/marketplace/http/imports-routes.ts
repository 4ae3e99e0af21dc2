import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app-types.ts';
import {
  createImportJob,
  findImportJob,
  firstImportErrors,
  type ImportJobRow,
  importErrorRows,
  receiveImport,
} from '../import/import-jobs.ts';
import { announceImportQueued } from '../import/import-worker.ts';

const ERRORS_INLINE = 100;

const ZImportJob = z
  .object({
    id: z.string(),
    status: z
      .enum(['receiving', 'queued', 'running', 'succeeded', 'failed'])
      .describe(
        'queued → running → succeeded; failed only when the job itself cannot go on (bad lines never fail it)',
      ),
    format: z.enum(['ndjson', 'csv']),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    progress: z.object({
      bytesDone: z.number().int(),
      bytesTotal: z.number().int(),
      fraction: z.number().describe('bytes applied / bytes received, 0 to 1'),
    }),
    lines: z.number().int().describe('non-blank lines read so far'),
    imported: z.number().int(),
    failed: z.number().int(),
    byKind: z.record(z.string(), z.number().int()),
    errors: z
      .array(z.object({ line: z.number().int(), field: z.string(), rule: z.string() }))
      .describe(`the first ${ERRORS_INLINE} line errors; all of them at errorsUrl`),
    errorsUrl: z.string(),
    attempts: z.number().int().describe('how many workers have taken the job (more than one after a crash)'),
    failure: z.string().nullable(),
  })
  .meta({
    example: {
      id: 'imp_01jd7k2q8h3n4m5p6r7s8t9v0w',
      status: 'succeeded',
      format: 'ndjson',
      createdAt: '2026-11-16T15:00:00.000Z',
      startedAt: '2026-11-16T15:00:00.100Z',
      finishedAt: '2026-11-16T15:00:02.300Z',
      progress: { bytesDone: 1048576, bytesTotal: 1048576, fraction: 1 },
      lines: 3,
      imported: 2,
      failed: 1,
      byKind: { seller: 1, product: 1 },
      errors: [{ line: 3, field: 'data.sellerId', rule: 'seller slr_nope does not exist' }],
      errorsUrl: '/v1/imports/imp_01jd7k2q8h3n4m5p6r7s8t9v0w/errors',
      attempts: 1,
      failure: null,
    },
  });

const ZImportParams = z.object({
  id: z
    .string()
    .max(64)
    .describe('The import job id (imp_…)')
    .meta({ example: 'imp_01jd7k2q8h3n4m5p6r7s8t9v0w' }),
});

async function renderJob(ctx: AppContext, job: ImportJobRow): Promise<z.infer<typeof ZImportJob>> {
  const errors = await firstImportErrors(ctx, job.id, ERRORS_INLINE);
  return {
    id: job.id,
    status: job.status,
    format: job.format,
    createdAt: job.created_at.toISOString(),
    startedAt: job.started_at?.toISOString() ?? null,
    finishedAt: job.finished_at?.toISOString() ?? null,
    progress: {
      bytesDone: job.bytes_done,
      bytesTotal: job.bytes_total,
      fraction: job.status === 'succeeded' ? 1 : job.bytes_total ? job.bytes_done / job.bytes_total : 0,
    },
    lines: job.lines,
    imported: job.imported,
    failed: job.failed,
    byKind: job.by_kind,
    errors,
    errorsUrl: `/v1/imports/${job.id}/errors`,
    attempts: job.attempts,
    failure: job.failure,
  };
}

async function requireJob(ctx: AppContext, id: string): Promise<ImportJobRow> {
  const job = await findImportJob(ctx, id);
  if (!job) throw new AppError('not_found', `import ${id} does not exist`);
  return job;
}

/** `Prefer: wait=N` (RFC 7240): the client will wait up to N seconds (at most 60) for the result. */
function preferredWaitSeconds(header: string | string[] | undefined): number {
  const match = /(?:^|[,;\s])wait=(\d+)/.exec(String(header ?? ''));
  return match ? Math.min(60, Number(match[1])) : 0;
}

/** NDJSON uploads to the import route stay streams; every other route gets the text. */
const streamedUploads = new WeakMap<object, Readable>();

export function registerImportRoutes(app: App, ctx: AppContext): void {
  app.addContentTypeParser('application/x-ndjson', (request, payload, done) => {
    if (request.routeOptions.url === '/v1/imports' && request.method === 'POST') {
      streamedUploads.set(request, payload);
      done(null, '');
      return;
    }
    // Other NDJSON routes (the public recall import) read their body as text, up to 100 MiB.
    const parts: Buffer[] = [];
    let size = 0;
    payload.on('data', (piece: Buffer) => {
      size += piece.length;
      if (size > 100 * 1024 * 1024) payload.destroy(new AppError('payload_too_large', 'at most 100 MiB'));
      else parts.push(piece);
    });
    payload.on('error', (error) => done(error as Error, undefined));
    payload.on('end', () => done(null, Buffer.concat(parts).toString('utf8')));
  });

  app.route({
    method: 'POST',
    url: '/v1/imports',
    config: { roles: ['admin'], limitedAs: 'import' },
    schema: {
      summary: 'Start a bulk import of marketplaces, sellers, products, customers and orders (NDJSON or CSV)',
      description:
        'NDJSON (`application/x-ndjson`), one record per line: `{"kind":"seller","id":"slr_1","data":{…same body as PUT /v1/sellers/{id}…}}`. ' +
        'CSV (`text/csv`, at most 50 MiB): a header naming each column by its path in that record (`kind,id,data.marketplaceId,data.lines.0.quantity:number`), one record per line. ' +
        'The feed is stored as it streams in and answered with **202** and the job; a worker applies it in batches ' +
        '(a megabyte per transaction), and a job whose worker dies is resumed from its last batch by another. ' +
        'Within a batch kinds apply in dependency order (marketplaces, insurers, sellers, policies, products, customers, orders). ' +
        'Bad lines are reported with their line number, field and rule, and skipped; follow `Location` (GET /v1/imports/{id}) for progress. ' +
        'With `Prefer: wait=N` the answer waits up to N seconds (at most 60) and is 200 with the finished job if it finished.',
      tags: ['marketplace data'],
      consumes: ['application/x-ndjson', 'text/csv'],
      body: z
        .string()
        .describe(
          'NDJSON: one record per line, `{"kind", "id", "data"}`. `kind` is one of marketplace, insurer, seller, ' +
            'insurance_policy, product, customer, order; `id` is the record’s own id (letters, digits, . _ : -); ' +
            '`data` is exactly the JSON body of the matching PUT (PUT /v1/marketplaces/{id}, /v1/insurers/{id}, ' +
            '/v1/sellers/{id}, /v1/products/{id}, /v1/customers/{id}, /v1/orders/{id}; for insurance_policy, the ' +
            'body of POST /v1/sellers/{id}/insurance-policies, `id` being the seller it covers, and the policy is ' +
            'recorded as verified by the marketplace), validated by the same schema. ' +
            'CSV: the same records, one per row, under a header naming each column by its path in the record ' +
            '(`kind,id,data.name`); a path ending `:number` or `:boolean` is converted, an empty cell is left out.',
        )
        .meta({
          example:
            '{"kind":"order","id":"ord-2001","data":{"marketplaceId":"demo-us","customerId":"cus-eli","lines":' +
            '[{"lineId":"1","productId":"prd-kettle","sellerId":"slr-acme","quantity":1,' +
            '"unitPrice":{"value":4999,"currency":"USD"},"deliveredAt":"2026-11-20T15:00:00Z"}]}}\n',
        }),
      response: { 200: ZImportJob, 202: ZImportJob },
    },
    handler: async (request, reply) => {
      const csv = String(request.headers['content-type']).startsWith('text/csv');
      const source: AsyncIterable<Buffer | string> | Iterable<Buffer | string> = csv
        ? [request.body]
        : (streamedUploads.get(request) ?? [request.body]);
      const id = await createImportJob(ctx, request.principal, csv ? 'csv' : 'ndjson');
      await receiveImport(ctx, id, source);
      announceImportQueued();
      const waitSeconds = preferredWaitSeconds(request.headers.prefer);
      const until = performance.now() + waitSeconds * 1000;
      let job = await requireJob(ctx, id);
      while (job.status !== 'succeeded' && job.status !== 'failed' && performance.now() < until) {
        await sleep(50);
        job = await requireJob(ctx, id);
      }
      const done = job.status === 'succeeded' || job.status === 'failed';
      if (waitSeconds && done) reply.header('preference-applied', `wait=${waitSeconds}`);
      return reply
        .status(waitSeconds && done ? 200 : 202)
        .header('location', `/v1/imports/${id}`)
        .send(await renderJob(ctx, job));
    },
  });

  app.route({
    method: 'GET',
    url: '/v1/imports/:id',
    config: { roles: ['admin'] },
    schema: {
      summary: 'An import job: its status, progress, counts by kind and its first line errors',
      description:
        'The job POST /v1/imports started (its `Location`). Poll it until `status` is succeeded or failed: ' +
        '`progress` says how much of the feed is applied, `byKind` how many records of each kind were imported. ' +
        `The first ${ERRORS_INLINE} line errors are inline; GET /v1/imports/{id}/errors has them all.`,
      tags: ['marketplace data'],
      params: ZImportParams,
      response: { 200: ZImportJob },
    },
    handler: async (request) => renderJob(ctx, await requireJob(ctx, request.params.id)),
  });

  app.route({
    method: 'GET',
    url: '/v1/imports/:id/errors',
    config: { roles: ['admin'] },
    schema: {
      summary: 'Every line error of an import job, as a downloadable NDJSON file in line order',
      description:
        'One `{"line":3,"field":"data.sellerId","rule":"seller slr_nope does not exist"}` per line. Up to 100,000 errors are kept per job; `failed` counts them all.',
      tags: ['marketplace data'],
      params: ZImportParams,
      produces: ['application/x-ndjson'],
      response: {
        200: z
          .string()
          .describe('NDJSON, one error a line')
          .meta({ example: '{"line":3,"field":"data.sellerId","rule":"seller slr_nope does not exist"}\n' }),
      },
    },
    handler: async (request, reply) => {
      const job = await requireJob(ctx, request.params.id);
      const lines: string[] = [];
      for await (const row of importErrorRows(ctx, job.id)) lines.push(`${JSON.stringify(row)}\n`);
      return reply
        .type('application/x-ndjson')
        .header('content-disposition', `attachment; filename="${job.id}-errors.ndjson"`)
        .header('cache-control', 'private, no-store')
        .send(lines.join(''));
    },
  });
}
