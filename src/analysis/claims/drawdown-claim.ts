// Claim: "ORCL and CRWV fell as much as in 2000 or 2008". Driving metric: the depth ratio
// r = ticker drawdown (claim.metric) / reference fall, put into claim.bands. Three readings of the
// reference fall are measured (drawdown-readings.ts): the index's, the ticker's own deepest fall in
// the window, the cohort's median deepest fall in the window; claim.verdictReading picks the one the
// verdict follows. Tickers and references are combined as claim.aggregate says (all tickers, any
// reference: min over tickers of the max over references). Speed and the market value lost are
// figures beside the verdict, not inputs to it.
import type { ClosePoint, IsoDate } from '../../domain.js';
import type { DrawdownClaimConfig, DrawdownReading } from './config.js';
import {
  cohortFalls,
  decideReading,
  readingComparison,
  type CohortFall,
  type DrawdownReadingResult,
  type ReadingComparison,
} from './drawdown-readings.js';
import { maxDrawdownOf, type DrawdownEpisode } from '../math/episodes.js';
import type { ReferenceEpisode } from './reference-episodes.js';
import { closesBetween, coversWindow, indexOfDate } from '../math/series.js';
import { bandVerdict, type ClaimContext, type LatestQuote } from './verdict.js';

export interface MarketValueLoss {
  quoteDate: IsoDate;
  currency: string | null;
  /** As quoted. */
  marketCap: number;
  /** The quote's market cap scaled to the last close (shares implied by the quote). */
  marketCapAtLastClose: number;
  /** The same share count at the peak close: assumes it did not change since the peak. */
  marketCapAtPeak: number;
  /** marketCapAtLastClose / (1 + drawdown) - marketCapAtLastClose. */
  lost: number;
}

export interface WindowFall {
  referenceId: string;
  from: IsoDate;
  to: IsoDate;
  /** The ticker's maximum drawdown within the window; null when its history does not span it. */
  episode: DrawdownEpisode | null;
}

export interface TickerFall {
  ticker: string;
  peakDate: IsoDate;
  peakClose: number;
  lastDate: IsoDate;
  lastClose: number;
  /** The claim's metric: a negative fraction. */
  drawdown: number;
  sessionsSincePeak: number;
  marketValue: MarketValueLoss | null;
  windowFalls: WindowFall[];
}

export interface SpeedComparison {
  /** Sessions from the ticker's peak to its last close. */
  sessions: number;
  /** Where the reference stood the same number of sessions after its own peak (null without its closes). */
  referenceDate: IsoDate | null;
  referenceDrawdown: number | null;
  /** Sessions the reference needed to first fall as far as the ticker has (null if it never did, or no closes). */
  referenceSessionsToSameDepth: number | null;
}

/** The index reading's comparison, with how fast the fall came beside it. */
export interface DepthComparison extends ReadingComparison {
  speed: SpeedComparison;
}

export interface DrawdownClaimResult {
  id: string;
  kind: 'drawdown_vs_reference';
  text: DrawdownClaimConfig['text'];
  metric: DrawdownClaimConfig['metric'];
  aggregate: { tickers: 'all' | 'any'; references: 'all' | 'any' };
  /** The verdict of the reading claim.verdictReading names. */
  verdict: string;
  /** The comparison whose ratio decided the verdict (in that reading); null when data are missing. */
  deciding: { ticker: string; referenceId: string; ratio: number } | null;
  /** The reading the verdict follows. */
  verdictReading: DrawdownReading;
  /** All three readings, each with its own verdict: index, own_history, cohort. */
  readings: DrawdownReadingResult[];
  /** The cohort's deepest falls inside each reference window, and their median. */
  cohorts: CohortFall[];
  tickers: TickerFall[];
  /** The index reading's comparisons, with the speed beside each. */
  comparisons: DepthComparison[];
  /** Tickers with no closes on or before asOf. */
  missing: string[];
}

function tickerFall(
  claim: DrawdownClaimConfig,
  ticker: string,
  closes: readonly ClosePoint[],
  ctx: ClaimContext,
): TickerFall | null {
  const stats = ctx.stats.get(ticker);
  if (!stats) return null;
  const peak =
    claim.metric === 'drawdown_from_ath'
      ? { date: stats.athDate, close: stats.athClose, drawdown: stats.drawdown }
      : stats.high52w;
  if (!peak) return null;
  const windowFalls = claim.references.flatMap((id) => {
    const ref = ctx.episodes.get(id);
    if (!ref) return [];
    const { from, to } = ref.window;
    const episode = coversWindow(closes, from, to) ? maxDrawdownOf(closesBetween(closes, from, to)) : null;
    return [{ referenceId: id, from, to, episode }];
  });
  return {
    ticker,
    peakDate: peak.date,
    peakClose: peak.close,
    lastDate: stats.lastDate,
    lastClose: stats.lastClose,
    drawdown: peak.drawdown,
    sessionsSincePeak: closes.length - 1 - indexOfDate(closes, peak.date),
    marketValue: marketValueLoss(ctx.quotes.get(ticker), stats.lastClose, peak.drawdown),
    windowFalls,
  };
}

