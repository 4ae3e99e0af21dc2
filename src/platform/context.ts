import type { FastifyBaseLogger } from 'fastify';
import type { RiskAssessor } from '../claims/risk.ts';
import type { PaymentProvider } from '../ledger/payment-provider.ts';
import type { WebhookSettings } from '../notifications/deliver-webhooks.ts';
import type { Mailer } from '../notifications/mailer.ts';
import type { NatsRelay } from '../notifications/nats-relay.ts';
import type { BlobStore } from './blobs/blob-store.ts';
import type { Clock } from './clock.ts';
import type { Engine } from './db/connect.ts';
import type { Db } from './db/sql.ts';
import type { Job } from './jobs.ts';
import type { TimerRegistry } from './timers.ts';
import type { WorkerMonitor } from './worker-monitor.ts';

/** What every use case may need from the platform; built once per process (or per test). */
export interface AppContext {
  db: Db;
  /**
   * Where reports read (summary, trends, safety clusters): a replica when the operator sets
   * DATABASE_READ_URL, so long reads leave the primary to intake; `db` when absent. Reports
   * tolerate a replica's seconds of lag; nothing that decides or writes reads here.
   */
  reportsDb?: Db;
  engine: Engine;
  clock: Clock;
  blobs: BlobStore;
  timers: TimerRegistry;
  log: FastifyBaseLogger;
  payments: PaymentProvider;
  /** Background passes run by the worker loop and after the test clock moves. */
  jobs: Job[];
  notifications: { webhooks: WebhookSettings; mailer: Mailer; nats: NatsRelay | null };
  /** Fraud and abuse screening; the claims domain's built-in completeness check when absent. */
  riskAssessor?: RiskAssessor;
  /** Set where this process runs the background worker: `/readyz` reports it stopping. */
  worker?: WorkerMonitor;
}

/** The database a report reads: the replica when there is one, else the primary. */
export function reportsDatabase(ctx: Pick<AppContext, 'db' | 'reportsDb'>): Db {
  return ctx.reportsDb ?? ctx.db;
}
