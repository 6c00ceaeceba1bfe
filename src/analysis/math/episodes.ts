// Drawdown episodes (pure). Semantics follow pyfolio's get_top_drawdowns / get_max_drawdown_underwater:
// - underwater = close / running max - 1; an episode is a maximal run of underwater < 0;
// - peak = the last date at the running max before the valley (a tie with the max moves the peak on);
// - valley (trough) = the first lowest close before the recovery;
// - recovery = the first close at or above the peak close, null while the episode is open;
// - episodes never overlap (one episode's recovery may be the next one's peak).
// pyfolio finds the deepest episode, drops its span and repeats; because every episode is one run
// between two zeros of the same underwater series, that equals ranking the runs by depth, which a
// single O(n) pass does here (ties: the earlier episode first, as idxmin picks the first minimum).
import type { ClosePoint, IsoDate } from '../../domain.js';

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
export function noDrawdown(points: readonly ClosePoint[]): DrawdownEpisode {
  return toEpisode(points, { peak: 0, trough: 0, recovery: 0 });
}

/** The deepest episode of the points (pyfolio's zero episode when they never fell); null when empty. */
export function maxDrawdownOf(points: readonly ClosePoint[]): DrawdownEpisode | null {
  if (points.length === 0) return null;
  const scan = scanEpisodes(points.map((p) => p.close), 1);
  return scan.max ? toEpisode(points, scan.max) : noDrawdown(points);
}
