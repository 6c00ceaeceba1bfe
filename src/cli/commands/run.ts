// `bubblewatch run [--standby]`: the daemon as a process. One instance per database (src/daemon/instance.ts):
// a second daemon exits 2 naming the holder, or with --standby waits for the lock. SIGINT/SIGTERM stop
// it cleanly (exit 0) within 10 s; a second signal quits at once.
import { startDaemon, type Daemon } from '../../daemon/daemon.js';
import { createIngestJobs } from '../../daemon/ingest-jobs.js';
import { keepInstanceLock, lockPostgres, openWaiting, type LockKeeper } from '../../daemon/instance.js';
import { createDaemonMetrics } from '../../daemon/metrics.js';
import { exitSoonIfStuck, watchSignals } from '../../daemon/signals.js';
import { createDaemonYahoo } from '../../daemon/yahoo.js';
import type { InstanceLock } from '../../db/instance-lock.js';
import { loadConfigAndLogger, openContext, UsageError, type Context } from '../context.js';

export async function runCommand(options: { standby?: boolean } = {}): Promise<void> {
  const standby = options.standby === true;
  const loaded = loadConfigAndLogger();
  const { log } = loaded;
  const signals = watchSignals(log);
  let ctx: Context | null = null;
  let lock: InstanceLock | null = null;
  let keeper: LockKeeper | null = null;
  let daemon: Daemon | null = null;
  try {
    ctx = await openWaiting(() => openContext({ maxConnections: 6, loaded }), log, standby, signals.signal);
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
