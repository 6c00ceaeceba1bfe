import { describe, expect, it } from 'vitest';
import { zigZagSwings } from '../../../src/analysis/math/swings.js';
import { annualise, realisedVolatility, sampleStdev } from '../../../src/analysis/math/volatility.js';
import { series } from '../report/fixtures.js';

describe('volatility', () => {
  // empyrical test_stats.py test_annual_volatility: same estimator (ddof = 1, x sqrt(252)).
  it('annual_volatility(mixed_returns, DAILY) = 0.9136465399704637', () => {
    const mixed = [1, 10, -4, 2, 3, 2, 1, -10].map((r) => r / 100); // the leading NaN is skipped
    expect(annualise(sampleStdev(mixed)!)).toBeCloseTo(0.9136465399704637, 12);
  });

  it('annual_volatility(flat_line_1_tz) = 0; fewer than two values: null', () => {
    expect(sampleStdev(Array(1000).fill(0.01))).toBeCloseTo(0, 15);
    expect(sampleStdev([0.01])).toBeNull();
    expect(sampleStdev([])).toBeNull();
  });

  it('realised volatility uses daily log returns, optionally after a date', () => {
    const points = series([100, 110, 99, 99, 120]);
    const logs = [Math.log(1.1), Math.log(0.9), 0, Math.log(120 / 99)];
    expect(realisedVolatility(points)).toEqual({ value: annualise(sampleStdev(logs)!), returns: 4 });
    // After 2000-01-04: only the returns ending on 01-05, 01-06 and 01-07.
    expect(realisedVolatility(points, '2000-01-04')!.returns).toBe(3);
    expect(realisedVolatility(series([100]))).toBeNull();
  });
});

describe('zig-zag swings (10 %)', () => {
  it('counts a reversal only once the move from the last extreme reaches the threshold', () => {
    // 100 -> 111 confirms up; extends to 120; 109 (-9.2 %) is not a swing; 107 (-10.8 %) is; then 118 (+10.3 %) up.
    const swings = zigZagSwings(series([100, 111, 120, 109, 107, 105, 116, 118]));
    expect(swings.map((s) => [s.direction, s.fromClose, s.toClose, s.confirmedDate])).toEqual([
      ['up', 100, 120, '2000-01-04'],
      ['down', 120, 105, '2000-01-07'],
      ['up', 105, 118, '2000-01-11'],
    ]);
    expect(swings[1]!.change).toBeCloseTo(105 / 120 - 1, 12);
  });

  it('the first swing starts from the lowest or highest close seen so far', () => {
    const swings = zigZagSwings(series([100, 104, 96, 98, 85]));
    expect(swings).toHaveLength(1);
    expect(swings[0]).toMatchObject({ direction: 'down', fromClose: 104, toClose: 85, confirmedDate: '2000-01-07' });
  });

  it('no swing in a quiet or flat series; threshold must be a fraction', () => {
    expect(zigZagSwings(series([100, 105, 96, 104, 97]))).toEqual([]);
    expect(zigZagSwings(series([5, 5, 5]))).toEqual([]);
    expect(() => zigZagSwings(series([1, 2]), 0)).toThrow(RangeError);
  });

  it('a custom threshold', () => {
    expect(zigZagSwings(series([100, 104, 96, 98, 85]), 0.05)).toHaveLength(1); // -7.7 % from 104 on day 3
    expect(zigZagSwings(series([100, 106, 100, 106]), 0.05).map((s) => s.direction)).toEqual(['up', 'down', 'up']);
  });
});
