// Ordinary least squares of y on one regressor x with an intercept (pure): y = alpha + beta * x + e.
// The market model of an event study is this regression of a stock's daily returns on its benchmark's.
// Sums are taken about the means (two passes) rather than from raw sums of squares: daily returns are
// small numbers with a mean near zero, and raw sums would lose digits to cancellation.

export interface LineFit {
  alpha: number;
  beta: number;
  /** sqrt(sum of squared residuals / (n - 2)): two parameters were estimated from the n points. */
  residualSd: number;
  n: number;
}

/**
 * The least-squares line through (x[i], y[i]). Null when it is not defined: fewer than three points
 * (no degree of freedom left for the residual spread), lengths that differ, or an x without spread.
 */
export function fitLine(x: readonly number[], y: readonly number[]): LineFit | null {
  const n = x.length;
  if (n !== y.length || n < 3) return null;
  let sumX = 0;
  let sumY = 0;
  for (let i = 0; i < n; i++) {
    sumX += x[i]!;
    sumY += y[i]!;
  }
  const meanX = sumX / n;
  const meanY = sumY / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - meanX;
    sxx += dx * dx;
    sxy += dx * (y[i]! - meanY);
  }
  if (!(sxx > 0)) return null;
  const beta = sxy / sxx;
  const alpha = meanY - beta * meanX;
  let ssr = 0;
  for (let i = 0; i < n; i++) {
    const e = y[i]! - (alpha + beta * x[i]!);
    ssr += e * e;
  }
  return { alpha, beta, residualSd: Math.sqrt(ssr / (n - 2)), n };
}
