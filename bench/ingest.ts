import { execFile } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { buildServer } from '../src/app/server.ts';
import { createImportJob, findImportJob, receiveImport } from '../src/marketplace/import/import-jobs.ts';
import { runImportJobs } from '../src/marketplace/import/run-import-job.ts';
import { systemPrincipal } from '../src/platform/auth/roles.ts';
import { systemClock } from '../src/platform/clock.ts';
import {
  benchContext,
  freshDatabase,
  percentiles,
  report,
  serverAvailable,
  setUpBenchMarketplace,
} from './support.ts';

const run = promisify(execFile);

/** One order of one delivered line per customer: the shape of a marketplace's daily order feed. */
function orderLine(i: number, deliveredAt: string): string {
  return JSON.stringify({
    kind: 'order',
    id: `bo${i}`,
    data: {
      marketplaceId: 'bench',
      customerId: `bc${i % 1000}`,
      lines: [
        {
          lineId: '1',
          productId: `bp${i % 200}`,
          sellerId: `bs${(i % 200) % 40}`,
          quantity: 1 + (i % 3),
          unitPrice: { value: 999 + (i % 5000), currency: 'USD' },
          deliveredAt,
        },
      ],
    },
  });
}

/**
 * Watches this process's event loop with a 5 ms timer and, on Linux, how long its main thread
 * waited for a CPU meanwhile (`/proc/self/task/<pid>/schedstat`: nanoseconds run, nanoseconds
 * waiting on a run queue). A late timer is a long turn of the loop; the wait is the part the
 * machine added, when the database's backends had both cores, and the rest is the loop's own.
 * The wait is the whole interval's, since the timer last ran, so the loop's own share is a lower
 * bound; the file is read on the thread it measures (a few microseconds each 5 ms). Elsewhere
 * than Linux the wait reads as zero.
 */
function watchTicks() {
  const schedstat = `/proc/self/task/${process.pid}/schedstat`;
  const waited = () => {
    try {
      return Number(readFileSync(schedstat, 'utf8').split(' ')[1]) / 1e6;
    } catch {
      return 0;
    }
  };
  let last = performance.now();
  let lastWait = waited();
  let over50 = 0;
  let longestOwnMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    const wait = waited();
    const late = now - last - 5;
    if (late > 50) over50++;
    longestOwnMs = Math.max(longestOwnMs, late - (wait - lastWait));
    last = now;
    lastWait = wait;
  }, 5);
  return {
    stop: () => {
      clearInterval(timer);
      return { over50, longestOwnMs: Math.round(longestOwnMs * 100) / 100 };
    },
  };
}

/**
 * Imports `orders` orders through the job path (stored, then applied in chunks) while a client
 * in the same process samples /healthz, then loads the same rows with psql's \copy into the
 * same (emptied) tables: COPY is the ceiling our multi-row upserts are measured against.
 */
