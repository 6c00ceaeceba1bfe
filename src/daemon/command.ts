// `bubblewatch run [--standby]`: the daemon as a process. One instance per database: PGlite's dir lock
// or a Postgres advisory lock; a second daemon exits 2 naming the holder, or with --standby waits for
// the lock. SIGINT/SIGTERM stop it cleanly (exit 0) within 10 s; a second signal quits at once.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { loadConfigAndLogger, openContext, UsageError, type Context } from '../cli/context.js';
import type { Config } from '../config/load.js';
import { LockHeldError } from '../db/dir-lock.js';
import { instanceLockError, tryInstanceLock, type InstanceLock } from '../db/instance-lock.js';
import { startDaemon, type Daemon } from './daemon.js';
import { createIngestJobs } from './ingest-jobs.js';
import { createDaemonMetrics } from './metrics.js';
import { exitSoonIfStuck, watchSignals } from './signals.js';
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
  let daemon: Daemon | null = null;
  try {
    ctx = await openWaiting(log, standby, signals.signal);
    if (!ctx) return;
    const { config, handle } = ctx;
    if (handle.kind === 'postgres') {
      lock = await lockPostgres(config, handle.location, log, standby, signals.signal);
      if (!lock) return;
      void lock.lost.then((err) => {
        if (signals.signal.aborted) return;
        // Without the lock a second daemon may start: stop rather than risk two writers.
        log.error({ err }, 'instance lock lost with its database connection; stopping');
        process.exitCode = 1;
        signals.stop({ kind: 'lock-lost', err });
      });
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
    await lock?.release();
    await ctx?.handle.close().catch((err: unknown) => log.warn({ err }, 'database close failed'));
    signals.dispose();
    if (daemon) log.info({ stopMs: Date.now() - t0 }, 'daemon stopped');
    exitSoonIfStuck();
  }
}
