import { z } from 'zod';
import { METRICS_VARIABLES, metricsConfig } from './metrics/config.ts';
import { RETENTION_VARIABLES, retentionConfig } from './retention/config.ts';
import type { RetentionPolicy } from './retention/policy.ts';

const ZMasterKey = z
  .string()
  .refine(
    (value) => Buffer.from(value.trim(), 'base64').length === 32,
    'must be 32 bytes in base64 (openssl rand -base64 32)',
  );

import { DEFAULT_RATE_LIMITS, type RateLimits } from './http/rate-limits.ts';

function limit(fallback: number) {
  return z.coerce.number().int().min(1, 'must be a whole number of at least 1').default(fallback);
}

const ZConfig = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  REDRESS_DATA_DIR: z.string().min(1).default('./.redress'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_READ_URL: z
    .string()
    .regex(
      /^postgres(ql)?:\/\//,
      'must be a postgres:// or postgresql:// URL (a read replica of DATABASE_URL)',
    )
    .optional(),
  REDRESS_BLOB_STORE: z
    .enum(['local', 'postgres'], 'must be local (the data folder) or postgres (the database of DATABASE_URL)')
    .optional(),
  REDRESS_BOOTSTRAP_ADMIN_KEY: z.string().min(24, 'must be at least 24 characters').optional(),
  REDRESS_TEST_CLOCK: z.enum(['0', '1'], 'must be 1 (enabled) or 0 (disabled)').default('0'),
  REDRESS_TEST_CLOCK_START: z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 date-time' })
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  REDRESS_PAYMENTS_URL: z.url('must be an http(s) URL').optional(),
  REDRESS_PAYOUT_LEASE_MS: z.coerce.number().int().min(100).default(60_000),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  NATS_URL: z
    .string()
    .regex(/^(nats|tls):\/\//, 'must be a nats:// or tls:// URL')
    .optional(),
  REDRESS_WEBHOOK_ALLOW_PRIVATE: z.enum(['0', '1'], 'must be 1 (allow private targets) or 0').default('0'),
  REDRESS_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  REDRESS_WORKER_INTERVAL_MS: z.coerce.number().int().min(50).default(1000),
  REDRESS_IDENTITY_KEY: z
    .string()
    .min(32, 'must be at least 32 characters (e.g. openssl rand -base64 32)')
    .optional(),
  ...RETENTION_VARIABLES,
  ...METRICS_VARIABLES,
  REDRESS_MASTER_KEY: ZMasterKey.optional(),
  REDRESS_MASTER_KEY_PREVIOUS: ZMasterKey.optional(),
  NODE_ENV: z.string().optional(),
  REDRESS_TRUST_PROXY: z
    .enum(['0', '1'], 'must be 1 (behind a proxy that sets X-Forwarded-*) or 0')
    .default('0'),
  REDRESS_RATE_LIMIT_WINDOW_SECONDS: limit(DEFAULT_RATE_LIMITS.windowSeconds),
  REDRESS_RATE_LIMIT_AUTH_FAILURES: limit(DEFAULT_RATE_LIMITS.authFailuresPerAddress),
  REDRESS_RATE_LIMIT_SIGN_INS: limit(DEFAULT_RATE_LIMITS.signInsPerAddress),
  REDRESS_RATE_LIMIT_CLAIMS_PER_KEY: limit(DEFAULT_RATE_LIMITS.claimFilingsPerKey),
  REDRESS_RATE_LIMIT_CLAIMS_PER_ADDRESS: limit(DEFAULT_RATE_LIMITS.claimFilingsPerAddress),
  REDRESS_RATE_LIMIT_IMPORTS_PER_KEY: limit(DEFAULT_RATE_LIMITS.importsPerKey),
  REDRESS_RATE_LIMIT_IMPORTS_PER_ADDRESS: limit(DEFAULT_RATE_LIMITS.importsPerAddress),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** A read replica of `databaseUrl` that reports read (docs/scaling.md); undefined: reports read the primary. */
  readDatabaseUrl: string | undefined;
  /** Where uploads live: the database server when there is one, else the data folder. */
  blobStore: 'local' | 'postgres';
  bootstrapAdminKey: string | undefined;
  testClock: boolean;
  testClockStart: Date | undefined;
  logLevel: z.infer<typeof ZConfig>['LOG_LEVEL'];
  workerIntervalMs: number;
  paymentsUrl: string | undefined;
  smtpUrl: string | undefined;
  natsUrl: string | undefined;
  webhookAllowPrivate: boolean;
  webhookTimeoutMs: number;
  payoutLeaseMs: number;
  /** The secret that keys identity hashes (HMAC-SHA256); see docs/security.md. */
  identityKey: string | undefined;
  retention: RetentionPolicy;
  metricsToken: string | undefined;
  /** Wraps the data keys of personal data (src/privacy); required when `production`. */
  masterKey: string | undefined;
  previousMasterKey: string | undefined;
  production: boolean;
  trustProxy: boolean;
  rateLimits: RateLimits;
}

export class ConfigError extends Error {}

/**
 * The one rule for when secrets must come from the environment instead of being generated
 * beside the data: `NODE_ENV=production`, or a PostgreSQL `DATABASE_URL` outside `--demo`. Such a
 * database is shared by several processes, machines and restored backups; a key generated on
 * one machine's disk would leave the others unable to open personal data (the master key) or
 * to link accounts (the identity key). Both keys follow this rule.
 */
export function keysFromEnvironmentRequired(
  config: Pick<Config, 'production' | 'databaseUrl'>,
  options: { demo?: boolean } = {},
): boolean {
  return config.production || (Boolean(config.databaseUrl) && !options.demo);
}

/** Reads and checks the environment once at start-up; every bad variable is named in the message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blanksRemoved = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = ZConfig.safeParse(blanksRemoved);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  if (c.NODE_ENV === 'production' && !c.REDRESS_MASTER_KEY) {
    // Checked here, not only when the keys are loaded, so `serve` stops before it opens anything.
    throw new ConfigError(
      'Invalid configuration:\n  REDRESS_MASTER_KEY: required in production (NODE_ENV=production): it wraps the ' +
        'keys that encrypt personal data at rest; generate one with `openssl rand -base64 32` (docs/security.md)',
    );
  }
  if (c.DATABASE_READ_URL && !c.DATABASE_URL) {
    throw new ConfigError(
      'Invalid configuration:\n  DATABASE_READ_URL: a replica needs its primary in DATABASE_URL (PGlite has no replica)',
    );
  }
  if (c.REDRESS_BLOB_STORE === 'postgres' && !c.DATABASE_URL) {
    throw new ConfigError(
      'Invalid configuration:\n  REDRESS_BLOB_STORE: postgres needs DATABASE_URL (PGlite keeps files in the data folder)',
    );
  }
  return {
    port: c.PORT,
    host: c.HOST,
    dataDir: c.REDRESS_DATA_DIR,
    databaseUrl: c.DATABASE_URL,
    readDatabaseUrl: c.DATABASE_READ_URL,
    blobStore: c.REDRESS_BLOB_STORE ?? (c.DATABASE_URL ? 'postgres' : 'local'),
    bootstrapAdminKey: c.REDRESS_BOOTSTRAP_ADMIN_KEY,
    testClock: c.REDRESS_TEST_CLOCK === '1',
    testClockStart: c.REDRESS_TEST_CLOCK_START ? new Date(c.REDRESS_TEST_CLOCK_START) : undefined,
    logLevel: c.LOG_LEVEL,
    workerIntervalMs: c.REDRESS_WORKER_INTERVAL_MS,
    paymentsUrl: c.REDRESS_PAYMENTS_URL,
    smtpUrl: c.SMTP_URL,
    natsUrl: c.NATS_URL,
    webhookAllowPrivate: c.REDRESS_WEBHOOK_ALLOW_PRIVATE === '1',
    webhookTimeoutMs: c.REDRESS_WEBHOOK_TIMEOUT_MS,
    payoutLeaseMs: c.REDRESS_PAYOUT_LEASE_MS,
    identityKey: c.REDRESS_IDENTITY_KEY,
    retention: retentionConfig(c),
    ...metricsConfig(c),
    masterKey: c.REDRESS_MASTER_KEY,
    previousMasterKey: c.REDRESS_MASTER_KEY_PREVIOUS,
    production: c.NODE_ENV === 'production',
    trustProxy: c.REDRESS_TRUST_PROXY === '1',
    rateLimits: {
      windowSeconds: c.REDRESS_RATE_LIMIT_WINDOW_SECONDS,
      authFailuresPerAddress: c.REDRESS_RATE_LIMIT_AUTH_FAILURES,
      signInsPerAddress: c.REDRESS_RATE_LIMIT_SIGN_INS,
      claimFilingsPerKey: c.REDRESS_RATE_LIMIT_CLAIMS_PER_KEY,
      claimFilingsPerAddress: c.REDRESS_RATE_LIMIT_CLAIMS_PER_ADDRESS,
      importsPerKey: c.REDRESS_RATE_LIMIT_IMPORTS_PER_KEY,
      importsPerAddress: c.REDRESS_RATE_LIMIT_IMPORTS_PER_ADDRESS,
    },
  };
}
