// The incremental form of summarizeSymbol (pure): what one pass of scanEpisodes and the 52-week and
// year-to-date lookups hold at the last close, so a day's new bars advance it in O(new bars) instead
// of a re-read of the whole history. summaryFromState(advanceState(null, closes), asOf) equals
// summarizeSymbol(closes, asOf) for every asOf on or after the last close (the property tests hold
// it to that, byte for byte): the same comparisons in the same order, the same float expressions.
import type { ClosePoint, IsoDate } from '../../domain.js';
import { minusYears } from '../../market/iso-date.js';
import type { DrawdownEpisode } from './episodes.js';
import type { SymbolDrawdown } from './drawdown.js';

/** Bumped whenever the shape or meaning changes: a stored state of another version is rebuilt. */
export const DRAWDOWN_STATE_VERSION = 1;

/** Closed episodes kept: the report lists the 5 deepest (summarizeSymbol's default `top`). */
export const STATE_TOP_EPISODES = 5;

/** One close and its position in the series (0-based session number). */
export interface Mark {
  i: number;
  date: IsoDate;
  close: number;
}

export interface ClosedEpisode {
  peak: Mark;
  trough: Mark;
  recovery: Mark;
}

export interface DrawdownState {
  version: typeof DRAWDOWN_STATE_VERSION;
  first: Mark;
  last: Mark;
  /** The running maximum, at its last date (scanEpisodes' `peak`): the all-time high. */
  peak: Mark;
  /** Lowest close since the peak (the first of equals); null while at the running max. */
  trough: Mark | null;
  /** The deepest closed episodes, in scanEpisodes' buffer order (deepest first, earlier on ties). */
  deepest: ClosedEpisode[];
  /**
   * Closes strictly higher than every later close, dated within a year of the last close: for any
   * asOf on or after it, the 52-week high is the first of them dated after asOf - 1 year.
   */
  highs: Mark[];
  /** The last close dated before the year of `last` (the year-to-date base); null if none. */
  priorYearLast: Mark | null;
}

const depthOf = (e: { peak: Mark; trough: Mark }): number => e.trough.close / e.peak.close - 1;

/** scanEpisodes' offer(): strictly deeper goes first, an equal depth stays behind the earlier one. */
function offer<E extends { peak: Mark; trough: Mark }>(buffer: E[], e: E, keep: number): void {
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
export function advanceState(state: DrawdownState | null, points: readonly ClosePoint[], label = 'series'): DrawdownState | null {
  if (points.length === 0) return state;
  let s: DrawdownState;
  let from = 0;
  if (state) {
    s = { ...state, deepest: [...state.deepest], highs: [...state.highs] };
  } else {
    const p = points[0]!;
    checkPoint(p, null, label);
    const m: Mark = { i: 0, date: p.date, close: p.close };
    s = { version: DRAWDOWN_STATE_VERSION, first: m, last: m, peak: m, trough: null, deepest: [], highs: [m], priorYearLast: null };
    from = 1;
  }
  for (let k = from; k < points.length; k++) {
    const p = points[k]!;
    checkPoint(p, s.last.date, label);
    const m: Mark = { i: s.last.i + 1, date: p.date, close: p.close };
    // The episode scan (scanEpisodes' loop body).
    if (m.close >= s.peak.close) {
      if (s.trough) offer(s.deepest, { peak: s.peak, trough: s.trough, recovery: m }, STATE_TOP_EPISODES);
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

/** toEpisode's shape and key order, from marks instead of indices into a series. */
function episodeOf(peak: Mark, trough: Mark, recovery: Mark | null): DrawdownEpisode {
  return {
    peakDate: peak.date,
    peakClose: peak.close,
    troughDate: trough.date,
    troughClose: trough.close,
    recoveryDate: recovery === null ? null : recovery.date,
    depth: trough.close / peak.close - 1,
    sessionsToTrough: trough.i - peak.i,
    sessionsToRecovery: recovery === null ? null : recovery.i - peak.i,
  };
}

/**
 * summarizeSymbol's result as of `asOf` (on or after the state's last close) from the state alone.
 * `top` at most STATE_TOP_EPISODES.
 */
export function summaryFromState(s: DrawdownState, asOf: IsoDate, top = STATE_TOP_EPISODES): SymbolDrawdown {
  if (s.last.date > asOf) throw new RangeError(`the state ends on ${s.last.date}, after the report date ${asOf}`);
  if (top > STATE_TOP_EPISODES) throw new RangeError(`the state keeps ${STATE_TOP_EPISODES} episodes, ${top} were asked for`);
  // What scanEpisodes does after its loop: the open episode is offered last.
  const current = s.trough ? { peak: s.peak, trough: s.trough, recovery: null } : null;
  const buffer: { peak: Mark; trough: Mark; recovery: Mark | null }[] = [...s.deepest];
  if (current) offer(buffer, current, STATE_TOP_EPISODES);
  const max = buffer[0];
  const after = minusYears(asOf, 1);
  const best = s.highs.find((h) => h.date > after) ?? null;
  const inYear = s.last.date.slice(0, 4) === asOf.slice(0, 4);
  const base = s.priorYearLast ?? s.first;
  return {
    firstDate: s.first.date,
    lastDate: s.last.date,
    lastClose: s.last.close,
    sessions: s.last.i + 1,
    athDate: s.peak.date,
    athClose: s.peak.close,
    drawdown: s.last.close / s.peak.close - 1,
    maxDrawdown: max ? episodeOf(max.peak, max.trough, max.recovery) : episodeOf(s.first, s.first, s.first),
    periods: buffer.slice(0, top).map((e) => episodeOf(e.peak, e.trough, e.recovery)),
    current: current && episodeOf(current.peak, current.trough, null),
    high52w: best && { date: best.date, close: best.close, drawdown: s.last.close / best.close - 1 },
    ytd: inYear
      ? {
          baseDate: base.date,
          baseClose: base.close,
          basis: s.priorYearLast ? 'prior_year_close' : 'first_close',
          value: s.last.close / base.close - 1,
        }
      : null,
  };
}
