import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { describeOnEmbeddedRun } from './support/engine-runs.ts';

const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), 'redress-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs the real `redress` binary on its own PGlite folder (never the server: these test the CLI itself). */
async function redress(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run('node', ['bin/redress.mjs', ...args], {
      env: { ...process.env, DATABASE_URL: '', REDRESS_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// Always PGlite in a folder of its own: the same in both engine runs, so run once.
describeOnEmbeddedRun('the redress CLI', () => {
  it('refuses to start with bad configuration, naming the variable', async () => {
    const result = await redress(['migrate'], { PORT: 'not-a-port' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('PORT');
  });

  it('plans and applies migrations, seeds the demo, creates keys and imports a feed with a per-line report', async () => {
    // `migrate --plan` prints what would run without running it (the upgrade checks themselves,
    // checksums and a schema from the future, are tested in process: test/upgrades.test.ts).
    const plan = await redress(['migrate', '--plan']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/would apply, in order:\n {2}0001_platform\n[\s\S]*0017_operations/);
    expect((await redress(['migrate'])).stdout).toContain('applied: 0001_platform');
    expect((await redress(['migrate', '--plan'])).stdout).toBe(
      'nothing to apply: the database is up to date\n',
    );
    expect((await redress(['migrate'])).stdout).toContain('already up to date');
    // The bare demo: the quarter of claims is the same seedDemo, tested in process
    // (test/demo-seed.test.ts); here the command, its option and its second run.
    expect((await redress(['seed', '--demo', '--claims-per-day', '0'])).stdout).toContain(
      'demo marketplace created',
    );
    expect((await redress(['seed', '--demo'])).stdout).toContain('already present');

    const key = await redress(['keys', 'create', '--role', 'seller', '--party', 'slr-acme']);
    expect(JSON.parse(key.stdout)).toMatchObject({ role: 'seller', partyId: 'slr-acme' });
    expect((await redress(['keys', 'create', '--role', 'wizard'])).code).not.toBe(0);

    const feed = join(dataDir, 'feed.ndjson');
    writeFileSync(
      feed,
      [
        JSON.stringify({
          kind: 'seller',
          id: 'slr-new',
          data: {
            marketplaceId: 'demo-us',
            name: 'New Co',
            standing: 'good',
            contact: { email: 'a@new.example' },
          },
        }),
        JSON.stringify({
          kind: 'product',
          id: 'prd-new',
          data: { sellerId: 'slr-new', title: 'Lamp', category: 'lighting' },
        }),
        '{ not json',
        JSON.stringify({
          kind: 'product',
          id: 'prd-orphan',
          data: { sellerId: 'slr-missing', title: 'Orphan', category: 'x' },
        }),
        JSON.stringify({
          kind: 'customer',
          id: 'cus-new',
          data: { marketplaceId: 'demo-us', name: 'New', email: 'new@example.com' },
        }),
      ].join('\n'),
    );
    const imported = await redress(['import', feed]);
    expect(imported.code).toBe(1);
    expect(imported.stdout).toContain('3 imported, 2 failed');
    expect(imported.stdout).toContain('line 3: (line): not valid JSON');
    expect(imported.stdout).toContain('line 4: data.sellerId: seller slr-missing does not exist');

    // Public recall notices (CPSC 19-094, as published; shortened), with one bad record.
    const recalls = join(dataDir, 'recalls.csv');
    writeFileSync(
      recalls,
      [
        'recallNumber,recallDate,title,remedy,brands',
        '19-094,2019-04-12,Fisher-Price Recalls Rock ‘n Play Sleepers Due to Reports of Deaths,Refund or voucher,Fisher-Price',
        ',2019-04-12,A notice without its number,,',
      ].join('\n'),
    );
    const recallImport = await redress(['safety', 'import-recalls', recalls]);
    expect(recallImport.code).toBe(1);
    expect(recallImport.stdout).toContain('1 imported, 1 failed');
    expect(recallImport.stdout).toContain('line 3: recallNumber:');
    // Ten CLI starts through tsx, each opening the PGlite folder.
  }, 480_000);

  it('prints help for each command', async () => {
    // The binary itself, once: the top-level help lists every command.
    const help = await redress(['--help']);
    expect(help.code).toBe(0);
    const { buildProgram } = await import('../src/cli/program.ts');
    const program = buildProgram();
    for (const command of program.commands) expect(help.stdout).toContain(command.name());
    // Each command's own help, from the same program the binary parses with (in this process:
    // a CLI start through tsx costs seconds, six of them half a minute).
    for (const name of ['serve', 'migrate', 'seed', 'keys', 'import', 'safety']) {
      const command = program.commands.find((c) => c.name() === name);
      expect(command?.helpInformation()).toContain(`Usage: redress ${name}`);
    }
  }, 240_000);
});
