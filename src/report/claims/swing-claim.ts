// Claim: "the market swings between frenzy and doubt". Driving metric (claim.metric):
// - share_with_min_swings: the share of tickers with at least claim.minSwings zig-zag swings of
//   >= claim.swingThreshold confirmed in the last year (asOf - 1 year, asOf];
// - share_with_elevated_volatility: the share whose last-year realised volatility exceeds their own
//   full-history volatility.
// The share goes into claim.bands. Each ticker's swing rate and volatility against its own history are
// reported either way.
import type { IsoDate } from '../../domain.js';
import type { SwingClaimConfig } from './config.js';
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
  verdict: string;
  /** The driving share; null when no ticker has data. */
  share: number | null;
  /** Tickers that count towards the share, and tickers with data. */
  counted: number;
  measured: number;
  tickers: TickerSwings[];
  missing: string[];
}

const ratio = (a: number | null, b: number | null): number | null =>
  a === null || b === null || b === 0 ? null : a / b;

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
    });
  }
  const counts = (t: TickerSwings): boolean =>
    claim.metric === 'share_with_min_swings' ? t.meetsMinSwings : t.elevatedVolatility === true;
  const counted = tickers.filter(counts).length;
  const share = tickers.length > 0 ? counted / tickers.length : null;
  return {
    id: claim.id,
    kind: claim.kind,
    text: claim.text,
    metric: claim.metric,
    swingThreshold: claim.swingThreshold,
    minSwings: claim.minSwings,
    lastYearAfter: after,
    // Every named ticker must be measured: a share over a subset would be a different claim.
    verdict: share === null || missing.length > 0 ? INSUFFICIENT_DATA : bandVerdict(share, claim.bands, claim.below),
    share,
    counted,
    measured: tickers.length,
    tickers,
    missing,
  };
}
