// Claim: "the market swings between frenzy and doubt". The judged year is the year that ends at asOf:
// the sessions after asOf minus one calendar year, up to asOf (lastYearAfter, asOf]. Four shares are
// measured; claim.metric picks the one the verdict follows (its share goes into claim.bands):
// - share_with_min_swings: tickers with at least claim.minSwings zig-zag swings of
//   >= claim.swingThreshold confirmed in the judged year (any ordinary year passes it: kept to compare);
// - share_with_elevated_volatility: tickers whose judged-year volatility exceeds their full-history one;
// - share_above_own_median_swings / _volatility: tickers whose judged-year swing count / volatility is
//   above the median of their own full calendar years that end on or before lastYearAfter (the
//   baseline, math/calendar-years.ts). A ticker with fewer than claim.minBaselineYears such years has
//   no baseline and is left out of these two shares (not counted as either).
import type { IsoDate } from '../../domain.js';
import { SWING_METRICS, type SwingClaimConfig, type SwingMetric } from './config.js';
import { compareWithBaseline, type BaselineComparison } from '../math/baseline.js';
import { fullCalendarYears, yearFigures, type YearFigures } from '../math/calendar-years.js';
import { minusYears } from '../../market/iso-date.js';
import { zigZagSwings, type Swing } from '../math/swings.js';
import { INSUFFICIENT_DATA, bandVerdict, type ClaimContext } from './verdict.js';
import { SESSIONS_PER_YEAR, realisedVolatility } from '../math/volatility.js';

export interface TickerSwings {
  ticker: string;
  firstDate: IsoDate;
  /** Years of history behind the full-history figures (daily returns / 252). */
  historyYears: number;
  swingsLastYear: number;
  swingsTotal: number;
  /** Swings confirmed per 252 sessions over the whole history; null with under two closes. */
  swingsPerYearHistory: number | null;
  /** swingsLastYear / swingsPerYearHistory; null when the history had none. */
  swingRatio: number | null;
  volatilityLastYear: number | null;
  volatilityHistory: number | null;
  volatilityRatio: number | null;
  meetsMinSwings: boolean;
  /** Last-year volatility above the full-history one; null when either is unknown. */
  elevatedVolatility: boolean | null;
  /** The swings confirmed in the last year, oldest first (the last one's end is provisional). */
  lastYear: Swing[];
  baseline: SwingBaseline;
}

/** A ticker's judged year against its own full calendar years before it. */
export interface SwingBaseline {
  /** Each full calendar year ending on or before the judged year's start, oldest first. */
  years: YearFigures[];
  /** Judged-year swings against the years' swing counts; null with fewer than minBaselineYears years. */
  swings: BaselineComparison | null;
  /** The same for the judged year's volatility (years without a volatility are left out). */
  volatility: BaselineComparison | null;
}

/** One share the claim measures, and the verdict it would give. */
export interface SwingShare {
  metric: SwingMetric;
  verdict: string;
  share: number | null;
  /** The band the share falls in, even when too few tickers are measured for a verdict; null without a share. */
  band: string | null;
  counted: number;
  /** Tickers the share is taken over. */
  measured: number;
  /** Tickers with prices but left out of this share (no baseline). */
  unmeasured: string[];
}

export interface SwingClaimResult {
  id: string;
  kind: 'swings';
  text: SwingClaimConfig['text'];
  metric: SwingClaimConfig['metric'];
  swingThreshold: number;
  minSwings: number;
  /** Start of the last-year window, exclusive. */
  lastYearAfter: IsoDate;
  /** The judged year: after `after` (exclusive) up to `to` = asOf; the same window as lastYearAfter. */
  judgedYear: { after: IsoDate; to: IsoDate };
  minBaselineYears: number;
  /** Share of the named tickers that must have a baseline for the baseline shares to give a verdict. */
  minBaselineCoverage: number;
  /** All four shares, the verdict's (claim.metric) among them. */
  shares: SwingShare[];
  verdict: string;
  /** The driving share; null when no ticker has data. */
  share: number | null;
  /** Tickers that count towards the verdict's share, and tickers it is taken over. */
  counted: number;
  measured: number;
  tickers: TickerSwings[];
  missing: string[];
}

const ratio = (a: number | null, b: number | null): number | null =>
  a === null || b === null || b === 0 ? null : a / b;

function swingBaseline(judged: { swings: number; volatility: number | null }, years: YearFigures[], minYears: number): SwingBaseline {
  const enough = years.length >= minYears;
  const vols = years.flatMap((y) => (y.volatility === null ? [] : [y.volatility]));
  return {
    years,
    swings: enough ? compareWithBaseline(judged.swings, years.map((y) => y.swings)) : null,
    volatility: vols.length >= minYears ? compareWithBaseline(judged.volatility, vols) : null,
  };
}

