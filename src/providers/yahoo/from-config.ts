// The process's Yahoo client as the config describes it: YAHOO_BASE_URL, the cookie jar in the data
// dir, pacing, retries and the breaker from config.yahoo. Callers add hooks through overrides.
import type { Logger } from 'pino';
import type { Config } from '../../config/load.js';
import { createYahooClient, type YahooClient, type YahooClientOptions } from './client.js';
import { defaultCookieFile } from './cookie-jar.js';

export function createYahooClientFromConfig(config: Config, log: Logger, overrides: Partial<YahooClientOptions> = {}): YahooClient {
  return createYahooClient({
    logger: log.child({ component: 'yahoo' }),
    baseUrl: config.env.yahooBaseUrl ?? undefined,
    cookieFile: defaultCookieFile(config.env.dataDir),
    minIntervalMs: config.yahoo.minIntervalMs,
    concurrency: config.yahoo.concurrency,
    timeoutMs: config.yahoo.timeoutMs,
    retries: config.yahoo.retries,
    breakerThreshold: config.yahoo.breakerThreshold,
    breakerCooldownMs: config.yahoo.breakerCooldownMs,
    ...overrides,
  });
}
