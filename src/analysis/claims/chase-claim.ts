// Claim: the US market heavily chased AI names (「美股市場對 AI 概念的高度追捧」, the reporter's framing).
// Beating the indexes proves little on its own: these stocks beat both in most years, and they are a
// large part of ^IXIC. So, as the swing claim does, the judged year is set against the stocks' own earlier
// years by the same rule (chase-window.ts):
// - judged period: claim.period, cut at asOf; its share = stocks listed before it that beat every
//   benchmark (by more than claim.beatMargin) / stocks listed before it; a stock listed inside it is
//   shown, not counted (its return from a listing price is another thing);
// - earlier years: the same span moved back one year at a time, each with the same rule over the
//   stocks listed before it; a year counts when at least claim.minStockCoverage of the named stocks
//   were, so a year of two stocks does not stand for eight;
// - the judged share's mid-rank percentile among the earlier years, and its rank p-value
//   p = (1 + years with a share at least as high) / (1 + years): the chance that an ordinary year
//   from this history ranks as high (the judged year counted among them, as in a permutation test);
// - own_years_rank_p (the metric config/claims.json sets): p into claim.bands (p < 0.05 supported,
//   p < 0.10 partly, else not supported); claim.underpowered when the baseline is too short for
//   1 / (1 + years) to reach the first band; insufficient data below claim.minBaselineYears.
// The earlier figures stay beside it: the plain share (the stocks listed in the period counted too,
// as before), the median excess over each benchmark, and an independent benchmark's reading.
import type { IsoDate } from '../../domain.js';
import { minusYears } from '../../market/iso-date.js';
import { median } from '../math/rank-correlation.js';
import { midRankPercentile } from '../math/baseline.js';
import { isUpperBands, type ChaseClaimConfig } from './config.js';
import { benchmarkCloseAt, chaseWindow, type ChaseWindow, type TickerChase } from './chase-window.js';
import { INSUFFICIENT_DATA, bandVerdict, type ClaimContext } from './verdict.js';

export type { BenchmarkExcess, TickerChase } from './chase-window.js';

export interface ChaseYear {
  from: IsoDate;
  to: IsoDate;
  counted: number;
  measured: number;
  share: number;
}

export interface ChaseBaseline {
  /** Earlier years with enough stocks, newest first. */
  years: ChaseYear[];
  /** Mid-rank percentile (0-100) of the judged share among them; null without years. */
  percentile: number | null;
  /** (1 + years with a share >= the judged one) / (1 + years); null without years or a judged share. */
  p: number | null;
  /** The smallest p this many years can give: 1 / (1 + years). */
  minP: number | null;
}

/** The stocks' equal-weight return against an index not made of them (claim.independentBenchmark). */
export interface IndependentReading {
  symbol: string;
  name: { readonly en: string; readonly 'zh-Hant': string };
  /** False when its closes are not stored (or stale): the reading is named, not made. */
  measured: boolean;
  /** Mean return of the counted stocks, the index's over the same dates, and the difference. */
  equalWeightReturn: number | null;
  benchmarkReturn: number | null;
  excess: number | null;
  /** Counted stocks beating it, of the counted. */
  counted: number;
  measuredStocks: number;
}

export interface ChaseClaimResult {
  id: string;
  kind: 'returns_vs_benchmarks';
  text: ChaseClaimConfig['text'];
  saidBy: ChaseClaimConfig['saidBy'];
  metric: ChaseClaimConfig['metric'];
  period: ChaseClaimConfig['period'];
  benchmarks: string[];
  beatMargin: number;
  minBaselineYears: number;
  minStockCoverage: number;
  /** asOf reaches period.to: the figures are final. */
  periodComplete: boolean;
  verdict: string;
  /** The figure the bands read (p, share or lowest median excess); null when it can't be measured. */
  figure: number | null;
  /** Stocks listed before the period beating every benchmark, of those stocks. */
  share: number | null;
  counted: number;
  measured: number;
  /** The earlier rule's share: every stock with a return, a listing inside the period included. */
  earlierShare: { counted: number; measured: number; share: number | null };
  baseline: ChaseBaseline;
  medianExcess: { benchmark: string; median: number | null }[];
  /** Per benchmark: how many of the counted stocks beat it alone. */
  beating: { benchmark: string; counted: number }[];
  independent: IndependentReading | null;
  tickers: TickerChase[];
  missing: string[];
}

function judgedWindow(claim: ChaseClaimConfig, asOf: IsoDate): { from: IsoDate; to: IsoDate } {
  return { from: claim.period.from, to: claim.period.to < asOf ? claim.period.to : asOf };
}

/** Each earlier year's window by the same rule, while any named stock has closes that far back. */
function baselineYears(claim: ChaseClaimConfig, ctx: ClaimContext, judged: { from: IsoDate; to: IsoDate }): ChaseYear[] {
  const firsts = claim.tickers.flatMap((t) => ctx.closes.get(t)?.[0]?.date ?? []);
  if (firsts.length === 0) return [];
  const earliest = firsts.sort()[0]!;
  const years: ChaseYear[] = [];
  for (let k = 1; ; k++) {
    const window = { from: minusYears(judged.from, k), to: minusYears(judged.to, k) };
    if (window.to < earliest) break;
    const w = chaseWindow({ tickers: claim.tickers, benchmarks: claim.benchmarks, closes: ctx.closes, window, margin: claim.beatMargin });
    if (w.share !== null && w.measured / claim.tickers.length >= claim.minStockCoverage) {
      years.push({ ...window, counted: w.counted, measured: w.measured, share: w.share });
    }
  }
  return years;
}

