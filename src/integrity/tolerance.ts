// Pure: when two prices are the same price. Stored prices are NUMERIC, exact as they came; what moves
// them between two readings of the same bar is only how a feed writes numbers: six decimals (the sim,
// CSV exports) or single-precision floats (Yahoo's JSON: 114.82499694824219 for 114.825, 6e-8 apart).
// Anything beyond that is a real difference: a revision, or another basis.

/** Absolute part of the price tolerance: a millionth, the sixth decimal feeds round to. */
export const PRICE_ABS_TOLERANCE = 1e-6;
/** Relative part: one part per million of the price, well above single-precision float noise. */
export const PRICE_REL_TOLERANCE = 1e-6;

/** The tolerance in words, for output that compares prices (verify states it). */
export const PRICE_TOLERANCE_TEXT = 'prices equal within 0.000001 + 1 ppm of the price; volume exactly';

/** True when `a` and `b` are the same price within rounding. */
export function samePrice(a: number, b: number): boolean {
  return Math.abs(a - b) <= PRICE_ABS_TOLERANCE + PRICE_REL_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * True when `source` is `factor` times `stored` within rounding: the stored price's own rounding is
 * scaled by the factor too (a 1:10 reverse split multiplies it by ten).
 */
export function scaledPrice(stored: number, source: number, factor: number): boolean {
  const expected = stored * factor;
  const tolerance = PRICE_ABS_TOLERANCE * (1 + Math.abs(factor)) + PRICE_REL_TOLERANCE * Math.max(Math.abs(source), Math.abs(expected));
  return Math.abs(source - expected) <= tolerance;
}

/** Two nullable values of a field are the same: both missing, or both there and equal by `same`. */
export function sameOrBothMissing<T>(a: T | null, b: T | null, same: (x: T, y: T) => boolean): boolean {
  if (a === null || b === null) return a === b;
  return same(a, b);
}
