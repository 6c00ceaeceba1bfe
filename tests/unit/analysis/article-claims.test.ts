// The chase's window rule and the median and Spearman helpers on hand-built series: every expected
// figure is worked out in the comments from the closes written here, and each rule's boundary is tried
// on both sides. The chase's own-years baseline: chase-baseline.test.ts; the over-extended claim:
// overextended.test.ts.
import { describe, expect, it } from 'vitest';
import type { ClosePoint, IsoDate, VolumePoint } from '../../../src/domain.js';
import { evaluateChaseClaim } from '../../../src/analysis/claims/chase-claim.js';
import type { ChaseClaimConfig, ForwardClaimConfig } from '../../../src/analysis/claims/config.js';
import { evaluateForwardClaim } from '../../../src/analysis/claims/forward-claim.js';
import type { ClaimContext } from '../../../src/analysis/claims/verdict.js';
import { averageRanks, median, spearman } from '../../../src/analysis/math/rank-correlation.js';

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
  beatMargin: 0,
  minBaselineYears: 10,
  minStockCoverage: 0.5,
  bands: [
    { min: 0.75, verdict: 'supported' },
    { min: 0.5, verdict: 'partly_supported' },
  ],
  below: 'not_supported',
  underpowered: 'inconclusive',
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
  C: pts([['2025-03-28', 40], ['2025-12-31', 80]]), // listed in the period, +100 %: beats both, not counted
};

