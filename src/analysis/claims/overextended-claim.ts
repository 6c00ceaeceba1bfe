// Claim: investors are accelerating sales of names seen as over-extended (「顯示投資人正加速拋售被認為
// 過度擴張的標的」, Zhang Lu's view: 「她觀察到」). One sentence, one verdict, two readings; claim.metric
// names the one that decides, the other is shown:
// - the fall reading (overextension_fall_rank_p): each stock's over-extension is the percentile of its
//   run-up among its own earlier years (overextension.ts); Spearman's rho of that percentile against
//   the depth of its fall since the peak (-fall), over the stocks with a baseline, and rho's one-sided
//   exact permutation p (math/rank-permutation.ts). If investors sold what had run furthest beyond its
//   own habits, the most over-extended fell most: rho > 0. The stocks that were not over-extended
//   stay in the test: they are the comparison that makes "fell most" mean anything.
// - the volume reading (share_with_heavier_down_day_volume): of the over-extended stocks only, the
//   share whose down days gained more volume than their up days by claim.minVolumeRatio (down-up-volume.ts).
// Beside them, the earlier rule for comparison: rho of the raw run-ups (a listing from its first close)
// with the same capped peaks, and its p.
// Verdict: the deciding figure into claim.bands (p < 0.05 supported, p < 0.10 partly, else not
// supported); claim.underpowered when too few stocks are judged for any ordering to reach the first
// band; insufficient data when fewer than claim.minBaselineCoverage of the named stocks have a baseline.
import type { IsoDate } from '../../domain.js';
import { rankPermutationTest, type RankPermutationTest } from '../math/rank-permutation.js';
import { isUpperBands, type OverextendedClaimConfig } from './config.js';
import { downUpVolume, type TickerDownDayVolume } from './down-up-volume.js';
import { runUpWindow, tickerRunUp, type TickerRunUp } from './overextension.js';
import { INSUFFICIENT_DATA, bandVerdict, type ClaimContext } from './verdict.js';

export type { PastRunUp, TickerRunUp } from './overextension.js';
export type { TickerDownDayVolume } from './down-up-volume.js';

export interface OverextendedClaimResult {
  id: string;
  kind: 'overextended_selling';
  text: OverextendedClaimConfig['text'];
  saidBy: OverextendedClaimConfig['saidBy'];
  metric: OverextendedClaimConfig['metric'];
  /** The judged run-up window: runUpFrom through runUpTo, cut at asOf. */
  runUpWindow: { from: IsoDate; to: IsoDate };
  runUpFrom: IsoDate;
  runUpTo: IsoDate;
  minBaselineYears: number;
  minBaselineCoverage: number;
  overextendedPercentile: number;
  recentSessions: number;
  baselineSessions: number;
  minBaselineSessions: number;
  minVolumeRatio: number;
  verdict: string;
  /** The deciding reading's figure (the fall reading's p, or the volume reading's share); null when not measured. */
  figure: number | null;
  runUps: TickerRunUp[];
  /** Stocks with prices but no baseline (a listing inside the window, too few earlier years): shown, not judged. */
  unmeasured: string[];
  /** The fall reading: over-extension percentile against the depth of the fall, over the stocks with a baseline. */
  fallTest: RankPermutationTest | null;
  /** Its rho (kept under the name earlier reports used). */
  rankCorrelation: number | null;
  /** The earlier rule, for comparison: raw run-ups of every stock with one, same capped peaks. */
  rawRunUpTest: RankPermutationTest | null;
  /** Every stock's volume figures; only the over-extended ones are judged. */
  volumes: TickerDownDayVolume[];
  /** Over-extended stocks with volume figures, and how many of them count as heavier on down days. */
  judgedVolumes: number;
  counted: number;
  share: number | null;
  /** Named tickers with no prices in the window at all. */
  missing: string[];
}

/** The fall reading's verdict from its test: insufficient, underpowered, or the p into the bands. */
function fallVerdict(claim: OverextendedClaimConfig, test: RankPermutationTest | null): string {
  if (!test) return INSUFFICIENT_DATA;
  const bands = claim.bands;
  // The most extreme ordering gives minP: if even that misses the first band, the data cannot decide.
  if (isUpperBands(bands) && test.minP >= bands[0]!.max) return claim.underpowered;
  return bandVerdict(test.p, bands, claim.below);
}

export function evaluateOverextendedClaim(claim: OverextendedClaimConfig, ctx: ClaimContext): OverextendedClaimResult {
  const runUps: TickerRunUp[] = [];
  const missing: string[] = [];
  for (const ticker of claim.tickers) {
    const r = tickerRunUp(ticker, ctx.closes.get(ticker), claim, ctx.asOf);
    if (r) runUps.push(r);
    else missing.push(ticker);
  }
  const withBaseline = runUps.filter((r) => r.percentile !== null);
  const unmeasured = runUps.filter((r) => r.percentile === null).map((r) => r.ticker);
  const fallTest = rankPermutationTest(
    withBaseline.map((r) => r.percentile!),
    withBaseline.map((r) => -r.fall),
  );
  const rawRunUpTest = rankPermutationTest(
    runUps.map((r) => r.runUp),
    runUps.map((r) => -r.fall),
  );
  const overextended = new Set(withBaseline.filter((r) => r.overextended).map((r) => r.ticker));
  const volumes = claim.tickers.flatMap((t) => downUpVolume(t, claim, ctx.closes.get(t), ctx.volumes.get(t), overextended.has(t)) ?? []);
  const judgedVolumes = volumes.filter((v) => v.judged);
  const counted = judgedVolumes.filter((v) => v.heavier).length;
  const share = judgedVolumes.length > 0 ? counted / judgedVolumes.length : null;
  const covered = withBaseline.length / claim.tickers.length >= claim.minBaselineCoverage;
  const byFall = claim.metric === 'overextension_fall_rank_p';
  const figure = byFall ? (fallTest?.p ?? null) : share;
  const verdict = !covered
    ? INSUFFICIENT_DATA
    : byFall
      ? fallVerdict(claim, fallTest)
      : share === null
        ? INSUFFICIENT_DATA
        : bandVerdict(share, claim.bands, claim.below);
  return {
    id: claim.id,
    kind: claim.kind,
    text: claim.text,
    saidBy: claim.saidBy,
    metric: claim.metric,
    runUpWindow: runUpWindow(claim, ctx.asOf),
    runUpFrom: claim.runUpFrom,
    runUpTo: claim.runUpTo,
    minBaselineYears: claim.minBaselineYears,
    minBaselineCoverage: claim.minBaselineCoverage,
    overextendedPercentile: claim.overextendedPercentile,
    recentSessions: claim.recentSessions,
    baselineSessions: claim.baselineSessions,
    minBaselineSessions: claim.minBaselineSessions,
    minVolumeRatio: claim.minVolumeRatio,
    verdict,
    figure,
    runUps,
    unmeasured,
    fallTest,
    rankCorrelation: fallTest?.rho ?? null,
    rawRunUpTest,
    volumes,
    judgedVolumes: judgedVolumes.length,
    counted,
    share,
    missing,
  };
}
