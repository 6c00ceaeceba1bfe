// Shared set-up for tests that run the real Yahoo client against the simulated feed over loopback.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, vi } from 'vitest';
import { parseConfig, type Config } from '../../src/config/load.js';
import type { IsoDate } from '../../src/domain.js';
import { createYahooClient, type YahooClient, type YahooClientOptions } from '../../src/providers/yahoo/client.js';
import type { ProviderLogger } from '../../src/providers/yahoo/logger.js';
import { startSimServer, type SimServer, type SimServerOptions } from '../../src/sim/server.js';
import { PROJECT_ROOT } from './cli.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Makes any non-loopback fetch throw for the whole file: nothing here may reach the internet. */
export function guardNetwork(): void {
  const realFetch = globalThis.fetch;
  beforeAll(() => {
    vi.stubGlobal('fetch', (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (!LOOPBACK.has(url.hostname)) throw new Error(`test tried to reach the network: ${url.href}`);
      return realFetch(input, init);
    });
  });
  afterAll(() => {
    vi.unstubAllGlobals();
  });
}

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: Record<string, unknown>;
  msg: string | undefined;
}

/** A pino-shaped logger that keeps every line for assertions. */
export function captureLogger(): ProviderLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (obj: object, msg?: string) => {
    lines.push({ level, obj: obj as Record<string, unknown>, msg });
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const TEST_NOW = '2026-01-02';

export function startTestSim(options: SimServerOptions = {}): Promise<SimServer> {
  return startSimServer({ now: TEST_NOW, seed: 7, ...options });
}

/** The production client pointed at the sim, with test-speed pacing and backoff. */
export function createTestClient(sim: SimServer, overrides: Partial<YahooClientOptions> = {}): YahooClient & { log: ReturnType<typeof captureLogger> } {
  const log = captureLogger();
  const client = createYahooClient({
    logger: log,
    baseUrl: sim.url,
    minIntervalMs: 0,
    backoffBaseMs: 1,
    rateLimitBackoffMs: 1,
    timeoutMs: 5000,
    ...overrides,
  });
  return Object.assign(client, { log });
}

/**
 * The shipped config for a daemon fed by the sim: history from `historyStart`, no pacing, an ephemeral
 * HTTP port, no cron jitter, warnings only.
 */
export function daemonTestConfig(simUrl: string, dataDir: string, historyStart: IsoDate): Config {
  const file = JSON.parse(readFileSync(join(PROJECT_ROOT, 'config/bubblewatch.json'), 'utf8'));
  file.history.start = historyStart;
  file.yahoo.minIntervalMs = 0;
  file.http.port = 0;
  file.schedules.jitterSeconds = 0;
  return parseConfig(JSON.stringify(file), { BUBBLEWATCH_DATA_DIR: dataDir, YAHOO_BASE_URL: simUrl, LOG_LEVEL: 'warn' });
}
