// What each claim kind's view returns (the sentences, tables and chart of its card), and the sentences
// about the future, which only say what would test them. The chase and the over-extended names have
// their own files (chase-view.ts, overextended-view.ts); claim-views.ts calls them all.
import type { ForwardClaimResult } from '../../../analysis/claims/forward-claim.js';
import type { Formatter } from '../number-format.js';
import { pick, type Messages } from '../i18n.js';
import type { ClaimView } from './types.js';

export type ClaimViewParts = Pick<ClaimView, 'sentences' | 'table' | 'comparison'> & Pick<Partial<ClaimView>, 'extraTables'>;

export function forwardParts(m: Messages, f: Formatter, claim: ForwardClaimResult): ClaimViewParts {
  return { sentences: [m.forwardClaim.whyNot, m.forwardClaim.wouldTestIt(pick(claim.wouldTestIt, f.lang))], table: null, comparison: null };
}
