// Claim: the US market heavily chased AI names (「美股市場對 AI 概念的高度追捧」, the reporter's framing).
// Rule, so anyone can redo it: each ticker's return over claim.period is its last close on or before
// period.to (and asOf) over its last close before period.from, minus one; a ticker listed inside the
// period starts at its first close. Each benchmark's return is taken between the same two dates (its
// last close on or before each, at most a week earlier). A ticker "beats" when its return exceeds every
// benchmark's. Driving metric (claim.metric):
// - share_beating_benchmarks: the share of the tickers that beat every benchmark;
// - median_excess_return: per benchmark, the median over the tickers of (ticker - benchmark); the
//   lowest of those medians (the hardest benchmark to beat).
// The figure goes into claim.bands; every named ticker must be measured, else insufficient data.
import type { ClosePoint, IsoDate } from '../../domain.js';
import { addDays } from '../../market/iso-date.js';
import { median } from '../math/rank-correlation.js';
import { lastIndexOnOrBefore } from '../math/series.js';
import type { ChaseClaimConfig } from './config.js';
import { INSUFFICIENT_DATA, bandVerdict, type ClaimContext } from './verdict.js';

/** How stale a benchmark close may be against the ticker's date (a holiday, a gap in the index). */
const BENCHMARK_LAG_DAYS = 7;

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
  /** Listed inside the period: the return runs from its first close. */
  listedInPeriod: boolean;
  vs: BenchmarkExcess[];
  beatsAll: boolean;
}

export interface ChaseClaimResult {
  id: string;
  kind: 'returns_vs_benchmarks';
  text: ChaseClaimConfig['text'];
  saidBy: ChaseClaimConfig['saidBy'];
  metric: ChaseClaimConfig['metric'];
  period: ChaseClaimConfig['period'];
  benchmarks: string[];
  /** asOf reaches period.to: the figures are final. */
  periodComplete: boolean;
  verdict: string;
  /** The figure the bands read (share or lowest median excess); null when it can't be measured. */
  figure: number | null;
  share: number | null;
  counted: number;
  measured: number;
  medianExcess: { benchmark: string; median: number | null }[];
  /** Per benchmark: how many of the measured tickers beat it alone. */
  beating: { benchmark: string; counted: number }[];
  tickers: TickerChase[];
  missing: string[];
}

/** Index of the ticker's base close: the last before `from`, else its first close inside the period. */
function baseIndex(points: readonly ClosePoint[], from: IsoDate): number {
  const before = lastIndexOnOrBefore(points, addDays(from, -1));
  return before >= 0 ? before : 0;
}

function closeAt(points: readonly ClosePoint[] | undefined, date: IsoDate): number | null {
  if (!points) return null;
  const i = lastIndexOnOrBefore(points, date);
  return i >= 0 && points[i]!.date >= addDays(date, -BENCHMARK_LAG_DAYS) ? points[i]!.close : null;
}

function tickerChase(claim: ChaseClaimConfig, points: readonly ClosePoint[] | undefined, ctx: ClaimContext): TickerChase | null {
  if (!points || points.length === 0) return null;
  const to = claim.period.to < ctx.asOf ? claim.period.to : ctx.asOf;
  const b = baseIndex(points, claim.period.from);
  const e = lastIndexOnOrBefore(points, to);
  if (e <= b || points[b]!.date > to) return null;
  const base = points[b]!;
  const end = points[e]!;
  const ret = end.close / base.close - 1;
  const vs: BenchmarkExcess[] = [];
  for (const benchmark of claim.benchmarks) {
    const from = closeAt(ctx.closes.get(benchmark), base.date);
    const until = closeAt(ctx.closes.get(benchmark), end.date);
    if (from === null || until === null) return null;
    const bret = until / from - 1;
    vs.push({ benchmark, return: bret, excess: ret - bret });
  }
  return {
    ticker: '',
    baseDate: base.date,
    baseClose: base.close,
    endDate: end.date,
    endClose: end.close,
    return: ret,
    listedInPeriod: base.date >= claim.period.from,
    vs,
    beatsAll: vs.every((v) => v.excess > 0),
  };
}

export function evaluateChaseClaim(claim: ChaseClaimConfig, ctx: ClaimContext): ChaseClaimResult {
  const tickers: TickerChase[] = [];
  const missing: string[] = [];
  for (const ticker of claim.tickers) {
    const t = tickerChase(claim, ctx.closes.get(ticker), ctx);
    if (t) tickers.push({ ...t, ticker });
    else missing.push(ticker);
  }
  const counted = tickers.filter((t) => t.beatsAll).length;
  const share = tickers.length > 0 ? counted / tickers.length : null;
  const medianExcess = claim.benchmarks.map((benchmark) => ({
    benchmark,
    median: median(tickers.map((t) => t.vs.find((v) => v.benchmark === benchmark)!.excess)),
  }));
  const beating = claim.benchmarks.map((benchmark) => ({
    benchmark,
    counted: tickers.filter((t) => t.vs.find((v) => v.benchmark === benchmark)!.excess > 0).length,
  }));
  const medians = medianExcess.flatMap((m) => (m.median === null ? [] : [m.median]));
  const lowestMedian = medians.length > 0 ? Math.min(...medians) : null;
  const figure = claim.metric === 'share_beating_benchmarks' ? share : lowestMedian;
  return {
    id: claim.id,
    kind: claim.kind,
    text: claim.text,
    saidBy: claim.saidBy,
    metric: claim.metric,
    period: claim.period,
    benchmarks: [...claim.benchmarks],
    periodComplete: ctx.asOf >= claim.period.to,
    // Every named ticker must be measured: a share over a subset would be a different claim.
    verdict: figure === null || missing.length > 0 ? INSUFFICIENT_DATA : bandVerdict(figure, claim.bands, claim.below),
    figure,
    share,
    counted,
    measured: tickers.length,
    medianExcess,
    beating,
    tickers,
    missing,
  };
}
