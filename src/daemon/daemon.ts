// The daemon's life once its database is open and locked: mark dead runs aborted, serve HTTP, catch
// up, then hand the schedules to node-cron; stop() undoes it in reverse. Used by `run` and `demo`.
import type { Logger } from 'pino';
import type { QuoteJudgement } from '../analysis/provisional.js';
import type { Config } from '../config/load.js';
import type { DbHandle } from '../db/connect.js';
import { lastBarDates, newestBarDate, newestReportDate, pingDb } from '../db/daemon-queries.js';
import { flaggedRows, latestVerify, storedJumps } from '../db/data-checks.js';
import { abortDeadRuns, hasUnfinishedRuns, isProcessAlive } from '../db/runs.js';
import type { IsoDate } from '../domain.js';
import { RETRY_SCHEDULE, startCron, type CronHandle, type Schedules } from './cron.js';
import type { Policy, StoredProgress } from './decide.js';
import { evaluateHealth, integrityReport, type HealthReport, type IntegrityReport } from './health.js';
import { startHttpServer, type HttpServerHandle } from './http.js';
import { startLiveFeed, type LiveFeed } from './live-feed.js';
import { reportPages } from './report-pages.js';
import { createReportRenderer } from './report-renderer.js';
import type { LiveHealthProblem } from '../live/live-model.js';
import { logReportWritten, type ReportResult } from '../report/report-result.js';
import { renderLivePage } from '../live/render/live-page.js';
import type { DaemonJobs } from './jobs.js';
import type { DaemonMetrics } from './metrics.js';
import { Scheduler, type YahooProbe } from './scheduler.js';

/** What the daemon offers the jobs it runs: the live page's judgement of the stored quotes, its report writer. */
export interface DaemonHooks {
  quoteJudgement(): Promise<QuoteJudgement | null>;
  /** The scheduled report, written in the daemon's render worker (off the event loop), and logged. */
  writeReport(session: IsoDate): Promise<ReportResult>;
}

export interface DaemonDeps {
  config: Config;
  log: Logger;
  handle: DbHandle;
  /** The jobs, or a factory given the daemon's hooks (the quotes job hands the page's judgement to the alerts). */
  jobs: DaemonJobs | ((hooks: DaemonHooks) => DaemonJobs);
  yahoo: YahooProbe & { origin?: string };
  metrics: DaemonMetrics;
  clock: () => Date;
  /** Default: the config's schedules plus the retry check. */
  schedules?: Schedules;
  policy?: Policy;
  /** After SIGTERM, how long in-flight work may take to wind down before the rest is closed anyway. */
  stopGraceMs?: number;
  /** Health: how long after a close the session's bar may be missing. */
  staleGraceMs?: number;
  /** Health: the state of the instance lock (instance-lock.ts). */
  instanceLock?: () => { ok: true } | { ok: false; error: string };
}

export interface Daemon {
  readonly url: string;
  readonly scheduler: Scheduler;
  /** The live page's state; `changed()` is the hook for in-process writes that want the page to move. */
  readonly live: LiveFeed;
  /** Resolves once the start-up pass is done and the schedules run (or the daemon was stopped first). */
  readonly ready: Promise<void>;
  /** Stops the schedules, aborts in-flight work, waits for it (bounded) and closes HTTP. Not the database. */
  stop(): Promise<void>;
}

const DB_PING_TIMEOUT_MS = 2_000;

/** The failed checks of a health report, for the live page's words. */
export function healthProblems(h: HealthReport): LiveHealthProblem[] {
  const { db, data, yahoo, instanceLock } = h.checks;
  const problems: LiveHealthProblem[] = [];
  if (!db.ok) problems.push({ kind: 'db', error: db.error ?? '' });
  else if (!data.ok) problems.push(data.newestBarDate ? { kind: 'stale', newest: data.newestBarDate, expected: data.expected } : { kind: 'no_data' });
  if (!instanceLock.ok) problems.push({ kind: 'lock', error: instanceLock.error ?? '' });
  if (!yahoo.ok) problems.push({ kind: 'yahoo' });
  return problems;
}

