// Claim: investors are accelerating sales of names seen as over-extended (「顯示投資人正加速拋售被認為
// 過度擴張的標的」, Zhang Lu's view: 「她觀察到」). Two rules, one per claim.metric, both always shown:
// - runup_fall_rank_correlation: each ticker's run-up is its highest close on or after claim.runUpFrom
//   (through asOf) over its last close before runUpFrom (a later listing: its first close), minus one;
//   its fall is the last close over that peak, minus one. Spearman's rho (average ranks for ties) of the
//   run-up against the depth of the fall (-fall): positive when the names that rose most fell most.
// - share_with_heavier_down_day_volume: a down day is a session whose close is below the previous
//   session's. Recent window: the ticker's last claim.recentSessions sessions; baseline: up to
//   claim.baselineSessions sessions before them (at least claim.minBaselineSessions). A ticker counts
//   when its mean volume on recent down days is at least claim.minVolumeRatio times its mean volume on
//   baseline down days; the share of tickers that count is the figure.
// Either figure goes into claim.bands; every named ticker must be measured, else insufficient data.
import type { ClosePoint, IsoDate, VolumePoint } from '../../domain.js';
import { addDays } from '../../market/iso-date.js';
import { spearman } from '../math/rank-correlation.js';
import { lastIndexOnOrBefore } from '../math/series.js';
import type { OverextendedClaimConfig } from './config.js';
import { INSUFFICIENT_DATA, bandVerdict, type ClaimContext } from './verdict.js';

export interface TickerRunUp {
  ticker: string;
  baseDate: IsoDate;
  baseClose: number;
  peakDate: IsoDate;
  peakClose: number;
  lastDate: IsoDate;
  lastClose: number;
  runUp: number;
  /** Last close over the peak close, minus one (<= 0). */
  fall: number;
}

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
  /** The same for up days (close above the previous), to tell selling from volume rising on all days. */
  upRatio: number | null;
  heavier: boolean;
}

export interface OverextendedClaimResult {
  id: string;
  kind: 'overextended_selling';
  text: OverextendedClaimConfig['text'];
  saidBy: OverextendedClaimConfig['saidBy'];
  metric: OverextendedClaimConfig['metric'];
  runUpFrom: IsoDate;
  recentSessions: number;
  baselineSessions: number;
  minBaselineSessions: number;
  minVolumeRatio: number;
  verdict: string;
  /** The figure the bands read (rho or share); null when it can't be measured. */
  figure: number | null;
  rankCorrelation: number | null;
  runUps: TickerRunUp[];
  /** Tickers counted as heavier, of those measured. */
  counted: number;
  share: number | null;
  volumes: TickerDownDayVolume[];
  /** Named tickers the driving metric could not measure. */
  missing: string[];
}

function runUpOf(ticker: string, points: readonly ClosePoint[] | undefined, from: IsoDate): TickerRunUp | null {
  if (!points || points.length === 0 || points.at(-1)!.date < from) return null;
  const before = lastIndexOnOrBefore(points, addDays(from, -1));
  const b = before >= 0 ? before : 0;
  let peak = before + 1;
  // The first of equal highs: the run-up ended the first time the stock got there.
  for (let i = peak + 1; i < points.length; i++) if (points[i]!.close > points[peak]!.close) peak = i;
  const base = points[b]!;
  const top = points[peak]!;
  const last = points.at(-1)!;
  return {
    ticker,
    baseDate: base.date,
    baseClose: base.close,
    peakDate: top.date,
    peakClose: top.close,
    lastDate: last.date,
    lastClose: last.close,
    runUp: top.close / base.close - 1,
    fall: last.close / top.close - 1,
  };
}

const mean = (xs: readonly number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

function downDayVolumeOf(
  ticker: string,
  claim: OverextendedClaimConfig,
  points: readonly ClosePoint[] | undefined,
  volumes: readonly VolumePoint[] | undefined,
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
    upRatio: recentUp === null || baselineUp === null || baselineUp === 0 ? null : recentUp / baselineUp,
    heavier: downRatio >= claim.minVolumeRatio,
  };
}

export function evaluateOverextendedClaim(claim: OverextendedClaimConfig, ctx: ClaimContext): OverextendedClaimResult {
  const runUps: TickerRunUp[] = [];
  const volumes: TickerDownDayVolume[] = [];
  const noRunUp: string[] = [];
  const noVolume: string[] = [];
  for (const ticker of claim.tickers) {
    const points = ctx.closes.get(ticker);
    const r = runUpOf(ticker, points, claim.runUpFrom);
    if (r) runUps.push(r);
    else noRunUp.push(ticker);
    const v = downDayVolumeOf(ticker, claim, points, ctx.volumes.get(ticker));
    if (v) volumes.push(v);
    else noVolume.push(ticker);
  }
  const rankCorrelation = spearman(
    runUps.map((r) => r.runUp),
    runUps.map((r) => -r.fall),
  );
  const counted = volumes.filter((v) => v.heavier).length;
  const share = volumes.length > 0 ? counted / volumes.length : null;
  const byRank = claim.metric === 'runup_fall_rank_correlation';
  const figure = byRank ? rankCorrelation : share;
  const missing = byRank ? noRunUp : noVolume;
  return {
    id: claim.id,
    kind: claim.kind,
    text: claim.text,
    saidBy: claim.saidBy,
    metric: claim.metric,
    runUpFrom: claim.runUpFrom,
    recentSessions: claim.recentSessions,
    baselineSessions: claim.baselineSessions,
    minBaselineSessions: claim.minBaselineSessions,
    minVolumeRatio: claim.minVolumeRatio,
    verdict: figure === null || missing.length > 0 ? INSUFFICIENT_DATA : bandVerdict(figure, claim.bands, claim.below),
    figure,
    rankCorrelation,
    runUps,
    counted,
    share,
    volumes,
    missing,
  };
}
