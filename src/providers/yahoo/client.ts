// The process's one yahoo-finance2 client, with everything the library leaves to us: per-request
// timeouts, classified errors, retries with backoff and jitter, request spacing, a circuit breaker,
// the "Invalid Crumb" recovery, counters, and logging through our logger.
//
// Create ONE per process: yahoo-finance2 keeps its crumb and request queue in module-level variables
// shared by every instance (shared/yahoo-finance2-notes.md, section 2).
import YahooFinance from 'yahoo-finance2';
import type { ExtendedCookieJar } from 'yahoo-finance2/lib/cookieJar';
import { getCrumbClear } from 'yahoo-finance2/lib/getCrumb';
import type { ChartResultArray } from 'yahoo-finance2/modules/chart';
import type { Quote } from 'yahoo-finance2/modules/quote';
import { openCookieJar } from './cookie-jar.js';
import { ProviderError, type ProviderErrorKind } from './errors.js';
import { BROWSER_USER_AGENT, createYahooFetch, type RequestEvent, type YahooEndpoint } from './fetch.js';
import { libLogger, type ProviderLogger } from './logger.js';
import { chartConflict } from './map.js';
import { CircuitBreaker, createSpacer, realClock, type Clock } from './pacing.js';
import { YahooRetryPolicy, type RetryEvent } from './retry-policy.js';

export type { ChartResultArray, Quote };
export { ONE_SHOT_CONNECT_ATTEMPTS, type RetryEvent } from './retry-policy.js';

export interface YahooClientOptions {
  logger: ProviderLogger;
  /** YAHOO_BASE_URL: send every request (crumb handshake included) to this origin. */
  baseUrl?: string | undefined;
  /** Per HTTP request, including reading the body. Default 15 000. */
  timeoutMs?: number;
  /** Retries of transient failures per call. Default 5 (as config.yahoo.retries). */
  retries?: number;
  /** Minimum time between the starts of two calls to Yahoo. Default 1000; tests use 0. */
  minIntervalMs?: number;
  /** yahoo-finance2's queue concurrency (process-wide). Default 2. */
  concurrency?: number;
  /** Consecutive transient failures that open the circuit. Default 8 (as config.yahoo.breakerThreshold). */
  breakerThreshold?: number;
  /** How long an open circuit holds every call. Default 300 000 (5 min). */
  breakerCooldownMs?: number;
  /** First backoff step; doubles per retry, with jitter. Default 1000. */
  backoffBaseMs?: number;
  /** First backoff step after a 429 (Yahoo's limits are counted in minutes). Default 30 000. */
  rateLimitBackoffMs?: number;
  /** Cap of one backoff step. Default 300 000. */
  backoffMaxMs?: number;
  /** Where the cookie jar lives (see defaultCookieFile); in memory when absent. */
  cookieFile?: string | undefined;
  userAgent?: string;
  /** HTTP transport. Default: globalThis.fetch, read at call time. */
  transport?: typeof fetch;
  clock?: Clock;
  /** 0..1, for the jitter. Default Math.random. */
  random?: () => number;
  /** Called after every HTTP request (for latency histograms and the like). */
  onRequest?: (event: RequestEvent) => void;
  /** Called before each backoff wait (a terminal's progress line: "ORCL: 429, retrying in 30 s"). */
  onRetry?: (event: RetryEvent) => void;
  /**
   * What a call does while the circuit is open. 'wait' (the daemon): wait out the cool-down. 'fail'
   * (one-shot commands): fail at once with kind 'unreachable', and cut short the backoffs in progress,
   * so a run against an unreachable Yahoo ends in seconds instead of one call per cool-down.
   */
  whenCircuitOpen?: 'wait' | 'fail';
}

export interface CallOptions {
  /** Stops waiting, retrying and the request in flight (shutdown). */
  signal?: AbortSignal;
}

export interface ChartRange {
  period1: Date;
  /** Exclusive: bars stamped before this instant. */
  period2: Date;
}

export interface QuotesResult {
  quotes: Quote[];
  /** Asked for but not returned (Yahoo drops unknown and delisted symbols silently). */
  missing: string[];
}

