// Synthetic data for the benchmark: bars in memory (the write path), sim symbol specs (the incremental
// day), and a generate_series load straight inside the database (the 7.5 M-bar history).
import type { DailyBar, IsoDate } from '../domain.js';
import { addDays } from '../market/iso-date.js';
import type { SymbolSpec } from '../sim/universe.js';
import type { DbHandle } from '../db/connect.js';
import { createRng } from '../sim/rng.js';

/** Symbols like B0001 (prefix + 4 digits): valid Yahoo symbols, easy to spot, sort in order. */
export function syntheticSymbols(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(4, '0')}`);
}

/** `count` weekdays from `start` (a Monday): day i is start + 7 * floor(i / 5) + i % 5. */
export function weekdays(start: IsoDate, count: number): IsoDate[] {
  return Array.from({ length: count }, (_, i) => addDays(start, 7 * Math.floor(i / 5) + (i % 5)));
}

const price = (v: number) => Math.round(v * 10_000) / 10_000;

/** The first session of every synthetic history (loadHistory's SQL spells the same date). */
export const HISTORY_FROM = '1996-01-01';

/**
 * Random-walk bars shaped like what the ingest stores: 4-decimal prices (as the sim and most Yahoo
 * closes round to), high >= max(open, close), low <= min(open, close), no quality flags.
 */
export function syntheticBars(symbols: readonly string[], sessions: number, seed = 1): DailyBar[] {
  const dates = weekdays(HISTORY_FROM, sessions);
  const rng = createRng(seed);
  const bars: DailyBar[] = [];
  for (const symbol of symbols) {
    let close = 20 + rng() * 80;
    for (const tradeDate of dates) {
      const open = close * (1 + (rng() - 0.5) * 0.01);
      close = Math.max(0.5, close * (1 + (rng() - 0.5) * 0.04));
      const high = Math.max(open, close) * (1 + rng() * 0.01);
      const low = Math.min(open, close) * (1 - rng() * 0.01);
      bars.push({
        symbol,
        tradeDate,
        open: price(open),
        high: price(high),
        low: price(low),
        close: price(close),
        adjClose: price(close * 0.98),
        volume: Math.round(1e5 + rng() * 1e7),
        quality: [],
      });
    }
  }
  return bars;
}

export const DAILY_BAR_COLUMNS = 'symbol, trade_date, open, high, low, close, adj_close, volume, quality, source, fetched_at';

/** Text-format COPY rows for daily_bars (tab-separated, \N for null), in chunks of about 4 MB. */
export function copyText(bars: readonly DailyBar[], source: string, fetchedAt: Date): Buffer[] {
  const at = fetchedAt.toISOString();
  const n = (v: number | null) => (v === null ? '\\N' : String(v));
  const chunks: Buffer[] = [];
  let lines: string[] = [];
  let size = 0;
  for (const b of bars) {
    const line = `${b.symbol}\t${b.tradeDate}\t${n(b.open)}\t${n(b.high)}\t${n(b.low)}\t${b.close}\t${n(b.adjClose)}\t${n(b.volume)}\t{${b.quality.join(',')}}\t${source}\t${at}\n`;
    lines.push(line);
    size += line.length;
    if (size > 4_000_000) {
      chunks.push(Buffer.from(lines.join('')));
      lines = [];
      size = 0;
    }
  }
  if (lines.length) chunks.push(Buffer.from(lines.join('')));
  return chunks;
}

/** Sim specs for synthetic symbols listed `listedDaysAgo` calendar days before `now` (a short backfill). */
export function simSpecs(symbols: readonly string[], now: IsoDate, listedDaysAgo: number): SymbolSpec[] {
  const listed = addDays(now, -listedDaysAgo);
  return symbols.map((symbol, i) => ({
    symbol,
    name: `Synthetic ${symbol}`,
    kind: 'equity',
    exchange: 'NMS',
    fullExchangeName: 'NasdaqGS',
    listed,
    startPrice: 10 + (i % 90),
    drift: 0.08,
    volatility: 0.35,
    beta: 1,
    sharesOutstanding: 1e9,
    baseVolume: 1e6,
  }));
}

export interface HistoryLoad {
  symbols: number;
  sessions: number;
  bars: number;
  ms: number;
}

/**
 * `symbols` synthetic symbols (S0001...) x `sessions` weekdays from 1996-01-01, generated inside the
 * database with generate_series: no rows cross the wire. Prices are a trend plus two slow waves per
 * symbol (phases and periods vary by symbol) plus noise, so every symbol has drawdowns and recoveries
 * of different depths. The primary key, the close index and the foreign key are dropped for the load
 * and rebuilt after it (one sort per index instead of 7.5 M index insertions and RI checks), then the
 * table is vacuumed and analysed: the end state of a backfill once autovacuum has been by, at bulk-load
 * speed. Rows are stored symbol by symbol, as a backfill (one transaction per symbol) writes them.
 */
export async function loadHistory(handle: DbHandle, symbols: number, sessions: number): Promise<HistoryLoad> {
  const t0 = performance.now();
  await handle.withSession(async (s) => {
    const saved = await s.query(
      `select conname as name, pg_get_constraintdef(oid) as def
         from pg_constraint
        where conrelid = 'daily_bars'::regclass and contype in ('p', 'f')`,
    );
    const indexes = await s.query(
      `select indexname as name, indexdef as def from pg_indexes
        where schemaname = current_schema() and tablename = 'daily_bars'
          and indexname not in (select conname from pg_constraint where conrelid = 'daily_bars'::regclass)`,
    );
    await s.exec('set max_parallel_maintenance_workers = 2');
    await s.exec(`select setseed(0.42)`);
    await s.query(
      `insert into symbols (symbol, name, kind)
       select 'S' || lpad(g::text, 4, '0'), 'Synthetic ' || g, 'equity' from generate_series(1, $1::int) g`,
      [symbols],
    );
    for (const c of saved.rows) await s.exec(`alter table daily_bars drop constraint ${String(c.name)}`);
    for (const i of indexes.rows) await s.exec(`drop index ${String(i.name)}`);
    await s.query(
      `insert into daily_bars (symbol, trade_date, open, high, low, close, adj_close, volume, source, fetched_at)
       select symbol, trade_date,
              round((c * (1 + (random() - 0.5) * 0.01))::numeric, 4),
              round((c * (1.002 + random() * 0.008))::numeric, 4),
              round((c * (0.998 - random() * 0.008))::numeric, 4),
              round(c::numeric, 4),
              round((c * 0.97)::numeric, 4),
              (1e5 + random() * 1e7)::bigint,
              'sim', now()
         from (select 'S' || lpad(k::text, 4, '0') as symbol,
                      date '1996-01-01' + (7 * (i / 5) + i % 5) as trade_date,
                      (10 + k % 90) * exp(0.0003 * i
                                          + 0.45 * sin(i / (150.0 + k % 97) + k)
                                          + 0.25 * sin(i / (900.0 + k % 311) + 2 * k)
                                          + 0.02 * (random() - 0.5)) as c
                 from generate_series(1, $1::int) k, generate_series(0, $2::int - 1) i) g`,
      [symbols, sessions],
    );
    for (const c of saved.rows) {
      const def = String(c.def);
      if (def.startsWith('PRIMARY KEY')) await s.exec(`alter table daily_bars add constraint ${String(c.name)} ${def}`);
    }
    for (const i of indexes.rows) await s.exec(String(i.def));
    for (const c of saved.rows) {
      const def = String(c.def);
      if (!def.startsWith('PRIMARY KEY')) await s.exec(`alter table daily_bars add constraint ${String(c.name)} ${def}`);
    }
    // What autovacuum does to an insert-only table: statistics, and the visibility map that
    // index-only scans need, done now so the figures do not depend on when autovacuum comes by.
    await s.exec('analyze symbols');
    await s.exec('vacuum (analyze) daily_bars');
  });
  return { symbols, sessions, bars: symbols * sessions, ms: performance.now() - t0 };
}
