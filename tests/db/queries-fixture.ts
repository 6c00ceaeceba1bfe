// Hand-made price histories with known answers, for the views (tests/db/views.test.ts) and the query
// library (tests/db/queries.test.ts). Bars go in through the same upsert the importer uses; only the
// close matters to the views, so open/high/low stay empty.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { DbHandle } from '../../src/db/connect.js';
import { upsertDailyBars } from '../../src/db/bars.js';
import { bindNamedParams } from '../../src/db/named-params.js';
import { upsertSymbols } from '../../src/db/symbols.js';
import { runUserSql } from '../../src/db/user-sql.js';
import type { DailyBar, IsoDate } from '../../src/domain.js';
import { PROJECT_ROOT } from '../helpers/cli.js';

export type Closes = readonly (readonly [IsoDate, number])[];

export const QUERIES_DIR = join(PROJECT_ROOT, 'sql/queries');

/** `count` consecutive weekdays from `start` (itself included when a weekday). */
export function weekdaysFrom(start: IsoDate, count: number): IsoDate[] {
  const dates: IsoDate[] = [];
  const d = new Date(`${start}T00:00:00Z`);
  while (dates.length < count) {
    const dow = d.getUTCDay();
    if (dow !== 0 && dow !== 6) dates.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return dates;
}

/** Closes on consecutive weekdays from `start`. */
export function onWeekdays(start: IsoDate, closes: readonly number[]): Closes {
  const dates = weekdaysFrom(start, closes.length);
  return closes.map((c, i) => [dates[i]!, c] as const);
}

export async function insertCloses(handle: DbHandle, symbol: string, closes: Closes): Promise<void> {
  await upsertSymbols(handle.db, [{ symbol }]);
  const bars: DailyBar[] = closes.map(([tradeDate, close]) => ({
    symbol,
    tradeDate,
    open: null,
    high: null,
    low: null,
    close,
    adjClose: null,
    volume: null,
    quality: [],
  }));
  await upsertDailyBars(handle.db, bars, 'import', new Date('2026-01-01T00:00:00Z'));
}

export async function insertQuote(handle: DbHandle, symbol: string, ts: string, price: number, marketCap: number | null): Promise<void> {
  await handle.db.insertInto('quotes').values({ symbol, ts, price, market_cap: marketCap, source: 'sim' }).execute();
}

/** Today in New York, as the views compute it for a symbol on the default exchange time zone. */
export function todayInNewYork(now = new Date()): IsoDate {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** Calendar days from a to b. */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/**
 * A number matcher for NUMERIC results: exact in the database, a double once in JavaScript. About ten
 * significant digits after the decimal point for fractions, relative for billions of dollars.
 */
export const near = (value: number) => expect.closeTo(value, 10 - Math.max(0, Math.ceil(Math.log10(Math.abs(value) + 1))));

/** Runs a library query the way `bubblewatch sql --file` does: named params bound, read-only. */
export async function runLibraryQuery(handle: DbHandle, name: string, params: Record<string, string> = {}) {
  const text = readFileSync(join(QUERIES_DIR, name), 'utf8');
  const bound = bindNamedParams(text, params);
  const result = await runUserSql(handle, bound.text, { params: bound.values });
  return result.rows;
}

/** Sorts rows by symbol the way the C collation does, whatever the database's collation. */
export function bySymbol<T extends Record<string, unknown>>(rows: T[]): T[] {
  return [...rows].sort((a, b) => (String(a.symbol) < String(b.symbol) ? -1 : String(a.symbol) > String(b.symbol) ? 1 : 0));
}

// The query library's dataset. Each series is small enough to work the answers out by hand; the
// tests spell them out next to the assertions.
export const LIBRARY = {
  // 2025-01-02 +12 %, 2025-02-03 -20 %, 2025-03-03 exactly +10 % (not "more than"), 2025-03-31 -17.36 %.
  // All-time high 121 on 2025-01-31; last 90.
  ORCL: [
    ['2024-12-31', 100],
    ['2025-01-02', 112],
    ['2025-01-03', 110],
    ['2025-01-31', 121],
    ['2025-02-03', 96.8],
    ['2025-02-28', 99],
    ['2025-03-03', 108.9],
    ['2025-03-31', 90],
  ],
  // Six episodes, two tied at -50 % and two at -5 %; ends at a new high (no open episode).
  NVDA: onWeekdays('2025-01-06', [100, 80, 100, 95, 100, 50, 60, 100, 110, 99, 120, 60, 90, 125, 118.75, 126]),
  // All-time high 150 on 2025-06-20, then -20 %, -40 %, -30 %.
  CRWV: [
    ['2025-06-18', 100],
    ['2025-06-20', 150],
    ['2025-06-23', 120],
    ['2025-06-24', 90],
    ['2025-06-25', 105],
  ],
  // Base for the 2025-12-16 event: 210 on 2025-12-15.
  AMZN: [
    ['2025-12-12', 200],
    ['2025-12-15', 210],
    ['2025-12-16', 220],
    ['2025-12-17', 199.5],
    ['2025-12-18', 231],
    ['2025-12-19', 205],
    ['2025-12-22', 210],
    ['2025-12-23', 240],
  ],
  // The dot-com peak (2000-03-10 = 5000, then -10 %, -20 %, -5 %, -40 %) and December 2025 for the
  // event benchmark (base 20000 on 2025-12-15).
  '^IXIC': [
    ['2000-03-09', 4900],
    ['2000-03-10', 5000],
    ['2000-03-13', 4500],
    ['2000-03-14', 4000],
    ['2000-03-15', 4750],
    ['2000-03-16', 3000],
    ['2025-12-15', 20000],
    ['2025-12-16', 20200],
    ['2025-12-17', 19800],
    ['2025-12-18', 20400],
    ['2025-12-19', 20000],
    ['2025-12-22', 20600],
  ],
} satisfies Record<string, Closes>;

/** The library dataset, plus FRESH (one bar today) and META (a symbol without bars) and three quotes. */
export async function seedLibrary(handle: DbHandle, today = todayInNewYork()): Promise<void> {
  for (const [symbol, closes] of Object.entries(LIBRARY)) await insertCloses(handle, symbol, closes);
  await insertCloses(handle, 'FRESH', [[today, 10]]);
  await upsertSymbols(handle.db, [{ symbol: 'META' }]);
  // Implied shares: ORCL 2.8e9, CRWV 50e9 / 105, NVDA 3e12 / 126; ^IXIC has a quote without a market cap.
  await insertQuote(handle, 'ORCL', '2025-03-31T19:59:00Z', 90, 252e9);
  await insertQuote(handle, 'ORCL', '2025-03-31T15:00:00Z', 91, 254.8e9); // older: ignored
  await insertQuote(handle, 'CRWV', '2025-06-25T19:59:00Z', 105, 50e9);
  await insertQuote(handle, 'NVDA', '2025-01-27T20:00:00Z', 126, 3e12);
  await insertQuote(handle, '^IXIC', '2025-12-22T21:00:00Z', 20600, null);
}
