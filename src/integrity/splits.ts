// Pure: which split on record accounts for a factor. A 10:1 split divides every earlier price by ten,
// so it explains a re-basing by 0.1 (source = 0.1 x stored) and, in unadjusted prices, a fall to a
// tenth from one close to the next.
import type { CorporateAction, IsoDate } from '../domain.js';

export interface SplitEvent {
  tradeDate: IsoDate;
  numerator: number;
  denominator: number;
}

/** A split's share of a factor may differ from it this much (relative): ratios are exact, prices round. */
const SAME_RATIO = 1e-3;

export function splitsOf(actions: readonly CorporateAction[]): SplitEvent[] {
  return actions
    .filter((a) => a.kind === 'split' && a.numerator !== null && a.denominator !== null)
    .map((a) => ({ tradeDate: a.tradeDate, numerator: a.numerator!, denominator: a.denominator! }));
}

/** How a split multiplies the prices before it: 10:1 -> 0.1, 1:10 -> 10. */
export function splitFactor(split: SplitEvent): number {
  return split.denominator / split.numerator;
}

/** "10:1", "1:10" */
export function splitRatio(split: SplitEvent): string {
  return `${split.numerator}:${split.denominator}`;
}

/** The newest split whose ratio is the re-basing `factor`, or null when none on record is. */
export function splitExplaining(factor: number, splits: readonly SplitEvent[]): SplitEvent | null {
  const newestFirst = [...splits].sort((a, b) => (a.tradeDate < b.tradeDate ? 1 : a.tradeDate > b.tradeDate ? -1 : 0));
  return newestFirst.find((s) => Math.abs(splitFactor(s) / factor - 1) <= SAME_RATIO) ?? null;
}
