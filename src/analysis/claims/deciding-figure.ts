// The one number behind each claim's verdict (pure), read off any claim kind's result: what the
// verdict history tracks session by session. A new claim kind adds its line here; the history,
// its chart and table then follow it without further change.
import type { AnyBand, ClaimConfig } from './config.js';
import type { ClaimResult } from './evaluate.js';

export function decidingFigure(result: ClaimResult): number | null {
  switch (result.kind) {
    case 'drawdown_vs_reference':
      return result.deciding?.ratio ?? null;
    case 'swings':
      return result.share;
    case 'news_events': {
      // The verdict reads all / some / none of the judged events as abnormal: that share.
      const judged = result.events.filter((e) => e.reaction === 'rallied' || e.reaction === 'fell' || e.reaction === 'muted');
      return judged.length ? judged.filter((e) => e.reaction !== 'muted').length / judged.length : null;
    }
    // The chase's and the over-extended claim's figure is a p-value when their metric is one.
    case 'returns_vs_benchmarks':
    case 'overextended_selling':
      return result.figure;
    case 'forward_looking':
      return null;
  }
}

/**
 * The bands that turn the figure into a verdict, when the claim has them (news and forward claims
 * don't): lower bands for a share or ratio, upper bands for a p-value.
 */
export function verdictBands(claim: ClaimConfig): { bands: readonly AnyBand[]; below: string } | null {
  return 'bands' in claim ? { bands: claim.bands, below: claim.below } : null;
}