/** Market value lost since the peak, from the latest quote's market cap. */
export function marketValueLoss(
  quote: LatestQuote | undefined,
  lastClose: number,
  drawdown: number,
): MarketValueLoss | null {
  if (!quote || quote.marketCap === null || !(quote.price > 0)) return null;
  const atLast = (quote.marketCap * lastClose) / quote.price;
  const atPeak = atLast / (1 + drawdown);
  return {
    quoteDate: quote.date,
    currency: quote.currency,
    marketCap: quote.marketCap,
    marketCapAtLastClose: atLast,
    marketCapAtPeak: atPeak,
    lost: atPeak - atLast,
  };
}

/** How far the reference had fallen `sessions` after its own peak, and how long it took to fall as far as `depth`. */
export function speedComparison(
  ref: ReferenceEpisode,
  refCloses: readonly ClosePoint[] | undefined,
  sessions: number,
  depth: number,
): SpeedComparison {
  const p = ref.source === 'data' && refCloses ? indexOfDate(refCloses, ref.peakDate) : -1;
  if (p < 0 || !refCloses) {
    return { sessions, referenceDate: null, referenceDrawdown: null, referenceSessionsToSameDepth: null };
  }
  const at = refCloses[p + sessions];
  let toSameDepth: number | null = null;
  // Within the episode only: its deepest point is the trough, so a depth not reached by then never is.
  const trough = indexOfDate(refCloses, ref.troughDate);
  for (let i = p + 1; i <= trough; i++) {
    if (refCloses[i]!.close / ref.peakClose - 1 <= depth) {
      toSameDepth = i - p;
      break;
    }
  }
  return {
    sessions,
    referenceDate: at ? at.date : null,
    referenceDrawdown: at ? at.close / ref.peakClose - 1 : null,
    referenceSessionsToSameDepth: toSameDepth,
  };
}

export function evaluateDrawdownClaim(claim: DrawdownClaimConfig, ctx: ClaimContext): DrawdownClaimResult {
  const falls: TickerFall[] = [];
  const missing: string[] = [];
  const comparisons: DepthComparison[] = [];
  const refs = claim.references.flatMap((id) => ctx.episodes.get(id) ?? []);
  const cohorts = cohortFalls(claim.cohort, refs, ctx.closes);
  const byReading: Record<DrawdownReading, ReadingComparison[]> = { index: [], own_history: [], cohort: [] };
  const compare = (ticker: string, referenceId: string, drawdown: number, depth: number | null | undefined): ReadingComparison[] => {
    const c = readingComparison(ticker, referenceId, drawdown, depth, claim.bands, claim.below);
    return c ? [c] : [];
  };

  for (const ticker of claim.tickers) {
    const closes = ctx.closes.get(ticker) ?? [];
    const fall = tickerFall(claim, ticker, closes, ctx);
    if (!fall) {
      missing.push(ticker);
      continue;
    }
    falls.push(fall);
    for (const ref of refs) {
      const ratio = fall.drawdown / ref.depth + 0;
      comparisons.push({
        ticker,
        referenceId: ref.id,
        tickerDrawdown: fall.drawdown,
        referenceDepth: ref.depth,
        ratio,
        band: bandVerdict(ratio, claim.bands, claim.below),
        speed: speedComparison(ref, ctx.closes.get(ref.symbol), fall.sessionsSincePeak, fall.drawdown),
      });
      byReading.index.push(...compare(ticker, ref.id, fall.drawdown, ref.depth));
      const own = fall.windowFalls.find((w) => w.referenceId === ref.id)?.episode?.depth;
      byReading.own_history.push(...compare(ticker, ref.id, fall.drawdown, own));
      const cohort = cohorts.find((c) => c.referenceId === ref.id)?.median;
      byReading.cohort.push(...compare(ticker, ref.id, fall.drawdown, cohort));
    }
  }

  const readings = (['index', 'own_history', 'cohort'] as const).map((reading) =>
    decideReading(reading, claim.tickers, byReading[reading], claim.aggregate, claim),
  );
  const chosen = readings.find((r) => r.reading === claim.verdictReading)!;
  return {
    id: claim.id,
    kind: claim.kind,
    text: claim.text,
    metric: claim.metric,
    aggregate: { ...claim.aggregate },
    verdict: chosen.verdict,
    deciding: chosen.deciding,
    verdictReading: claim.verdictReading,
    readings,
    cohorts,
    tickers: falls,
    comparisons,
    missing,
  };
}
