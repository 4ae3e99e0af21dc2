import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveMasterKeys } from '../privacy/master-keys.ts';
import { ConfigError, keysFromEnvironmentRequired, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('gives the defaults for an empty environment', () => {
    expect(loadConfig({})).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: './.redress',
      databaseUrl: undefined,
      testClock: false,
    });
  });

  it.each([
    ['PORT', 'eighty', 'PORT'],
    ['PORT', '70000', 'PORT'],
    ['DATABASE_URL', 'mysql://x', 'DATABASE_URL: must be a postgres:// or postgresql:// URL'],
    ['REDRESS_TEST_CLOCK', 'yes', 'REDRESS_TEST_CLOCK: must be 1 (enabled) or 0 (disabled)'],
    ['REDRESS_BOOTSTRAP_ADMIN_KEY', 'short', 'REDRESS_BOOTSTRAP_ADMIN_KEY: must be at least 24 characters'],
    ['REDRESS_TEST_CLOCK_START', 'tomorrow', 'REDRESS_TEST_CLOCK_START: must be an ISO 8601 date-time'],
    [
      'REDRESS_RATE_LIMIT_AUTH_FAILURES',
      '0',
      'REDRESS_RATE_LIMIT_AUTH_FAILURES: must be a whole number of at least 1',
    ],
  ])('fails fast on a bad %s, naming it', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('reads a read replica for reports, only beside its primary', () => {
    const primary = 'postgres://db.internal/redress';
    const replica = 'postgres://replica.internal/redress';
    expect(
      loadConfig({ DATABASE_URL: primary, DATABASE_READ_URL: replica, REDRESS_IDENTITY_KEY: 'k'.repeat(32) }),
    ).toMatchObject({ databaseUrl: primary, readDatabaseUrl: replica });
    expect(loadConfig({}).readDatabaseUrl).toBeUndefined();
    expect(() => loadConfig({ DATABASE_READ_URL: replica })).toThrow(
      'DATABASE_READ_URL: a replica needs its primary in DATABASE_URL',
    );
    expect(() => loadConfig({ DATABASE_URL: primary, DATABASE_READ_URL: 'mysql://x' })).toThrow(
      'DATABASE_READ_URL: must be a postgres:// or postgresql:// URL',
    );
  });

  it('reads rate limits, with the defaults for the rest', () => {
    const config = loadConfig({ REDRESS_RATE_LIMIT_SIGN_INS: '3', REDRESS_TRUST_PROXY: '1' });
    expect(config.rateLimits).toMatchObject({
      signInsPerAddress: 3,
      authFailuresPerAddress: 30,
      windowSeconds: 60,
    });
    expect(config.trustProxy).toBe(true);
  });

  it('names every bad variable at once', () => {
    try {
      loadConfig({ PORT: 'x', REDRESS_TEST_CLOCK: '2' });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toContain('PORT');
      expect((error as Error).message).toContain('REDRESS_TEST_CLOCK');
    }
  });

  it('refuses production without a master key, and a master key that is not 32 bytes', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      'REDRESS_MASTER_KEY: required in production',
    );
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ NODE_ENV: 'production', REDRESS_MASTER_KEY: key })).toMatchObject({
      production: true,
      masterKey: key,
    });
    expect(() => loadConfig({ REDRESS_MASTER_KEY: Buffer.alloc(16).toString('base64') })).toThrow(
      'REDRESS_MASTER_KEY: must be 32 bytes in base64',
    );
  });

  it('asks for keys from the environment by one rule: production, or a server database outside the demo', () => {
    expect(keysFromEnvironmentRequired(loadConfig({}))).toBe(false);
    expect(keysFromEnvironmentRequired(loadConfig({ DATABASE_URL: 'postgres://db/redress' }))).toBe(true);
    expect(
      keysFromEnvironmentRequired(loadConfig({ DATABASE_URL: 'postgres://db/redress' }), { demo: true }),
    ).toBe(false);
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(
      keysFromEnvironmentRequired(loadConfig({ NODE_ENV: 'production', REDRESS_MASTER_KEY: key }), {
        demo: true,
      }),
    ).toBe(true);
  });

  it('refuses to generate a master key where keys must come from the environment', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'redress-keys-'));
    const warnings: string[] = [];
    expect(() =>
      resolveMasterKeys(
        { masterKey: undefined, previousMasterKey: undefined, required: true, dataDir },
        (m) => warnings.push(m),
      ),
    ).toThrow('REDRESS_MASTER_KEY is required with DATABASE_URL');
    const generated = resolveMasterKeys(
      { masterKey: undefined, previousMasterKey: undefined, required: false, dataDir },
      (m) => warnings.push(m),
    );
    expect(generated.current.key).toHaveLength(32);
    expect(warnings).toHaveLength(1);
  });
});
