// Prometheus metrics on a registry of our own (not prom-client's global one, so tests and a second
// daemon in the same process never share counters).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RequestEvent } from '../providers/yahoo/fetch.js';
import type { RunEvent } from './scheduler.js';

export interface YahooStatsSource {
  circuitOpen(): boolean;
  stats(): { retries: number; rateLimited: number };
}

export interface DaemonMetrics {
  readonly registry: Registry;
  observeRun(event: RunEvent): void;
  observeYahooRequest(event: RequestEvent): void;
  /** The Yahoo client is created after the metrics (it needs observeYahooRequest); attach it here. */
  attachYahoo(yahoo: YahooStatsSource): void;
  render(): Promise<{ contentType: string; body: string }>;
}

const P = 'bubblewatch_';

export function createDaemonMetrics(options: { defaultMetrics?: boolean } = {}): DaemonMetrics {
  const registry = new Registry();
  const registers = [registry];
  let yahoo: YahooStatsSource | null = null;

  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: P });

  new Gauge({ name: `${P}up`, help: 'The daemon is running (always 1 while it answers).', registers }).set(1);
  const runs = new Counter({ name: `${P}runs_total`, help: 'Job runs by job and final status.', labelNames: ['job', 'status'], registers });
  const failures = new Counter({
    name: `${P}run_failures_total`,
    help: 'Per-symbol failures inside runs, by job and failure kind.',
    labelNames: ['job', 'kind'],
    registers,
  });
  const rows = new Counter({ name: `${P}rows_written_total`, help: 'Rows inserted or updated, by job.', labelNames: ['job'], registers });
  const duration = new Histogram({
    name: `${P}run_duration_seconds`,
    help: 'Wall time of job runs.',
    labelNames: ['job'],
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900],
    registers,
  });
  const lastRunSuccess = new Gauge({
    name: `${P}job_last_success_timestamp_seconds`,
    help: 'When each job last finished ok or partial (unix time).',
    labelNames: ['job'],
    registers,
  });
  const symbolSuccess = new Gauge({
    name: `${P}symbol_last_success_timestamp_seconds`,
    help: 'When each symbol was last synced successfully (unix time).',
    labelNames: ['symbol'],
    registers,
  });
  const revised = new Counter({
    name: `${P}rows_revised_total`,
    help: 'Overlap rows the source revised on the same basis (a recent bar corrected), by job.',
    labelNames: ['job'],
    registers,
  });
  const rebased = new Counter({
    name: `${P}history_rebased_total`,
    help: 'Whole histories re-fetched because the overlap showed another basis (a split, a silent re-basing), by symbol.',
    labelNames: ['symbol'],
    registers,
  });
  const verifyDifferences = new Gauge({
    name: `${P}verify_differences`,
    help: "Ranges of sessions where the stored history differed from the source's at the last verify, by symbol (0: equal).",
    labelNames: ['symbol'],
    registers,
  });
  const latency = new Histogram({
    name: `${P}yahoo_request_duration_seconds`,
    help: 'Latency of HTTP requests to Yahoo (crumb handshake included), by endpoint and HTTP status.',
    labelNames: ['endpoint', 'status'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const rateLimited = new Counter({ name: `${P}yahoo_rate_limited_total`, help: 'HTTP 429 answers from Yahoo.', registers });
  // Read from the client at scrape time: the client keeps the counts, we only expose them.
  new Counter({
    name: `${P}yahoo_retries_total`,
    help: 'Retried Yahoo calls.',
    registers,
    collect() {
      if (!yahoo) return;
      this.reset();
      this.inc(yahoo.stats().retries);
    },
  });
  new Gauge({
    name: `${P}yahoo_circuit_open`,
    help: '1 while the Yahoo circuit breaker holds all calls.',
    registers,
    collect() {
      this.set(yahoo?.circuitOpen() ? 1 : 0);
    },
  });

  return {
    registry,
    observeRun(event) {
      runs.inc({ job: event.job, status: event.status });
      for (const f of event.failures) failures.inc({ job: event.job, kind: f.kind });
      if (event.rows !== null && event.rows > 0) rows.inc({ job: event.job }, event.rows);
      if (event.status !== 'skipped') duration.observe({ job: event.job }, event.durationMs / 1000);
      const seconds = event.at.getTime() / 1000;
      if (event.status === 'ok' || event.status === 'partial') lastRunSuccess.set({ job: event.job }, seconds);
      for (const symbol of event.freshSymbols) symbolSuccess.set({ symbol }, seconds);
      if (event.revised) revised.inc({ job: event.job }, event.revised);
      for (const symbol of event.rebased ?? []) rebased.inc({ symbol });
      for (const [symbol, n] of Object.entries(event.differences ?? {})) verifyDifferences.set({ symbol }, n);
    },
    observeYahooRequest(event) {
      latency.observe({ endpoint: event.endpoint, status: event.status === null ? 'none' : String(event.status) }, event.durationMs / 1000);
      if (event.status === 429) rateLimited.inc();
    },
    attachYahoo(source) {
      yahoo = source;
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
