// Builders for constructed price series. Pure; no files.
import type { ClosePoint, IsoDate } from '../../../src/domain.js';
import { addDays } from '../../../src/market/iso-date.js';
import { summarizeSymbol, type SymbolDrawdown } from '../../../src/analysis/math/drawdown.js';

/** Weekdays from `start` (inclusive if a weekday), one per close. */
export function weekdays(start: IsoDate, n: number): IsoDate[] {
  const out: IsoDate[] = [];
  for (let d = start; out.length < n; d = addDays(d, 1)) {
    const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (dow !== 0 && dow !== 6) out.push(d);
  }
  return out;
}

/** Closes on consecutive weekdays from `start`. */
export function series(closes: readonly number[], start: IsoDate = '2000-01-03'): ClosePoint[] {
  const dates = weekdays(start, closes.length);
  return closes.map((close, i) => ({ date: dates[i]!, close }));
}

/** Closes on consecutive calendar days, as pandas' date_range(freq='D') in pyfolio's tests. */
export function dailySeries(closes: readonly number[], start: IsoDate): ClosePoint[] {
  return closes.map((close, i) => ({ date: addDays(start, i), close }));
}

/** empyrical's convention: a price path that starts at `start` before the first return (NaN counts as 0). */
export function pricesFromReturns(returns: readonly number[], start = 100): number[] {
  const out = [start];
  for (const r of returns) out.push(out[out.length - 1]! * (1 + (Number.isNaN(r) ? 0 : r)));
  return out;
}

/** Deterministic PRNG (the sim's mulberry32) so property tests are reproducible. */
export { createRng as rng } from '../../../src/sim/rng.js';

/**
 * What the report reads from the database on `asOf`: each series cut at asOf, as the SQL cuts it, and
 * every symbol's summary (summarizeSymbol), as the report job makes them while the closes stream in.
 */
export function storedAsOf(
  all: ReadonlyMap<string, readonly ClosePoint[]>,
  asOf: IsoDate,
): { series: Map<string, ClosePoint[]>; summaries: Map<string, SymbolDrawdown> } {
  const series = new Map<string, ClosePoint[]>();
  const summaries = new Map<string, SymbolDrawdown>();
  for (const [symbol, points] of all) {
    const cut = points.filter((p) => p.date <= asOf);
    series.set(symbol, cut);
    const summary = summarizeSymbol(cut, asOf, { label: symbol });
    if (summary) summaries.set(symbol, summary);
  }
  return { series, summaries };
}

/** The words every constructed claim and episode uses, in both languages. */
export const WORDS = { 'zh-Hant': '測試', en: 'test' };

/** A constructed reference episode for claims tests: ^REF halves between 2000-01-04 and 2000-01-12. */
export const CONSTRUCTED_EPISODE = {
  id: 'ref',
  symbol: '^REF',
  name: WORDS,
  window: { from: '2000-01-03', to: '2000-01-14' },
  peakDate: '2000-01-04',
  troughDate: '2000-01-12',
  peakClose: 100,
  troughClose: 50,
  depth: -0.5,
  citation: 'constructed',
};