export interface YahooClientStats {
  /** HTTP requests sent, crumb handshake included. */
  requests: number;
  requestsByEndpoint: Partial<Record<YahooEndpoint, number>>;
  /** chart()/quotes() attempts (a call with two retries makes three). */
  attempts: number;
  retries: number;
  /** 429 answers. */
  rateLimited: number;
  /** Failed attempts by kind. */
  failures: Partial<Record<ProviderErrorKind, number>>;
  breakerOpens: number;
  crumbRefreshes: number;
  latencyMs: { count: number; total: number; max: number };
  /**
   * True once any answer came from the simulated feed (it marks every response): whatever this
   * client stores must then be labelled source 'sim', never 'yahoo'.
   */
  simulated: boolean;
}

export interface YahooClient {
  /** Daily bars (array form: meta, quotes, events) for [period1, period2). */
  chart(symbol: string, range: ChartRange, options?: CallOptions): Promise<ChartResultArray>;
  /** One batched quote request for all symbols. */
  quotes(symbols: readonly string[], options?: CallOptions): Promise<QuotesResult>;
  circuitOpen(): boolean;
  stats(): YahooClientStats;
  /** Forgets the crumb and cookies (the crumb is module-level in yahoo-finance2: tests call this first). */
  clearCrumb(): Promise<void>;
  /** What the last failed attempt said ("fetch failed: connect ECONNREFUSED 127.0.0.1:9"); null after a success. */
  lastFailure(): string | null;
  readonly cookieJar: ExtendedCookieJar;
}

/**
 * Times a chart answer that gives a date twice with different values is asked for again before the
 * symbol fails with that reason. Yahoo answered (the breaker is not told); only the data was wrong.
 */
export const CONFLICT_RETRIES = 2;

/** Symbols per quote request (yahoo-finance2's own quoteCombine uses 100 too). */
export const QUOTE_BATCH = 100;

function isInvalidCrumb(err: unknown): boolean {
  return err instanceof Error && /Invalid Crumb/i.test(err.message);
}

/** The counters every call updates (requests, latency, simulated answers come from the fetch). */
function emptyStats(): YahooClientStats {
  return {
    requests: 0,
    requestsByEndpoint: {},
    attempts: 0,
    retries: 0,
    rateLimited: 0,
    failures: {},
    breakerOpens: 0,
    crumbRefreshes: 0,
    latencyMs: { count: 0, total: 0, max: 0 },
    simulated: false,
  };
}

/** Counts one HTTP request (the crumb handshake's too) in the stats. */
function countRequest(stats: YahooClientStats, event: RequestEvent): void {
  stats.requests++;
  stats.requestsByEndpoint[event.endpoint] = (stats.requestsByEndpoint[event.endpoint] ?? 0) + 1;
  if (event.status === 429) stats.rateLimited++;
  if (event.simulated) stats.simulated = true;
  stats.latencyMs.count++;
  stats.latencyMs.total += event.durationMs;
  stats.latencyMs.max = Math.max(stats.latencyMs.max, event.durationMs);
}

/** The library's client: our fetch (base URL, timeout, user agent, request events), our cookie jar and logger. */
function libraryClient(options: YahooClientOptions, clock: Clock, cookieJar: ExtendedCookieJar, onRequest: (event: RequestEvent) => void): InstanceType<typeof YahooFinance> {
  return new YahooFinance({
    fetch: createYahooFetch({
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs ?? 15_000,
      userAgent: options.userAgent ?? BROWSER_USER_AGENT,
      transport: () => options.transport ?? globalThis.fetch,
      now: () => clock.now(),
      onRequest,
    }),
    cookieJar,
    logger: libLogger(options.logger),
    suppressNotices: ['yahooSurvey', 'ripHistorical'],
    // The version check would call registry.npmjs.org through globalThis.fetch, past our fetch.
    versionCheck: false,
    validation: { logErrors: false, logOptionsErrors: false },
    // Spacing is ours (createSpacer, on the injected clock); the library's queue only caps concurrency.
    queue: { concurrency: options.concurrency ?? 2, interval: 0 },
  });
}

