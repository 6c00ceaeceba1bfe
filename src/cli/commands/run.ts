// `bubblewatch run [--standby] [--db-port P]`: the daemon as a process. One instance per database
// (src/daemon/instance.ts): a second daemon exits 2 naming the holder, or with --standby waits for the
// lock; a command holding the embedded database is waited for. On the embedded database the daemon
// serves it on a Unix socket in the data dir (and a loopback port with --db-port), so every other
// command works through it. SIGINT/SIGTERM stop it cleanly (exit 0) within 10 s; a second signal quits at once.
import { startDeliveryLoop, type DeliveryLoop } from '../../alerts/deliver.js';
import { startDaemon, type Daemon } from '../../daemon/daemon.js';
import { createIngestJobs } from '../../daemon/ingest-jobs.js';
import { keepInstanceLock, lockPostgres, openWaiting, type LockKeeper } from '../../daemon/instance.js';
import { createDaemonMetrics } from '../../daemon/metrics.js';
import { exitSoonIfStuck, watchSignals } from '../../daemon/signals.js';
import { createDaemonYahoo } from '../../daemon/yahoo.js';
import { servedSocketPath } from '../../db/connect.js';
import type { InstanceLock } from '../../db/instance-lock.js';
import { startPgliteServer, type PgliteServer } from '../../db/pglite-server.js';
import { SERVE_HOST } from '../../db/serve.js';
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
  const servers: PgliteServer[] = [];
  try {
    ctx = await openWaiting(() => openContext({ maxConnections: 6, loaded, role: 'daemon', signal: signals.signal }), log, standby, signals.signal);
    if (!ctx) return;
    const { config, handle } = ctx;
    if (options.dbPort !== undefined && !handle.pglite) {
      throw new UsageError('--db-port serves the embedded database; with DATABASE_URL set, connect to Postgres directly');
    }
    if (handle.pglite && handle.gate && handle.dataDir) {
      const serve = { pglite: handle.pglite, gate: handle.gate, log };
      servers.push(await startPgliteServer({ ...serve, listen: { path: servedSocketPath(handle.dataDir) } }));
      if (options.dbPort !== undefined) {
        try {
          servers.push(await startPgliteServer({ ...serve, listen: { host: SERVE_HOST, port: options.dbPort } }));
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'EADDRINUSE' || code === 'EACCES') throw new UsageError(`cannot listen on ${SERVE_HOST}:${options.dbPort} (${code}): choose another --db-port`);
          throw err;
        }
      }
      log.info({ sockets: servers.map((s) => s.address) }, 'serving the embedded database to other commands');
    }
    if (handle.kind === 'postgres') {
      lock = await lockPostgres(config, handle.location, log, standby, signals.signal);
      if (!lock) return;
      keeper = keepInstanceLock(lock, { url: config.env.databaseUrl!, location: handle.location, log, signals });
    }
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
        jobs: createIngestJobs({ handle, yahoo, config, log, clock, onAlerts }),
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
    for (const server of servers) await server.close().catch((err: unknown) => log.warn({ err }, 'closing the database socket failed'));
    await (keeper ?? lock)?.release();
    await ctx?.handle.close().catch((err: unknown) => log.warn({ err }, 'database close failed'));
    signals.dispose();
    if (daemon) log.info({ stopMs: Date.now() - t0 }, 'daemon stopped');
    exitSoonIfStuck();
  }
}
