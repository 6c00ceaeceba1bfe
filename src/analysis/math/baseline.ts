// A figure of one period set against the same figure in earlier periods (pure): median and
// percentile, with the definitions the report states so that anyone can redo them.
// - median: the middle value of the sorted list; with an even count, the mean of the two middle ones;
// - percentile (mid-rank): 100 * (values below + half the values equal) / count. Integer counts such as
//   swings tie often; the mid-rank puts a value equal to every baseline value at 50, not at 0 or 100.

/** Null for an empty list. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >>> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Mid-rank percentile (0-100) of `value` among `baseline`; null for an empty baseline. */
export function midRankPercentile(value: number, baseline: readonly number[]): number | null {
  if (baseline.length === 0) return null;
  let below = 0;
  let equal = 0;
  for (const v of baseline) {
    if (v < value) below++;
    else if (v === value) equal++;
  }
  return (100 * (below + equal / 2)) / baseline.length;
}

export interface BaselineComparison {
  /** The judged period's figure. */
  value: number;
  /** Median of the baseline periods' figures. */
  median: number;
  /** Mid-rank percentile of the value among them. */
  percentile: number;
  /** value > median, strictly: a value equal to its own median is an ordinary period, not a frenzied one. */
  aboveMedian: boolean;
}

/** Null when the value is unknown or there is no baseline. */
export function compareWithBaseline(value: number | null, baseline: readonly number[]): BaselineComparison | null {
  const mid = median(baseline);
  if (value === null || mid === null) return null;
  return { value, median: mid, percentile: midRankPercentile(value, baseline)!, aboveMedian: value > mid };
}
