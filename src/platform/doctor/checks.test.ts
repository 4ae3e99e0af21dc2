import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import {
  configurationFindings,
  databaseFindings,
  diskFindings,
  mailFindings,
  paymentFindings,
} from './checks.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'redress-doctor-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('redress doctor', () => {
  it('fails a test clock in production and warns about PGlite and a bootstrap key', () => {
    const config = loadConfig({ REDRESS_TEST_CLOCK: '1', REDRESS_BOOTSTRAP_ADMIN_KEY: 'x'.repeat(24) });
    expect(configurationFindings(config).map((f) => `${f.verdict} ${f.message.split(':')[0]}`)).toEqual([
      'fail REDRESS_TEST_CLOCK=1',
      'warn no DATABASE_URL',
      'warn REDRESS_BOOTSTRAP_ADMIN_KEY is set',
    ]);
  });

  it('fails a data folder it cannot write, and passes one it can', () => {
    // Under a plain file no folder can be made, even by root (mkdir under /proc loops in Node 20).
    const plainFile = join(dataDir, 'plain-file');
    writeFileSync(plainFile, 'not a folder');
    const [unwritable] = diskFindings(join(plainFile, 'data'));
    expect(unwritable).toMatchObject({ check: 'disk', verdict: 'fail' });
    expect(unwritable?.fix).toContain('REDRESS_DATA_DIR');
    expect(diskFindings(dataDir)[0]?.message).toMatch(/GiB free/);
  });

  it('fails an unreachable database, mail warns without SMTP, payments fail when not answering', async () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      REDRESS_DATA_DIR: dataDir,
      REDRESS_PAYMENTS_URL: 'http://127.0.0.1:1/pay',
    });
    const [database] = await databaseFindings(config);
    expect(database).toMatchObject({ check: 'database', verdict: 'fail' });
    expect(database?.message).toContain('cannot reach the database');
    expect((await mailFindings(config))[0]).toMatchObject({
      verdict: 'warn',
      fix: 'set SMTP_URL to send e-mail',
    });
    expect((await paymentFindings(config))[0]).toMatchObject({ verdict: 'fail' });
  });

  it('finds a migrated database current', async () => {
    const config = loadConfig({ REDRESS_DATA_DIR: join(dataDir, 'db') });
    const before = await databaseFindings(config);
    expect(before.find((f) => f.check === 'migrations')).toMatchObject({
      verdict: 'warn',
      fix: expect.stringContaining('redress migrate'),
    });
  });
});
