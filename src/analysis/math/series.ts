// Checks and lookups on an ascending close series (pure). Binary searches, so the claims math stays O(log n)
// per lookup on 12,000-row histories.
import type { ClosePoint, IsoDate } from '../../domain.js';
import { addDays } from '../../market/iso-date.js';

/** Index of the last point dated on or before `date`; -1 when there is none. */
export function lastIndexOnOrBefore(points: readonly ClosePoint[], date: IsoDate): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid]!.date <= date) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Index of the point dated exactly `date`; -1 when absent. */
export function indexOfDate(points: readonly ClosePoint[], date: IsoDate): number {
  const i = lastIndexOnOrBefore(points, date);
  return i >= 0 && points[i]!.date === date ? i : -1;
}

/** Calendar days between a window's edge and its nearest session (New Year, a long weekend). */
const WINDOW_EDGE_GRACE_DAYS = 7;

/**
 * True when the series spans the whole window: it has closes within a week of both ends. A symbol
 * listed mid-window would show a partial, misleading fall.
 */
export function coversWindow(points: readonly ClosePoint[], from: IsoDate, to: IsoDate): boolean {
  const first = points[0];
  const last = points[points.length - 1];
  return !!first && !!last && (
    first.date <= addDays(from, WINDOW_EDGE_GRACE_DAYS) && last.date >= addDays(to, -WINDOW_EDGE_GRACE_DAYS)
  );
}

/**
 * Throws unless dates strictly ascend, closes are finite and > 0 and, given `asOf`, no point comes
 * after it: the database cuts the history at the report date, so anything else is an upstream bug.
 */
export function assertCloseSeries(points: readonly ClosePoint[], label = 'series', asOf?: IsoDate): void {
  const last = points.at(-1);
  if (asOf !== undefined && last && last.date > asOf) {
    throw new RangeError(`${label}: a close dated ${last.date} is after the report date ${asOf} (the history must be cut at it)`);
  }
  let prev = '';
  for (const [i, p] of points.entries()) {
    if (!(Number.isFinite(p.close) && p.close > 0)) {
      throw new RangeError(`${label}[${i}] (${p.date}): close must be a finite number > 0 (got ${p.close})`);
    }
    if (p.date <= prev) throw new RangeError(`${label}[${i}]: date ${p.date} does not come after ${prev}`);
    prev = p.date;
  }
}

/** The points with from <= date <= to (the input must be ascending). */
export function closesBetween(points: readonly ClosePoint[], from: IsoDate, to: IsoDate): ClosePoint[] {
  return points.filter((p) => p.date >= from && p.date <= to);
}
