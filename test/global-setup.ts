import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, sql } from 'kysely';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { PGliteDialect } from '../src/platform/db/pglite-dialect.ts';

/**
 * Builds the migrated template every test database starts from, once per run: a PGlite data
 * dump (loaded in about a second instead of a fresh initdb plus migrations), and, when
 * DATABASE_URL is set, a template database on the server that CREATE DATABASE copies.
 */
export default async function setup(project: TestProject) {
  const dir = join(tmpdir(), `redress-test-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const pglite = await PGlite.create();
  const db = new Kysely<unknown>({ dialect: new PGliteDialect(pglite) });
  await migrateToLatest(db);
  const dump = await pglite.dumpDataDir('none');
  const snapshotPath = join(dir, 'template.tar');
  writeFileSync(snapshotPath, Buffer.from(await dump.arrayBuffer()));
  await pglite.close();
  project.provide('pgliteSnapshot', snapshotPath);

  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    project.provide('serverTemplate', '');
    return;
  }
  const template = `redress_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${template}`);
  await admin.query(`create database ${template}`);
  const url = new URL(serverUrl);
  url.pathname = `/${template}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
  const serverDb = new Kysely<unknown>({ dialect: new (await import('kysely')).PostgresDialect({ pool }) });
  await migrateToLatest(serverDb);
  await sql`select 1`.execute(serverDb);
  await serverDb.destroy();
  project.provide('serverTemplate', template);

  return async () => {
    // Drop the template and every per-file database made from it in this run.
    const made = await admin.query(`select datname from pg_database where datname like $1`, [
      `redress_t${process.pid}_%`,
    ]);
    for (const row of made.rows) await admin.query(`drop database if exists ${row.datname} with (force)`);
    await admin.query(`drop database if exists ${template} with (force)`);
    await admin.end();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshot: string;
    serverTemplate: string;
  }
}
