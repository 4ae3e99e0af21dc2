import { existsSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../platform/config.ts';
import { whyNoClaims } from './simulate-command.ts';
import { SimulationTargetError, simulationDatabase } from './simulation-database.ts';

const serverConfig = loadConfig({
  REDRESS_DATA_DIR: '/srv/redress',
  DATABASE_URL: 'postgres://redress@db.internal:5432/redress',
});

describe('where redress simulate writes', () => {
  it("by default, a fresh PGlite in a temp folder, never the server's database", async () => {
    const database = await simulationDatabase(serverConfig, 'fresh-pglite', { keep: false });
    expect(database.config.databaseUrl).toBeUndefined();
    expect(database.config.dataDir).not.toBe(serverConfig.dataDir);
    expect(existsSync(database.config.dataDir)).toBe(true);
    await database.discard();
    expect(existsSync(database.config.dataDir)).toBe(false);
  });

  it('keeps the fresh folder when asked', async () => {
    const database = await simulationDatabase(serverConfig, 'fresh-pglite', { keep: true });
    await database.discard();
    expect(existsSync(database.config.dataDir)).toBe(true);
    expect(database.where).toContain('kept');
    rmSync(database.config.dataDir, { recursive: true, force: true });
  });

  it("writes into the server's own database only when told so", async () => {
    const database = await simulationDatabase(serverConfig, 'current-database', { keep: false });
    expect(database.config).toEqual(serverConfig);
  });

  it('refuses a fresh server database without DATABASE_URL, saying what it needs', async () => {
    const demo = loadConfig({});
    await expect(simulationDatabase(demo, 'fresh-server-database', { keep: false })).rejects.toThrow(
      SimulationTargetError,
    );
    await expect(simulationDatabase(demo, 'fresh-server-database', { keep: false })).rejects.toThrow(
      'needs DATABASE_URL',
    );
  });
});

describe('a run that filed no claims', () => {
  it('says why, with the figures of the run', () => {
    const message = whyNoClaims(
      {
        activity: {
          marketplaceId: 'sim-1',
          orders: 20,
          honestIncidents: 1,
          honestNotYetFiled: 1,
          abusiveClaims: 0,
        },
      },
      { days: 2, ordersPerDay: 10, abuseRate: 1 },
    );
    expect(message).toContain('Of 20 orders, 1 had a defect');
    expect(message).toContain('1 of those customers would file after day 2');
    expect(message).toContain('about 0.2 abusive claims in 2 days; 0 came');
    expect(message).toContain('--days');
  });
});
