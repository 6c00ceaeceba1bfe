// Claims math (pure): one evaluator per claim kind, each returning a verdict id and the figures behind
// it. Which metric drives each verdict is named in config/claims.json (claim.metric) and documented at
// the top of each evaluator's file.
import type { ClaimsConfig } from './config.js';
import { evaluateDrawdownClaim, type DrawdownClaimResult } from './drawdown-claim.js';
import { evaluateNewsClaim, type NewsClaimResult } from './news-claim.js';
import { evaluateSwingClaim, type SwingClaimResult } from './swing-claim.js';
import type { ClaimContext } from './verdict.js';
import { evaluateChaseClaim, type ChaseClaimResult } from './chase-claim.js';
import { evaluateOverextendedClaim, type OverextendedClaimResult } from './overextended-claim.js';
import { evaluateForwardClaim, type ForwardClaimResult } from './forward-claim.js';

export type ClaimResult =
  | DrawdownClaimResult
  | SwingClaimResult
  | NewsClaimResult
  | ChaseClaimResult
  | OverextendedClaimResult
  | ForwardClaimResult;

export { evaluateDrawdownClaim, marketValueLoss, speedComparison } from './drawdown-claim.js';
export type {
  DepthComparison,
  DrawdownClaimResult,
  MarketValueLoss,
  SpeedComparison,
  TickerFall,
  WindowFall,
} from './drawdown-claim.js';
export { evaluateSwingClaim } from './swing-claim.js';
export type { SwingClaimResult, TickerSwings } from './swing-claim.js';
export { evaluateNewsClaim } from './news-claim.js';
export type { EventReaction, EventStatus, NewsClaimResult } from './news-claim.js';
export { evaluateChaseClaim } from './chase-claim.js';
export type { BenchmarkExcess, ChaseClaimResult, TickerChase } from './chase-claim.js';
export { evaluateOverextendedClaim } from './overextended-claim.js';
export type { OverextendedClaimResult, TickerDownDayVolume, TickerRunUp } from './overextended-claim.js';
export { NOT_TESTABLE_YET, evaluateForwardClaim } from './forward-claim.js';
export type { ForwardClaimResult } from './forward-claim.js';
export { INSUFFICIENT_DATA, bandVerdict } from './verdict.js';
export type { ClaimContext, LatestQuote } from './verdict.js';

/** Every claim of the config, in config order. */
export function evaluateClaims(config: ClaimsConfig, ctx: ClaimContext): ClaimResult[] {
  return config.claims.map((claim) => {
    switch (claim.kind) {
      case 'drawdown_vs_reference':
        return evaluateDrawdownClaim(claim, ctx);
      case 'swings':
        return evaluateSwingClaim(claim, ctx);
      case 'news_events':
        return evaluateNewsClaim(claim, ctx);
      case 'returns_vs_benchmarks':
        return evaluateChaseClaim(claim, ctx);
      case 'overextended_selling':
        return evaluateOverextendedClaim(claim, ctx);
      case 'forward_looking':
        return evaluateForwardClaim(claim);
    }
  });
}
