// `bubblewatch sim`: serve the simulated Yahoo feed until SIGINT/SIGTERM. The URL goes to stdout (one
// line, YAHOO_BASE_URL=...) so a script can read it when --port 0 picked the port; logs go to stderr.
import { existsSync, statSync } from 'node:fs';
import { envLogLevel } from '../../config/load.js';
import { createLogger } from '../../log.js';
import { runSim, type SimCommandOptions } from '../../sim/run.js';
import type { SimServer } from '../../sim/server.js';
import { UsageError } from '../context.js';

export async function simCommand(options: SimCommandOptions = {}): Promise<void> {
  if (options.data !== undefined && !(existsSync(options.data) && statSync(options.data).isDirectory())) {
    throw new UsageError(`--data: ${options.data} is not a folder of Yahoo-format CSVs`);
  }
  // The sim needs no config file and no database: only the log level from the environment.
  const log = createLogger({ level: envLogLevel() }).child({ component: 'sim' });
  let server: SimServer;
  try {
    server = await runSim(options, log);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw new UsageError(`cannot listen on ${options.host ?? '127.0.0.1'}:${options.port ?? 0} (${code})`);
    }
    if (options.data !== undefined && err instanceof Error) throw new UsageError(`--data: ${err.message}`);
    throw err;
  }
  process.stdout.write(`YAHOO_BASE_URL=${server.url}\n`);

  const name = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  const stats = server.stats();
  await server.close();
  log.info({ signal: name, requests: stats.requests, faults: stats.faults.total }, 'simulated Yahoo feed stopped');
}
