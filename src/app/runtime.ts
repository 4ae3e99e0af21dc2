import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { registerClaimTimers } from '../claims/timers.ts';
import { registerInsuranceTimers } from '../insurance/timers.ts';
import { runDuePayouts } from '../ledger/execute-payouts.ts';
import { HttpPaymentProvider } from '../ledger/http-payment-provider.ts';
import { ledgerOnlyProvider, type PaymentProvider } from '../ledger/payment-provider.ts';
import { registerLedgerTimers } from '../ledger/timers.ts';
import { deliverWebhooks } from '../notifications/deliver-webhooks.ts';
import { fanOutOutbox } from '../notifications/fanout.ts';
import { folderMailer, smtpMailer } from '../notifications/mailer.ts';
import { connectNatsRelay, relayToNats } from '../notifications/nats-relay.ts';
import { sendMail } from '../notifications/send-mail.ts';
import { ensureBootstrapAdminKey } from '../platform/auth/api-keys.ts';
import { LocalBlobStore } from '../platform/blobs/local-blob-store.ts';
import { PostgresBlobStore } from '../platform/blobs/postgres-blob-store.ts';
import { type Clock, ManualClock, systemClock } from '../platform/clock.ts';
import { type Config, keysFromEnvironmentRequired } from '../platform/config.ts';
import type { AppContext } from '../platform/context.ts';
import { type DatabaseHandle, openDatabase, openPostgres } from '../platform/db/connect.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import type { Job } from '../platform/jobs.ts';
import type { RetentionPolicy } from '../platform/retention/policy.ts';
import { retentionJob } from '../platform/retention/prune-expired-records.ts';
import { loadTestClock } from '../platform/test-clock.ts';
import { runDueTimers, type TimerRegistry } from '../platform/timers.ts';
import { installMasterKeys, resolveMasterKeys } from '../privacy/master-keys.ts';
import { registerSafetyTimers } from '../safety/timers.ts';
import { refreshAmountNorms } from '../screening/amount-norms.ts';
import { fraudAssessor } from '../screening/fraud-assessor.ts';
import { setProcessIdentityKey } from '../screening/identities.ts';
import { IDENTITY_KEY_FILE, resolveIdentityKey } from '../screening/identity-key-config.ts';
import { rekeyLegacyIdentities } from '../screening/rekey-identities.ts';
import { registerScreeningTimers } from '../screening/timers.ts';

export interface Runtime {
  ctx: AppContext;
  handle: DatabaseHandle;
  testClock: ManualClock | null;
  close(): Promise<void>;
}

export function createTimerRegistry(): TimerRegistry {
  const registry: TimerRegistry = new Map();
  registerClaimTimers(registry);
  registerLedgerTimers(registry);
  registerScreeningTimers(registry);
  registerInsuranceTimers(registry);
  registerSafetyTimers(registry);
  return registry;
}

/** The background jobs every worker runs: in order in a test's pass, each on a lane of its own in a server. */
export function standardJobs(options: { payoutLeaseMs?: number; retention?: RetentionPolicy } = {}): Job[] {
  return [
    { name: 'timers', run: (ctx) => runDueTimers(ctx) },
    // Kept off the filing path: a filing reads the norm a pass wrote (screening/amount-norms.ts).
    { name: 'amount-norms', run: (ctx) => refreshAmountNorms(ctx) },
    {
      name: 'payouts',
      run: (ctx) => runDuePayouts(ctx, options.payoutLeaseMs ? { leaseMs: options.payoutLeaseMs } : {}),
    },
    { name: 'fanout', run: (ctx) => fanOutOutbox(ctx) },
    { name: 'webhooks', run: (ctx) => deliverWebhooks(ctx) },
    { name: 'mail', run: (ctx) => sendMail(ctx) },
    { name: 'nats', run: (ctx) => relayToNats(ctx) },
    // Last in a test's pass (runAllDue). A server runs each job on its own lane (startJobLanes):
    // retention deletes only what is finished and past its age, so it may run beside the others.
    ...(options.retention ? [retentionJob(options.retention)] : []),
  ];
}

export function paymentProviderFor(config: Pick<Config, 'paymentsUrl'>): PaymentProvider {
  return config.paymentsUrl ? new HttpPaymentProvider(config.paymentsUrl) : ledgerOnlyProvider;
}

export function createLogger(level: Config['logLevel']): FastifyBaseLogger {
  return pino({ level }) as unknown as FastifyBaseLogger;
}

/** Opens the database, migrates it, and wires the platform pieces every command needs. */
export async function startRuntime(
  config: Config,
  log: FastifyBaseLogger = createLogger(config.logLevel),
  options: { demo?: boolean } = {},
): Promise<Runtime> {
  // Before the database: a production server without its identity key refuses to start.
  const identityKey = resolveIdentityKey(config, options);
  setProcessIdentityKey(identityKey.key);
  if (identityKey.source === 'generated') {
    log.warn(
      { file: join(config.dataDir, IDENTITY_KEY_FILE) },
      'generated an identity key for this data folder; set REDRESS_IDENTITY_KEY in production',
    );
  }
  installMasterKeys(
    resolveMasterKeys({ ...config, required: keysFromEnvironmentRequired(config, options) }, (message) =>
      log.warn(message),
    ),
  );
  const handle = await openDatabase(config, (error) => log.warn({ err: error }, 'database connection lost'));
  await migrateToLatest(handle.db);
  const rekeyed = await rekeyLegacyIdentities(handle.db, identityKey.key);
  if (rekeyed) log.info({ rows: rekeyed, keyId: identityKey.key.id }, 're-keyed legacy identity hashes');
  let clock: Clock = systemClock;
  let testClock: ManualClock | null = null;
  if (config.testClock) {
    testClock = new ManualClock(config.testClockStart ?? systemClock.now());
    await loadTestClock(handle.db, testClock);
    clock = testClock;
  }
  if (config.bootstrapAdminKey) await ensureBootstrapAdminKey(handle.db, clock, config.bootstrapAdminKey);
  // Reports read a replica when the operator has one; its pool is small: reports are few and long.
  const replica = config.readDatabaseUrl
    ? openPostgres(config.readDatabaseUrl, {
        max: 4,
        onIdleError: (error) => log.warn({ err: error }, 'read replica connection lost'),
      })
    : null;
  const ctx: AppContext = {
    db: handle.db,
    ...(replica ? { reportsDb: replica.db } : {}),
    engine: handle.engine,
    clock,
    blobs:
      config.blobStore === 'postgres' && handle.engine === 'postgres'
        ? new PostgresBlobStore(handle.db)
        : new LocalBlobStore(join(config.dataDir, 'blobs')),
    timers: createTimerRegistry(),
    log,
    payments: paymentProviderFor(config),
    jobs: standardJobs({ payoutLeaseMs: config.payoutLeaseMs, retention: config.retention }),
    riskAssessor: fraudAssessor,
    notifications: {
      webhooks: { allowPrivateTargets: config.webhookAllowPrivate, timeoutMs: config.webhookTimeoutMs },
      mailer: config.smtpUrl ? smtpMailer(config.smtpUrl) : folderMailer(join(config.dataDir, 'mail')),
      nats: config.natsUrl ? await connectNatsRelay(config.natsUrl) : null,
    },
  };
  return {
    ctx,
    handle,
    testClock,
    close: async () => {
      await ctx.notifications.mailer.close?.();
      await ctx.notifications.nats?.close();
      await replica?.close();
      await handle.close();
    },
  };
}
