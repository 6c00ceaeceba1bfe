// How over-extended each stock was, against its own history (pure). A 50 % year is ordinary for
// NVDA and extraordinary for AMZN, so "over-extended" is read per stock: its run-up in the judged
// window against the run-ups of the same calendar span in each of its earlier years.
//
// - Judged window: from claim.runUpFrom through claim.runUpTo (the day before the article: peaks
//   reached after it do not count), cut at asOf.
// - A window's run-up: its highest close (the first of equal highs) over the last close before the
//   window, minus one. A stock listed inside the judged window starts at its first close; it has no
//   earlier years, so it is shown and not judged.
// - Earlier windows: the judged window moved back by whole years (2025-01-01..2025-12-31, then
//   2024-01-01..2024-12-31, ...), each counted when the history spans it (a close within a week of both
//   ends, as coversWindow has it) and has a close before it.
// - Percentile: mid-rank (baseline.ts) of the judged run-up among the earlier ones; a stock with
//   fewer than claim.minBaselineYears of them has none. Over-extended: percentile >= claim.overextendedPercentile.
// - Fall: the last close (asOf) over the judged window's peak, minus one (positive once the stock has
//   risen past that peak).
import type { ClosePoint, IsoDate } from '../../domain.js';
import { addDays, minusYears } from '../../market/iso-date.js';
import { midRankPercentile } from '../math/baseline.js';
import { coversWindow, lastIndexOnOrBefore } from '../math/series.js';
import type { OverextendedClaimConfig } from './config.js';

export interface PastRunUp {
  from: IsoDate;
  to: IsoDate;
  runUp: number;
}

export interface TickerRunUp {
  ticker: string;
  baseDate: IsoDate;
  baseClose: number;
  peakDate: IsoDate;
  peakClose: number;
  lastDate: IsoDate;
  lastClose: number;
  runUp: number;
  /** Last close over the peak close, minus one: negative after a fall, positive once past the peak. */
  fall: number;
  /** Listed inside the judged window: the run-up starts at its first close. */
  listedInWindow: boolean;
  /** The same span in each earlier year the history covers, newest first. */
  pastRunUps: PastRunUp[];
  /** Mid-rank percentile (0-100) of runUp among pastRunUps; null with fewer than minBaselineYears. */
  percentile: number | null;
  /** percentile >= overextendedPercentile; null without a percentile. */
  overextended: boolean | null;
}

/** The judged window: claim.runUpFrom through claim.runUpTo, cut at asOf. */
export function runUpWindow(claim: OverextendedClaimConfig, asOf: IsoDate): { from: IsoDate; to: IsoDate } {
  return { from: claim.runUpFrom, to: claim.runUpTo < asOf ? claim.runUpTo : asOf };
}

/** The highest close in points[from..to] (indexes), the first of equal highs. */
function peakIndex(points: readonly ClosePoint[], from: number, to: number): number {
  let peak = from;
  for (let i = from + 1; i <= to; i++) if (points[i]!.close > points[peak]!.close) peak = i;
  return peak;
}

/** The run-up of one earlier window; null when the history does not span it or has no close before it. */
function pastRunUp(points: readonly ClosePoint[], from: IsoDate, to: IsoDate): PastRunUp | null {
  if (!coversWindow(points, from, to)) return null;
  const base = lastIndexOnOrBefore(points, addDays(from, -1));
  const end = lastIndexOnOrBefore(points, to);
  if (base < 0 || end <= base) return null;
  return { from, to, runUp: points[peakIndex(points, base + 1, end)]!.close / points[base]!.close - 1 };
}

/** Every earlier year's window the history covers, newest first. */
function pastRunUps(points: readonly ClosePoint[], window: { from: IsoDate; to: IsoDate }): PastRunUp[] {
  const out: PastRunUp[] = [];
  const first = points[0]!.date;
  for (let k = 1; ; k++) {
    const from = minusYears(window.from, k);
    const to = minusYears(window.to, k);
    if (to < first) break;
    const r = pastRunUp(points, from, to);
    if (r) out.push(r);
  }
  return out;
}

/** One stock's run-up and fall, against its own earlier years; null without a close in the judged window. */
export function tickerRunUp(
  ticker: string,
  points: readonly ClosePoint[] | undefined,
  claim: OverextendedClaimConfig,
  asOf: IsoDate,
): TickerRunUp | null {
  if (!points || points.length === 0) return null;
  const window = runUpWindow(claim, asOf);
  const before = lastIndexOnOrBefore(points, addDays(window.from, -1));
  const end = lastIndexOnOrBefore(points, window.to);
  if (end <= before) return null;
  const base = before >= 0 ? before : 0;
  const peak = peakIndex(points, before + 1, end);
  const last = points.at(-1)!;
  const runUp = points[peak]!.close / points[base]!.close - 1;
  const listedInWindow = before < 0;
  const past = listedInWindow ? [] : pastRunUps(points, window);
  const percentile = past.length >= claim.minBaselineYears ? midRankPercentile(runUp, past.map((r) => r.runUp)) : null;
  return {
    ticker,
    baseDate: points[base]!.date,
    baseClose: points[base]!.close,
    peakDate: points[peak]!.date,
    peakClose: points[peak]!.close,
    lastDate: last.date,
    lastClose: last.close,
    runUp,
    fall: last.close / points[peak]!.close - 1,
    listedInWindow,
    pastRunUps: past,
    percentile,
    overextended: percentile === null ? null : percentile >= claim.overextendedPercentile,
  };
}
