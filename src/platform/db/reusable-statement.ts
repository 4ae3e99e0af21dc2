import { type Compilable, type CompiledQuery, createQueryId } from 'kysely';
import type { Queryable } from './sql.ts';

/**
 * A statement run many times with new values (a claim's history event: several per filing) is
 * built and compiled by Kysely once per shape, and run after that from the compiled SQL with
 * the values put in its parameters. Building and compiling a query took a sixth of a filing's
 * Node CPU; the SQL sent is the same text Kysely compiles for those values, so logs, statement
 * counts and snapshots see no difference.
 *
 * Kysely has no prepared-query API (its compiled queries hold their values), so this takes the
 * plain route: the builder is run once with markers in place of the values, and each parameter
 * of the compiled query is either a marker (taken from the values at each run) or a constant of
 * the builder. A value left undefined is left out by Kysely (no column), so which values are
 * undefined is part of the shape; a value that is itself an expression (a `sql` fragment) is not
 * a parameter, so such a run is built and compiled as usual. Both engines use Kysely's
 * PostgreSQL compiler, so one compiled text serves both.
 *
 * The builder must use each value only as a query value (`values`, `set`, `where`): a value that
 * steered the builder's own code would be fixed at its first run; compiling throws when a value
 * does not reach the parameters, which catches the common mistakes.
 */
export function reusableStatement<V extends Record<string, unknown>, R>(
  build: (db: Queryable, values: V) => Compilable<R>,
): (db: Queryable, values: V) => Promise<R[]> {
  const shapes = new Map<string, Compiled>();
  return async (db, values) => {
    const names = Object.keys(values).filter((name) => values[name] !== undefined);
    if (names.some((name) => isExpression(values[name]))) {
      return (await db.executeQuery(build(db, values).compile())).rows;
    }
    const shape = names.join(',');
    let compiled = shapes.get(shape);
    if (!compiled) {
      compiled = compile(build(db, markersFor(values, names)).compile(), names);
      shapes.set(shape, compiled);
    }
    const parameters = compiled.parameters.map((p) => (p.name === null ? p.constant : values[p.name]));
    const query: CompiledQuery<R> = {
      query: compiled.query,
      queryId: createQueryId(),
      sql: compiled.sql,
      parameters,
    };
    return (await db.executeQuery(query)).rows;
  };
}

const MARKER = '\u0000reusable-statement:';

interface Compiled {
  query: CompiledQuery['query'];
  sql: string;
  parameters: { name: string | null; constant: unknown }[];
}

function markersFor<V extends Record<string, unknown>>(values: V, names: string[]): V {
  const markers: Record<string, unknown> = { ...values };
  for (const name of names) markers[name] = `${MARKER}${name}`;
  return markers as V;
}

function compile(query: CompiledQuery, names: string[]): Compiled {
  const found = new Set<string>();
  const parameters = query.parameters.map((p) => {
    if (typeof p === 'string' && p.startsWith(MARKER)) {
      const name = p.slice(MARKER.length);
      found.add(name);
      return { name, constant: undefined };
    }
    if (typeof p === 'string' && p.includes('reusable-statement:'))
      throw new Error(`a reusable statement changed a value before its parameter (JSON?): ${p}`);
    return { name: null, constant: p };
  });
  const lost = names.filter((name) => !found.has(name));
  if (lost.length) throw new Error(`a reusable statement did not pass ${lost.join(', ')} as parameters`);
  return { query: query.query, sql: query.sql, parameters };
}

/** A `sql` fragment, a reference or an expression builder's product: not a parameter. */
const isExpression = (value: unknown) =>
  typeof value === 'function' || (typeof value === 'object' && value !== null && 'toOperationNode' in value);
