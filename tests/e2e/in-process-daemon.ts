// The daemon in-process, as `bubblewatch run` wires it (the real Yahoo client against the simulated
// feed, the real jobs, the daemon's own judgement of quotes handed to them), on a fresh migrated
// database of the test server: for the tests that drive it through its scheduler and HTTP server.
import type { Logger } from 'pino';
import type { Config } from '../../src/config/load.js';
import type { Schedules } from '../../src/daemon/cron.js';
import { startDaemon, type Daemon } from '../../src/daemon/daemon.js';
import { createDaemonYahoo } from '../../src/daemon/daemon-yahoo.js';
import { createIngestJobs } from '../../src/daemon/ingest-jobs.js';
import type { DaemonJobs } from '../../src/daemon/jobs.js';
import { createDaemonMetrics } from '../../src/daemon/metrics.js';
import { openDb, type DbHandle } from '../../src/db/connect.js';
import { createScratchDatabase } from '../helpers/db.js';

export interface InProcessDaemon {
  daemon: Daemon;
  /** What the daemon uses (a test may close it under the daemon's feet). */
  handle: DbHandle;
  /** The jobs the daemon runs, to run one outside its schedule. */
  jobs: DaemonJobs;
  /** Stops the daemon, closes its database and drops it. */
  close(): Promise<void>;
}

export async function startInProcessDaemon(options: {
  config: Config;
  log: Logger;
  clock: () => Date;
  schedules?: Schedules;
  /** Node's default metrics (process memory, event loop): off where a test does not read them. */
  defaultMetrics?: boolean;
}): Promise<InProcessDaemon> {
  const { config, log, clock } = options;
  const scratch = await createScratchDatabase({ migrated: true });
  const handle = await openDb({ kind: 'postgres', url: scratch.url });
  const metrics = createDaemonMetrics({ defaultMetrics: options.defaultMetrics ?? true });
  const yahoo = createDaemonYahoo(config, log, { onRequest: (e) => metrics.observeYahooRequest(e), overrides: { cookieFile: undefined } });
  await yahoo.clearCrumb();
  metrics.attachYahoo(yahoo);
  let jobs: DaemonJobs | undefined;
  const daemon = await startDaemon({
    config,
    log,
    handle,
    jobs: (hooks) => (jobs = createIngestJobs({ handle, yahoo, config, log, clock, ...hooks })),
    yahoo,
    metrics,
    clock,
    ...(options.schedules ? { schedules: options.schedules } : {}),
  });
  await daemon.ready;
  return {
    daemon,
    handle,
    jobs: jobs!,
    async close() {
      await daemon.stop();
      await handle.close().catch(() => {});
      await scratch.drop().catch(() => {});
    },
  };
}
