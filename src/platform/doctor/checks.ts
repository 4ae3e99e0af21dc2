import { accessSync, constants, mkdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import nodemailer from 'nodemailer';
import type { Config } from '../config.ts';
import { openDatabase } from '../db/connect.ts';
import { migrationPlan } from '../db/migrate.ts';
import { describeMigrationPlan } from '../db/migration-history.ts';

export type Verdict = 'ok' | 'warn' | 'fail';
export interface Finding {
  check: string;
  verdict: Verdict;
  message: string;
  /** What to do about it, for warn and fail. */
  fix?: string;
}

const GIB = 1024 ** 3;
const MIN_FREE_BYTES = 1 * GIB;
const WARN_FREE_BYTES = 5 * GIB;
const SUPPORTED_POSTGRES = 140000;

/** The configuration that parsed can still be unwise: say so before it matters. */
export function configurationFindings(config: Config): Finding[] {
  const found: Finding[] = [];
  if (config.testClock)
    found.push({
      check: 'config',
      verdict: 'fail',
      message: 'REDRESS_TEST_CLOCK=1: anyone with an admin key can move time',
      fix: 'unset REDRESS_TEST_CLOCK in production',
    });
  if (!config.databaseUrl)
    found.push({
      check: 'config',
      verdict: 'warn',
      message: 'no DATABASE_URL: PGlite, one process only',
      fix: 'set DATABASE_URL to a PostgreSQL server for production',
    });
  if (config.bootstrapAdminKey)
    found.push({
      check: 'config',
      verdict: 'warn',
      message: 'REDRESS_BOOTSTRAP_ADMIN_KEY is set',
      fix: 'create real admin keys (redress keys create --role admin) and remove it',
    });
  if (!found.length) found.push({ check: 'config', verdict: 'ok', message: 'configuration is valid' });
  return found;
}

export function diskFindings(dataDir: string): Finding[] {
  try {
    mkdirSync(dataDir, { recursive: true });
    accessSync(dataDir, constants.W_OK);
    const probe = join(dataDir, `.doctor-${process.pid}`);
    writeFileSync(probe, 'ok');
    rmSync(probe);
  } catch (error) {
    return [
      {
        check: 'disk',
        verdict: 'fail',
        message: `data folder ${dataDir} is not writable: ${(error as Error).message}`,
        fix: 'create it and give the service user write access (REDRESS_DATA_DIR)',
      },
    ];
  }
  const stats = statfsSync(dataDir);
  const free = stats.bavail * stats.bsize;
  const freeText = `${(free / GIB).toFixed(1)} GiB free in ${dataDir}`;
  if (free < MIN_FREE_BYTES)
    return [
      {
        check: 'disk',
        verdict: 'fail',
        message: freeText,
        fix: 'free space or move REDRESS_DATA_DIR: evidence uploads will fail',
      },
    ];
  if (free < WARN_FREE_BYTES)
    return [{ check: 'disk', verdict: 'warn', message: freeText, fix: 'plan more space for evidence files' }];
  return [{ check: 'disk', verdict: 'ok', message: `data folder writable, ${freeText}` }];
}

export async function databaseFindings(config: Config): Promise<Finding[]> {
  let handle: Awaited<ReturnType<typeof openDatabase>> | null = null;
  try {
    handle = await openDatabase(config);
    const { rows } = await sql<{
      version: number;
    }>`select current_setting('server_version_num')::int as version`.execute(handle.db);
    const version = rows[0]?.version ?? 0;
    const found: Finding[] = [];
    found.push(
      version >= SUPPORTED_POSTGRES
        ? {
            check: 'database',
            verdict: 'ok',
            message: `${handle.engine} reachable, PostgreSQL ${Math.floor(version / 10000)}`,
          }
        : {
            check: 'database',
            verdict: 'fail',
            message: `PostgreSQL ${version} is older than 14`,
            fix: 'upgrade PostgreSQL to 14 or newer',
          },
    );
    const plan = await migrationPlan(handle.db);
    const { text, ok } = describeMigrationPlan(plan);
    if (!ok)
      found.push({
        check: 'migrations',
        verdict: 'fail',
        message: text.trim(),
        fix: 'see docs/operations.md, Upgrading',
      });
    else if (plan.pending.length)
      found.push({
        check: 'migrations',
        verdict: 'warn',
        message: `${plan.pending.length} pending: ${plan.pending.join(', ')}`,
        fix: 'run redress migrate (as the owner role)',
      });
    else found.push({ check: 'migrations', verdict: 'ok', message: 'current, checksums match' });
    return found;
  } catch (error) {
    return [
      {
        check: 'database',
        verdict: 'fail',
        message: `cannot reach the database: ${(error as Error).message}`,
        fix: "check DATABASE_URL, the server, the network and the role's password",
      },
    ];
  } finally {
    await handle?.close();
  }
}

export async function mailFindings(config: Config): Promise<Finding[]> {
  if (!config.smtpUrl)
    return [
      {
        check: 'mail',
        verdict: 'warn',
        message: `no SMTP_URL: e-mails are written to ${join(config.dataDir, 'mail')}, not sent`,
        fix: 'set SMTP_URL to send e-mail',
      },
    ];
  try {
    // The timeouts are transport options beside the URL: createTransport's second argument holds
    // message defaults, where they were once passed and ignored.
    await nodemailer
      .createTransport({ url: config.smtpUrl, connectionTimeout: 5000, greetingTimeout: 5000 })
      .verify();
    return [{ check: 'mail', verdict: 'ok', message: 'SMTP server accepts our login' }];
  } catch (error) {
    return [
      {
        check: 'mail',
        verdict: 'fail',
        message: `SMTP: ${(error as Error).message}`,
        fix: 'check SMTP_URL (host, port, user, password, smtps)',
      },
    ];
  }
}

export async function paymentFindings(config: Config): Promise<Finding[]> {
  if (!config.paymentsUrl)
    return [
      {
        check: 'payments',
        verdict: 'warn',
        message: 'no REDRESS_PAYMENTS_URL: payouts settle in the ledger only, no money moves',
        fix: 'set REDRESS_PAYMENTS_URL to your payments API',
      },
    ];
  try {
    // Any HTTP answer proves the service is there; only no answer is a problem.
    await fetch(config.paymentsUrl, { method: 'HEAD', signal: AbortSignal.timeout(5000) });
    return [
      {
        check: 'payments',
        verdict: 'ok',
        message: `payments API answers at ${new URL(config.paymentsUrl).origin}`,
      },
    ];
  } catch (error) {
    return [
      {
        check: 'payments',
        verdict: 'fail',
        message: `payments API does not answer: ${(error as Error).message}`,
        fix: 'check REDRESS_PAYMENTS_URL and the network',
      },
    ];
  }
}

export async function runDoctor(config: Config): Promise<Finding[]> {
  return [
    ...configurationFindings(config),
    ...diskFindings(config.dataDir),
    ...(await databaseFindings(config)),
    ...(await mailFindings(config)),
    ...(await paymentFindings(config)),
  ];
}
