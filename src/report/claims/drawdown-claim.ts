// Claim: "ORCL and CRWV fell as much as in 2000 or 2008". Driving metric: the depth ratio
// r = ticker drawdown (claim.metric) / reference depth, put into claim.bands. Tickers and references
// are combined as claim.aggregate says (all tickers, any reference: min over tickers of the max over
// references). Speed, each ticker's own fall in the reference windows and the market value lost are
// figures beside the verdict, not inputs to it.
import type { ClosePoint, IsoDate } from '../../domain.js';
import type { DrawdownClaimConfig } from './config.js';
import { maxDrawdownOf, type DrawdownEpisode } from '../math/episodes.js';
import type { ReferenceEpisode } from './reference-episodes.js';
import { closesBetween, coversWindow, indexOfDate } from '../math/series.js';
import { INSUFFICIENT_DATA, bandVerdict, type ClaimContext, type LatestQuote } from './verdict.js';

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

export interface DepthComparison {
  ticker: string;
  referenceId: string;
  tickerDrawdown: number;
  referenceDepth: number;
  /** tickerDrawdown / referenceDepth: 1 = as deep as the reference. */
  ratio: number;
  band: string;
  speed: SpeedComparison;
}

export interface DrawdownClaimResult {
  id: string;
  kind: 'drawdown_vs_reference';
  text: DrawdownClaimConfig['text'];
  metric: DrawdownClaimConfig['metric'];
  aggregate: { tickers: 'all' | 'any'; references: 'all' | 'any' };
  verdict: string;
  /** The comparison whose ratio decided the verdict; null when data are missing. */
  deciding: { ticker: string; referenceId: string; ratio: number } | null;
  tickers: TickerFall[];
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
  // Per ticker, the comparison that stands for it (best or worst over references).
  const perTicker: DepthComparison[] = [];
  // "any" keeps the highest ratio, "all" the lowest; on a tie the earlier (config order) stays.
  const pick = (mode: 'all' | 'any') => (a: DepthComparison, b: DepthComparison) =>
    (mode === 'any' ? b.ratio > a.ratio : b.ratio < a.ratio) ? b : a;

  for (const ticker of claim.tickers) {
    const closes = ctx.closes.get(ticker) ?? [];
    const fall = tickerFall(claim, ticker, closes, ctx);
    if (!fall) {
      missing.push(ticker);
      continue;
    }
    falls.push(fall);
    const mine: DepthComparison[] = [];
    for (const id of claim.references) {
      const ref = ctx.episodes.get(id);
      if (!ref) continue;
      // + 0 turns the -0 of an undamaged ticker into 0.
      const ratio = fall.drawdown / ref.depth + 0;
      mine.push({
        ticker,
        referenceId: id,
        tickerDrawdown: fall.drawdown,
        referenceDepth: ref.depth,
        ratio,
        band: bandVerdict(ratio, claim.bands, claim.below),
        speed: speedComparison(ref, ctx.closes.get(ref.symbol), fall.sessionsSincePeak, fall.drawdown),
      });
    }
    comparisons.push(...mine);
    if (mine.length > 0) perTicker.push(mine.reduce(pick(claim.aggregate.references)));
  }

  const complete = perTicker.length > 0 && (claim.aggregate.tickers === 'any' || missing.length === 0);
  const decider = complete ? perTicker.reduce(pick(claim.aggregate.tickers)) : null;
  return {
    id: claim.id,
    kind: claim.kind,
    text: claim.text,
    metric: claim.metric,
    aggregate: { ...claim.aggregate },
    verdict: decider ? decider.band : INSUFFICIENT_DATA,
    deciding: decider && { ticker: decider.ticker, referenceId: decider.referenceId, ratio: decider.ratio },
    tickers: falls,
    comparisons,
    missing,
  };
}
