import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../src/cli/openapi-command.ts';

const WEB = join(import.meta.dirname, '../web');

/**
 * The web app's typed client is generated from the server's OpenAPI document. If a route or a
 * schema changes without `npm run api:types`, this fails: the two cannot drift apart.
 */
describe('the web app’s API types', () => {
  it('were generated from the OpenAPI document the server serves now', async () => {
    const document = await openApiDocument();
    const committedDocument = readFileSync(join(WEB, 'openapi.json'), 'utf8');
    // Equal as documents; the order of components follows module load order, which may differ.
    expect(JSON.parse(committedDocument), 'run "npm run api:types"').toEqual(
      JSON.parse(JSON.stringify(document)),
    );
    const types = astToString(await openapiTS(committedDocument));
    const committedTypes = readFileSync(join(WEB, 'src/api/schema.ts'), 'utf8');
    // The generator adds its banner only when it writes the file.
    expect(committedTypes.endsWith(types), 'run "npm run api:types"').toBe(true);
  }, 180_000); // builds the whole app and runs the type generator: over a minute on a shared machine
});
