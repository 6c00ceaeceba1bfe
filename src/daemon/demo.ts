// `bubblewatch demo` (wired in src/cli/commands/demo.ts): an offline showcase of the whole daemon on
// simulated data. The simulated Yahoo feed runs in this process; a fresh embedded database under
// <dataDir>/demo keeps simulated rows away from real ones (they are stored as source 'sim' and the
// report says so). Time is compressed: the daemon's clock starts 15 minutes before the last session's
// close and runs 60x, its schedules fire every second or two, so one run shows the back-fill, a quote
// snapshot every second for the session's last quarter hour (the sim prices them on an intraday path
// at the daemon's clock, so the live page at / visibly moves), the after-close sync and the report,
// in well under a minute.
//
// The replayed session is scripted for one thing (src/sim/scenario.ts): the watched stock nearest its
// high closes it at a new all-time high. The daemon starts with history through the previous session
// (as one that synced last night would), so the alert rules are armed on that evening's closes and
// the session's first quote snapshot fires the new high; the alert goes to a local receiver the demo
// starts (src/cli/demo-alert-receiver.ts) and prints. The user's own alert channels are never used.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { alertChannels } from '../alerts/channels.js';
import { deliverPending, startDeliveryLoop, type DeliveryLoop } from '../alerts/deliver.js';
import { money } from '../alerts/rules.js';
import type { Config } from '../config/load.js';
import { ensurePrivateDir } from '../data-dir.js';
import { newEmbeddedClient, openDb, type DbHandle } from '../db/connect.js';
import { reportPage, storedCounts } from '../db/daemon-queries.js';
import { letServerThroughDir, ServerInUseError, stopIfUnused } from '../db/embedded-server.js';
import { migrate } from '../db/migrate.js';
import type { IsoDate } from '../domain.js';
import { isTradingDay, lastClosedSession, previousSession, sessionOn } from '../market/calendar.js';
import { addDays } from '../market/iso-date.js';
import { newHighScenario, type NewHighScenario } from '../sim/scenario.js';
import { startSimServer, type SimServer } from '../sim/server.js';
import { DEFAULT_UNIVERSE, type SymbolSpec } from '../sim/universe.js';
import type { Schedules } from './cron.js';
import { startDaemon, type Daemon } from './daemon.js';
import { createIngestJobs } from './ingest-jobs.js';
import type { DaemonJobs } from './jobs.js';
import { createDaemonMetrics } from './metrics.js';
import type { RunEvent } from './scheduler.js';
import { exitSoonIfStuck, watchSignals } from './signals.js';
import { createDaemonYahoo } from './daemon-yahoo.js';

/**
 * Six-field (seconds) cron: the demo's day passes in seconds. Revision is pushed out of the way, and
 * verify has no schedule at all: a weekly audit of every history would fire every few seconds here.
 */
export const DEMO_SCHEDULES: Schedules = {
  quotes: '* * * * * *',
  sync: '*/2 * * * * *',
  report: '1-59/2 * * * * *',
  retry: '*/5 * * * * *',
  revision: '0 0 0 1 1 *',
};
const SPEED = 60;
const LEAD_MS = 15 * 60_000;
const HISTORY_YEARS = 28;
const FAULT_RATE = 0.03;
const DEADLINE_MS = 75_000;
const SEED = 1;

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

/**
 * The user's config, pointed at the sim and the demo's own data dir, with demo-speed settings. The
 * user's alert channels (and webhook env) are dropped: simulated alerts must never reach a real
 * Slack or pager; the demo's own receiver is added by its alert hook.
 */
