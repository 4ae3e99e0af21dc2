import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/**
 * The rules of the API reference's quality gate (test/api-reference.test.ts), apart so a script can
 * list what is missing while someone writes the examples.
 */

export type Schema = Record<string, unknown>;
export interface Operation {
  description?: string;
  parameters?: { in: string; name: string; schema?: Schema; example?: unknown }[];
  requestBody?: { content?: Record<string, { schema?: Schema; example?: unknown }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema; example?: unknown }> }>;
}
export interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

let document: Document;
let ajv: Ajv2020;

/** Reads the document once; every check after resolves references against its components. */
export function useDocument(doc: Document): void {
  document = doc;
  // `example` and OpenAPI's own keywords are annotations, not validation: strict mode would refuse them.
  ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats.default(ajv);
  ajv.addSchema({ $id: 'openapi:components', components: doc.components });
}

/** Follows a `#/components/schemas/X` reference to the schema it names (one level is what we emit). */
function resolve(schema: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const name = ref.replace('#/components/schemas/', '');
  return document.components.schemas[name] ?? schema;
}

/** Validates an example against its schema, references resolved against the document's components. */
function validationErrors(schema: Schema, example: unknown): string[] {
  const rebased = JSON.parse(
    JSON.stringify(schema).replaceAll('"#/components/', '"openapi:components#/components/'),
  );
  const validate = ajv.compile(rebased);
  if (validate(example)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

const JSON_TYPES = ['application/json', 'application/problem+json'];

/** What is missing or wrong in one operation's documentation; empty when it meets the standard. */
export function shortcomings(operation: Operation): string[] {
  const found: string[] = [];
  if (!operation.description?.trim()) found.push('no description');
  for (const parameter of operation.parameters ?? []) {
    if (parameter.in !== 'path') continue;
    const example = parameter.example ?? parameter.schema?.example;
    if (example === undefined) found.push(`path parameter ${parameter.name}: no example`);
    else if (parameter.schema)
      for (const e of validationErrors(parameter.schema, example))
        found.push(`path parameter ${parameter.name}: example invalid: ${e}`);
  }
  const bodies = Object.entries(operation.requestBody?.content ?? {}).filter(([type]) =>
    JSON_TYPES.includes(type),
  );
  for (const [, media] of bodies) {
    const schema = resolve(media.schema ?? {});
    const example = media.example ?? schema.example;
    if (example === undefined) found.push('request body: no example');
    else
      for (const e of validationErrors(media.schema ?? {}, example))
        found.push(`request body: example invalid: ${e}`);
  }
  for (const [status, response] of Object.entries(operation.responses ?? {})) {
    for (const [type, media] of Object.entries(response.content ?? {})) {
      if (!JSON_TYPES.includes(type)) continue;
      const schema = resolve(media.schema ?? {});
      const example = media.example ?? schema.example;
      if (example === undefined) found.push(`response ${status}: no example`);
      else
        for (const e of validationErrors(media.schema ?? {}, example))
          found.push(`response ${status}: example invalid: ${e}`);
    }
  }
  return found;
}

export function operations(): { name: string; operation: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      name: `${method.toUpperCase()} ${path}`,
      operation,
    })),
  );
}
