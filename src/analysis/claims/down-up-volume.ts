// Volume on down days against up days, each against the stock's own year (pure): the over-extended
// claim's volume reading. Heavy volume on down days alone is no sign of selling when the up days ran
// just as heavy (QCOM at 2026-05-29: down days at 2.58x its usual, up days at 3.34x, at an all-time
// high), so the up days are the control: a stock counts only when its down-day ratio beats its
// up-day ratio by claim.minVolumeRatio.
//
// - A down day closes below the previous session, an up day above it; unchanged days are neither.
// - Recent window: the stock's last claim.recentSessions sessions; baseline: up to
//   claim.baselineSessions sessions before them (at least claim.minBaselineSessions), about a year.
// - downRatio: mean volume on recent down days over mean volume on baseline down days; upRatio the
//   same for up days; relativeRatio = downRatio / upRatio.
import type { ClosePoint, IsoDate, VolumePoint } from '../../domain.js';
import type { OverextendedClaimConfig } from './config.js';

export interface TickerDownDayVolume {
  ticker: string;
  recentFrom: IsoDate;
  recentTo: IsoDate;
  baselineFrom: IsoDate;
  baselineTo: IsoDate;
  recentDownDays: number;
  baselineDownDays: number;
  recentDownVolume: number;
  baselineDownVolume: number;
  /** recentDownVolume / baselineDownVolume. */
  downRatio: number;
  /** The same for up days; null when either window has no up day (then nothing controls the down days). */
  upRatio: number | null;
  /** downRatio / upRatio: above 1 when down days gained more volume than up days did. */
  relativeRatio: number | null;
  /** The stock is judged by the claim (over-extended); the others are shown for comparison. */
  judged: boolean;
  /** Judged, and relativeRatio >= minVolumeRatio with downRatio above upRatio. */
  heavier: boolean;
}

const mean = (xs: readonly number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** Null when the stock has too short a baseline or no volume on down days in either window. */
export function downUpVolume(
  ticker: string,
  claim: OverextendedClaimConfig,
  points: readonly ClosePoint[] | undefined,
  volumes: readonly VolumePoint[] | undefined,
  judged: boolean,
): TickerDownDayVolume | null {
  if (!points || !volumes || volumes.length === 0) return null;
  const n = points.length;
  const recentStart = n - claim.recentSessions;
  // Each day needs the close before it, so the baseline can start at index 1 at the earliest.
  const baselineStart = Math.max(1, recentStart - claim.baselineSessions);
  if (recentStart - baselineStart < claim.minBaselineSessions) return null;
  const volumeOn = new Map<IsoDate, number>();
  const since = points[baselineStart]!.date;
  for (let i = volumes.length - 1; i >= 0 && volumes[i]!.date >= since; i--) volumeOn.set(volumes[i]!.date, volumes[i]!.volume);
  const collect = (from: number, to: number, down: boolean): number[] => {
    const out: number[] = [];
    for (let i = from; i < to; i++) {
      const change = points[i]!.close - points[i - 1]!.close;
      const v = volumeOn.get(points[i]!.date);
      if (v !== undefined && (down ? change < 0 : change > 0)) out.push(v);
    }
    return out;
  };
  const recentDown = collect(recentStart, n, true);
  const baselineDown = collect(baselineStart, recentStart, true);
  const recentDownVolume = mean(recentDown);
  const baselineDownVolume = mean(baselineDown);
  if (recentDownVolume === null || baselineDownVolume === null || baselineDownVolume === 0) return null;
  const recentUp = mean(collect(recentStart, n, false));
  const baselineUp = mean(collect(baselineStart, recentStart, false));
  const downRatio = recentDownVolume / baselineDownVolume;
  const upRatio = recentUp === null || baselineUp === null || baselineUp === 0 ? null : recentUp / baselineUp;
  const relativeRatio = upRatio === null || upRatio === 0 ? null : downRatio / upRatio;
  return {
    ticker,
    recentFrom: points[recentStart]!.date,
    recentTo: points[n - 1]!.date,
    baselineFrom: points[baselineStart]!.date,
    baselineTo: points[recentStart - 1]!.date,
    recentDownDays: recentDown.length,
    baselineDownDays: baselineDown.length,
    recentDownVolume,
    baselineDownVolume,
    downRatio,
    upRatio,
    relativeRatio,
    judged,
    heavier: judged && upRatio !== null && relativeRatio !== null && downRatio > upRatio && relativeRatio >= claim.minVolumeRatio,
  };
}
