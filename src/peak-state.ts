// The running peak each symbol's row in symbol_state keeps (pure): what one pass of scanEpisodes and
// the 52-week and year-to-date lookups hold at the last close, so a day's new bars advance it in
// O(new bars) instead of a re-read of the whole history. It sits below both its users: src/db advances
// it in the transaction that writes the bars (src/db/symbol-state.ts), and src/analysis reads a
// drawdown summary off it (analysis/math/peak-summary.ts: summaryFromState(advancePeakState(null,
// closes), asOf) equals summarizeSymbol(closes, asOf), byte for byte, which the property tests hold).
import type { ClosePoint, IsoDate } from './domain.js';
import { minusYears } from './market/iso-date.js';

/** Bumped whenever the shape or meaning changes: a stored state of another version is rebuilt. */
export const PEAK_STATE_VERSION = 1;

/** Closed episodes kept: the report lists the 5 deepest (summarizeSymbol's default `top`). */
export const PEAK_STATE_TOP_EPISODES = 5;

/** One close and its position in the series (0-based session number). */
export interface IndexedClose {
  i: number;
  date: IsoDate;
  close: number;
}

export interface ClosedEpisode {
  peak: IndexedClose;
  trough: IndexedClose;
  recovery: IndexedClose;
}

export interface PeakState {
  version: typeof PEAK_STATE_VERSION;
  first: IndexedClose;
  last: IndexedClose;
  /** The running maximum, at its last date (scanEpisodes' `peak`): the all-time high. */
  peak: IndexedClose;
  /** Lowest close since the peak (the first of equals); null while at the running max. */
  trough: IndexedClose | null;
  /** The deepest closed episodes, in scanEpisodes' buffer order (deepest first, earlier on ties). */
  deepest: ClosedEpisode[];
  /**
   * Closes strictly higher than every later close, dated within a year of the last close: for any
   * asOf on or after it, the 52-week high is the first of them dated after asOf - 1 year.
   */
  highs: IndexedClose[];
  /** The last close dated before the year of `last` (the year-to-date base); null if none. */
  priorYearLast: IndexedClose | null;
}

const depthOf = (e: { peak: IndexedClose; trough: IndexedClose }): number => e.trough.close / e.peak.close - 1;

/** scanEpisodes' offer(): strictly deeper goes first, an equal depth stays behind the earlier one. */
export function offerEpisode<E extends { peak: IndexedClose; trough: IndexedClose }>(buffer: E[], e: E, keep: number): void {
  const depth = depthOf(e);
  let at = buffer.length;
  while (at > 0 && depth < depthOf(buffer[at - 1]!)) at--;
  if (at < keep) {
    buffer.splice(at, 0, e);
    if (buffer.length > keep) buffer.pop();
  }
}

function checkPoint(p: ClosePoint, after: IsoDate | null, label: string): void {
  if (!(Number.isFinite(p.close) && p.close > 0)) throw new RangeError(`${label} (${p.date}): close must be a finite number > 0 (got ${p.close})`);
  if (after !== null && p.date <= after) throw new RangeError(`${label}: date ${p.date} does not come after ${after}`);
}

/**
 * The state after the given closes, which must come after the state's last close, in date order
 * (null state: the closes are the whole history). Returns a new state; the input is not changed.
 */
export function advancePeakState(state: PeakState | null, points: readonly ClosePoint[], label = 'series'): PeakState | null {
  if (points.length === 0) return state;
  let s: PeakState;
  let from = 0;
  if (state) {
    s = { ...state, deepest: [...state.deepest], highs: [...state.highs] };
  } else {
    const p = points[0]!;
    checkPoint(p, null, label);
    const m: IndexedClose = { i: 0, date: p.date, close: p.close };
    s = { version: PEAK_STATE_VERSION, first: m, last: m, peak: m, trough: null, deepest: [], highs: [m], priorYearLast: null };
    from = 1;
  }
  for (let k = from; k < points.length; k++) {
    const p = points[k]!;
    checkPoint(p, s.last.date, label);
    const m: IndexedClose = { i: s.last.i + 1, date: p.date, close: p.close };
    // The episode scan (scanEpisodes' loop body).
    if (m.close >= s.peak.close) {
      if (s.trough) offerEpisode(s.deepest, { peak: s.peak, trough: s.trough, recovery: m }, PEAK_STATE_TOP_EPISODES);
      s.trough = null;
      s.peak = m;
    } else if (!s.trough || m.close < s.trough.close) {
      s.trough = m;
    }
    // The 52-week candidates: a later close at or above an earlier one retires it for good.
    while (s.highs.length > 0 && s.highs[s.highs.length - 1]!.close <= m.close) s.highs.pop();
    s.highs.push(m);
    const oldest = minusYears(m.date, 1);
    let drop = 0;
    while (drop < s.highs.length - 1 && s.highs[drop]!.date <= oldest) drop++;
    if (drop > 0) s.highs.splice(0, drop);
    if (m.date.slice(0, 4) !== s.last.date.slice(0, 4)) s.priorYearLast = s.last;
    s.last = m;
  }
  return s;
}

/**
 * True when the state's all-time high is its last close: then the high before it is not in the state
 * (its running maximum moved on), and a reader that needs it reads it from the bars.
 */
export function peakIsLast(state: PeakState): boolean {
  return state.peak.i === state.last.i;
}
