// Issue 13's claims on hand-built series: every expected figure is worked out in the comments from the
// closes and volumes written here, and each rule's boundary is tried on both sides.
import { describe, expect, it } from 'vitest';
import type { ClosePoint, IsoDate, VolumePoint } from '../../../src/domain.js';
import { evaluateChaseClaim } from '../../../src/report/claims/chase-claim.js';
import type { ChaseClaimConfig, ForwardClaimConfig, OverextendedClaimConfig } from '../../../src/report/claims/config.js';
import { evaluateForwardClaim } from '../../../src/report/claims/forward-claim.js';
import { evaluateOverextendedClaim } from '../../../src/report/claims/overextended-claim.js';
import type { ClaimContext } from '../../../src/report/claims/verdict.js';
import { averageRanks, median, spearman } from '../../../src/report/math/rank-correlation.js';
import { series } from './fixtures.js';

const words = { en: 'x', 'zh-Hant': '甲' };
const pts = (rows: [IsoDate, number][]): ClosePoint[] => rows.map(([date, close]) => ({ date, close }));

function context(asOf: IsoDate, closes: Record<string, ClosePoint[]>, volumes: Record<string, VolumePoint[]> = {}): ClaimContext {
  return {
    asOf,
    closes: new Map(Object.entries(closes)),
    volumes: new Map(Object.entries(volumes)),
    stats: new Map(),
    episodes: new Map(),
    quotes: new Map(),
    newsEvents: new Map(),
  };
}

