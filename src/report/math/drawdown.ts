// Drawdown engine (pure). Semantics follow pyfolio's get_top_drawdowns / get_max_drawdown_underwater:
// - underwater = close / running max - 1; an episode is a maximal run of underwater < 0;
// - peak = the last date at the running max before the valley (a tie with the max moves the peak on);
// - valley (trough) = the first lowest close before the recovery;
// - recovery = the first close at or above the peak close, null while the episode is open;
// - episodes never overlap (one episode's recovery may be the next one's peak).
// pyfolio finds the deepest episode, drops its span and repeats; because every episode is one run
// between two zeros of the same underwater series, that equals ranking the runs by depth, which a
// single O(n) pass does here (ties: the earlier episode first, as idxmin picks the first minimum).
import type { ClosePoint, IsoDate } from '../../domain.js';
import { minusYears, startOfYear } from '../../market/iso-date.js';
import { lastIndexOnOrBefore } from './series.js';

/** Positions of one episode in a close series. */
export interface EpisodeIndices {
  peak: number;
  trough: number;
  recovery: number | null;
}

export interface DrawdownEpisode {
  peakDate: IsoDate;
  peakClose: number;
  troughDate: IsoDate;
  troughClose: number;
  recoveryDate: IsoDate | null;
  /** troughClose / peakClose - 1: a fraction <= 0 (-0.4064). */
  depth: number;
  /** Trading sessions (rows, whatever the calendar gaps) from peak to trough. */
  sessionsToTrough: number;
  /** Sessions from peak to recovery; null while unrecovered. */
  sessionsToRecovery: number | null;
}

export interface EpisodeScan {
  /** The deepest episode; null when the series never closed below its running max. */
  max: EpisodeIndices | null;
  /** Deepest first, at most `top`, never overlapping. */
  top: EpisodeIndices[];
  /** The episode still open at the last close, if any. */
  current: EpisodeIndices | null;
  /** Last index at the running max: the all-time high as of the last close. */
  ath: number;
}

/** Throws unless dates strictly ascend and closes are finite and > 0: anything else is an upstream bug. */
export function assertCloseSeries(points: readonly ClosePoint[], label = 'series'): void {
  let prev = '';
  for (const [i, p] of points.entries()) {
    if (!(Number.isFinite(p.close) && p.close > 0)) {
      throw new RangeError(`${label}[${i}] (${p.date}): close must be a finite number > 0 (got ${p.close})`);
    }
    if (p.date <= prev) throw new RangeError(`${label}[${i}]: date ${p.date} does not come after ${prev}`);
    prev = p.date;
  }
}

/** The points dated on or before `asOf` (the input must be ascending). */
export function closesAsOf(points: readonly ClosePoint[], asOf: IsoDate): ClosePoint[] {
  return points.slice(0, lastIndexOnOrBefore(points, asOf) + 1);
}

/** The points with from <= date <= to (the input must be ascending). */
export function closesBetween(points: readonly ClosePoint[], from: IsoDate, to: IsoDate): ClosePoint[] {
  return points.filter((p) => p.date >= from && p.date <= to);
}

function depthOf(closes: readonly number[], e: EpisodeIndices): number {
  return closes[e.trough]! / closes[e.peak]! - 1;
}

/** One pass: every episode is offered to a small sorted buffer of the deepest (O(n * top)). */
export function scanEpisodes(closes: readonly number[], top = 5): EpisodeScan {
  // The buffer keeps at least one entry: its head is the maximum drawdown.
  const keep = Math.max(1, top);
  const best: { e: EpisodeIndices; depth: number }[] = [];
  const offer = (e: EpisodeIndices): void => {
    const depth = depthOf(closes, e);
    // Strictly deeper goes first; an equal depth stays behind the earlier episode.
    let at = best.length;
    while (at > 0 && depth < best[at - 1]!.depth) at--;
    if (at < keep) {
      best.splice(at, 0, { e, depth });
      if (best.length > keep) best.pop();
    }
  };

  let peak = 0;
  let trough = -1; // -1 while at the running max
  for (let i = 1; i < closes.length; i++) {
    const c = closes[i]!;
    if (c >= closes[peak]!) {
      if (trough >= 0) offer({ peak, trough, recovery: i });
      trough = -1;
      peak = i;
    } else if (trough < 0 || c < closes[trough]!) {
      trough = i;
    }
  }
  const current = trough >= 0 ? { peak, trough, recovery: null } : null;
  if (current) offer(current);
  return { max: best[0]?.e ?? null, top: best.slice(0, top).map((b) => b.e), current, ath: peak };
}

