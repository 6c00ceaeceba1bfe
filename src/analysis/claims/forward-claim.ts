// A sentence about the future (e.g. 「價格重置只是時間問題」): no price series on or before asOf can
// confirm or refute it, so it gets no verdict, only what would test it (from config/claims.json).
import type { ForwardClaimConfig } from './config.js';

/** The verdict of every forward-looking sentence. */
export const NOT_TESTABLE_YET = 'not_testable_yet';

export interface ForwardClaimResult {
  id: string;
  kind: 'forward_looking';
  text: ForwardClaimConfig['text'];
  saidBy: ForwardClaimConfig['saidBy'];
  metric: 'not_measurable';
  verdict: typeof NOT_TESTABLE_YET;
  wouldTestIt: ForwardClaimConfig['wouldTestIt'];
}

export function evaluateForwardClaim(claim: ForwardClaimConfig): ForwardClaimResult {
  return {
    id: claim.id,
    kind: claim.kind,
    text: claim.text,
    saidBy: claim.saidBy,
    metric: 'not_measurable',
    verdict: NOT_TESTABLE_YET,
    wouldTestIt: claim.wouldTestIt,
  };
}
