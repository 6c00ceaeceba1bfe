// Pure: prices that are valid numbers but cannot be real, judged against the closes around them. A
// row-level check before storing (the split-adjusted closes of a daily chart do not jump a thousand-
// fold from one week to the next); re-basings of whole histories are the overlap check's business.
import type { DailyBar, IsoDate } from './domain.js';

/** A price more than this many times the closes around it, or less than its inverse, is absurd. */
export const ABSURD_FACTOR = 1000;

/** Sessions on each side whose closes make a bar's neighbourhood. */
export const NEIGHBOURS = 5;

/** Each price of a bar, named as rejection reasons name it, and the neighbours' series it is judged by. */
const PRICES = [
  ['open', 'open', 'close'],
  ['high', 'high', 'close'],
  ['low', 'low', 'close'],
  ['close', 'close', 'close'],
  ['adj close', 'adjClose', 'adjClose'],
] as const;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The bars whose prices are absurd next to their neighbourhood, each with why. `bars` are one symbol's,
 * sorted by date; the neighbourhood of a bar is the up to NEIGHBOURS bars before and after it, and its
 * reference the median of their closes (adjusted closes for the adjusted close): a median, so two
 * absurd rows side by side do not vouch for each other. A bar with a split in its neighbourhood's span
 * is not judged (a split not yet adjusted for moves prices by its ratio), nor is a bar alone.
 */
export function absurdPrices(bars: readonly DailyBar[], splitDates: readonly IsoDate[]): Map<IsoDate, string> {
  const out = new Map<IsoDate, string>();
  for (let i = 0; i < bars.length; i++) {
    const around = [...bars.slice(Math.max(0, i - NEIGHBOURS), i), ...bars.slice(i + 1, i + 1 + NEIGHBOURS)];
    if (around.length === 0) continue;
    const from = around[0]!.tradeDate;
    const to = around.at(-1)!.tradeDate;
    if (splitDates.some((d) => d > from && d <= to)) continue;
    const reference = {
      close: median(around.map((b) => b.close)),
      adjClose: medianOf(around.map((b) => b.adjClose)),
    };
    const bar = bars[i]!;
    for (const [name, field, basis] of PRICES) {
      const value = bar[field];
      const ref = reference[basis];
      if (value == null || ref == null) continue;
      const ratio = value / ref;
      if (ratio > ABSURD_FACTOR || ratio < 1 / ABSURD_FACTOR) {
        out.set(
          bar.tradeDate,
          `${name} ${value} is ${ratio > 1 ? `${fmt(ratio)}x` : `1/${fmt(1 / ratio)} of`} the ${basis === 'close' ? 'closes' : 'adjusted closes'} around it ` +
            `(median ${ref} over ${around.length} sessions, ${from} to ${to}) with no split on record: more than ${ABSURD_FACTOR}x off, not a real price`,
        );
        break;
      }
    }
  }
  return out;
}

function medianOf(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v != null);
  return present.length ? median(present) : null;
}

function fmt(x: number): string {
  return x >= 1e6 ? x.toExponential(1) : String(Math.round(x));
}
