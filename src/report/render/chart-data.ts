// What the charts plot (pure): per symbol a window of closes with their drawdown, the all-time high and
// the low since it, the news events in the window; per drawdown claim the current falls and the
// reference falls aligned at their peaks. Geometry (pixels, axes) is the view's job (html/charts.ts).
// Long histories are thinned so a 30-year chart stays a few kB of SVG: each bucket keeps its highest
// and lowest close and its deepest drawdown, so peaks and troughs survive.
import type { ClosePoint, IsoDate } from '../../domain.js';
import { sessionsBetween } from '../../market/calendar.js';
import type { ClaimsConfig } from '../../analysis/claims/config.js';
import { claimSubjects } from '../../analysis/claims/claim-symbols.js';
import type { DrawdownClaimResult } from '../../analysis/claims/drawdown-claim.js';
import { minusYears } from '../../market/iso-date.js';
import type { ReportModel } from '../model.js';
import { indexOfDate } from '../../analysis/math/series.js';

export interface PricePoint {
  date: IsoDate;
  close: number;
  /** Close / all-time high so far - 1 (the running max starts at the first stored close). */
  drawdown: number;
}

export interface ChartEvent {
  id: string;
  date: IsoDate;
  headline: { readonly en: string; readonly 'zh-Hant': string };
}

export interface SymbolChart {
  symbol: string;
  points: PricePoint[];
  ath: { date: IsoDate; close: number };
  /** The lowest close since the all-time high; null at a new high. */
  trough: { date: IsoDate; close: number; drawdown: number } | null;
  events: ChartEvent[];
  /** The window spans more than a factor of LOG_SCALE_RATIO between low and high. */
  logScale: boolean;
}

export interface FallLine {
  kind: 'ticker' | 'reference';
  /** The ticker or the reference episode id. */
  id: string;
  symbol: string;
  /** Reference name from config; tickers are named by symbol. */
  name: { readonly en: string; readonly 'zh-Hant': string } | null;
  /** 'config': only the published peak and trough (the history is not stored), drawn as a straight line. */
  source: 'data' | 'config';
  peakDate: IsoDate;
  points: { session: number; drawdown: number }[];
}

/**
 * A fall the verdict is read against that is a depth, not a path: the cohort's median deepest fall in
 * a reference window (the drawdown claim's third reading), drawn as a level across the chart.
 */
export interface FallLevel {
  /** The reference window it belongs to. */
  referenceId: string;
  name: { readonly en: string; readonly 'zh-Hant': string } | null;
  depth: number;
  /** The claim's verdict follows the cohort reading. */
  deciding: boolean;
}

export interface FallComparison {
  claimId: string;
  lines: FallLine[];
  levels: FallLevel[];
}

export interface ReportCharts {
  symbols: SymbolChart[];
  comparisons: FallComparison[];
  /** Reported symbols left without a chart because the report has too many (see chartedSymbols). */
  uncharted: string[];
}

/** Up to this many symbols every one is charted; beyond it only the claims' subjects and benchmarks. */
export const CHART_ALL_UP_TO = 50;

/**
 * The symbols that get a chart, in their order: all of them up to `limit`; beyond it only the claims'
 * subjects and benchmarks (a thousand charts are tens of MB of HTML that nobody scrolls through).
 */
export function chartedSymbols(symbols: readonly string[], config: ClaimsConfig, limit = CHART_ALL_UP_TO): string[] {
  if (symbols.length <= limit) return [...symbols];
  const subjects = new Set(claimSubjects(config));
  return symbols.filter((s) => subjects.has(s));
}

/** Points per plotted line, at most: enough for a 900-pixel-wide chart. */
export const MAX_CHART_POINTS = 600;
/** Charts show at least this many years, and always the whole current fall. */
const MIN_WINDOW_YEARS = 2;
const LOG_SCALE_RATIO = 8;

/** Indices to keep so that at most ~maxPoints remain, always with the first, last and `keep` ones. */
export function thinIndices(n: number, maxPoints: number, values: readonly ((i: number) => number)[], keep: readonly number[] = []): number[] {
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
  const picked = new Set<number>([0, n - 1, ...keep.filter((i) => i >= 0 && i < n)]);
  // Each bucket contributes its min and max of every value: 2 per value per bucket.
  const buckets = Math.max(1, Math.floor(maxPoints / (2 * Math.max(1, values.length))));
  const size = n / buckets;
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size);
    const to = Math.min(n, Math.floor((b + 1) * size));
    for (const value of values) {
      let lo = from;
      let hi = from;
      for (let i = from + 1; i < to; i++) {
        if (value(i) < value(lo)) lo = i;
        if (value(i) > value(hi)) hi = i;
      }
      picked.add(lo).add(hi);
    }
  }
  return [...picked].sort((a, b) => a - b);
}

function withDrawdown(points: readonly ClosePoint[]): PricePoint[] {
  let peak = 0;
  return points.map((p) => {
    peak = Math.max(peak, p.close);
    return { date: p.date, close: p.close, drawdown: p.close / peak - 1 };
  });
}

