// Lookups on an ascending close series (pure). Binary searches, so the claims math stays O(log n)
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
