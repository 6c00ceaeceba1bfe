// Pure: what a symbol's live price needs from its stored closes, instead of all of them: the last two
// closes, and the all-time high with and without the last close (a partial bar of the session trading
// now gives way to the live quote, so its close must not count as a high). The daemon takes it from
// the stored drawdown state and the last two bars (basisFromState), which reads a few rows instead of
// the whole history and holds nothing between refreshes; closeBasis gives the same from the closes,
// for a symbol without a usable state. The tests hold the two to each other.
import type { ClosePoint } from '../domain.js';
import { peakIsLast, type IndexedClose, type PeakState } from '../peak-state.js';

export interface CloseBasis {
  last: ClosePoint;
  /** The close before the last; null for a single close. */
  previous: ClosePoint | null;
  /** The highest close, the latest of equal ones (the report's peak rule). */
  high: ClosePoint;
  /** The highest close before the last one (the latest of equals); null for a single close. */
  highBefore: ClosePoint | null;
}

/** The basis of closes in date order; null when there are none. */
export function closeBasis(closes: readonly ClosePoint[]): CloseBasis | null {
  const last = closes.at(-1);
  if (!last) return null;
  let highBefore: ClosePoint | null = null;
  // >= keeps the latest date among equal highs, as the report's peak rule does.
  for (let i = 0; i < closes.length - 1; i++) if (!highBefore || closes[i]!.close >= highBefore.close) highBefore = closes[i]!;
  return {
    last,
    previous: closes.at(-2) ?? null,
    high: highBefore && highBefore.close > last.close ? highBefore : last,
    highBefore,
  };
}

const pointOf = (m: IndexedClose): ClosePoint => ({ date: m.date, close: m.close });

/**
 * The basis from a symbol's running peak state, the close before its last, and (only when peakIsLast) the
 * highest close before the last. When the peak is not the last close, every later close is lower, so
 * the peak is also the high before the last.
 */
export function basisFromState(state: PeakState, previous: ClosePoint | null, highBeforeLast: ClosePoint | null): CloseBasis {
  return {
    last: pointOf(state.last),
    previous,
    high: pointOf(state.peak),
    highBefore: peakIsLast(state) ? highBeforeLast : pointOf(state.peak),
  };
}

/**
 * What src/db/live-data.ts reads for a symbol's basis: its running peak state with the close before
 * its last (and, only when peakIsLast, the highest close before the last), or, for a symbol without a
 * usable state, its closes.
 */
export type CloseBasisSource =
  | { from: 'state'; state: PeakState; previous: ClosePoint | null; highBeforeLast: ClosePoint | null }
  | { from: 'closes'; closes: readonly ClosePoint[] };

/** The basis from what was read (null: no closes). */
export function basisOf(source: CloseBasisSource): CloseBasis | null {
  return source.from === 'state' ? basisFromState(source.state, source.previous, source.highBeforeLast) : closeBasis(source.closes);
}
