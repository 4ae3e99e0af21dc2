import { beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../src/cli/openapi-command.ts';
import {
  type Document,
  type Operation,
  operations,
  shortcomings,
  useDocument,
} from './support/openapi-gate.ts';

/**
 * The quality gate of the API reference (`/docs`): every operation says what it is for, every
 * request body, path parameter, success response and error response shows an example, and every
 * example is valid under the schema it illustrates, so "Try it out" and the task guides
 * (docs/api-guides.md) never show a request the server would refuse. ajv is the validator Fastify
 * itself ships; OpenAPI 3.1 schemas are JSON Schema 2020-12.
 */

beforeAll(async () => {
  useDocument((await openApiDocument()) as Document);
});

describe('the API reference', () => {
  it('describes every operation and shows a valid example of each request and response', () => {
    const failing = operations()
      .map(({ name, operation }) => ({ name, shortcomings: shortcomings(operation) }))
      .filter((o) => o.shortcomings.length > 0);
    expect(failing).toEqual([]);
  });

  it('finds a wrong example: the gate itself works', () => {
    const bad: Operation = {
      description: 'x',
      requestBody: {
        content: {
          'application/json': {
            schema: {
              type: 'object',
              properties: { n: { type: 'integer' } },
              required: ['n'],
              example: { n: 'one' },
            },
          },
        },
      },
      responses: { '200': { content: { 'application/json': { schema: { type: 'object' } } } } },
    };
    expect(shortcomings(bad)).toEqual([
      'request body: example invalid: /n must be integer',
      'response 200: no example',
    ]);
  });
});
