// `bubblewatch run [--standby]`: the daemon as a process. One instance per database: PGlite's dir lock
// or a Postgres advisory lock; a second daemon exits 2 naming the holder, or with --standby waits for
// the lock. SIGINT/SIGTERM stop it cleanly (exit 0) within 10 s; a second signal quits at once.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { loadConfigAndLogger, openContext, UsageError, type Context } from '../cli/context.js';
import type { Config } from '../config/load.js';
import { LockHeldError } from '../db/dir-lock.js';
import { instanceLockError, tryInstanceLock, type InstanceLock, type TryLockResult } from '../db/instance-lock.js';
import { startDaemon, type Daemon } from './daemon.js';
import { createIngestJobs } from './ingest-jobs.js';
import { createDaemonMetrics } from './metrics.js';
import { exitSoonIfStuck, watchSignals, type SignalWatch } from './signals.js';
import { createDaemonYahoo } from './yahoo.js';

export const STANDBY_POLL_MS = 2_000;

/** Opens the database; on PGlite with --standby, waits while another process holds it. */
async function openWaiting(log: Logger, standby: boolean, signal: AbortSignal): Promise<Context | null> {
  let told = false;
  for (;;) {
    try {
      return await openContext({ maxConnections: 6 });
    } catch (err) {
      if (!(err instanceof LockHeldError) || !standby) throw err;
      if (!told) log.info({ holder: err.holder }, 'standby: another process holds the database; waiting for it');
      told = true;
    }
    if (!(await pause(STANDBY_POLL_MS, signal))) return null;
  }
}

/** On Postgres: the advisory lock, or (with --standby) wait for it. null = stopped while waiting. */
async function lockPostgres(config: Config, location: string, log: Logger, standby: boolean, signal: AbortSignal): Promise<InstanceLock | null> {
  const url = config.env.databaseUrl!;
  let told = false;
  for (;;) {
    const attempt = await tryInstanceLock(url);
    if (attempt.acquired) {
      if (told) log.info({}, 'standby over: the instance lock is ours');
      return attempt.lock;
    }
    if (!standby) {
      const err = instanceLockError(location, attempt.holder);
      err.message += '; stop it first, or start this one with --standby to take over when it stops';
      throw err;
    }
    if (!told) log.info({ holder: attempt.holder }, 'standby: another daemon holds the instance lock; waiting for it');
    told = true;
    if (!(await pause(STANDBY_POLL_MS, signal))) return null;
  }
}

interface LockKeeper {
  state(): { ok: true } | { ok: false; error: string };
  release(): Promise<void>;
}

/**
 * Holds the Postgres instance lock for the daemon's life. Its connection can die with the database
 * (restart, outage): the daemon then keeps running rather than exit -- every sync still takes the
 * per-run ingest lock, so a second daemon cannot double-write meanwhile -- /healthz says
 * "instance lock lost", and the lock is taken again as soon as Postgres answers. If another daemon
 * took it in between, this one stops with exit 2 naming the holder, as it would have at start-up.
 */
function keepInstanceLock(
  first: InstanceLock,
  opts: { url: string; location: string; log: Logger; signals: SignalWatch },
): LockKeeper {
  const { url, location, log, signals } = opts;
  let current: InstanceLock | null = first;
  let lostError: string | null = null;

  const retake = async () => {
    while (await pause(STANDBY_POLL_MS, signals.signal)) {
      let attempt: TryLockResult;
      try {
        attempt = await tryInstanceLock(url);
      } catch {
        continue; // the database is still away
      }
      if (attempt.acquired) {
        if (signals.signal.aborted) return attempt.lock.release();
        current = attempt.lock;
        lostError = null;
        log.info({}, 'instance lock taken again; resuming');
        watch(attempt.lock);
        return;
      }
      log.error({ holder: attempt.holder }, 'another daemon took the instance lock while the database was away; stopping');
      process.exitCode = 2;
      signals.stop({ kind: 'lock-lost', err: instanceLockError(location, attempt.holder) });
      return;
    }
  };
  const watch = (lock: InstanceLock) => {
    void lock.lost.then((err) => {
      if (signals.signal.aborted || current !== lock) return;
      current = null;
      lostError = err.message;
      log.error({ err }, 'instance lock lost with its database connection; retaking it when the database answers');
      void retake();
    });
  };
  watch(first);
  return {
    state: () => (lostError === null ? { ok: true } : { ok: false, error: lostError }),
    release: async () => {
      await current?.release();
    },
  };
}

/** Sleeps unless aborted; false when aborted. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

export async function runCommand(options: { standby?: boolean } = {}): Promise<void> {
  const standby = options.standby === true;
  const { log } = loadConfigAndLogger();
  const signals = watchSignals(log);
  let ctx: Context | null = null;
  let lock: InstanceLock | null = null;
  let keeper: LockKeeper | null = null;
  let daemon: Daemon | null = null;
  try {
    ctx = await openWaiting(log, standby, signals.signal);
    if (!ctx) return;
    const { config, handle } = ctx;
    if (handle.kind === 'postgres') {
      lock = await lockPostgres(config, handle.location, log, standby, signals.signal);
      if (!lock) return;
      keeper = keepInstanceLock(lock, { url: config.env.databaseUrl!, location: handle.location, log, signals });
    }
    const metrics = createDaemonMetrics();
    const yahoo = createDaemonYahoo(config, log, { onRequest: (event) => metrics.observeYahooRequest(event) });
    metrics.attachYahoo(yahoo);
    const clock = () => new Date();
    try {
      daemon = await startDaemon({
        config,
        log,
        handle,
        jobs: createIngestJobs({ handle, yahoo, config, log, clock }),
        yahoo,
        metrics,
        clock,
        ...(keeper ? { instanceLock: keeper.state } : {}),
      });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES') {
        throw new UsageError(`cannot listen on ${config.http.host}:${config.http.port} (${code}); set http.port in ${config.env.configPath}`);
      }
      throw err;
    }
    log.info({ url: daemon.url, db: handle.kind, location: handle.location, yahoo: yahoo.origin, pid: process.pid }, 'daemon started');
    await signals.stopped;
  } finally {
    const t0 = Date.now();
    await daemon?.stop();
    await (keeper ?? lock)?.release();
    await ctx?.handle.close().catch((err: unknown) => log.warn({ err }, 'database close failed'));
    signals.dispose();
    if (daemon) log.info({ stopMs: Date.now() - t0 }, 'daemon stopped');
    exitSoonIfStuck();
  }
}
