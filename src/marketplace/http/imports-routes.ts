import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import type { App } from '../../platform/http/app-types.ts';
import { importRecords } from '../import-records.ts';

const ZImportReport = z
  .object({
    lines: z.number().int(),
    imported: z.number().int(),
    failed: z.number().int(),
    byKind: z.record(z.string(), z.number().int()),
    errors: z.array(z.object({ line: z.number().int(), field: z.string(), rule: z.string() })),
  })
  .meta({
    example: {
      lines: 3,
      imported: 2,
      failed: 1,
      byKind: { seller: 1, product: 1 },
      errors: [{ line: 3, field: 'data.sellerId', rule: 'seller slr_nope does not exist' }],
    },
  });

export function registerImportRoutes(app: App, ctx: AppContext): void {
  app.addContentTypeParser(
    'application/x-ndjson',
    { parseAs: 'string', bodyLimit: 100 * 1024 * 1024 },
    (_req, body, done) => done(null, body),
  );

  app.route({
    method: 'POST',
    url: '/v1/imports',
    config: { roles: ['admin'], limitedAs: 'import' },
    bodyLimit: 100 * 1024 * 1024,
    schema: {
      summary: 'Bulk import marketplaces, sellers, products, customers and orders (application/x-ndjson)',
      description:
        'One record per line: `{"kind":"seller","id":"slr_1","data":{…same body as PUT /v1/sellers/{id}…}}`. ' +
        'Each line is applied in its own transaction; bad lines are reported with their line number and skipped.',
      tags: ['marketplace data'],
      consumes: ['application/x-ndjson'],
      body: z.string().describe('NDJSON'),
      response: { 200: ZImportReport },
    },
    handler: async (request) => importRecords(ctx, request.principal, request.body.split('\n')),
  });
}