export function schedulesFrom(config: Config): Schedules {
  const { quotes, sync, revision, report, verify } = config.schedules;
  return { quotes, sync, revision, report, retry: RETRY_SCHEDULE, verify };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** What the start-up decision needs from the database. */
export async function readProgress(handle: DbHandle, symbols: readonly string[]): Promise<StoredProgress> {
  const [last, newestReport] = await Promise.all([lastBarDates(handle.db, symbols), newestReportDate(handle.db)]);
  let oldestLastBar: IsoDate | null = null;
  if (symbols.every((s) => last.has(s))) {
    for (const date of last.values()) if (oldestLastBar === null || date < oldestLastBar) oldestLastBar = date;
  }
  return { oldestLastBar, newestReport };
}

/** The data checks' findings (unexplained jumps, flagged rows, the last verify) for /healthz. */
async function readIntegrity(handle: DbHandle): Promise<IntegrityReport> {
  const [jumps, flagged, verify] = await Promise.all([storedJumps(handle.db), flaggedRows(handle.db), latestVerify(handle.db)]);
  return integrityReport({ jumps, flagged, verify });
}

export async function startDaemon(deps: DaemonDeps): Promise<Daemon> {
  const { config, log, handle, clock, metrics } = deps;
  const started = Date.now();
  const abort = new AbortController();
  const schedules = deps.schedules ?? schedulesFrom(config);
  const symbols = config.watchlist.map((w) => w.symbol);

  const aborted = await abortDeadRuns(handle.db, isProcessAlive, clock());
  if (aborted > 0) log.warn({ runs: aborted }, 'runs left running by a dead process marked aborted');

  const closeLostRuns = async () => {
    const closed = await abortDeadRuns(handle.db, isProcessAlive, clock()).catch((err: unknown) => {
      log.warn({ err }, 'could not close the runs interrupted by the lost connection yet');
      return 0;
    });
    if (closed > 0) log.warn({ runs: closed }, 'runs interrupted by a lost database connection marked aborted');
  };

  let liveFeed: LiveFeed | null = null;
  // Reports are read, built and rendered in a worker thread, the scheduled one and those in another
  // language the HTTP server serves: /healthz answers meanwhile. It reaches the database as this
  // process does now (the embedded server may restart).
  const renderer = createReportRenderer({ config, databaseUrl: () => handle.connectionUrl() });
  const hooks: DaemonHooks = {
    quoteJudgement: async () => (liveFeed ? liveFeed.judgement() : null),
    async writeReport(session) {
      const written = await renderer.write({ date: session, now: clock() });
      logReportWritten(log, written);
      return written;
    },
  };
  const scheduler = new Scheduler({
    jobs: typeof deps.jobs === 'function' ? deps.jobs(hooks) : deps.jobs,
    log,
    clock,
    yahoo: deps.yahoo,
    signal: abort.signal,
    onRun: (event) => {
      metrics.observeRun(event);
      // What a job changes without storing prices (health, a closed session, a failed sync) shows too.
      liveFeed?.refreshSoon();
    },
    ...(deps.policy ? { policy: deps.policy } : {}),
    ...(deps.yahoo.origin ? { yahooOrigin: deps.yahoo.origin } : {}),
  });
  let cron: CronHandle | null = null;

  const health = async () => {
    let db: { ok: true } | { ok: false; error: string } = { ok: true };
    let newest: IsoDate | null = null;
    try {
      await withTimeout(pingDb(handle.db), DB_PING_TIMEOUT_MS, 'select 1');
      newest = await withTimeout(newestBarDate(handle.db), DB_PING_TIMEOUT_MS, 'newest bar query');
      // A run whose closing update was lost with the connection is closed as soon as the database
      // answers again, not left 'running' until the next job of its kind.
      if (hasUnfinishedRuns()) await closeLostRuns();
    } catch (err) {
      db = { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
    // What the data checks found is told, not failed on: the daemon itself is fine.
    let integrity: IntegrityReport | { error: string } | null = null;
    if (db.ok) {
      integrity = await withTimeout(readIntegrity(handle), DB_PING_TIMEOUT_MS, 'data checks query').catch((err: unknown) => ({
        error: err instanceof Error ? err.message : String(err),
      }));
    }
    const report = evaluateHealth({
      now: clock(),
      db,
      newestBarDate: newest,
      circuitOpen: deps.yahoo.circuitOpen(),
      ...(deps.instanceLock ? { instanceLock: deps.instanceLock() } : {}),
      ...(deps.staleGraceMs !== undefined ? { graceMs: deps.staleGraceMs } : {}),
    });
    return {
      ...report,
      ...(integrity && 'warnings' in integrity ? { warnings: integrity.warnings } : {}),
      integrity,
      daemon: { pid: process.pid, startedAt: new Date(started).toISOString(), yahooUnreachable: scheduler.yahooUnreachable },
      schedule: { state: scheduler.state, next: cron?.nextRuns() ?? null },
    };
  };

  const live: LiveFeed = startLiveFeed({
    handle,
    config,
    log,
    clock,
    health: async () => {
      const h = await health();
      return { status: h.status, reasons: h.reasons, problems: healthProblems(h) };
    },
  });
  liveFeed = live;
  const pages = reportPages({ handle, config, log, clock, renderer });
  // HTTP first, so /healthz answers (503, no data yet) during a long first backfill.
  const http: HttpServerHandle = await startHttpServer(
    {
      health,
      metrics: () => metrics.render(),
      live: {
        async page(lang) {
          await live.ready;
          return renderLivePage(live.current().snapshot, lang, live.current().id);
        },
        async current(lang) {
          await live.ready;
          // One synchronous read: the rendering and the state are of the same id.
          const main = live.renderedMain(lang);
          return { id: main.id, html: main.html, snapshot: live.current().snapshot };
        },
        subscribe: (listener) => live.subscribe(() => listener()),
      },
      reports: pages.list,
      report: pages.text,
    },
    { host: config.http.host, port: config.http.port, allowedHosts: config.http.allowedHosts, log },
  );
  log.info({ url: http.url }, 'http listening');

  const ready = (async () => {
    let progress: StoredProgress;
    try {
      progress = await readProgress(handle, symbols);
    } catch (err) {
      // Not knowing what is stored is no reason to stay idle: sync and let ingest sort it out.
      log.error({ err }, 'could not read the stored progress; catching up in full');
      progress = { oldestLastBar: null, newestReport: null };
    }
    await scheduler.startup(progress);
    if (abort.signal.aborted) return;
    cron = startCron({
      schedules,
      timezone: config.exchange.timezone,
      jitterSeconds: config.schedules.jitterSeconds,
      log,
      onTick: (kind) => scheduler.tick(kind),
    });
    log.info({ startupMs: Date.now() - started, url: http.url, next: cron.nextRuns(), timezone: config.exchange.timezone }, 'daemon scheduled');
  })();

  let stopping: Promise<void> | null = null;
  return {
    url: http.url,
    scheduler,
    live,
    ready,
    stop() {
      stopping ??= (async () => {
        abort.abort(new Error('daemon stopping'));
        cron?.stop();
        const grace = deps.stopGraceMs ?? 7_000;
        const settled = await Promise.race([
          Promise.allSettled([ready, scheduler.idle()]).then(() => true),
          new Promise<false>((resolve) => setTimeout(() => resolve(false), grace).unref()),
        ]);
        if (!settled) log.warn({ graceMs: grace }, 'in-flight work did not stop in time; closing anyway');
        await http.close();
        await live.close();
        await renderer.close();
      })();
      return stopping;
    },
  };
}
