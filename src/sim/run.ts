// What `bubblewatch sim` calls: command-line options in, a running feed out. The command itself
// (argument parsing, waiting for Ctrl-C, exit codes) lives with the CLI.
import type { IsoDate } from '../domain.js';
import { startSimServer, type SimServer, type SimServerOptions } from './server.js';

export interface SimCommandOptions {
  /** Replay Yahoo-format CSVs from this folder instead of synthetic data. */
  data?: string;
  /** Last session served; default today in New York. */
  now?: IsoDate;
  /** Fault rate 0..1. */
  faults?: number;
  seed?: number;
  host?: string;
  /** 0 = any free port. */
  port?: number;
}

export interface SimLogger {
  info(obj: object, msg?: string): void;
}

export function simServerOptions(opts: SimCommandOptions): SimServerOptions {
  return {
    source: opts.data ? { kind: 'csv', dir: opts.data } : { kind: 'synthetic' },
    ...(opts.now !== undefined ? { now: opts.now } : {}),
    ...(opts.faults !== undefined ? { faults: opts.faults } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.host !== undefined ? { host: opts.host } : {}),
    ...(opts.port !== undefined ? { port: opts.port } : {}),
  };
}

/** Starts the feed and logs where it listens and how to point bubblewatch at it. */
export async function runSim(opts: SimCommandOptions, logger: SimLogger): Promise<SimServer> {
  const server = await startSimServer(simServerOptions(opts));
  logger.info(
    {
      url: server.url,
      source: opts.data ?? 'synthetic',
      now: server.now(),
      faults: opts.faults ?? 0,
      seed: opts.seed ?? 1,
      symbols: server.symbols(),
      env: { YAHOO_BASE_URL: server.url },
      stats: `${server.url}/__stats`,
    },
    'simulated Yahoo feed listening',
  );
  return server;
}
