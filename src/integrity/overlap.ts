// Pure: what the overlap of a fetch says about the stored history. A sync re-reads the last sessions
// it stored; when the source now serves them on another basis (a split, a reverse split, a silent
// re-basing, a dividend's rewrite of the adjusted closes), every stored bar older than those is on the
// old basis too, and only a fetch of the whole history puts the table back on one basis. When the
// changes do not share a factor they are revisions (Yahoo correcting a recent bar): stored as they
// come, and counted. Bars are matched by date, so a bar missing on either side hides nothing.
import type { IsoDate } from '../domain.js';
import { adjCloseFactor, dominantFactor, priceFactor, type PricedBar } from './common-factor.js';
import { samePrice } from './tolerance.js';

/** Fewest bar pairs that may show a re-basing: one changed bar is a revision, whatever its prices. */
export const MIN_REBASED_BARS = 2;

export interface Rebasing {
  /** source = factor x stored for open, high, low and close (1: the prices kept their basis). */
  factor: number;
  /** source = adjCloseFactor x stored for the adjusted close (includes `factor`; 1: unchanged). */
  adjCloseFactor: number;
  /** Overlapping bars that agree on the factors, of `compared`. */
  agreeing: number;
}

export interface OverlapReading {
  /** Sessions both the stored history and the fetch have. */
  compared: number;
  /** Set when the stored history is on another basis than the source's. */
  rebased: Rebasing | null;
  /** Dates whose stored values the fetch changes on the same basis: revisions (empty when rebased). */
  revised: IsoDate[];
}

/**
 * Compares the fetched bars with the stored bars of the same dates. The history is re-based when at
 * least MIN_REBASED_BARS overlapping bars, and at least half of them, agree on one factor other than 1
 * for their prices (or, prices unchanged, for their adjusted closes); the bars that do not agree are
 * then revisions on the new basis, which the full re-fetch stores too. Otherwise every overlapping bar
 * whose prices, adjusted close or volume changed is a revision.
 */
export function readOverlap(stored: readonly PricedBar[], fetched: readonly PricedBar[]): OverlapReading {
  const byDate = new Map(stored.map((b) => [b.tradeDate, b]));
  const pairs: { stored: PricedBar; source: PricedBar }[] = [];
  for (const source of fetched) {
    const s = byDate.get(source.tradeDate);
    if (s) pairs.push({ stored: s, source });
  }
  const compared = pairs.length;
  const enough = (agreeing: number) => agreeing >= MIN_REBASED_BARS && agreeing * 2 >= compared;

  const prices = pairs.map((p) => priceFactor(p.stored, p.source));
  const byPrice = dominantFactor(prices);
  if (byPrice && enough(byPrice.agreeing)) {
    const adj = dominantFactor(pairs.filter((_, i) => prices[i] !== null && prices[i] !== 1).map((p) => adjCloseFactor(p.stored, p.source)));
    return { compared, rebased: { factor: byPrice.factor, adjCloseFactor: adj?.factor ?? byPrice.factor, agreeing: byPrice.agreeing }, revised: [] };
  }
  // Prices kept their basis: a new dividend rewrites the adjusted closes before its ex-date alone.
  const unchangedPrices = pairs.filter((_, i) => prices[i] === 1);
  const byAdj = dominantFactor(unchangedPrices.map((p) => adjCloseFactor(p.stored, p.source)));
  if (byAdj && enough(byAdj.agreeing)) {
    return { compared, rebased: { factor: 1, adjCloseFactor: byAdj.factor, agreeing: byAdj.agreeing }, revised: [] };
  }
  return { compared, rebased: null, revised: pairs.filter((p) => !sameBar(p.stored, p.source)).map((p) => p.source.tradeDate) };
}

/** Every stored field of the bar as the source has it: prices within rounding, volume exactly. */
export function sameBar(a: PricedBar, b: PricedBar): boolean {
  return (
    priceFactor(a, b) === 1 &&
    (a.adjClose === null || b.adjClose === null ? a.adjClose === b.adjClose : samePrice(a.adjClose, b.adjClose)) &&
    a.volume === b.volume
  );
}
