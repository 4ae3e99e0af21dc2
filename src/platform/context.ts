import type { FastifyBaseLogger } from 'fastify';
import type { RiskAssessor } from '../claims/risk.ts';
import type { BlobStore } from './blobs/blob-store.ts';
import type { Clock } from './clock.ts';
import type { Engine } from './db/connect.ts';
import type { Db } from './db/sql.ts';
import type { TimerRegistry } from './timers.ts';

/** What every use case may need from the platform; built once per process (or per test). */
export interface AppContext {
  db: Db;
  engine: Engine;
  clock: Clock;
  blobs: BlobStore;
  timers: TimerRegistry;
  log: FastifyBaseLogger;
  /** Fraud and abuse screening; the claims domain's built-in completeness check when absent. */
  riskAssessor?: RiskAssessor;
}
