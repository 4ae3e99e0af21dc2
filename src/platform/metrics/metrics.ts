import type { FastifyReply, FastifyRequest } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { AppContext } from '../context.ts';
import { type DomainSnapshot, readDomainSnapshot } from './metrics-store.ts';

export interface Metrics {
  registry: Registry;
  /** Records one answered request under its route pattern (never the raw URL: ids would explode the series). */
  observeRequest(request: FastifyRequest, reply: FastifyReply): void;
  /** Who may read /metrics on the main port besides an admin key. */
  token: string | undefined;
}

const secondsSince = (now: Date, then: Date | null) =>
  then ? Math.max(0, (now.getTime() - then.getTime()) / 1000) : 0;

/**
 * The process's metrics: HTTP rate, errors and latency per route, recorded here, and the domain
 * gauges, read from the database on each scrape. Domain figures are the same from every process
 * of a deployment (they come from the shared database): aggregate them with max, not sum.
 */
export function createMetrics(ctx: AppContext, options: { token?: string | undefined } = {}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'redress_' });
  const registers = [registry];

  const requests = new Counter({
    name: 'redress_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers,
  });
  const latency = new Histogram({
    name: 'redress_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });

  // One read serves every metric of a scrape: prom-client starts their collects together, so
  // they share the read in flight; the next scrape reads afresh.
  let inFlight: Promise<DomainSnapshot> | null = null;
  const snapshot = () => {
    if (!inFlight) {
      inFlight = readDomainSnapshot(ctx.db, ctx.clock.now()).finally(() => {
        inFlight = null;
      });
    }
    return inFlight;
  };

  type Put = (labels: Record<string, string>, value: number) => void;
  /**
   * A metric whose values are read from the snapshot at each scrape, stale label sets dropped
   * first. A `counter` is a total kept in the database that only grows (claims and their events
   * are never deleted), so rate() works on it across restarts and processes.
   */
  const fromSnapshot = (
    name: string,
    help: string,
    labelNames: readonly string[],
    fill: (put: Put, s: DomainSnapshot, now: Date) => void,
    type: 'gauge' | 'counter' = 'gauge',
  ) => {
    const metric =
      type === 'gauge'
        ? new Gauge({ name, help, labelNames, registers, collect: async () => refill() })
        : new Counter({ name, help, labelNames, registers, collect: async () => refill() });
    const put: Put = (labels, value) =>
      metric instanceof Gauge ? metric.set(labels, value) : metric.inc(labels, value);
    const refill = async () => {
      const s = await snapshot();
      metric.reset();
      fill(put, s, ctx.clock.now());
    };
  };

  fromSnapshot('redress_claims', 'Claims by status', ['status'], (put, s) => {
    for (const [status, n] of Object.entries(s.claimsByStatus)) put({ status }, n);
  });
  fromSnapshot(
    'redress_claims_filed_total',
    'Claims filed since the start (rate() gives filings per second)',
    [],
    (put, s) =>
      put(
        {},
        Object.values(s.claimsByStatus).reduce((a, b) => a + b, 0),
      ),
    'counter',
  );
  fromSnapshot(
    'redress_screening_outcomes_total',
    'Screening outcomes since the start',
    ['outcome'],
    (put, s) => {
      for (const [outcome, n] of Object.entries(s.screeningOutcomes)) put({ outcome }, n);
    },
    'counter',
  );
  fromSnapshot(
    'redress_outbox_lag_seconds',
    'Age of the oldest undelivered message, by delivery stage (0 when none)',
    ['stage'],
    (put, s, now) => {
      put({ stage: 'fanout' }, secondsSince(now, s.oldestUnfannedMessage));
      put({ stage: 'webhook' }, secondsSince(now, s.oldestPendingWebhook));
      put({ stage: 'mail' }, secondsSince(now, s.oldestPendingMail));
    },
  );
  fromSnapshot(
    'redress_payout_lag_seconds',
    'Age of the oldest payout not yet settled (0 when none)',
    [],
    (put, s, now) => put({}, secondsSince(now, s.oldestUnsettledPayout)),
  );
  fromSnapshot('redress_timers_overdue', 'Deadlines past due and not yet fired', [], (put, s) =>
    put({}, s.timersOverdue),
  );
  fromSnapshot(
    'redress_timers_overdue_seconds',
    'How long the most overdue deadline has waited (0 when none)',
    [],
    (put, s, now) => put({}, secondsSince(now, s.oldestOverdueTimer)),
  );
  fromSnapshot(
    'redress_webhook_deliveries',
    'Webhook deliveries failing and retrying, or dead-lettered',
    ['state'],
    (put, s) => {
      put({ state: 'retrying' }, s.webhooksRetrying);
      put({ state: 'dead' }, s.webhooksDead);
    },
  );
  fromSnapshot('redress_mail_deliveries_dead', 'E-mails given up on', [], (put, s) => put({}, s.mailsDead));
  fromSnapshot('redress_safety_reports_open', 'Regulator reports not yet submitted', [], (put, s) =>
    put({}, s.safetyReportsOpen),
  );
  fromSnapshot(
    'redress_safety_report_hours_left',
    'Hours until the next regulator report is due (negative when overdue; absent when none is open)',
    [],
    (put, s, now) => {
      if (s.nextSafetyReportDue) put({}, (s.nextSafetyReportDue.getTime() - now.getTime()) / 3_600_000);
    },
  );

  return {
    registry,
    token: options.token,
    observeRequest(request, reply) {
      const route = request.routeOptions.url ?? 'unmatched';
      requests.inc({ method: request.method, route, status_code: String(reply.statusCode) });
      latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    },
  };
}