export function createYahooClient(options: YahooClientOptions): YahooClient {
  const log = options.logger;
  const clock = options.clock ?? realClock;
  const whenCircuitOpen = options.whenCircuitOpen ?? 'wait';
  const stats = emptyStats();
  const cookieJar = openCookieJar(options.cookieFile, (info) => log.warn(info, 'yahoo cookie file unreadable, starting a new one'));
  const yf = libraryClient(options, clock, cookieJar, (event) => {
    countRequest(stats, event);
    options.onRequest?.(event);
  });
  const policy = new YahooRetryPolicy({
    retries: options.retries ?? 5,
    backoffBaseMs: options.backoffBaseMs ?? 1000,
    rateLimitBackoffMs: options.rateLimitBackoffMs ?? 30_000,
    backoffMaxMs: options.backoffMaxMs ?? 300_000,
    whenCircuitOpen,
    clock,
    random: options.random ?? Math.random,
    log,
    counters: stats,
    onRetry: options.onRetry,
    space: createSpacer(options.minIntervalMs ?? 1000, clock),
  });
  const breaker = new CircuitBreaker({
    threshold: options.breakerThreshold ?? 8,
    cooldownMs: options.breakerCooldownMs ?? 300_000,
    clock,
    onOpen: ({ failures, cooldownMs, reopened }) => {
      stats.breakerOpens++;
      if (whenCircuitOpen === 'fail') policy.circuitOpened(failures);
      else if (reopened) log.debug({ failures, cooldownMs }, 'yahoo circuit re-opened after a failed trial call');
      else log.warn({ failures, cooldownMs }, 'yahoo circuit open, pausing all calls');
    },
    onClose: () => log.info({}, 'yahoo circuit closed'),
  });
  policy.attach(breaker);

  const moduleOptions = (signal?: AbortSignal) => (signal ? { fetchOptions: { signal } } : {});

  return {
    cookieJar,
    circuitOpen: () => breaker.isOpen(),
    stats: () => structuredClone(stats),
    clearCrumb: () => getCrumbClear(cookieJar),
    lastFailure: () => policy.lastFailure(),

    async chart(symbol, { period1, period2 }, { signal } = {}) {
      if (!(period1.getTime() < period2.getTime())) {
        throw new ProviderError(`yahoo bad_request (${symbol}): period1 must be before period2`, { kind: 'bad_request', subject: symbol });
      }
      for (let attempt = 1; ; attempt++) {
        const result = await policy.attempt('chart', symbol, signal, () =>
          yf.chart(symbol, { period1, period2, interval: '1d', events: 'div|split|earn', return: 'array' }, moduleOptions(signal)),
        );
        const conflict = chartConflict(result, { period1, period2 });
        if (!conflict) return result;
        await policy.askAgainAfterConflict('chart', symbol, conflict, attempt, CONFLICT_RETRIES, signal);
      }
    },

    async quotes(symbols, { signal } = {}) {
      const wanted = [...new Set(symbols)];
      const quotes: Quote[] = [];
      // One request per QUOTE_BATCH symbols, in turn: a URL with a thousand symbols is refused, and
      // yahoo-finance2 does not split an explicit array itself.
      for (let start = 0; start < wanted.length; start += QUOTE_BATCH) {
        const batch = wanted.slice(start, start + QUOTE_BATCH);
        const fetchQuotes = () => yf.quote(batch, { return: 'array' }, moduleOptions(signal));
        const answered = await policy.attempt('quote', batch.join(','), signal, async () => {
          try {
            return await fetchQuotes();
          } catch (err) {
            if (!isInvalidCrumb(err)) throw err;
            // A stale crumb is never refreshed by the library: clear it (and the cookies) and try once more.
            stats.crumbRefreshes++;
            log.info({ symbols: batch.length }, 'yahoo crumb rejected, refreshing it');
            await getCrumbClear(cookieJar);
            return fetchQuotes();
          }
        });
        quotes.push(...answered);
      }
      const returned = new Set(quotes.map((q) => q.symbol.toUpperCase()));
      return { quotes, missing: wanted.filter((s) => !returned.has(s.toUpperCase())) };
    },
  };
}