describe('the chase: returns against the indexes', () => {
  it('measures each stock from the last close before the period, a later listing from its first close, and counts only the stocks listed before it', () => {
    const r = evaluateChaseClaim(chase(), context('2025-12-31', chaseCloses));
    const [a, b, c] = r.tickers;
    expect(a!.return).toBeCloseTo(0.3, 12);
    expect(a!.vs.map((v) => v.excess)).toEqual([expect.closeTo(0.1, 12), expect.closeTo(0.05, 12)]);
    expect(b!.beatsAll).toBe(false);
    expect(c!).toMatchObject({ baseDate: '2025-03-28', listedInPeriod: true, beatsAll: true });
    expect(c!.vs[0]!.return).toBeCloseTo(1200 / 1100 - 1, 12);
    // Of A and B (listed before the period) one beats both: 0.5 reaches the 0.5 band. C is shown,
    // not counted; the earlier rule counted it: 2 of 3.
    expect(r).toMatchObject({ counted: 1, measured: 2, share: 0.5, verdict: 'partly_supported', periodComplete: true });
    expect(r.earlierShare).toEqual({ counted: 2, measured: 3, share: 2 / 3 });
    // Excess of A and B over I1: 0.10, -0.10 -> median 0; over I2: 0.05, -0.15 -> -0.05.
    expect(r.medianExcess.map((m) => m.median)).toEqual([expect.closeTo(0, 12), expect.closeTo(-0.05, 12)]);
    expect(r.beating).toEqual([{ benchmark: 'I1', counted: 1 }, { benchmark: 'I2', counted: 1 }]);
  });

  it('counts the stocks beating each index alone, apart from those beating all', () => {
    // F: +22 % beats I1's +20 % but not I2's +25 %.
    const F = pts([['2024-12-31', 100], ['2025-12-31', 122]]);
    const r = evaluateChaseClaim(chase({ tickers: ['A', 'B', 'C', 'F'] }), context('2025-12-31', { ...chaseCloses, F }));
    expect(r.beating).toEqual([{ benchmark: 'I1', counted: 2 }, { benchmark: 'I2', counted: 1 }]);
    expect(r).toMatchObject({ counted: 1, measured: 3, verdict: 'not_supported' });
    expect(r.share).toBeCloseTo(1 / 3, 12);
  });

  it('reads the lowest median excess when that is the metric', () => {
    const r = evaluateChaseClaim(chase({ metric: 'median_excess_return', bands: [{ min: -0.05, verdict: 'supported' }] }), context('2025-12-31', chaseCloses));
    expect(r.figure).toBeCloseTo(-0.05, 12);
    expect(r.verdict).toBe('supported');
    const above = evaluateChaseClaim(chase({ metric: 'median_excess_return', bands: [{ min: -0.0499, verdict: 'supported' }] }), context('2025-12-31', chaseCloses));
    expect(above.verdict).toBe('not_supported');
  });

  it('puts a share of exactly 0.75 in the top band, does not count a tie with an index as a beat, and takes a margin strictly', () => {
    // D: 100 -> 120, +20 %, exactly I1's return: excess 0 is not a beat.
    const D = pts([['2024-12-31', 100], ['2025-12-31', 120]]);
    const E = pts([['2024-12-31', 100], ['2025-12-31', 126]]); // +26 %: beats both by 6 and 1 points
    const G = pts([['2024-12-31', 100], ['2025-12-31', 150]]); // +50 %
    const four = (x: ClosePoint[], over: Partial<ChaseClaimConfig> = {}) =>
      evaluateChaseClaim(chase({ tickers: ['A', 'E', 'G', 'X'], ...over }), context('2025-12-31', { ...chaseCloses, E, G, X: x }));
    expect(four(D).tickers[3]!.vs[0]!.excess).toBe(0);
    expect(four(D)).toMatchObject({ counted: 3, share: 0.75, verdict: 'supported' });
    expect(four(D).beating).toEqual([{ benchmark: 'I1', counted: 3 }, { benchmark: 'I2', counted: 3 }]);
    expect(four(pts([['2024-12-31', 100], ['2025-12-31', 90]]))).toMatchObject({ counted: 3, share: 0.75, verdict: 'supported' });
    // A margin of 1 point: E beats I2 by exactly 0.01, which is not more than 0.01 (up to rounding).
    expect(four(D, { beatMargin: 0.0101 })).toMatchObject({ counted: 2, share: 0.5 });
    const five = evaluateChaseClaim(chase({ tickers: ['A', 'E', 'G', 'B', 'X'] }), context('2025-12-31', { ...chaseCloses, E, G, X: D }));
    expect(five).toMatchObject({ counted: 3, verdict: 'partly_supported' }); // 0.6
  });

  it('runs to the report date before the period ends, and says so', () => {
    const midYear = { ...chaseCloses, I1: pts([['2024-12-31', 1000], ['2025-06-02', 1100]]), I2: pts([['2024-12-31', 2000], ['2025-06-02', 2100]]) };
    const r = evaluateChaseClaim(chase(), context('2025-06-30', midYear));
    expect(r.periodComplete).toBe(false);
    expect(r.tickers[0]).toMatchObject({ endDate: '2025-06-02', endClose: 150 });
  });

  it('gives insufficient data when too few stocks are measured, and never reads a benchmark past its last bar', () => {
    // Only C (listed in the period) left: no stock listed before it is measured.
    const { A: _a, B: _b, ...onlyC } = chaseCloses;
    expect(evaluateChaseClaim(chase(), context('2025-12-31', onlyC))).toMatchObject({ verdict: 'insufficient_data', missing: ['A', 'B'], measured: 0 });
    // An index whose last close (Dec 24) is before the stock's end date (Dec 31) has no value there:
    // it is stale, not unchanged since. Every stock is then unmeasured.
    const stale = { ...chaseCloses, I2: pts([['2024-12-31', 2000], ['2025-03-28', 2000], ['2025-12-24', 2500]]) };
    expect(evaluateChaseClaim(chase(), context('2025-12-31', stale))).toMatchObject({ verdict: 'insufficient_data', missing: ['A', 'B', 'C'] });
    // A gap inside the index (no close on the stock's base date, one four days before) is a holiday: read.
    const gap = { ...chaseCloses, I2: pts([['2024-12-27', 2000], ['2025-03-28', 2000], ['2025-12-31', 2500]]) };
    expect(evaluateChaseClaim(chase(), context('2025-12-31', gap)).missing).toEqual([]);
    const staler = { ...chaseCloses, I2: pts([['2024-12-23', 2000], ['2025-03-28', 2000], ['2025-12-31', 2500]]) };
    expect(evaluateChaseClaim(chase(), context('2025-12-31', staler)).missing).toEqual(['A', 'B']);
  });
});

it('lists a forward-looking sentence as not testable yet, with what would test it', () => {
  const claim: ForwardClaimConfig = { id: 'f', kind: 'forward_looking', metric: 'not_measurable', text: words, tickers: [], saidBy: words, wouldTestIt: words };
  expect(evaluateForwardClaim(claim)).toMatchObject({ verdict: 'not_testable_yet', wouldTestIt: words });
});
