// `bubblewatch demo` (wired in src/cli/commands/demo.ts): an offline showcase of the whole daemon on
// simulated data. The simulated Yahoo feed runs in this process; a fresh embedded database under
// <dataDir>/demo keeps simulated rows away from real ones (they are stored as source 'sim' and the
// report says so). Time is compressed: the daemon's clock starts 15 minutes before the last session's
// close and runs 60x, its schedules fire every second or two, so one run shows the back-fill, a quote
// snapshot every second for the session's last quarter hour (the sim prices them on an intraday path
// at the daemon's clock, so the live page at / visibly moves), the after-close sync and the report,
// in well under a minute.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Config } from '../config/load.js';
import { openDb, type DbHandle } from '../db/connect.js';
import { reportPage, storedCounts } from '../db/daemon-queries.js';
import { acquireDirLock } from '../db/dir-lock.js';
import { migrate } from '../db/migrate.js';
import type { IsoDate } from '../domain.js';
import { lastClosedSession, sessionOn } from '../market/calendar.js';
import { addDays } from '../market/iso-date.js';
import { startSimServer, type SimServer } from '../sim/server.js';
import type { Schedules } from './cron.js';
import { startDaemon, type Daemon } from './daemon.js';
import { createIngestJobs } from './ingest-jobs.js';
import type { DaemonJobs } from './jobs.js';
import { createDaemonMetrics } from './metrics.js';
import type { RunEvent } from './scheduler.js';
import { exitSoonIfStuck, watchSignals } from './signals.js';
import { createDaemonYahoo } from './yahoo.js';

/** Six-field (seconds) cron: the demo's day passes in seconds. Revision is pushed out of the way. */
export const DEMO_SCHEDULES: Schedules = {
  quotes: '* * * * * *',
  sync: '*/2 * * * * *',
  report: '1-59/2 * * * * *',
  retry: '*/5 * * * * *',
  revision: '0 0 0 1 1 *',
};
const SPEED = 60;
const LEAD_MS = 15 * 60_000;
const HISTORY_YEARS = 3;
const FAULT_RATE = 0.03;
const DEADLINE_MS = 75_000;

const print = (text: string) => process.stdout.write(`${text}\n`);

/**
 * The daemon's clock: frozen at `start` until run() (so the back-fill doesn't eat the session), then
 * moving SPEED times faster than real time.
 */
export function createDemoClock(start: Date, speed = SPEED, now: () => number = Date.now) {
  let runningSince: number | null = null;
  return {
    clock: () => new Date(start.getTime() + (runningSince === null ? 0 : (now() - runningSince) * speed)),
    run() {
      runningSince ??= now();
    },
  };
}

/** The user's config, pointed at the sim and the demo's own data dir, with demo-speed settings. */
export function demoConfig(base: Config, dataDir: string, simUrl: string, historyStart: IsoDate): Config {
  return {
    ...base,
    history: { ...base.history, start: historyStart },
    schedules: { ...DEMO_SCHEDULES, jitterSeconds: 0 },
    yahoo: { ...base.yahoo, minIntervalMs: 0, timeoutMs: 3_000, breakerThreshold: 20, breakerCooldownMs: 1_000 },
    http: { host: base.http.host, port: 0 },
    env: { ...base.env, dataDir, databaseUrl: null, yahooBaseUrl: simUrl },
  };
}

function progressPrinter() {
  let quotes = 0;
  return (event: RunEvent) => {
    if (event.job === 'quotes' && event.status !== 'skipped') print(`  quote snapshot ${++quotes}: ${event.received ?? 0} prices, ${event.rows ?? 0} new (${event.status})`);
    if (event.job === 'sync') print(`  sync ${event.status}: ${event.rows ?? 0} rows written in ${(event.durationMs / 1000).toFixed(1)} s`);
    if (event.job === 'report' && event.status !== 'ok') print(`  report ${event.status} (see the log)`);
  };
}

/** The real jobs, with each written report announced. */
function announcingJobs(jobs: DaemonJobs, onReport: (files: readonly string[]) => void): DaemonJobs {
  return {
    ...jobs,
    async report(input) {
      const written = await jobs.report(input);
      print(`  report as of ${written.asOf} written (data source: ${written.dataSource})`);
      onReport(written.files);
      return written;
    },
  };
}

/**
 * Where the alert work (issue 14) plugs into the demo: start a local webhook receiver, point the
 * demo's config at it (its URL as a channel), print what it receives, stop it at the end. The live
 * page needs nothing more: an alert stored with notifyChange(trx, 'alerts', ...) in its transaction
 * (src/db/changes.ts) shows on it, from any process; in-process code may call daemon.live.changed().
 */
export interface DemoAlertHook {
  /** Called before the daemon starts; returns the config the daemon runs with. */
  configure(config: Config, print: (line: string) => void): Promise<Config>;
  close(): Promise<void>;
}

export interface DemoOptions {
  /** Alert delivery to show (none until the alert work wires it in src/cli/commands/demo.ts). */
  alerts?: DemoAlertHook;
  /** Keep serving after the report is written, until SIGINT/SIGTERM. */
  keep?: boolean;
  /** When the command started, for the "took" line. */
  startedAt?: number;
}

