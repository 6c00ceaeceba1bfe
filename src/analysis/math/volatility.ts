// Realised volatility (pure): the annualised sample standard deviation of daily log returns.
// empyrical's annual_volatility is the same estimator (ddof = 1, times sqrt(periods per year)) on
// simple returns; log returns are used here because they add up across sessions.
import type { ClosePoint, IsoDate } from '../../domain.js';

export const SESSIONS_PER_YEAR = 252;

/** Sample standard deviation (divides by n - 1); null for fewer than two values. Welford: one pass, stable. */
export function sampleStdev(values: readonly number[]): number | null {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (const v of values) {
    n++;
    const d = v - mean;
    mean += d / n;
    m2 += d * (v - mean);
  }
  return n < 2 ? null : Math.sqrt(m2 / (n - 1));
}

export function annualise(dailyStdev: number, periodsPerYear = SESSIONS_PER_YEAR): number {
  return dailyStdev * Math.sqrt(periodsPerYear);
}

export interface RealisedVolatility {
  /** Annualised, as a fraction (0.45 = 45 %). */
  value: number;
  /** Number of daily returns behind it. */
  returns: number;
}

/**
 * Annualised volatility of the log returns whose later close is dated after `after` (exclusive; omit it
 * for the whole series). Null with fewer than two returns.
 */
export function realisedVolatility(points: readonly ClosePoint[], after?: IsoDate): RealisedVolatility | null {
  const logs: number[] = [];
  for (let i = 1; i < points.length; i++) {
    if (after !== undefined && points[i]!.date <= after) continue;
    logs.push(Math.log(points[i]!.close / points[i - 1]!.close));
  }
  const sd = sampleStdev(logs);
  return sd === null ? null : { value: annualise(sd), returns: logs.length };
}
