// The drawdown claim's three readings (pure). "Comparable to 2000 or 2008" can mean: as deep as the index fell
// then (index), as deep as this stock itself fell then (own_history), or as deep as the typical
// watchlist stock fell then (cohort: the median deepest fall inside the reference window of the cohort
// stocks that traded throughout it). Each reading divides the ticker's current fall by its reference
// fall, puts the ratio into the claim's bands and combines tickers and windows as claim.aggregate says.
import type { ClosePoint, IsoDate } from '../../domain.js';
import type { Band, DrawdownReading } from './config.js';
import { median } from '../math/baseline.js';
import { maxDrawdownOf } from '../math/episodes.js';
import { closesBetween, coversWindow } from '../math/series.js';
import type { ReferenceEpisode } from './reference-episodes.js';
import { INSUFFICIENT_DATA, bandVerdict } from './verdict.js';

export interface ReadingComparison {
  ticker: string;
  referenceId: string;
  tickerDrawdown: number;
  /** The fall it is set against: the index's, the ticker's own in the window, or the cohort median. */
  referenceDepth: number;
  /** tickerDrawdown / referenceDepth: 1 = as deep. */
  ratio: number;
  band: string;
}

export interface DrawdownReadingResult {
  reading: DrawdownReading;
  verdict: string;
  /** The comparison whose ratio gives this reading's verdict; null when the reading cannot be made. */
  deciding: { ticker: string; referenceId: string; ratio: number } | null;
  comparisons: ReadingComparison[];
  /** Tickers with no comparison in this reading (no prices, or no history in any window). */
  unmeasured: string[];
}

export interface CohortMember {
  symbol: string;
  /** Deepest fall inside the window (pyfolio episodes of the window's closes only). */
  depth: number;
  peakDate: IsoDate;
  troughDate: IsoDate;
}

export interface CohortFall {
  referenceId: string;
  from: IsoDate;
  to: IsoDate;
  /** The cohort stocks that traded throughout the window, in config order. */
  members: CohortMember[];
  /** Cohort stocks whose stored history does not span the window. */
  notTrading: string[];
  /** Median of the members' depths; null without members. */
  median: number | null;
}

/** The cohort's falls inside each reference window; `closes` are cut at asOf. */
export function cohortFalls(
  cohort: readonly string[],
  references: readonly ReferenceEpisode[],
  closes: ReadonlyMap<string, readonly ClosePoint[]>,
): CohortFall[] {
  return references.map((ref) => {
    const { from, to } = ref.window;
    const members: CohortMember[] = [];
    const notTrading: string[] = [];
    for (const symbol of cohort) {
      const points = closes.get(symbol) ?? [];
      const ep = coversWindow(points, from, to) ? maxDrawdownOf(closesBetween(points, from, to)) : null;
      if (ep) members.push({ symbol, depth: ep.depth, peakDate: ep.peakDate, troughDate: ep.troughDate });
      else notTrading.push(symbol);
    }
    return { referenceId: ref.id, from, to, members, notTrading, median: median(members.map((m) => m.depth)) };
  });
}

/** One comparison; null when the reference fall is not a fall (a ratio needs a negative divisor). */
export function readingComparison(
  ticker: string,
  referenceId: string,
  tickerDrawdown: number,
  referenceDepth: number | null | undefined,
  bands: readonly Band[],
  below: string,
): ReadingComparison | null {
  if (referenceDepth === null || referenceDepth === undefined || !(referenceDepth < 0)) return null;
  // + 0 turns the -0 of an undamaged ticker into 0.
  const ratio = tickerDrawdown / referenceDepth + 0;
  return { ticker, referenceId, tickerDrawdown, referenceDepth, ratio, band: bandVerdict(ratio, bands, below) };
}

/** "any" keeps the higher ratio, "all" the lower; on a tie the earlier (config order) stays. */
export function pickComparison<C extends { ratio: number }>(mode: 'all' | 'any') {
  return (a: C, b: C): C => ((mode === 'any' ? b.ratio > a.ratio : b.ratio < a.ratio) ? b : a);
}

/**
 * A reading's verdict: per ticker the comparison its references-mode picks, then across tickers the
 * one its tickers-mode picks. With tickers "all", a ticker without any comparison leaves the reading
 * undecided (insufficient_data): the claim names both stocks.
 */
export function decideReading(
  reading: DrawdownReading,
  tickers: readonly string[],
  comparisons: readonly ReadingComparison[],
  aggregate: { tickers: 'all' | 'any'; references: 'all' | 'any' },
  band: { bands: readonly Band[]; below: string },
): DrawdownReadingResult {
  const perTicker: ReadingComparison[] = [];
  const unmeasured: string[] = [];
  for (const ticker of tickers) {
    const mine = comparisons.filter((c) => c.ticker === ticker);
    if (mine.length === 0) unmeasured.push(ticker);
    else perTicker.push(mine.reduce(pickComparison(aggregate.references)));
  }
  const complete = perTicker.length > 0 && (aggregate.tickers === 'any' || unmeasured.length === 0);
  const decider = complete ? perTicker.reduce(pickComparison(aggregate.tickers)) : null;
  return {
    reading,
    verdict: decider ? bandVerdict(decider.ratio, band.bands, band.below) : INSUFFICIENT_DATA,
    deciding: decider && { ticker: decider.ticker, referenceId: decider.referenceId, ratio: decider.ratio },
    comparisons: [...comparisons],
    unmeasured,
  };
}