export async function ingest(options: { orders: number; engines?: string[] }): Promise<void> {
  const available: ('pglite' | 'postgres')[] = (await serverAvailable())
    ? ['postgres', 'pglite']
    : ['pglite'];
  // BENCH_ENGINES=postgres skips PGlite's minute when only the server's figures are wanted.
  const engines = available.filter((e) => !options.engines || options.engines.includes(e));
  const figures: Record<string, unknown> = {};
  const rows: [string, string][] = [];
  const dir = mkdtempSync(join(tmpdir(), 'redress-ingest-'));
  const deliveredAt = new Date(Date.now() - 5 * 86_400_000).toISOString();
  try {
    for (const engine of engines) {
      const orders = engine === 'pglite' ? Math.min(options.orders, 50_000) : options.orders;
      const feed = join(dir, `orders-${engine}.ndjson`);
      const lines: string[] = [];
      for (let i = 0; i < orders; i++) lines.push(orderLine(i, deliveredAt));
      writeFileSync(feed, `${lines.join('\n')}\n`);
      lines.length = 0;
      const db = await freshDatabase(engine);
      const ctx = benchContext(db.handle, systemClock);
      try {
        await setUpBenchMarketplace(ctx, {
          products: 200,
          categories: ['kitchen_appliances'],
          title: 'Kettle',
        });
        await sql`insert into customers (id, marketplace_id, name, email, created_at, updated_at)
          select 'bc' || g, 'bench', 'c', 'c@bench.example', now(), now() from generate_series(0, 999) g`.execute(
          ctx.db,
        );
        const app = await buildServer(ctx, { loggerInstance: ctx.log, testClock: null });
        const address = await app.listen({ port: 0, host: '127.0.0.1' });
        const healthz: number[] = [];
        let sampling = true;
        const sampler = (async () => {
          while (sampling) {
            const t0 = performance.now();
            await fetch(`${address}/healthz`).then((r) => r.arrayBuffer());
            healthz.push(performance.now() - t0);
            await new Promise((r) => setTimeout(r, 50));
          }
        })();
        const loop = monitorEventLoopDelay({ resolution: 5 });
        loop.enable();
        const ticks = watchTicks();
        const t0 = performance.now();
        const id = await createImportJob(ctx, systemPrincipal('bench'), 'ndjson');
        await receiveImport(ctx, id, createReadStream(feed, { highWaterMark: 1 << 20 }));
        const stored = performance.now() - t0;
        await runImportJobs(ctx, { owner: 'bench' });
        const seconds = (performance.now() - t0) / 1000;
        loop.disable();
        const tickParts = ticks.stop();
        sampling = false;
        await sampler;
        await app.close();
        const job = await findImportJob(ctx, id);
        if (job?.imported !== orders)
          throw new Error(`imported ${job?.imported} of ${orders}: ${job?.failure}`);
        const perSecond = Math.round(orders / seconds);
        const h = percentiles(healthz);
        const maxTickMs = Math.round(loop.max / 1e4) / 100;
        const maxHealthz = Math.round(Math.max(...healthz) * 10) / 10;
        figures[`${engine}_orders`] = orders;
        figures[`${engine}_records_per_s`] = perSecond;
        figures[`${engine}_seconds`] = Math.round(seconds * 10) / 10;
        figures[`${engine}_store_seconds`] = Math.round(stored / 100) / 10;
        figures[`${engine}_event_loop_max_ms`] = maxTickMs;
        figures[`${engine}_ticks_over_50_ms`] = tickParts.over50;
        figures[`${engine}_longest_tick_less_cpu_wait_ms`] = tickParts.longestOwnMs;
        figures[`${engine}_healthz_ms`] = { ...h, max: maxHealthz, samples: healthz.length };
        rows.push([
          `${engine}: ${orders.toLocaleString('en')} orders (${(statSync(feed).size / 1e6).toFixed(0)} MB NDJSON)`,
          `${perSecond.toLocaleString('en')} records/s, ${figures[`${engine}_seconds`]} s (stored in ${figures[`${engine}_store_seconds`]} s)`,
        ]);
        rows.push([
          `${engine}: event loop, /healthz`,
          `max tick ${maxTickMs} ms (${tickParts.over50} over 50 ms; longest without its wait for a CPU ${tickParts.longestOwnMs} ms); healthz p50 ${h.p50} ms, p99 ${h.p99} ms, max ${maxHealthz} ms (${healthz.length} samples)`,
        ]);
        if (db.url) {
          // The ceiling: the same rows, as CSV, into the same tables emptied first, by COPY.
          const ordersCsv = join(dir, 'orders.csv');
          const linesCsv = join(dir, 'order_lines.csv');
          const now = new Date().toISOString();
          const o: string[] = [];
          const l: string[] = [];
          for (let i = 0; i < orders; i++) {
            o.push(`bo${i},bench,bc${i % 1000},${now},${now}`);
            l.push(
              `bo${i},1,bench,bp${i % 200},bs${(i % 200) % 40},${1 + (i % 3)},${999 + (i % 5000)},USD,${deliveredAt}`,
            );
          }
          writeFileSync(ordersCsv, `${o.join('\n')}\n`);
          writeFileSync(linesCsv, `${l.join('\n')}\n`);
          await sql`truncate order_lines, orders`.execute(ctx.db);
          const c0 = performance.now();
          await run('psql', [
            db.url,
            '-v',
            'ON_ERROR_STOP=1',
            '-c',
            `\\copy orders (id, marketplace_id, customer_id, created_at, updated_at) from '${ordersCsv}' csv`,
            '-c',
            `\\copy order_lines (order_id, line_id, marketplace_id, product_id, seller_id, quantity, unit_price, currency, delivered_at) from '${linesCsv}' csv`,
          ]);
          const copySeconds = (performance.now() - c0) / 1000;
          const copyPerSecond = Math.round(orders / copySeconds);
          const ratio = Math.round((perSecond / copyPerSecond) * 100) / 100;
          figures.copy_records_per_s = copyPerSecond;
          figures.copy_seconds = Math.round(copySeconds * 10) / 10;
          figures.ratio_to_copy = ratio;
          rows.push([
            `postgres: psql \\copy of the same rows`,
            `${copyPerSecond.toLocaleString('en')} records/s, ${figures.copy_seconds} s; import = ${ratio} of COPY`,
          ]);
        }
      } finally {
        await db.dispose().catch(() => undefined);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  report('ingest', figures, rows);
}
