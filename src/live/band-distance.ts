// Pure: how far a claim ticker is from the next verdict band of the drawdown claim ("ORCL: 4.1 % more
// to 'comparable' with 2008"). The claim's rule (drawdown-claim.ts) puts ratio = drawdown / reference
// depth into bands listed by decreasing min; a band's edge is therefore a drawdown (min x depth), and
// that drawdown a price: ATH x (1 + min x depth). The distance is the move of the live price to it.
import type { Band } from '../analysis/claims/config.js';
import { bandVerdict } from '../analysis/claims/verdict.js';

export interface BandDistance {
  ticker: string;
  referenceId: string;
  /** drawdown / reference depth now. */
  ratio: number;
  verdict: string;
  /** The next deeper band, or null when the deepest is reached. */
  next: {
    verdict: string;
    /** The price at the band's edge. */
    price: number;
    /** Further fall of the price to reach it, a positive fraction (0.041 = 4.1 % more). */
    fall: number;
  } | null;
  /** The rise that would drop the verdict back to the band below, or null when in the lowest one. */
  recovery: { verdict: string; price: number; rise: number } | null;
}

/**
 * `drawdown` is the live drawdown (price / athClose - 1, at most 0); `referenceDepth` negative.
 * Returns null for an undamaged reference (depth >= 0: the ratio means nothing).
 */
export function distanceToNextBand(
  input: { ticker: string; referenceId: string; price: number; athClose: number; referenceDepth: number },
  bands: readonly Band[],
  below: string,
): BandDistance | null {
  const { ticker, referenceId, price, athClose, referenceDepth } = input;
  if (!(referenceDepth < 0) || !(price > 0) || !(athClose > 0)) return null;
  const drawdown = Math.min(0, price / athClose - 1);
  const ratio = drawdown / referenceDepth + 0;
  const verdict = bandVerdict(ratio, bands, below);
  const sorted = [...bands].sort((a, b) => b.min - a.min);
  const edgePrice = (min: number) => athClose * (1 + min * referenceDepth);
  // Deeper bands have a higher min; the next one is the lowest min above the ratio.
  const deeper = sorted.filter((b) => b.min > ratio).at(-1);
  const current = sorted.find((b) => ratio >= b.min);
  const lower = current ? sorted[sorted.indexOf(current) + 1] : undefined;
  const nextPrice = deeper ? edgePrice(deeper.min) : null;
  return {
    ticker,
    referenceId,
    ratio,
    verdict,
    next:
      deeper && nextPrice !== null && nextPrice > 0
        ? { verdict: deeper.verdict, price: nextPrice, fall: 1 - nextPrice / price }
        : null,
    recovery: current
      ? { verdict: lower?.verdict ?? below, price: edgePrice(current.min), rise: edgePrice(current.min) / price - 1 }
      : null,
  };
}
