// The daemon's Yahoo client: the configured client plus a hook on every HTTP request, which feeds the
// latency histogram, and a transport that
// remembers the socket-level cause of the last failure ("connect ECONNREFUSED ...", "getaddrinfo
// ENOTFOUND ...") for the "cannot reach Yahoo" line: the request event only carries the error's name.
import type { Logger } from 'pino';
import type { Config } from '../config/load.js';
import type { YahooClient, YahooClientOptions } from '../providers/yahoo/client.js';
import { createYahooClientFromConfig } from '../providers/yahoo/from-config.js';
import type { RequestEvent } from '../providers/yahoo/fetch.js';

export const YAHOO_ORIGIN = 'https://query2.finance.yahoo.com';

export interface DaemonYahoo extends YahooClient {
  /** The last failed request ("connect ECONNREFUSED 127.0.0.1:9", "HTTP 503"), cleared by a success. */
  lastError(): string | null;
  /** Where requests go (YAHOO_BASE_URL or Yahoo itself). */
  readonly origin: string;
}

export function createDaemonYahoo(
  config: Config,
  log: Logger,
  options: { onRequest?: (event: RequestEvent) => void; overrides?: Partial<YahooClientOptions> } = {},
): DaemonYahoo {
  let lastError: string | null = null;
  let lastTransportError: string | null = null;
  // Read at call time, like the client's default, so tests that guard globalThis.fetch still apply.
  const transport: typeof fetch = async (input, init) => {
    try {
      return await (options.overrides?.transport ?? globalThis.fetch)(input, init);
    } catch (err) {
      lastTransportError = describeFetchError(err);
      throw err;
    }
  };
  const client = createYahooClientFromConfig(config, log, {
    ...options.overrides,
    transport,
    onRequest(event) {
      if (event.status === null) lastError = lastTransportError ?? event.error ?? 'no answer';
      else lastError = event.status < 400 ? null : `HTTP ${event.status}`;
      lastTransportError = null;
      options.onRequest?.(event);
    },
  });
  return Object.assign(client, { lastError: () => lastError, origin: config.env.yahooBaseUrl ?? YAHOO_ORIGIN });
}

/** undici hides the socket error in `cause`: "fetch failed: connect ECONNREFUSED 127.0.0.1:9". */
export function describeFetchError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause as { message?: string; code?: string } | undefined;
  const detail = cause?.message ?? cause?.code;
  return detail && detail !== err.message ? `${err.message}: ${detail}` : err.message;
}
