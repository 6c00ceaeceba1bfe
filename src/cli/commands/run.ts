// `bubblewatch run [--standby] [--db-port P]`: the daemon as a process. One instance per database
// (src/daemon/instance.ts): a second daemon exits 2 naming the holder, or with --standby waits for the
// lock. On the embedded database the daemon uses the server under the data dir for its whole life
// (starting it, or again after a crash of it) and, with --db-port, has it listen on loopback port P
// too. SIGINT/SIGTERM stop it cleanly (exit 0) within 10 s, and its server with it when no other
// bubblewatch process uses it; a second signal quits at once.
import { startDeliveryLoop, type DeliveryLoop } from '../../alerts/deliver.js';
import { startDaemon, type Daemon } from '../../daemon/daemon.js';
import { createIngestJobs } from '../../daemon/ingest-jobs.js';
import { keepInstanceLock, lockInstance, type LockKeeper } from '../../daemon/instance.js';
import { createDaemonMetrics } from '../../daemon/metrics.js';
import { exitSoonIfStuck, watchSignals } from '../../daemon/signals.js';
import { createDaemonYahoo } from '../../daemon/daemon-yahoo.js';
import type { InstanceLock } from '../../db/instance-lock.js';
import { loadConfigAndLogger, openContext, UsageError, type Context } from '../context.js';

export async function runCommand(options: { standby?: boolean; dbPort?: number } = {}): Promise<void> {
  const standby = options.standby === true;
  const loaded = loadConfigAndLogger();
  const { log } = loaded;
  const signals = watchSignals(log);
  let ctx: Context | null = null;
  let lock: InstanceLock | null = null;
  let keeper: LockKeeper | null = null;
  let daemon: Daemon | null = null;
  let alertDelivery: DeliveryLoop | null = null;
  try {
    if (options.dbPort !== undefined && loaded.config.env.databaseUrl) {
      throw new UsageError('--db-port serves the embedded database; with DATABASE_URL set, connect to Postgres directly');
    }
    try {
      ctx = await openContext({ maxConnections: 6, loaded, label: 'daemon', restartOnLoss: true, tcpPort: options.dbPort, signal: signals.signal });
    } catch (err) {
      // Stopped while the database was still starting: a clean stop like any other (exit 0).
      if (signals.signal.aborted) return;
      throw err;
    }
    const { config, handle } = ctx;
    const tcp = handle.server?.tcp();
    if (tcp) log.info({ host: tcp.host, port: tcp.port }, "the embedded database listens on TCP too ('bubblewatch db url --tcp' prints its URL with the password)");
    lock = await lockInstance(handle, log, standby, signals.signal);
    if (!lock) return;
    keeper = keepInstanceLock(lock, { handle, log, signals });
    const metrics = createDaemonMetrics();
    const yahoo = createDaemonYahoo(config, log, { onRequest: (event) => metrics.observeYahooRequest(event) });
    metrics.attachYahoo(yahoo);
    const clock = () => new Date();
    // Sends pending alerts (also those a previous run or a one-shot command left) every alerts.pollMs.
    alertDelivery = startDeliveryLoop({ handle, config, log, clock });
    const onAlerts = alertDelivery.kick;
    try {
      daemon = await startDaemon({
        config,
        log,
        handle,
        jobs: (hooks) => createIngestJobs({ handle, yahoo, config, log, clock, onAlerts, ...hooks }),
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
    await alertDelivery?.stop();
    await (keeper ?? lock)?.release();
    await ctx?.handle.close().catch((err: unknown) => log.warn({ err }, 'database close failed'));
    signals.dispose();
    if (daemon) log.info({ stopMs: Date.now() - t0 }, 'daemon stopped');
    exitSoonIfStuck();
  }
}
