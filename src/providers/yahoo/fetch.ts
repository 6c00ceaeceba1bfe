// The fetch handed to yahoo-finance2. It sees every request, the cookie/crumb handshake included, so it
// is where YAHOO_BASE_URL rewrites the origin, where each request gets its own timeout and a browser
// User-Agent, and where 429/5xx are turned into classified errors before the library sees them (the
// library would print the URL with console.error and throw an error without the status for JSON bodies).
import { ProviderError, kindForStatus } from './errors.js';

/** A current desktop Chrome: Yahoo answers bot-like agents with 429s (gadicc/yahoo-finance2#977). */
export const BROWSER_USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

export type YahooEndpoint = 'chart' | 'quote' | 'crumb' | 'other';

/**
 * The simulated feed (src/sim) marks every answer with this header. Kept as a literal here rather than
 * imported, so the provider doesn't depend on the sim.
 */
export const SIMULATED_HEADER = 'x-bubblewatch-simulated';

export interface RequestEvent {
  endpoint: YahooEndpoint;
  /** HTTP status, or null when no response came (timeout, reset). */
  status: number | null;
  durationMs: number;
  error?: string;
  /** Present (true) when the answer came from the simulated feed. */
  simulated?: true;
}

export interface YahooFetchOptions {
  /** Send every request to this origin (path and query unchanged). */
  baseUrl?: string | undefined;
  timeoutMs: number;
  userAgent: string;
  /** The transport; read at call time so tests can guard globalThis.fetch. */
  transport: () => typeof fetch;
  now: () => number;
  onRequest?: (event: RequestEvent) => void;
}

export function endpointOf(url: URL): YahooEndpoint {
  if (url.pathname.startsWith('/v8/finance/chart/')) return 'chart';
  if (url.pathname === '/v7/finance/quote') return 'quote';
  if (url.pathname === '/v1/test/getcrumb' || url.pathname.startsWith('/quote/')) return 'crumb';
  return 'other';
}

/** https://query2.finance.yahoo.com/v8/x?y -> <base>/v8/x?y (a base path prefix is kept). */
export function rewriteUrl(url: URL, baseUrl: string | undefined): URL {
  if (!baseUrl) return url;
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  return new URL(`${base.origin}${prefix}${url.pathname}${url.search}`);
}

function urlOf(input: string | URL | Request): URL {
  return new URL(input instanceof Request ? input.url : input instanceof URL ? input.href : input);
}

export function createYahooFetch(opts: YahooFetchOptions): typeof fetch {
  return async (input, init) => {
    const original = urlOf(input);
    const endpoint = endpointOf(original);
    const target = rewriteUrl(original, opts.baseUrl);
    const headers = new Headers(init?.headers);
    headers.set('user-agent', opts.userAgent);
    const timeout = AbortSignal.timeout(opts.timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    const started = opts.now();
    const report = (status: number | null, error?: string, simulated = false) =>
      opts.onRequest?.({
        endpoint,
        status,
        durationMs: opts.now() - started,
        ...(error ? { error } : {}),
        ...(simulated ? { simulated: true as const } : {}),
      });

    let response: Response;
    try {
      response = await opts.transport()(target, { ...init, headers, signal });
    } catch (err) {
      report(null, err instanceof Error ? err.name : 'error');
      throw err;
    }
    report(response.status, undefined, response.headers.get(SIMULATED_HEADER) === '1');
    if (response.status === 429 || response.status >= 500) {
      const body = (await response.text().catch(() => '')).slice(0, 200);
      throw new ProviderError(`yahoo answered ${response.status} ${response.statusText}: ${body}`.trim(), {
        kind: kindForStatus(response.status),
        status: response.status,
      });
    }
    return response;
  };
}