/** Whether a ticker counts towards a share: true, false, or null when the share leaves it out. */
export function countsFor(metric: SwingMetric, t: TickerSwings): boolean | null {
  switch (metric) {
    case 'share_with_min_swings':
      return t.meetsMinSwings;
    case 'share_with_elevated_volatility':
      return t.elevatedVolatility === true;
    case 'share_above_own_median_swings':
      return t.baseline.swings?.aboveMedian ?? null;
    case 'share_above_own_median_volatility':
      return t.baseline.volatility?.aboveMedian ?? null;
  }
}

const BASELINE_METRICS: ReadonlySet<SwingMetric> = new Set(['share_above_own_median_swings', 'share_above_own_median_volatility']);

function swingShare(claim: SwingClaimConfig, metric: SwingMetric, tickers: TickerSwings[], missing: string[]): SwingShare {
  const measured = tickers.filter((t) => countsFor(metric, t) !== null);
  const counted = measured.filter((t) => countsFor(metric, t) === true).length;
  const share = measured.length > 0 ? counted / measured.length : null;
  // The earlier shares need every named ticker to have prices (a share over a subset would be another
  // claim). The baseline shares are taken over the tickers with a baseline, and judged once enough of
  // the named ones have one: a stock that had not listed yet has no history to be judged against.
  const enough = BASELINE_METRICS.has(metric)
    ? measured.length / claim.tickers.length >= claim.minBaselineCoverage
    : missing.length === 0;
  return {
    metric,
    verdict: share === null || !enough ? INSUFFICIENT_DATA : bandVerdict(share, claim.bands, claim.below),
    share,
    band: share === null ? null : bandVerdict(share, claim.bands, claim.below),
    counted,
    measured: measured.length,
    unmeasured: tickers.filter((t) => countsFor(metric, t) === null).map((t) => t.ticker),
  };
}

export function evaluateSwingClaim(claim: SwingClaimConfig, ctx: ClaimContext): SwingClaimResult {
  const after = minusYears(ctx.asOf, 1);
  const tickers: TickerSwings[] = [];
  const missing: string[] = [];
  for (const ticker of claim.tickers) {
    const closes = ctx.closes.get(ticker);
    // A ticker with no close inside the last year can't show this year's swings: counting it as
    // "no swings" would judge the claim on data that isn't there.
    if (!closes || closes.length === 0 || closes.at(-1)!.date <= after) {
      missing.push(ticker);
      continue;
    }
    const swings = zigZagSwings(closes, claim.swingThreshold);
    const lastYear = swings.filter((s) => s.confirmedDate > after);
    const returns = closes.length - 1;
    const perYear = returns > 0 ? (swings.length * SESSIONS_PER_YEAR) / returns : null;
    const volLast = realisedVolatility(closes, after)?.value ?? null;
    const volAll = realisedVolatility(closes)?.value ?? null;
    const years = yearFigures(closes, swings, fullCalendarYears(closes, after));
    tickers.push({
      ticker,
      firstDate: closes[0]!.date,
      historyYears: returns / SESSIONS_PER_YEAR,
      swingsLastYear: lastYear.length,
      swingsTotal: swings.length,
      swingsPerYearHistory: perYear,
      swingRatio: ratio(lastYear.length, perYear),
      volatilityLastYear: volLast,
      volatilityHistory: volAll,
      volatilityRatio: ratio(volLast, volAll),
      meetsMinSwings: lastYear.length >= claim.minSwings,
      elevatedVolatility: volLast === null || volAll === null ? null : volLast > volAll,
      lastYear,
      baseline: swingBaseline({ swings: lastYear.length, volatility: volLast }, years, claim.minBaselineYears),
    });
  }
  const shares = SWING_METRICS.map((metric) => swingShare(claim, metric, tickers, missing));
  const driving = shares.find((s) => s.metric === claim.metric)!;
  return {
    id: claim.id,
    kind: claim.kind,
    text: claim.text,
    metric: claim.metric,
    swingThreshold: claim.swingThreshold,
    minSwings: claim.minSwings,
    lastYearAfter: after,
    judgedYear: { after, to: ctx.asOf },
    minBaselineYears: claim.minBaselineYears,
    minBaselineCoverage: claim.minBaselineCoverage,
    shares,
    verdict: driving.verdict,
    share: driving.share,
    counted: driving.counted,
    measured: driving.measured,
    tickers,
    missing,
  };
}
