// How much a verdict leans on its threshold (pure): each claim judged again by its own evaluator with
// one threshold moved across a stated grid, reporting the run of values around the configured one
// that give the same verdict and what the nearest values outside it read. Computed on the report
// date only (the verdict history does not need it). The thresholds:
// - drawdown_vs_reference: the band edge nearest the deciding ratio (the verdict's own edge, or that of
//   the band above it), in steps of 1 point between the edges of its neighbours (the lowest from 1 %,
//   the top one up to 150 %), so the bands keep their order: the deciding ratio does not depend on it;
// - swings: swingThreshold, 5 % to 20 % in steps of 1 point;
// - news_events: the event window's last session, +1 to +10;
// - returns_vs_benchmarks: beatMargin, -10 to +10 points in steps of 1;
// - overextended_selling: the significance level (the first p band's max, the others scaled with it),
//   0.01 to 0.20 in steps of 0.01, for the fall reading; minVolumeRatio, 1.00 to 2.00 in steps of
//   0.05, for the volume reading.
import type { ClaimConfig, DrawdownClaimConfig, UpperBand } from './config.js';
import { isUpperBands } from './config.js';
import type { ClaimResult } from './evaluate.js';
import { evaluateChaseClaim } from './chase-claim.js';
import { evaluateNewsClaim } from './news-claim.js';
import { evaluateOverextendedClaim } from './overextended-claim.js';
import { evaluateSwingClaim } from './swing-claim.js';
import { bandVerdict, type ClaimContext } from './verdict.js';

export type SensitivityParameter = 'band_edge' | 'swing_threshold' | 'event_window_end' | 'beat_margin' | 'significance' | 'min_volume_ratio';

export interface Sensitivity {
  parameter: SensitivityParameter;
  /** band_edge: the verdict whose edge is moved. */
  band: string | null;
  configured: number;
  /** The verdict at the configured value (the claim's own). */
  verdict: string;
  /** The grid's values around the configured one that give the same verdict, as a closed range. */
  holdsFrom: number;
  holdsTo: number;
  /** The nearest grid value below and above that range, and the verdict there; null at the grid's end. */
  below: { at: number; verdict: string } | null;
  above: { at: number; verdict: string } | null;
  grid: { from: number; to: number; step: number };
}

/** Grid values as integers times the step, so 0.07 is 7 * 0.01 and not 0.07000000000000001. */
function gridValues(grid: Sensitivity['grid'], configured: number): number[] {
  const round = (v: number) => Math.round(v * 1e9) / 1e9;
  const n = Math.round((grid.to - grid.from) / grid.step);
  const values = Array.from({ length: n + 1 }, (_, i) => round(grid.from + i * grid.step));
  if (!values.some((v) => Math.abs(v - configured) < 1e-9)) values.push(round(configured));
  return values.sort((a, b) => a - b);
}

/** Sweeps `verdictAt` over the grid from the configured value outwards. */
export function sweep(
  parameter: SensitivityParameter,
  grid: Sensitivity['grid'],
  configured: number,
  verdict: string,
  verdictAt: (value: number) => string,
  band: string | null = null,
): Sensitivity {
  const values = gridValues(grid, configured);
  const at = values.findIndex((v) => Math.abs(v - configured) < 1e-9);
  const verdicts = new Map<number, string>();
  const read = (i: number) => {
    if (!verdicts.has(i)) verdicts.set(i, i === at ? verdict : verdictAt(values[i]!));
    return verdicts.get(i)!;
  };
  let lo = at;
  while (lo > 0 && read(lo - 1) === verdict) lo--;
  let hi = at;
  while (hi < values.length - 1 && read(hi + 1) === verdict) hi++;
  return {
    parameter,
    band,
    configured,
    verdict,
    holdsFrom: values[lo]!,
    holdsTo: values[hi]!,
    below: lo > 0 ? { at: values[lo - 1]!, verdict: read(lo - 1) } : null,
    above: hi < values.length - 1 ? { at: values[hi + 1]!, verdict: read(hi + 1) } : null,
    grid,
  };
}

function bandEdgeSensitivity(claim: DrawdownClaimConfig, ratio: number, verdict: string): Sensitivity {
  const bands = claim.bands;
  // The edges that bound the verdict's band: its own (none for the lowest verdict) and the one above it.
  const own = bands.findIndex((b) => b.verdict === verdict);
  const candidates = own === -1 ? [bands.length - 1] : [own, own - 1].filter((i) => i >= 0);
  const moved = candidates.reduce((a, b) => (Math.abs(bands[b]!.min - ratio) < Math.abs(bands[a]!.min - ratio) ? b : a));
  const edge = bands[moved]!;
  const below = bands[moved + 1]?.min ?? 0;
  const above = bands[moved - 1]?.min ?? 1.5;
  return sweep(
    'band_edge',
    { from: Math.round((below + 0.01) * 100) / 100, to: Math.round((above - (moved === 0 ? 0 : 0.01)) * 100) / 100, step: 0.01 },
    edge.min,
    verdict,
    (min) => bandVerdict(ratio, bands.map((b, i) => (i === moved ? { ...b, min } : b)), claim.below),
    edge.verdict,
  );
}

/** The p bands with the first one's max at `alpha`, the others kept in proportion. */
function scaledPBands(bands: readonly UpperBand[], alpha: number): UpperBand[] {
  const factor = alpha / bands[0]!.max;
  return bands.map((b) => ({ ...b, max: Math.min(1, b.max * factor) }));
}

/** Null for claims without a threshold (forward-looking), or a verdict without data. */
export function claimSensitivity(claim: ClaimConfig, ctx: ClaimContext, result: ClaimResult): Sensitivity | null {
  if (result.verdict === 'insufficient_data') return null;
  switch (claim.kind) {
    case 'drawdown_vs_reference':
      return result.kind === 'drawdown_vs_reference' && result.deciding ? bandEdgeSensitivity(claim, result.deciding.ratio, result.verdict) : null;
    case 'swings':
      return sweep('swing_threshold', { from: 0.05, to: 0.2, step: 0.01 }, claim.swingThreshold, result.verdict, (swingThreshold) =>
        evaluateSwingClaim({ ...claim, swingThreshold }, ctx).verdict,
      );
    case 'news_events':
      return sweep('event_window_end', { from: 1, to: 10, step: 1 }, claim.sessionsAfter, result.verdict, (sessionsAfter) =>
        evaluateNewsClaim({ ...claim, sessionsAfter }, ctx).verdict,
      );
    case 'returns_vs_benchmarks':
      return sweep('beat_margin', { from: -0.1, to: 0.1, step: 0.01 }, claim.beatMargin, result.verdict, (beatMargin) =>
        evaluateChaseClaim({ ...claim, beatMargin }, ctx).verdict,
      );
    case 'overextended_selling': {
      const bands = claim.bands;
      if (claim.metric === 'overextension_fall_rank_p' && isUpperBands(bands)) {
        return sweep('significance', { from: 0.01, to: 0.2, step: 0.01 }, bands[0]!.max, result.verdict, (alpha) =>
          evaluateOverextendedClaim({ ...claim, bands: scaledPBands(bands, alpha) }, ctx).verdict,
        );
      }
      return sweep('min_volume_ratio', { from: 1, to: 2, step: 0.05 }, claim.minVolumeRatio, result.verdict, (minVolumeRatio) =>
        evaluateOverextendedClaim({ ...claim, minVolumeRatio }, ctx).verdict,
      );
    }
    case 'forward_looking':
      return null;
  }
}