function baselineOf(years: ChaseYear[], share: number | null): ChaseBaseline {
  if (years.length === 0 || share === null) return { years, percentile: null, p: null, minP: years.length ? 1 / (1 + years.length) : null };
  const shares = years.map((y) => y.share);
  const atLeast = shares.filter((s) => s >= share).length;
  return { years, percentile: midRankPercentile(share, shares), p: (1 + atLeast) / (1 + years.length), minP: 1 / (1 + years.length) };
}

function independentReading(claim: ChaseClaimConfig, ctx: ClaimContext, window: ChaseWindow): IndependentReading | null {
  const config = claim.independentBenchmark;
  if (!config) return null;
  const closes = ctx.closes.get(config.symbol);
  const stocks = window.tickers.filter((t) => !t.listedInPeriod);
  const rows = stocks.flatMap((t) => {
    const start = benchmarkCloseAt(closes, t.baseDate);
    const end = benchmarkCloseAt(closes, t.endDate);
    return start === null || end === null ? [] : [{ stock: t.return, index: end / start - 1 }];
  });
  const none = { symbol: config.symbol, name: config.name, measured: false, equalWeightReturn: null, benchmarkReturn: null, excess: null, counted: 0, measuredStocks: 0 };
  if (rows.length === 0 || rows.length < stocks.length) return none;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const equalWeightReturn = mean(rows.map((r) => r.stock));
  // The counted stocks share their base and end dates (the last closes before and in the period).
  const benchmarkReturn = mean(rows.map((r) => r.index));
  return {
    ...none,
    measured: true,
    equalWeightReturn,
    benchmarkReturn,
    excess: equalWeightReturn - benchmarkReturn,
    counted: rows.filter((r) => r.stock - r.index > claim.beatMargin).length,
    measuredStocks: rows.length,
  };
}

function verdictOf(claim: ChaseClaimConfig, figure: number | null, enough: boolean, baseline: ChaseBaseline): string {
  if (figure === null || !enough) return INSUFFICIENT_DATA;
  if (claim.metric !== 'own_years_rank_p') return bandVerdict(figure, claim.bands, claim.below);
  if (baseline.years.length < claim.minBaselineYears) return INSUFFICIENT_DATA;
  if (isUpperBands(claim.bands) && baseline.minP !== null && baseline.minP >= claim.bands[0]!.max) return claim.underpowered;
  return bandVerdict(figure, claim.bands, claim.below);
}

export function evaluateChaseClaim(claim: ChaseClaimConfig, ctx: ClaimContext): ChaseClaimResult {
  const window = judgedWindow(claim, ctx.asOf);
  const judged = chaseWindow({ tickers: claim.tickers, benchmarks: claim.benchmarks, closes: ctx.closes, window, margin: claim.beatMargin });
  const counted = judged.tickers.filter((t) => !t.listedInPeriod);
  const baseline = baselineOf(baselineYears(claim, ctx, window), judged.share);
  const excessOver = (t: TickerChase, benchmark: string) => t.vs.find((v) => v.benchmark === benchmark)!.excess;
  const medianExcess = claim.benchmarks.map((benchmark) => ({ benchmark, median: median(counted.map((t) => excessOver(t, benchmark))) }));
  const medians = medianExcess.flatMap((m) => (m.median === null ? [] : [m.median]));
  const earlierCounted = judged.tickers.filter((t) => t.beatsAll).length;
  const figure =
    claim.metric === 'own_years_rank_p'
      ? baseline.p
      : claim.metric === 'share_beating_benchmarks'
        ? judged.share
        : medians.length > 0
          ? Math.min(...medians)
          : null;
  const enough = judged.measured / claim.tickers.length >= claim.minStockCoverage;
  return {
    id: claim.id,
    kind: claim.kind,
    text: claim.text,
    saidBy: claim.saidBy,
    metric: claim.metric,
    period: claim.period,
    benchmarks: [...claim.benchmarks],
    beatMargin: claim.beatMargin,
    minBaselineYears: claim.minBaselineYears,
    minStockCoverage: claim.minStockCoverage,
    periodComplete: ctx.asOf >= claim.period.to,
    verdict: verdictOf(claim, figure, enough, baseline),
    figure,
    share: judged.share,
    counted: judged.counted,
    measured: judged.measured,
    earlierShare: {
      counted: earlierCounted,
      measured: judged.tickers.length,
      share: judged.tickers.length > 0 ? earlierCounted / judged.tickers.length : null,
    },
    baseline,
    medianExcess,
    beating: claim.benchmarks.map((benchmark) => ({ benchmark, counted: counted.filter((t) => excessOver(t, benchmark) > claim.beatMargin).length })),
    independent: independentReading(claim, ctx, judged),
    tickers: judged.tickers,
    missing: judged.missing,
  };
}
