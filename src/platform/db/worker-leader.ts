import pg from 'pg';

/**
 * One background-worker leader among the server processes that share a PostgreSQL database.
 *
 * Each process keeps one connection of its own (outside the pool, so a busy pool never delays the
 * election) and asks for a session-level advisory lock every `retryMs`. The process that holds it
 * runs the deadline worker, the payout worker and the import worker; the others only serve HTTP.
 * The lock lives as long as the holder's connection: when the leader dies (SIGKILL included), its
 * backend ends, PostgreSQL frees the lock, and another process takes over on its next try.
 *
 * The workers are safe to run twice at once (leases, `FOR UPDATE SKIP LOCKED`, exactly-once
 * payouts); the election spares the database N processes polling the same queues, it is not what
 * keeps money safe.
 */

/** Any fixed 64-bit number identifies the lock; this one spells "REDRESS1" in ASCII. */
export const WORKER_LEADER_LOCK = '5928238562826195761';

export interface WorkerLeadership {
  /** True while this process holds the lock. */
  readonly leading: boolean;
  stop(): Promise<void>;
}

export function electWorkerLeader(
  databaseUrl: string,
  options: {
    retryMs?: number;
    onLead: () => void;
    onLose: () => Promise<void> | void;
    onError?: (error: unknown) => void;
  },
): WorkerLeadership {
  const retryMs = options.retryMs ?? 1000;
  let client: pg.Client | null = null;
  let leading = false;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  const lose = async () => {
    if (!leading) return;
    leading = false;
    await options.onLose();
  };

  const drop = (c: pg.Client) => {
    if (client === c) client = null;
    c.end().catch(() => {});
  };

  const attempt = async () => {
    if (stopped || leading) return;
    try {
      if (!client) {
        const c = new pg.Client({
          connectionString: databaseUrl,
          application_name: 'redress-worker-leader',
          keepAlive: true,
        });
        // A lost connection is a lost lock: stop leading at once, try again on the next tick.
        c.on('error', (error) => {
          options.onError?.(error);
          drop(c);
          void lose();
        });
        c.on('end', () => {
          if (client === c) client = null;
          void lose();
        });
        await c.connect();
        client = c;
      }
      const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1::bigint) as ok', [
        WORKER_LEADER_LOCK,
      ]);
      if (rows[0]?.ok && !stopped) {
        leading = true;
        options.onLead();
      }
    } catch (error) {
      options.onError?.(error);
      if (client) drop(client);
    }
  };

  const loop = () => {
    if (stopped) return;
    void attempt().finally(() => {
      if (!stopped) timer = setTimeout(loop, retryMs);
    });
  };
  loop();

  return {
    get leading() {
      return leading;
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await lose();
      // Closing the session frees the lock for the next process at once.
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}
