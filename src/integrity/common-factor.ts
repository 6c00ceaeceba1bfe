// Pure: is a stored bar the source's bar on another basis? A split, a reverse split or a silent
// re-basing multiplies every price of the history before it by one factor; a dividend does the same to
// the adjusted close alone. One bar pair gives a factor when all its prices agree on it; many pairs
// give a common factor when enough of them agree on the same one.
import type { DailyBar } from '../domain.js';
import { samePrice, scaledPrice } from './tolerance.js';

/** The fields a split re-bases (volume goes the other way and is rounded: never used to find a factor). */
export const PRICE_FIELDS = ['open', 'high', 'low', 'close'] as const;

export type PricedBar = Pick<DailyBar, 'tradeDate' | 'open' | 'high' | 'low' | 'close' | 'adjClose' | 'volume'>;

/** Two factors closer than this (relative) are the same factor: real ratios are exact, noise is ~1e-7. */
const SAME_FACTOR = 1e-4;

/**
 * The factor f with source = f x stored for every price of the pair (open, high, low, close, as far as
 * both have them), or null when the prices do not agree on one. 1 when they are the same prices.
 */
export function priceFactor(stored: PricedBar, source: PricedBar): number | null {
  const f = source.close / stored.close;
  for (const field of PRICE_FIELDS) {
    const a = stored[field];
    const b = source[field];
    if (a === null || b === null) {
      if (a !== b) return null;
      continue;
    }
    if (!scaledPrice(a, b, f)) return null;
  }
  return PRICE_FIELDS.every((field) => sameNullable(stored[field], source[field])) ? 1 : f;
}

/** source.adjClose / stored.adjClose, 1 when they are the same; null when either is missing. */
export function adjCloseFactor(stored: PricedBar, source: PricedBar): number | null {
  if (stored.adjClose === null || source.adjClose === null) return null;
  return samePrice(stored.adjClose, source.adjClose) ? 1 : source.adjClose / stored.adjClose;
}

function sameNullable(a: number | null, b: number | null): boolean {
  return a === null || b === null ? a === b : samePrice(a, b);
}

export function sameFactor(a: number, b: number): boolean {
  return Math.abs(a - b) <= SAME_FACTOR * Math.max(Math.abs(a), Math.abs(b));
}

export interface Consensus {
  factor: number;
  /** How many of the values agree on it. */
  agreeing: number;
}

/**
 * The factor other than 1 that most of `factors` agree on (null entries are pairs without one), with
 * how many agree: the median of the largest group of values within SAME_FACTOR of each other. Null
 * when every factor is 1 or missing.
 */
export function dominantFactor(factors: readonly (number | null)[]): Consensus | null {
  const changed = factors.filter((f): f is number => f !== null && f !== 1).sort((a, b) => a - b);
  let best: number[] = [];
  for (let i = 0; i < changed.length; ) {
    let j = i + 1;
    while (j < changed.length && sameFactor(changed[i]!, changed[j]!)) j++;
    if (j - i > best.length) best = changed.slice(i, j);
    i = j;
  }
  if (best.length === 0) return null;
  return { factor: best[Math.floor(best.length / 2)]!, agreeing: best.length };
}

/** A factor for people: 0.1, 0.5, 2, 0.999683 (six significant digits at most, no trailing zeros). */
export function formatFactor(factor: number): string {
  return String(Number(factor.toPrecision(6)));
}
