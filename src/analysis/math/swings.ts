// Zig-zag swings (pure): how often a price turned by at least `threshold` (10 % by default).
// Definition: a swing is a move of >= threshold from the last confirmed turning point (the running
// extreme of the previous swing) in the opposite direction. The first swing is the first move of
// >= threshold from the lowest or highest close seen so far. A swing is counted on the session that
// confirms it (the close that completes the threshold move); its end keeps extending while the price
// goes on in the same direction, so the last swing's end is provisional.
import type { ClosePoint, IsoDate } from '../../domain.js';

export interface Swing {
  direction: 'up' | 'down';
  fromDate: IsoDate;
  fromClose: number;
  /** The extreme reached before the next swing (provisional for the last one). */
  toDate: IsoDate;
  toClose: number;
  /** toClose / fromClose - 1. */
  change: number;
  /** The session whose close first completed the threshold move. */
  confirmedDate: IsoDate;
}

interface Leg {
  up: boolean;
  from: number;
  to: number;
  confirmed: number;
}

/** O(n): every close either extends the current swing or may confirm the next one. */
export function zigZagSwings(points: readonly ClosePoint[], threshold = 0.1): Swing[] {
  if (!(threshold > 0 && threshold < 1)) throw new RangeError(`threshold must be in (0, 1), got ${threshold}`);
  const c = (i: number): number => points[i]!.close;
  const legs: Leg[] = [];
  let lo = 0;
  let hi = 0;
  for (let i = 1; i < points.length; i++) {
    const leg = legs[legs.length - 1];
    if (!leg) {
      // No direction yet: wait for the first threshold move away from either extreme.
      if (c(i) >= c(lo) * (1 + threshold)) legs.push({ up: true, from: lo, to: i, confirmed: i });
      else if (c(i) <= c(hi) * (1 - threshold)) legs.push({ up: false, from: hi, to: i, confirmed: i });
      else if (c(i) < c(lo)) lo = i;
      else if (c(i) > c(hi)) hi = i;
    } else if (leg.up ? c(i) > c(leg.to) : c(i) < c(leg.to)) {
      leg.to = i;
    } else if (leg.up ? c(i) <= c(leg.to) * (1 - threshold) : c(i) >= c(leg.to) * (1 + threshold)) {
      legs.push({ up: !leg.up, from: leg.to, to: i, confirmed: i });
    }
  }
  return legs.map((l) => ({
    direction: l.up ? 'up' : 'down',
    fromDate: points[l.from]!.date,
    fromClose: c(l.from),
    toDate: points[l.to]!.date,
    toClose: c(l.to),
    change: c(l.to) / c(l.from) - 1,
    confirmedDate: points[l.confirmed]!.date,
  }));
}
