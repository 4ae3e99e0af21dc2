import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Config } from '../platform/config.ts';

/** Where `redress simulate` writes; see docs/operations.md, "Simulating a marketplace". */
export type SimulationTarget = 'fresh-pglite' | 'fresh-server-database' | 'current-database';

export interface SimulationDatabase {
  /** The configuration the run starts its runtime with. */
  config: Config;
  /** Where the data is, in words, for the report. */
  where: string;
  /** Removes the throw-away database (a no-op for the current one, or when kept). */
  discard(): Promise<void>;
}

export class SimulationTargetError extends Error {}

/**
 * A simulation files thousands of made-up claims and moves its own clock: run into the database
 * the server uses, it would mix them with real claims (and the demo's) and fire their timers.
 * So it gets a database of its own unless the operator asks otherwise in so many words.
 */
export async function simulationDatabase(
  config: Config,
  target: SimulationTarget,
  options: { keep: boolean },
): Promise<SimulationDatabase> {
  if (target === 'current-database') {
    return {
      config,
      where: config.databaseUrl ? 'the configured DATABASE_URL' : `the data folder ${config.dataDir}`,
      discard: async () => {},
    };
  }
  if (target === 'fresh-server-database') {
    const serverUrl = config.databaseUrl;
    if (!serverUrl)
      throw new SimulationTargetError(
        '--fresh-server-database needs DATABASE_URL: it creates a throw-away database on that server',
      );
    // A name no earlier run holds, so runs never collide; letters, digits and _ need no quoting.
    const name = `redress_simulation_${randomBytes(6).toString('hex')}`;
    await onServer(serverUrl, `create database ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const dataDir = mkdtempSync(join(tmpdir(), 'redress-simulation-'));
    return {
      config: { ...config, databaseUrl: url.toString(), dataDir },
      where: `database ${name} on the DATABASE_URL server${options.keep ? ' (kept)' : ' (dropped after the run)'}`,
      discard: async () => {
        if (options.keep) return;
        await onServer(serverUrl, `drop database if exists ${name} with (force)`);
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'redress-simulation-'));
  return {
    config: { ...config, databaseUrl: undefined, dataDir },
    where: `a fresh PGlite database in ${dataDir}${options.keep ? ' (kept)' : ' (removed after the run)'}`,
    discard: async () => {
      if (!options.keep) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