/** Runs the whole demo with the user's config and logger; sets process.exitCode 1 when no report came. */
export async function runDemo(base: Config, rootLog: Logger, options: DemoOptions = {}): Promise<void> {
  const t0 = options.startedAt ?? Date.now();
  // The demo prints its own story on stdout; library chatter stays at warn unless LOG_LEVEL asks for more.
  const log: Logger = base.env.logLevelSet ? rootLog : rootLog.child({}, { level: 'warn' });
  const dir = join(base.env.dataDir, 'demo');
  // Refuse to wipe a demo database another `demo --keep` still has open.
  mkdirSync(dir, { recursive: true });
  acquireDirLock(join(dir, 'pglite.lock'), 'demo database').release();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });

  const session = lastClosedSession(new Date());
  const close = sessionOn(session)!.close;
  const historyStart = addDays(session, -365 * HISTORY_YEARS);
  const signals = watchSignals(log);
  let sim: SimServer | null = null;
  let handle: DbHandle | null = null;
  let daemon: Daemon | null = null;
  try {
    // 'hang' is left out: a hung request costs a whole timeout, which a showcase doesn't need to show.
    const demoClock = createDemoClock(new Date(close.getTime() - LEAD_MS));
    const clock = demoClock.clock;
    // The sim quotes the session at the daemon's clock: intraday prices until the close.
    sim = await startSimServer({
      now: session,
      seed: 1,
      faults: { rate: FAULT_RATE, kinds: ['429', '500', '502', '503', 'reset', 'truncated'] },
      intradayClock: clock,
    });
    let config = demoConfig(base, dir, sim.url, historyStart);
    if (options.alerts) config = await options.alerts.configure(config, print);
    print(`bubblewatch demo: SIMULATED prices (not market data), ${config.watchlist.length} symbols from ${historyStart} to ${session}`);
    print(`  feed: ${sim.url} (synthetic, ${FAULT_RATE * 100}% of requests fail on purpose)`);
    print(`  database: ${join(dir, 'pglite')} (embedded, separate from your data)`);

    handle = await openDb({ kind: 'pglite', dataDir: dir }, { log });
    await migrate(handle);
    const metrics = createDaemonMetrics({ defaultMetrics: false });
    const yahoo = createDaemonYahoo(config, log, {
      onRequest: (event) => metrics.observeYahooRequest(event),
      // Demo-speed backoff: the faults are there to be seen recovering, not waited on.
      overrides: { backoffBaseMs: 50, rateLimitBackoffMs: 200, backoffMaxMs: 1_000 },
    });
    metrics.attachYahoo(yahoo);
    const printProgress = progressPrinter();
    const db = handle;
    let reportFiles: readonly string[] = [];
    daemon = await startDaemon({
      config,
      log,
      handle: db,
      jobs: announcingJobs(createIngestJobs({ handle: db, yahoo, config, log, clock }), (files) => (reportFiles = files)),
      yahoo,
      metrics: {
        ...metrics,
        observeRun(event) {
          metrics.observeRun(event);
          printProgress(event);
        },
      },
      clock,
      schedules: DEMO_SCHEDULES,
      policy: { retryGapMs: 3_000 },
    });
    print(`  live page: ${daemon.url}/ (open it now: it moves with every quote snapshot; ?lang=zh-Hant for Chinese)`);
    print(`  back-filling (the daemon's clock reads ${clock().toISOString()}, ${LEAD_MS / 60_000} min before the close)`);
    await Promise.race([daemon.ready, signals.stopped]);
    demoClock.run();
    print(`  market open: quote snapshots until the close, then the after-close sync and the report (clock x${SPEED})`);

    const deadline = Date.now() + DEADLINE_MS;
    const live = daemon;
    while (!signals.signal.aborted && Date.now() < deadline && !((live.scheduler.state.reportedSession ?? '') >= session)) {
      await sleep(200);
    }
    if (signals.signal.aborted) return;
    const done = (live.scheduler.state.reportedSession ?? '') >= session;
    const counts = await storedCounts(db.db);
    const page = await reportPage(db.db);
    print('');
    print(`stored: ${counts.bars} daily bars of ${counts.symbols} symbols, ${counts.quotes} quote snapshots (source: ${counts.sources.join(', ') || 'none'})`);
    print(`report: ${page ? `as of ${page.asOf}, data source ${page.dataSource}` : 'none'}`);
    for (const file of reportFiles) print(`  ${file}`);
    print(`http:   ${live.url}/ (live page), ${live.url}/reports/latest, ${live.url}/healthz, ${live.url}/metrics${options.keep ? '' : ' (stopped with the demo; --keep keeps it serving)'}`);
    print(`took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    if (!done) {
      process.exitCode = 1;
      print(`the report as of ${session} was not written within ${DEADLINE_MS / 1000} s (see the log above)`);
      return;
    }
    if (options.keep) {
      print('serving until Ctrl-C');
      await signals.stopped;
    }
  } finally {
    await daemon?.stop();
    await handle?.close();
    await sim?.close();
    await options.alerts?.close();
    signals.dispose();
    exitSoonIfStuck();
  }
}