function symbolChart(
  model: ReportModel,
  symbol: string,
  closes: readonly ClosePoint[],
  config: ClaimsConfig,
  maxPoints: number,
): SymbolChart | null {
  const stats = model.symbols.find((s) => s.symbol === symbol);
  if (!stats || closes.length === 0) return null;
  const from = [minusYears(model.asOf, MIN_WINDOW_YEARS), stats.current?.peakDate ?? stats.athDate].sort()[0]!;
  const all = withDrawdown(closes);
  const start = all.findIndex((p) => p.date >= from);
  const window = all.slice(Math.max(0, start));
  const keep = [stats.athDate, stats.current?.troughDate].map((d) => (d ? window.findIndex((p) => p.date === d) : -1));
  const picked = thinIndices(window.length, maxPoints, [(i) => window[i]!.close, (i) => window[i]!.drawdown], keep);
  const points = picked.map((i) => window[i]!);
  let lo = Infinity;
  let hi = 0;
  for (const p of window) {
    lo = Math.min(lo, p.close);
    hi = Math.max(hi, p.close);
  }
  const events = config.newsEvents
    .filter((e) => e.ticker === symbol && e.date >= window[0]!.date && e.date <= model.asOf)
    .map((e) => ({ id: e.id, date: e.date, headline: e.headline }));
  return {
    symbol,
    points,
    ath: { date: stats.athDate, close: stats.athClose },
    trough: stats.current && {
      date: stats.current.troughDate,
      close: stats.current.troughClose,
      drawdown: stats.current.depth,
    },
    events,
    logScale: hi / lo > LOG_SCALE_RATIO,
  };
}

/** Drawdown from the close at `peak`, session by session, through `last` (indices into closes). */
function fallFrom(closes: readonly ClosePoint[], peak: number, last: number, maxPoints: number): FallLine['points'] {
  const base = closes[peak]!.close;
  const n = last - peak + 1;
  const at = (i: number) => closes[peak + i]!.close / base - 1;
  return thinIndices(n, maxPoints, [at]).map((i) => ({ session: i, drawdown: at(i) }));
}

function comparison(
  model: ReportModel,
  claim: DrawdownClaimResult,
  series: ReadonlyMap<string, readonly ClosePoint[]>,
  maxPoints: number,
): FallComparison {
  const lines: FallLine[] = [];
  for (const fall of claim.tickers) {
    const closes = series.get(fall.ticker) ?? [];
    const peak = indexOfDate(closes, fall.peakDate);
    const last = indexOfDate(closes, fall.lastDate);
    if (peak < 0 || last < peak) continue;
    lines.push({
      kind: 'ticker',
      id: fall.ticker,
      symbol: fall.ticker,
      name: null,
      source: 'data',
      peakDate: fall.peakDate,
      points: fallFrom(closes, peak, last, maxPoints),
    });
  }
  const refIds = new Set(claim.comparisons.map((c) => c.referenceId));
  for (const ref of model.episodes.filter((e) => refIds.has(e.id))) {
    const closes = series.get(ref.symbol) ?? [];
    const peak = ref.source === 'data' ? indexOfDate(closes, ref.peakDate) : -1;
    const trough = ref.source === 'data' ? indexOfDate(closes, ref.troughDate) : -1;
    const base = { kind: 'reference' as const, id: ref.id, symbol: ref.symbol, name: ref.name, peakDate: ref.peakDate };
    if (peak >= 0 && trough > peak) {
      lines.push({ ...base, source: 'data', points: fallFrom(closes, peak, trough, maxPoints) });
    } else {
      // Without the index history, the NYSE calendar still says how many sessions the fall took.
      const sessions = Math.max(1, sessionsBetween(ref.peakDate, ref.troughDate).length - 1);
      lines.push({ ...base, source: 'config', points: [{ session: 0, drawdown: 0 }, { session: sessions, drawdown: ref.depth }] });
    }
  }
  const levels: FallLevel[] = claim.cohorts.flatMap((c) =>
    c.median === null
      ? []
      : [{ referenceId: c.referenceId, name: model.episodes.find((e) => e.id === c.referenceId)?.name ?? null, depth: c.median, deciding: claim.verdictReading === 'cohort' }],
  );
  return { claimId: claim.id, lines, levels };
}

/**
 * `series` must be the same closes the model was built from (which checked that none is after asOf).
 * `charted`: the symbols to chart (default chartedSymbols of the model's symbols).
 */
export function buildCharts(
  model: ReportModel,
  series: ReadonlyMap<string, readonly ClosePoint[]>,
  config: ClaimsConfig,
  maxPoints = MAX_CHART_POINTS,
  charted: readonly string[] = chartedSymbols(model.symbols.map((s) => s.symbol), config),
): ReportCharts {
  const wanted = new Set(charted);
  return {
    symbols: model.symbols.flatMap((s) =>
      wanted.has(s.symbol) ? (symbolChart(model, s.symbol, series.get(s.symbol) ?? [], config, maxPoints) ?? []) : [],
    ),
    comparisons: model.claims.flatMap((c) => (c.kind === 'drawdown_vs_reference' ? [comparison(model, c, series, maxPoints)] : [])),
    uncharted: model.symbols.flatMap((s) => (wanted.has(s.symbol) ? [] : [s.symbol])),
  };
}