describe('median and Spearman', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('gives tied values the mean of their ranks', () => {
    expect(averageRanks([5, 6, 7, 8, 7])).toEqual([1, 2, 3.5, 5, 3.5]);
  });

  it('is Pearson on average ranks', () => {
    // x ranks 1..5 (deviations -2,-1,0,1,2), y ranks 1,2,3.5,5,3.5 (deviations -2,-1,0.5,2,0.5):
    // sxy = 4+1+0+2+1 = 8, sxx = 10, syy = 9.5, rho = 8 / sqrt(95).
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(8 / Math.sqrt(95), 12);
    expect(spearman([1, 2, 3], [10, 30, 20])).toBeCloseTo(0.5, 12);
    expect(spearman([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
  });

  it('is undefined for fewer than three pairs or a constant side', () => {
    expect(spearman([1, 2], [1, 2])).toBeNull();
    expect(spearman([1, 2, 3], [4, 4, 4])).toBeNull();
  });
});

const chase = (over: Partial<ChaseClaimConfig> = {}): ChaseClaimConfig => ({
  id: 'chase',
  kind: 'returns_vs_benchmarks',
  text: words,
  saidBy: words,
  tickers: ['A', 'B', 'C'],
  benchmarks: ['I1', 'I2'],
  period: { from: '2025-01-01', to: '2025-12-31' },
  metric: 'share_beating_benchmarks',
  bands: [
    { min: 0.75, verdict: 'supported' },
    { min: 0.5, verdict: 'partly_supported' },
  ],
  below: 'not_supported',
  ...over,
});

// I1: +20 % over the year, +9.09 % (1200/1100) from C's listing; I2: +25 % either way.
const indexes = {
  I1: pts([['2024-12-31', 1000], ['2025-03-28', 1100], ['2025-12-31', 1200]]),
  I2: pts([['2024-12-31', 2000], ['2025-03-28', 2000], ['2025-12-31', 2500]]),
};
const chaseCloses = {
  ...indexes,
  A: pts([['2024-12-31', 100], ['2025-06-02', 150], ['2025-12-31', 130]]), // +30 %: beats both
  B: pts([['2024-12-31', 50], ['2025-12-31', 55]]), // +10 %: beats neither
  C: pts([['2025-03-28', 40], ['2025-12-31', 80]]), // listed in the period, +100 %: beats both
};

describe('the chase: returns against the indexes', () => {
  it('measures each stock from the last close before the period, a later listing from its first close', () => {
    const r = evaluateChaseClaim(chase(), context('2025-12-31', chaseCloses));
    const [a, b, c] = r.tickers;
    expect(a!.return).toBeCloseTo(0.3, 12);
    expect(a!.vs.map((v) => v.excess)).toEqual([expect.closeTo(0.1, 12), expect.closeTo(0.05, 12)]);
    expect(b!.beatsAll).toBe(false);
    expect(c!).toMatchObject({ baseDate: '2025-03-28', listedInPeriod: true, beatsAll: true });
    expect(c!.vs[0]!.return).toBeCloseTo(1200 / 1100 - 1, 12);
    // 2 of 3 beat both: 0.667 is under 0.75 and reaches 0.5.
    expect(r).toMatchObject({ counted: 2, measured: 3, verdict: 'partly_supported', periodComplete: true });
    expect(r.figure).toBeCloseTo(2 / 3, 12);
    // Excess over I1: 0.10, -0.10, 0.909 -> median 0.10; over I2: 0.05, -0.15, 0.75 -> 0.05.
    expect(r.medianExcess.map((m) => m.median)).toEqual([expect.closeTo(0.1, 12), expect.closeTo(0.05, 12)]);
    // A beats both, B neither, C both: 2 beat each index alone as well.
    expect(r.beating).toEqual([{ benchmark: 'I1', counted: 2 }, { benchmark: 'I2', counted: 2 }]);
  });

  it('counts the stocks beating each index alone, apart from those beating all', () => {
    // F: +22 % beats I1's +20 % but not I2's +25 %.
    const F = pts([['2024-12-31', 100], ['2025-12-31', 122]]);
    const r = evaluateChaseClaim(chase({ tickers: ['A', 'B', 'C', 'F'] }), context('2025-12-31', { ...chaseCloses, F }));
    expect(r.beating).toEqual([{ benchmark: 'I1', counted: 3 }, { benchmark: 'I2', counted: 2 }]);
    expect(r).toMatchObject({ counted: 2, share: 0.5, verdict: 'partly_supported' });
  });

  it('reads the lowest median excess when that is the metric', () => {
    const r = evaluateChaseClaim(
      chase({ metric: 'median_excess_return', bands: [{ min: 0.05, verdict: 'supported' }] }),
      context('2025-12-31', chaseCloses),
    );
    expect(r.figure).toBeCloseTo(0.05, 12);
    expect(r.verdict).toBe('supported');
    const above = evaluateChaseClaim(
      chase({ metric: 'median_excess_return', bands: [{ min: 0.0501, verdict: 'supported' }] }),
      context('2025-12-31', chaseCloses),
    );
    expect(above.verdict).toBe('not_supported');
  });

  it('puts a share of exactly 0.75 in the top band, and does not count a tie with an index as a beat', () => {
    // D: 100 -> 120, +20 %, exactly I1's return: excess 0 is not a beat.
    const D = pts([['2024-12-31', 100], ['2025-12-31', 120]]);
    const E = pts([['2024-12-31', 100], ['2025-12-31', 126]]); // +26 %: beats both
    const four = (x: ClosePoint[]) =>
      evaluateChaseClaim(chase({ tickers: ['A', 'C', 'E', 'X'] }), context('2025-12-31', { ...chaseCloses, E, X: x }));
    expect(four(D).tickers[3]!.vs[0]!.excess).toBe(0);
    expect(four(D)).toMatchObject({ counted: 3, share: 0.75, verdict: 'supported' });
    // D ties I1 (no beat) and trails I2's +25 %: it beats neither, so 3 beat each index alone.
    expect(four(D).beating).toEqual([{ benchmark: 'I1', counted: 3 }, { benchmark: 'I2', counted: 3 }]);
    expect(four(pts([['2024-12-31', 100], ['2025-12-31', 90]]))).toMatchObject({ counted: 3, share: 0.75, verdict: 'supported' });
    const three = evaluateChaseClaim(chase({ tickers: ['A', 'C', 'E', 'B', 'X'] }), context('2025-12-31', { ...chaseCloses, E, X: D }));
    expect(three).toMatchObject({ counted: 3, verdict: 'partly_supported' }); // 0.6
  });

  it('runs to the report date before the period ends, and says so', () => {
    const midYear = { ...chaseCloses, I1: pts([['2024-12-31', 1000], ['2025-06-02', 1100]]), I2: pts([['2024-12-31', 2000], ['2025-06-02', 2100]]) };
    const r = evaluateChaseClaim(chase(), context('2025-06-30', midYear));
    expect(r.periodComplete).toBe(false);
    expect(r.tickers[0]).toMatchObject({ endDate: '2025-06-02', endClose: 150 });
  });

  it('gives insufficient data when a stock or an index has no figure', () => {
    const { C: _, ...noC } = chaseCloses;
    expect(evaluateChaseClaim(chase(), context('2025-12-31', noC))).toMatchObject({ verdict: 'insufficient_data', missing: ['C'] });
    // An index whose last close is more than a week before the stock's end date is no comparison.
    const stale = { ...chaseCloses, I2: pts([['2024-12-31', 2000], ['2025-03-28', 2000], ['2025-12-24', 2500]]) };
    expect(evaluateChaseClaim(chase(), context('2025-12-31', stale)).missing).toEqual([]);
    const staler = { ...chaseCloses, I2: pts([['2024-12-31', 2000], ['2025-03-28', 2000], ['2025-12-23', 2500]]) };
    expect(evaluateChaseClaim(chase(), context('2025-12-31', staler))).toMatchObject({ verdict: 'insufficient_data', missing: ['A', 'B', 'C'] });
  });
});

const overextended = (over: Partial<OverextendedClaimConfig> = {}): OverextendedClaimConfig => ({
  id: 'ox',
  kind: 'overextended_selling',
  text: words,
  saidBy: words,
  tickers: ['P', 'Q', 'R'],
  metric: 'runup_fall_rank_correlation',
  runUpFrom: '2025-01-01',
  recentSessions: 5,
  baselineSessions: 10,
  minBaselineSessions: 10,
  minVolumeRatio: 1.2,
  bands: [
    { min: 0.5, verdict: 'supported' },
    { min: 0, verdict: 'partly_supported' },
  ],
  below: 'not_supported',
  ...over,
});

describe('over-extended names: run-up against fall', () => {
  // P: +100 % to its peak, then -50 %; Q: +50 %, -20 %; R: +20 %, -5 %: the biggest riser fell most.
  const P = pts([['2024-12-31', 100], ['2025-03-03', 200], ['2025-12-31', 100]]);
  const Q = pts([['2024-12-31', 100], ['2025-05-01', 150], ['2025-12-31', 120]]);
  const R = pts([['2024-12-31', 100], ['2025-07-01', 120], ['2025-12-31', 114]]);

  it('measures the run-up from the last close before the start to the highest close since, and the fall from there', () => {
    const r = evaluateOverextendedClaim(overextended(), context('2025-12-31', { P, Q, R }));
    expect(r.runUps.map((x) => [x.ticker, x.peakDate, x.runUp, x.fall])).toEqual([
      ['P', '2025-03-03', 1, -0.5],
      ['Q', '2025-05-01', 0.5, expect.closeTo(-0.2, 12)],
      ['R', '2025-07-01', expect.closeTo(0.2, 12), expect.closeTo(-0.05, 12)],
    ]);
    expect(r.rankCorrelation).toBeCloseTo(1, 12);
    expect(r.verdict).toBe('supported');
  });

  it('reads rho = 0.5 as reaching a band of 0.5 and missing one of 0.51', () => {
    // Run-up ranks P3 Q2 R1; depth ranks P3 Q1 R2 (R falls 25 %): d = 0, 1, 1, rho = 1 - 6*2/(3*8) = 0.5.
    const R2 = pts([['2024-12-31', 100], ['2025-07-01', 120], ['2025-12-31', 90]]);
    const at = evaluateOverextendedClaim(overextended(), context('2025-12-31', { P, Q, R: R2 }));
    expect(at.rankCorrelation).toBeCloseTo(0.5, 12);
    expect(at.verdict).toBe('supported');
    const bands = [{ min: 0.51, verdict: 'supported' }, { min: 0, verdict: 'partly_supported' }];
    expect(evaluateOverextendedClaim(overextended({ bands }), context('2025-12-31', { P, Q, R: R2 })).verdict).toBe('partly_supported');
  });

  it('takes the first of equal highs as the peak and a later listing from its first close', () => {
    const twin = pts([['2024-12-31', 100], ['2025-02-03', 150], ['2025-04-01', 150], ['2025-12-31', 120]]);
    const listed = pts([['2025-03-28', 40], ['2025-06-20', 180], ['2025-12-31', 72]]);
    const r = evaluateOverextendedClaim(overextended({ tickers: ['T', 'L', 'P'] }), context('2025-12-31', { T: twin, L: listed, P }));
    expect(r.runUps[0]!.peakDate).toBe('2025-02-03');
    expect(r.runUps[1]).toMatchObject({ baseDate: '2025-03-28', runUp: 3.5, fall: -0.6 });
  });

  it('gives insufficient data when a named stock has no close since the start', () => {
    const old = pts([['2024-06-03', 10], ['2024-12-31', 12]]);
    const r = evaluateOverextendedClaim(overextended(), context('2025-12-31', { P, Q, R: old }));
    expect(r).toMatchObject({ verdict: 'insufficient_data', missing: ['R'] });
  });
});

describe('over-extended names: down-day volume', () => {
  // 16 weekday closes alternating 100 (even index: a down day from 101) and 101 (odd: an up day).
  // Recent window: the last 5 (indexes 11-15: down days 12, 14); baseline: the 10 before (1-10: down
  // days 2, 4, 6, 8, 10). Baseline volumes: 1,000 on down days, 500 on up days.
  const closes = series(Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 100 : 101)), '2025-12-01');
  const volumesWith = (recentDown: number): VolumePoint[] =>
    closes.map((p, i) => ({ date: p.date, volume: i % 2 === 1 ? 500 : i >= 11 ? recentDown : 1000 }));
  const claim = overextended({ metric: 'share_with_heavier_down_day_volume', tickers: ['V'] });
  const asOf = closes.at(-1)!.date;

  it('compares mean down-day volume in the recent window with the baseline, meeting the ratio at exactly 1.2', () => {
    const r = evaluateOverextendedClaim(claim, context(asOf, { V: closes }, { V: volumesWith(1200) }));
    expect(r.volumes[0]).toMatchObject({
      recentDownDays: 2,
      baselineDownDays: 5,
      recentDownVolume: 1200,
      baselineDownVolume: 1000,
      downRatio: 1.2,
      upRatio: 1,
      heavier: true,
      recentFrom: closes[11]!.date,
      baselineFrom: closes[1]!.date,
      baselineTo: closes[10]!.date,
    });
    expect(r).toMatchObject({ share: 1, verdict: 'supported' });
    const under = evaluateOverextendedClaim(claim, context(asOf, { V: closes }, { V: volumesWith(1199) }));
    expect(under.volumes[0]!.heavier).toBe(false);
    expect(under).toMatchObject({ share: 0, verdict: 'partly_supported' }); // 0 reaches the test band's min of 0
  });

  it('skips sessions without a stored volume', () => {
    // Dropping the 1,200 of index 14 leaves one recent down day with volume: 1,200 / 1,000 still.
    const gappy = volumesWith(1200).filter((_, i) => i !== 14);
    const r = evaluateOverextendedClaim(claim, context(asOf, { V: closes }, { V: gappy }));
    expect(r.volumes[0]).toMatchObject({ recentDownDays: 1, downRatio: 1.2 });
  });

  it('leaves a stock with too short a baseline unmeasured, and the claim undecided', () => {
    // 15 closes: the baseline has 9 sessions (indexes 1-9), one short of the minimum of 10.
    const short = closes.slice(0, 15);
    const r = evaluateOverextendedClaim(claim, context(short.at(-1)!.date, { V: short }, { V: volumesWith(1200).slice(0, 15) }));
    expect(r).toMatchObject({ verdict: 'insufficient_data', missing: ['V'] });
    const enough = evaluateOverextendedClaim(claim, context(asOf, { V: closes }, { V: volumesWith(1200) }));
    expect(enough.missing).toEqual([]);
  });
});

it('lists a forward-looking sentence as not testable yet, with what would test it', () => {
  const claim: ForwardClaimConfig = { id: 'f', kind: 'forward_looking', metric: 'not_measurable', text: words, tickers: [], saidBy: words, wouldTestIt: words };
  expect(evaluateForwardClaim(claim)).toMatchObject({ verdict: 'not_testable_yet', wouldTestIt: words });
});
