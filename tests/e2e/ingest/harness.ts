// Shared set-up for the ingest suites: a config built in memory, a clock that follows the sim's
// `now`, a pino logger whose lines the test can read, and the database rows in ground-truth shape.
import { sql, type Selectable } from 'kysely';
import type { Logger } from 'pino';
import { checkBar, isEmptyBar } from '../../../src/bar-checks.js';
import { parseConfig, type Config } from '../../../src/config/load.js';
import type { DbHandle } from '../../../src/db/connect.js';
import type { DailyBarTable } from '../../../src/db/schema.js';
import type { IsoDate } from '../../../src/domain.js';
import type { IngestDeps } from '../../../src/ingest/run-context.js';
import { createLogger } from '../../../src/log.js';
import { zonedTimeToInstant } from '../../../src/market/zoned-time.js';
import type { YahooClientOptions } from '../../../src/providers/yahoo/client.js';
import type { SimServer } from '../../../src/sim/server.js';
import { createTestClient } from '../../helpers/sim-harness.js';

/** Two years of history: ~500 bars per symbol keeps every suite fast. */
export const HISTORY_START = '2024-01-02';
export const SIM_NOW = '2026-01-02';

export const WATCHLIST = ['AMZN', 'ORCL', 'CRWV', 'GOOGL', 'QCOM', 'INTC', 'NVDA', 'META', '^IXIC', '^GSPC'];

export function testConfigJson(extra: { watchlist?: readonly string[]; concurrency?: number; timeoutMs?: number } = {}): object {
  return {
    watchlist: (extra.watchlist ?? WATCHLIST).map((symbol) => ({ symbol, ...(symbol.startsWith('^') ? { kind: 'index' } : {}) })),
    history: { start: HISTORY_START, overlapSessions: 5 },
    exchange: { timezone: 'America/New_York' },
    yahoo: { minIntervalMs: 0, concurrency: extra.concurrency ?? 2, timeoutMs: extra.timeoutMs ?? 5000, retries: 4, breakerThreshold: 5, breakerCooldownMs: 1000 },
  };
}

export function testConfig(extra: Parameters<typeof testConfigJson>[0] = {}): Config {
  return parseConfig(JSON.stringify(testConfigJson(extra)), { BUBBLEWATCH_DATA_DIR: '/nonexistent/bubblewatch-test' }, 'test config');
}

/**
 * The evening of the sim's current session, 20:00 New York. After the close (the day's bar is final)
 * and, in UTC, already the next day: the split rule compares a split's date with the UTC date of the
 * last full fetch, so a full fetch at this hour on a split day counts as after the split.
 */
export function simClock(sim: SimServer): () => Date {
  return () => zonedTimeToInstant(sim.now(), '20:00', 'America/New_York');
}

export interface CapturedLog {
  log: Logger;
  lines: Record<string, unknown>[];
}

export function captureLog(): CapturedLog {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({ level: 'debug', destination: { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) } });
  return { log, lines };
}

/**
 * Builds every symbol's series once. The first build generates decades of history (^GSPC from 1927):
 * seconds on a busy machine, which belongs in a hook's budget rather than the first test's.
 */
export function warmUp(sim: SimServer): SimServer {
  for (const symbol of sim.symbols()) sim.groundTruth(symbol);
  return sim;
}

/** Stocks listed from 1986 on, without the indexes going back to 1927: a feed of these starts fast. */
export const YOUNG_SYMBOLS = ['AMZN', 'ORCL', 'CRWV', 'GOOGL', 'NVDA', 'META'];

/** The production client on the sim, with test-speed pacing and backoff. */
export function testDeps(
  sim: SimServer,
  handle: DbHandle,
  options: { config?: Config; client?: Partial<YahooClientOptions>; signal?: AbortSignal } = {},
): IngestDeps & { logs: CapturedLog } {
  const logs = captureLog();
  const config = options.config ?? testConfig();
  const yahoo = createTestClient(sim, {
    concurrency: config.yahoo.concurrency,
    retries: 8,
    breakerCooldownMs: 20,
    timeoutMs: config.yahoo.timeoutMs,
    ...options.client,
  });
  return {
    handle,
    yahoo,
    config,
    log: logs.log,
    clock: simClock(sim),
    logs,
    ...(options.signal ? { signal: options.signal } : {}),
  };
}

/** A stored bar as the tests compare it: every column but where and when it was fetched. */
export type BarRow = Omit<Selectable<DailyBarTable>, 'source' | 'fetched_at'>;

/**
 * What a sync must store for a symbol: the sim's ground truth from the history start, without the
 * all-null rows and the impossible ones, judged by the same rules as the ingest (isEmptyBar, checkBar).
 */
export function expectedBars(sim: SimServer, symbol: string, start = HISTORY_START): BarRow[] {
  const truth = sim.groundTruth(symbol);
  if (!truth) return [];
  const rows: BarRow[] = [];
  for (const b of truth.bars) {
    if (b.tradeDate < start) continue;
    const raw = { tradeDate: b.tradeDate, open: b.open, high: b.high, low: b.low, close: b.close, adjClose: b.adjClose, volume: b.volume };
    if (isEmptyBar(raw)) continue;
    const check = checkBar(raw, { symbol, minDate: truth.bars[0]!.tradeDate, maxDate: sim.now() });
    if (!check.ok) continue;
    const { bar } = check;
    rows.push({
      symbol,
      trade_date: bar.tradeDate,
      open: bar.open,
      high: bar.high,
      low: bar.low,
      close: bar.close,
      adj_close: bar.adjClose,
      volume: bar.volume,
      quality: bar.quality,
    });
  }
  return rows;
}

export async function storedBars(handle: DbHandle, symbol?: string): Promise<BarRow[]> {
  let q = handle.db
    .selectFrom('daily_bars')
    .select(['symbol', 'trade_date', 'open', 'high', 'low', 'close', 'adj_close', 'volume', 'quality'])
    .orderBy('symbol')
    .orderBy('trade_date');
  if (symbol) q = q.where('symbol', '=', symbol);
  return q.execute();
}

/** Everything a sync writes, minus the timestamps of when it wrote it. */
export async function dumpIngested(handle: DbHandle) {
  const { db } = handle;
  return {
    bars: await db.selectFrom('daily_bars').select(['symbol', 'trade_date', 'open', 'high', 'low', 'close', 'adj_close', 'volume', 'quality', 'source']).orderBy('symbol').orderBy('trade_date').execute(),
    actions: await db.selectFrom('corporate_actions').select(['symbol', 'trade_date', 'kind', 'numerator', 'denominator', 'amount', 'source']).orderBy('symbol').orderBy('trade_date').orderBy('kind').execute(),
    symbols: await db.selectFrom('symbols').select(['symbol', 'name', 'kind', 'currency', 'exchange_tz', 'first_trade_date', 'last_full_fetch_at']).orderBy('symbol').execute(),
  };
}

/** Empties what the ingest writes (cascade: everything keyed by symbol), so a suite can share one database. */
export async function resetDb(handle: DbHandle): Promise<void> {
  await sql`truncate symbols, ingest_runs restart identity cascade`.execute(handle.db);
}

export async function latestRun(handle: DbHandle) {
  return handle.db.selectFrom('ingest_runs').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
}

/** UTC midnight of a date in epoch seconds: the period1/period2 the ingest sends for it. */
export function epochOfDate(date: IsoDate): number {
  return Date.parse(`${date}T00:00:00Z`) / 1000;
}