export function toEpisode(points: readonly ClosePoint[], e: EpisodeIndices): DrawdownEpisode {
  const peak = points[e.peak]!;
  const trough = points[e.trough]!;
  return {
    peakDate: peak.date,
    peakClose: peak.close,
    troughDate: trough.date,
    troughClose: trough.close,
    recoveryDate: e.recovery === null ? null : points[e.recovery]!.date,
    depth: trough.close / peak.close - 1,
    sessionsToTrough: e.trough - e.peak,
    sessionsToRecovery: e.recovery === null ? null : e.recovery - e.peak,
  };
}

/**
 * pyfolio's answer for a series that never fell: peak = valley = recovery = the first date, depth 0
 * (get_max_drawdown_underwater on an all-zero underwater series).
 */
function noDrawdown(points: readonly ClosePoint[]): DrawdownEpisode {
  return toEpisode(points, { peak: 0, trough: 0, recovery: 0 });
}

/** The deepest episode of the points (pyfolio's zero episode when they never fell); null when empty. */
export function maxDrawdownOf(points: readonly ClosePoint[]): DrawdownEpisode | null {
  if (points.length === 0) return null;
  const scan = scanEpisodes(points.map((p) => p.close), 1);
  return scan.max ? toEpisode(points, scan.max) : noDrawdown(points);
}

export interface YearToDate {
  baseDate: IsoDate;
  baseClose: number;
  /** 'prior_year_close' normally; 'first_close' for a symbol first listed in the year of asOf. */
  basis: 'prior_year_close' | 'first_close';
  value: number;
}

export interface High52w {
  date: IsoDate;
  close: number;
  /** Last close / 52-week high - 1. */
  drawdown: number;
}

export interface SymbolDrawdown {
  firstDate: IsoDate;
  lastDate: IsoDate;
  lastClose: number;
  sessions: number;
  athDate: IsoDate;
  athClose: number;
  /** Current drawdown from the all-time high (0 at a new high). */
  drawdown: number;
  maxDrawdown: DrawdownEpisode;
  /** Up to `top` episodes, deepest first; empty when the series never fell. */
  periods: DrawdownEpisode[];
  /** The open episode (recoveryDate null), if the last close is below the all-time high. */
  current: DrawdownEpisode | null;
  /** Highest close in (asOf - 1 year, asOf]; null when no close falls in that window. */
  high52w: High52w | null;
  /** null when no close falls in asOf's year. */
  ytd: YearToDate | null;
}

function high52wOf(points: readonly ClosePoint[], asOf: IsoDate): High52w | null {
  const after = minusYears(asOf, 1);
  let best: ClosePoint | null = null;
  for (let i = points.length - 1; i >= 0 && points[i]!.date > after; i--) {
    // Walking backwards, a strict > keeps the latest date among equal highs (the pyfolio peak rule).
    if (!best || points[i]!.close > best.close) best = points[i]!;
  }
  const last = points[points.length - 1]!;
  return best && { date: best.date, close: best.close, drawdown: last.close / best.close - 1 };
}

function ytdOf(points: readonly ClosePoint[], asOf: IsoDate): YearToDate | null {
  // No close in asOf's year: there is no year-to-date move to report, not a 0 % one.
  if (points[points.length - 1]!.date.slice(0, 4) !== asOf.slice(0, 4)) return null;
  const before = closesAsOf(points, minusDay(startOfYear(asOf)));
  const base = before.at(-1) ?? points[0]!;
  return {
    baseDate: base.date,
    baseClose: base.close,
    basis: before.length > 0 ? 'prior_year_close' : 'first_close',
    value: points[points.length - 1]!.close / base.close - 1,
  };
}

// 'YYYY-01-01' minus one day is always 31 December of the year before.
function minusDay(yearStart: IsoDate): IsoDate {
  return `${String(Number(yearStart.slice(0, 4)) - 1).padStart(4, '0')}-12-31`;
}

/**
 * Everything the report says about one symbol as of a date, from the closes on or before it.
 * Returns null when no close is dated on or before asOf.
 */
export function analyzeSymbol(series: readonly ClosePoint[], asOf: IsoDate, top = 5): SymbolDrawdown | null {
  const points = closesAsOf(series, asOf);
  if (points.length === 0) return null;
  const scan = scanEpisodes(
    points.map((p) => p.close),
    top,
  );
  const last = points[points.length - 1]!;
  const ath = points[scan.ath]!;
  return {
    firstDate: points[0]!.date,
    lastDate: last.date,
    lastClose: last.close,
    sessions: points.length,
    athDate: ath.date,
    athClose: ath.close,
    drawdown: last.close / ath.close - 1,
    maxDrawdown: scan.max ? toEpisode(points, scan.max) : noDrawdown(points),
    periods: scan.top.map((e) => toEpisode(points, e)),
    current: scan.current && toEpisode(points, scan.current),
    high52w: high52wOf(points, asOf),
    ytd: ytdOf(points, asOf),
  };
}