export function demoConfig(base: Config, dataDir: string, simUrl: string, historyStart: IsoDate): Config {
  return {
    ...base,
    history: { ...base.history, start: historyStart },
    alerts: { ...base.alerts, channels: [], pollMs: 1_000, timeoutMs: 2_000, retryDelayMs: 1_000, maxRetryDelayMs: 5_000 },
    schedules: { ...DEMO_SCHEDULES, verify: null, jitterSeconds: 0 },
    yahoo: { ...base.yahoo, minIntervalMs: 0, timeoutMs: 3_000, breakerThreshold: 20, breakerCooldownMs: 1_000 },
    http: { ...base.http, port: 0 },
    env: { ...base.env, dataDir, databaseUrl: null, yahooBaseUrl: simUrl, alertWebhookUrl: null, alertWebhookSecret: null },
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
 * Where the alerts plug into the demo: start a local webhook receiver, point the
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
  /** Where the demo's alerts go (src/cli/commands/demo.ts starts a local receiver); without it they are only stored. */
  alerts?: DemoAlertHook;
  /** Keep serving after the report is written, until SIGINT/SIGTERM. */
  keep?: boolean;
  /** When the command started, for the "took" line. */
  startedAt?: number;
}

/** The universe the demo's sim serves: the default one, with the scenario's symbol bent to a new high. */
function demoUniverse(base: Config, session: IsoDate, historyStart: IsoDate): { symbols: SymbolSpec[]; scenario: NewHighScenario | null } {
  const watched = new Map(base.watchlist.map((w) => [w.symbol, w]));
  const candidates = DEFAULT_UNIVERSE.filter((s) => s.kind === 'equity' && watched.has(s.symbol)).map((spec) => ({
    spec,
    historyStart: watched.get(spec.symbol)?.historyStart ?? historyStart,
  }));
  const scenario = newHighScenario({ candidates, seed: SEED, session, isTradingDay, nullRowRate: 0, dipBelowHigh: 0.05, closeAboveHigh: 0.03 });
  return { symbols: DEFAULT_UNIVERSE.map((s) => (s.symbol === scenario?.symbol ? scenario.spec : s)), scenario };
}

/** Runs the whole demo with the user's config and logger; sets process.exitCode 1 when no report came. */
export async function runDemo(base: Config, rootLog: Logger, options: DemoOptions = {}): Promise<void> {
  const t0 = options.startedAt ?? Date.now();
  // The demo prints its own story on stdout; library chatter stays at warn unless LOG_LEVEL asks for more.
  const log: Logger = base.env.logLevelSet ? rootLog : rootLog.child({}, { level: 'warn' });
  const dir = join(base.env.dataDir, 'demo');
  await stopPreviousDemo(dir, log);
  rmSync(dir, { recursive: true, force: true });
  // The demo's server lives one level further down, under the user's data dir.
  ensurePrivateDir(base.env.dataDir);
  ensurePrivateDir(dir);
  await letServerThroughDir(base.env.dataDir);

  const session = lastClosedSession(new Date());
  const close = sessionOn(session)!.close;
  const historyStart = addDays(session, -365 * HISTORY_YEARS);
  const signals = watchSignals(log);
  let sim: SimServer | null = null;
  let handle: DbHandle | null = null;
  let daemon: Daemon | null = null;
  let alertDelivery: DeliveryLoop | null = null;
  try {
    // 'hang' is left out: a hung request costs a whole timeout, which a showcase doesn't need to show.
    const demoClock = createDemoClock(new Date(close.getTime() - LEAD_MS));
    const clock = demoClock.clock;
    const { symbols, scenario } = demoUniverse(base, session, historyStart);
    // The sim quotes the session at the daemon's clock: intraday prices until the close. It stands at
    // the previous session until the market opens in the demo (sim.setNow below), so the back-fill
    // ends there and the alert rules are armed on those closes. No all-null rows: the scenario's two
    // sessions must have their bars.
    sim = await startSimServer({
      source: { kind: 'synthetic', symbols, nullRowRate: 0 },
      now: previousSession(session),
      seed: SEED,
      faults: { rate: FAULT_RATE, kinds: ['429', '500', '502', '503', 'reset', 'truncated'] },
      intradayClock: clock,
    });
    let config = demoConfig(base, dir, sim.url, historyStart);
    print(`bubblewatch demo: SIMULATED prices (not market data), ${config.watchlist.length} symbols from ${historyStart} to ${session}`);
    print(`  feed: ${sim.url} (synthetic, ${FAULT_RATE * 100}% of requests fail on purpose)`);
    print(`  database: ${join(dir, 'pg')} (embedded PostgreSQL, separate from your data)`);
    if (options.alerts) config = await options.alerts.configure(config, print);
    if (scenario) {
      print(
        `  scenario: ${scenario.symbol} closed the previous session at ${money(scenario.previousClose)}, under its high of ${money(scenario.previousHigh)} (${scenario.previousHighDate}); this session takes it to a new all-time high`,
      );
    }

    handle = await openDb({ kind: 'embedded', dataDir: dir }, { log, label: 'demo' });
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
    // Sends what the evaluations after each sync and quote snapshot stored, at once (kick) and every alerts.pollMs.
    alertDelivery = startDeliveryLoop({ handle: db, config, log, clock });
    const onAlerts = alertDelivery.kick;
    let reportFiles: readonly string[] = [];
    daemon = await startDaemon({
      config,
      log,
      handle: db,
      jobs: (hooks) =>
        announcingJobs(createIngestJobs({ handle: db, yahoo, config, log, clock, onAlerts, ...hooks }), (files) => (reportFiles = files)),
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
    print(`  back-filling through ${previousSession(session)} (the daemon's clock reads ${clock().toISOString()}, ${LEAD_MS / 60_000} min before the close)`);
    await Promise.race([daemon.ready, signals.stopped]);
    // The session opens for the sim and the daemon's clock starts: the replay.
    sim.setNow(session);
    demoClock.run();
    print(`  market open: quote snapshots until the close, then the after-close sync and the report (clock x${SPEED})`);

    const deadline = Date.now() + DEADLINE_MS;
    const live = daemon;
    while (!signals.signal.aborted && Date.now() < deadline && !((live.scheduler.state.reportedSession ?? '') >= session)) {
      await sleep(200);
    }
    if (signals.signal.aborted) return;
    const done = (live.scheduler.state.reportedSession ?? '') >= session;
    if (!options.keep) await flushAlerts(alertDelivery, { handle: db, config, log, clock });
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
    await alertDelivery?.stop();
    await handle?.close();
    await sim?.close();
    await options.alerts?.close();
    signals.dispose();
    exitSoonIfStuck();
  }
}

/**
 * The demo starts from nothing each time. Its database server may still run (a demo killed with -9):
 * stopped when no one uses it; a `demo --keep` still serving it is not wiped.
 */
async function stopPreviousDemo(dir: string, log: Logger): Promise<void> {
  const { users } = await stopIfUnused(dir, await newEmbeddedClient(), log);
  if (users.length > 0) throw new ServerInUseError(`the demo database under ${dir} is in use by ${users.join(', ')} (a 'demo --keep'?): stop it first`);
}

/** The demo ends soon after the report: whatever the last evaluations stored is sent before it does. */
async function flushAlerts(loop: DeliveryLoop, deps: Parameters<typeof deliverPending>[0]): Promise<void> {
  await loop.stop();
  if (alertChannels(deps.config).length === 0) return;
  try {
    await deliverPending(deps);
  } catch (err) {
    deps.log.warn({ err }, 'last alert delivery pass failed');
  }
}
