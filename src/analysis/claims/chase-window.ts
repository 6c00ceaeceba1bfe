// One window of the chase claim (pure): each stock's return over it against each benchmark's over the
// same two dates. Used for the judged period and, moved back by whole years, for every earlier year
// of the baseline (chase-claim.ts), so both are measured by exactly the same rule.
// - A stock's return: its last close on or before the window's end over its last close before the
//   window's start, minus one; a stock listed inside the window starts at its first close and is
//   marked `listedInWindow` (shown, not counted in the share).
// - A benchmark's return is taken between the stock's two dates: its last close on or before each,
//   at most BENCHMARK_LAG_DAYS earlier (a holiday, a gap in the index), and never past its own last
//   bar: a date after the benchmark's last close has no benchmark value (a stale index is not read
//   as if it had stood still).
// - A stock beats a benchmark when its return exceeds the benchmark's by more than `margin`.
import type { ClosePoint, IsoDate } from '../../domain.js';
import { addDays } from '../../market/iso-date.js';
import { lastIndexOnOrBefore } from '../math/series.js';

/** How stale a benchmark close may be against the stock's date (a holiday, a gap in the index). */
export const BENCHMARK_LAG_DAYS = 7;

export interface BenchmarkExcess {
  benchmark: string;
  /** The benchmark's return between the ticker's base and end dates. */
  return: number;
  excess: number;
}

export interface TickerChase {
  ticker: string;
  baseDate: IsoDate;
  baseClose: number;
  endDate: IsoDate;
  endClose: number;
  return: number;
  /** Listed inside the window: the return runs from its first close, and the stock is not counted. */
  listedInPeriod: boolean;
  vs: BenchmarkExcess[];
  beatsAll: boolean;
}

/** A benchmark's close standing for `date`: none after its last bar, none staler than the lag. */
export function benchmarkCloseAt(points: readonly ClosePoint[] | undefined, date: IsoDate): number | null {
  if (!points || points.length === 0 || points.at(-1)!.date < date) return null;
  const i = lastIndexOnOrBefore(points, date);
  return i >= 0 && points[i]!.date >= addDays(date, -BENCHMARK_LAG_DAYS) ? points[i]!.close : null;
}

export interface ChaseWindowInput {
  tickers: readonly string[];
  benchmarks: readonly string[];
  closes: ReadonlyMap<string, readonly ClosePoint[]>;
  window: { from: IsoDate; to: IsoDate };
  margin: number;
}

/** The stock's figures in the window; null without two closes in it or a benchmark value at either end. */
export function tickerChase(ticker: string, input: ChaseWindowInput): TickerChase | null {
  const points = input.closes.get(ticker);
  if (!points || points.length === 0) return null;
  const { from, to } = input.window;
  const before = lastIndexOnOrBefore(points, addDays(from, -1));
  const b = before >= 0 ? before : 0;
  const e = lastIndexOnOrBefore(points, to);
  if (e <= b || points[b]!.date > to) return null;
  const base = points[b]!;
  const end = points[e]!;
  const ret = end.close / base.close - 1;
  const vs: BenchmarkExcess[] = [];
  for (const benchmark of input.benchmarks) {
    const start = benchmarkCloseAt(input.closes.get(benchmark), base.date);
    const until = benchmarkCloseAt(input.closes.get(benchmark), end.date);
    if (start === null || until === null) return null;
    const bret = until / start - 1;
    vs.push({ benchmark, return: bret, excess: ret - bret });
  }
  return {
    ticker,
    baseDate: base.date,
    baseClose: base.close,
    endDate: end.date,
    endClose: end.close,
    return: ret,
    listedInPeriod: before < 0,
    vs,
    beatsAll: vs.every((v) => v.excess > input.margin),
  };
}

export interface ChaseWindow {
  tickers: TickerChase[];
  /** Named tickers without figures in the window. */
  missing: string[];
  /** Stocks listed before the window (the share's denominator), and how many of them beat every benchmark. */
  measured: number;
  counted: number;
  share: number | null;
}

export function chaseWindow(input: ChaseWindowInput): ChaseWindow {
  const tickers: TickerChase[] = [];
  const missing: string[] = [];
  for (const ticker of input.tickers) {
    const t = tickerChase(ticker, input);
    if (t) tickers.push(t);
    else missing.push(ticker);
  }
  const listedBefore = tickers.filter((t) => !t.listedInPeriod);
  const counted = listedBefore.filter((t) => t.beatsAll).length;
  return { tickers, missing, measured: listedBefore.length, counted, share: listedBefore.length > 0 ? counted / listedBefore.length : null };
}
