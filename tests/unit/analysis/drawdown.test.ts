import { describe, expect, it } from 'vitest';
import { summarizeSymbol } from '../../../src/analysis/math/drawdown.js';
import { maxDrawdownOf, scanEpisodes, type EpisodeIndices } from '../../../src/analysis/math/episodes.js';
import { assertCloseSeries } from '../../../src/analysis/math/series.js';
import { minusYears } from '../../../src/market/iso-date.js';
import { dailySeries, pricesFromReturns, rng, series } from '../report/fixtures.js';

const depth = (closes: number[]): number => maxDrawdownOf(series(closes))!.depth;

// pyfolio/tests/test_timeseries.py, TestDrawdown: dt = pd.date_range('2000-1-3', periods=8, freq='D').
const PX_LIST_1 = [100, 120, 100, 80, 70, 110, 180, 150].map((p) => p / 100); // Simple
const PX_LIST_2 = [100, 120, 100, 80, 70, 80, 90, 90].map((p) => p / 100); // Ends in drawdown

describe('pyfolio golden vectors (test_timeseries.py)', () => {
  it('get_max_drawdown(px_list_1): peak 2000-01-04, valley 2000-01-07, recovery 2000-01-09', () => {
    const dd = maxDrawdownOf(dailySeries(PX_LIST_1, '2000-01-03'))!;
    expect([dd.peakDate, dd.troughDate, dd.recoveryDate]).toEqual(['2000-01-04', '2000-01-07', '2000-01-09']);
    // Recovery is the first close >= the peak close: 1.1 (2000-01-08) is still below 1.2.
    expect(dd.depth).toBeCloseTo(0.7 / 1.2 - 1, 12);
  });

  it('get_max_drawdown(px_list_2): ends in drawdown, recovery null', () => {
    const dd = maxDrawdownOf(dailySeries(PX_LIST_2, '2000-01-03'))!;
    expect([dd.peakDate, dd.troughDate, dd.recoveryDate]).toEqual(['2000-01-04', '2000-01-07', null]);
    expect(dd.sessionsToRecovery).toBeNull();
  });

  it('gen_drawdown_table(top=1): same episode; duration counted in sessions (pyfolio counts business days: 4)', () => {
    const s = summarizeSymbol(dailySeries(PX_LIST_1, '2000-01-03'), '2000-01-10', { top: 1 })!;
    expect(s.periods).toHaveLength(1);
    expect(s.periods[0]).toMatchObject({ peakDate: '2000-01-04', troughDate: '2000-01-07', recoveryDate: '2000-01-09' });
    expect(s.periods[0]!.sessionsToTrough).toBe(3);
    expect(s.periods[0]!.sessionsToRecovery).toBe(5);
  });

  it('max_drawdown(px_list_1 - 1 as returns) = -0.44', () => {
    expect(depth(pricesFromReturns(PX_LIST_1.map((p) => p - 1)))).toBeCloseTo(-0.44, 12);
  });

  it('get_top_drawdowns(all-positive returns) = [(first, first, first)]: no episode, zero max drawdown', () => {
    const points = dailySeries(pricesFromReturns(PX_LIST_1, 1).slice(1), '2000-01-03');
    const s = summarizeSymbol(points, '2000-01-10')!;
    expect(s.maxDrawdown).toMatchObject({ peakDate: '2000-01-03', troughDate: '2000-01-03', recoveryDate: '2000-01-03', depth: 0 });
    expect(s.periods).toEqual([]);
  });

  // test_gen_drawdown_table_relative (TestDrawdown), reconstructed from memory of pyfolio's suite:
  // px = [100, 110, 120, 150, 180, 200, 100, 120, 160, 180, 200, 300, 400, 500, 600, 800, 900, 1000,
  // 650, 600] / 10 on pd.date_range('2000-1-3', periods=20, freq='D'); gen_drawdown_table(px.pct_change(),
  // top=2) expects peak 2000-01-08, valley 2000-01-09, recovery 2000-01-13, net drawdown 50 %, then
  // peak 2000-01-20, valley 2000-01-22, no recovery, 40 %. pyfolio compounds the returns from 1 (the
  // first, NaN, return as 0), which gives back px / 10, so the closes are used as they are. "Relative":
  // the 10-point fall (20 -> 10) ranks before the 40-point one (100 -> 60) because depth is a fraction.
  it('gen_drawdown_table_relative(top=2): episodes ranked by relative depth, not by points lost', () => {
    const px = [100, 110, 120, 150, 180, 200, 100, 120, 160, 180, 200, 300, 400, 500, 600, 800, 900, 1000, 650, 600].map((p) => p / 10);
    const s = summarizeSymbol(dailySeries(px, '2000-01-03'), '2000-01-22', { top: 2 })!;
    expect(s.periods.map((p) => [p.peakDate, p.troughDate, p.recoveryDate, Math.round(-p.depth * 100)])).toEqual([
      ['2000-01-08', '2000-01-09', '2000-01-13', 50],
      ['2000-01-20', '2000-01-22', null, 40],
    ]);
    expect(s.periods[0]!.depth).toBeCloseTo(-0.5, 12);
    expect(s.periods[1]!.depth).toBeCloseTo(-0.4, 12);
    expect(s.current).toEqual(s.periods[1]);
  });

  it('test_drawdown_overlaps: each recovery is on or before the next peak', () => {
    const closes = randomWalk(3000, 7);
    const s = summarizeSymbol(series(closes), '2099-01-01', { top: 5 })!;
    const byPeak = [...s.periods].sort((a, b) => a.peakDate.localeCompare(b.peakDate));
    for (let i = 0; i + 1 < byPeak.length; i++) expect(byPeak[i]!.recoveryDate! <= byPeak[i + 1]!.peakDate).toBe(true);
  });
});

// empyrical/tests/test_stats.py, test_max_drawdown. empyrical prepends a start value of 100 to the
// cumulative returns, so a first negative return counts as a drawdown.
describe('empyrical golden vectors (test_stats.py)', () => {
  const cases: [string, number[], number][] = [
    ['[10%, -10%, 10%]', [0.1, -0.1, 0.1], -0.1],
    ['mixed_returns', [NaN, 1, 10, -4, 2, 3, 2, 1, -10].map((r) => r / 100), -0.1],
    ['negative_returns', [0, -6, -7, -1, -9, -2, -6, -8, -5].map((r) => r / 100), -0.36590730349873601],
    ['positive_returns', [1, 2, 1, 1, 1, 1, 1, 1, 1].map((r) => r / 100), 0],
    ['simple_benchmark', [0, 1, 0, 1, 0, 1, 0, 1, 0].map((r) => r / 100), 0],
    ['one_return', [0.01], 0],
  ];
  it.each(cases)('max_drawdown(%s)', (_, returns, expected) => {
    expect(depth(pricesFromReturns(returns))).toBeCloseTo(expected, 8);
  });

  // all_negative_returns: [-2, -6, -7, -1, -9, -2, -6, -8, -5] / 100 on pd.date_range('2000-1-30',
  // periods=9, freq='D'), reconstructed from memory of test_stats.py, where test_max_drawdown expects
  // cum_returns_final(all_negative_returns) ("negative returns means the drawdown is just the returns").
  // Unlike negative_returns (above) the first return already falls, so the peak is the start value
  // itself: the drawdown is last / first - 1, the trough is the last point and nothing recovers.
  it('max_drawdown(all_negative_returns) = last / first - 1, from the first point, unrecovered', () => {
    const prices = pricesFromReturns([-2, -6, -7, -1, -9, -2, -6, -8, -5].map((r) => r / 100));
    const points = series(prices);
    const dd = maxDrawdownOf(points)!;
    expect(dd).toMatchObject({
      peakDate: points[0]!.date,
      peakClose: 100,
      troughDate: points.at(-1)!.date,
      recoveryDate: null,
      sessionsToTrough: 9,
      sessionsToRecovery: null,
    });
    expect(dd.depth).toBe(prices.at(-1)! / prices[0]! - 1);
    expect(dd.depth).toBeCloseTo(-0.37858915742876154, 12); // prod(1 + r) - 1, worked out by hand (Python) for this test
  });

  it('max_drawdown(empty) is NaN there, null here', () => {
    expect(maxDrawdownOf([])).toBeNull();
    expect(summarizeSymbol([], '2000-01-01')).toBeNull();
  });

  it('prices [100, 90, 75] -> -25 %', () => {
    expect(depth([100, 90, 75])).toBeCloseTo(-0.25, 12);
  });
});

describe('edge cases', () => {
  it('one row: no episode, at its own high, YTD from the first close', () => {
    const s = summarizeSymbol(series([42], '2025-03-28'), '2025-12-31')!;
    expect(s).toMatchObject({ lastClose: 42, athDate: '2025-03-28', athClose: 42, drawdown: 0, periods: [], current: null });
    expect(s.maxDrawdown).toMatchObject({ peakDate: '2025-03-28', recoveryDate: '2025-03-28', depth: 0 });
    expect(s.high52w).toEqual({ date: '2025-03-28', close: 42, drawdown: 0 });
    expect(s.ytd).toEqual({ baseDate: '2025-03-28', baseClose: 42, basis: 'first_close', value: 0 });
  });

  it('flat series: no episode; the high is the latest of the equal closes', () => {
    const s = summarizeSymbol(series([5, 5, 5, 5]), '2000-12-31')!;
    expect(s.periods).toEqual([]);
    expect(s.athDate).toBe('2000-01-06');
    expect(s.drawdown).toBe(0);
    expect(s.high52w!.date).toBe('2000-01-06');
  });

  it('all-time high on the last day: drawdown 0, every episode recovered', () => {
    const s = summarizeSymbol(series([10, 8, 12, 9, 13]), '2000-12-31')!;
    expect(s.drawdown).toBe(0);
    expect(s.current).toBeNull();
    expect(s.athDate).toBe('2000-01-07');
    expect(s.periods.map((p) => [p.peakDate, p.troughDate, p.recoveryDate])).toEqual([
      ['2000-01-05', '2000-01-06', '2000-01-07'], // 12 -> 9: -25 %
      ['2000-01-03', '2000-01-04', '2000-01-05'], // 10 -> 8: -20 %
    ]);
  });

  it('unrecovered episode: current = the open episode, recovery null', () => {
    const s = summarizeSymbol(series([10, 12, 8, 9]), '2000-12-31')!;
    expect(s.current).toMatchObject({ peakClose: 12, troughClose: 8, recoveryDate: null, sessionsToTrough: 1 });
    expect(s.drawdown).toBeCloseTo(9 / 12 - 1, 12);
    expect(s.maxDrawdown).toEqual(s.current);
  });

  it('gaps in dates: sessions are rows, not calendar days', () => {
    const points = [
      { date: '2020-01-02', close: 100 },
      { date: '2020-06-01', close: 60 },
      { date: '2021-06-01', close: 50 },
      { date: '2024-01-02', close: 100 },
    ];
    const dd = maxDrawdownOf(points)!;
    expect(dd).toMatchObject({ peakDate: '2020-01-02', troughDate: '2021-06-01', recoveryDate: '2024-01-02', depth: -0.5 });
    expect([dd.sessionsToTrough, dd.sessionsToRecovery]).toEqual([2, 3]);
  });

  it('a close equal to the running max is a recovery and moves the peak on (episodes touch, never overlap)', () => {
    const s = summarizeSymbol(series([10, 10, 8, 10, 9]), '2000-12-31')!;
    expect(s.periods.map((p) => [p.peakDate, p.troughDate, p.recoveryDate])).toEqual([
      ['2000-01-04', '2000-01-05', '2000-01-06'], // -20 %: peak is the second 10
      ['2000-01-06', '2000-01-07', null], // -10 %
    ]);
  });

  it('the valley is the first of equal lows; equal depths keep the earlier episode first', () => {
    const s = summarizeSymbol(series([10, 8, 9, 8, 20, 20, 16, 21]), '2000-12-31')!;
    expect(s.periods[0]).toMatchObject({ peakDate: '2000-01-03', troughDate: '2000-01-04' });
    expect(s.periods[1]).toMatchObject({ peakDate: '2000-01-10', troughDate: '2000-01-11' });
    expect(s.periods[0]!.depth).toBe(s.periods[1]!.depth);
  });

  it('keeps only the 5 deepest episodes, deepest first', () => {
    const closes = [100, 90, 100, 80, 100, 95, 100, 70, 100, 85, 100, 60, 100, 99, 100];
    const s = summarizeSymbol(series(closes), '2000-12-31')!;
    expect(s.periods.map((p) => Math.round(p.depth * 100))).toEqual([-40, -30, -20, -15, -10]);
  });

  it('52-week high looks back one year from asOf (exclusive), and leap days fall back to 28 Feb', () => {
    const points = [
      { date: '2023-02-28', close: 200 },
      { date: '2023-03-01', close: 150 },
      { date: '2024-02-29', close: 120 },
    ];
    expect(minusYears('2024-02-29', 1)).toBe('2023-02-28');
    const s = summarizeSymbol(points, '2024-02-29')!;
    expect(s.high52w).toEqual({ date: '2023-03-01', close: 150, drawdown: 120 / 150 - 1 });
    expect(s.athClose).toBe(200);
  });

  it('YTD runs from the last close of the previous year', () => {
    const points = [
      { date: '2024-12-30', close: 90 },
      { date: '2024-12-31', close: 100 },
      { date: '2025-01-02', close: 105 },
      { date: '2025-06-30', close: 120 },
    ];
    expect(summarizeSymbol(points, '2025-07-01')!.ytd).toEqual({
      baseDate: '2024-12-31',
      baseClose: 100,
      basis: 'prior_year_close',
      value: 120 / 100 - 1,
    });
  });

  it('refuses a close after asOf: the history is cut at the report date before it gets here', () => {
    const points = series([10, 12, 9, 30, 5]);
    expect(() => summarizeSymbol(points, '2000-01-05', { label: 'ORCL' })).toThrow(/ORCL: a close dated 2000-01-07 is after the report date 2000-01-05/);
    expect(summarizeSymbol(points.slice(0, 3), '2000-01-05')).toMatchObject({ lastDate: '2000-01-05', lastClose: 9, athClose: 12 });
    expect(summarizeSymbol(points, '2000-01-07')).toMatchObject({ lastDate: '2000-01-07', sessions: 5 });
  });

  it('rejects unsorted, duplicate and non-positive rows', () => {
    expect(() => assertCloseSeries([{ date: '2000-01-04', close: 1 }, { date: '2000-01-03', close: 1 }])).toThrow(/does not come after/);
    expect(() => assertCloseSeries([{ date: '2000-01-03', close: 1 }, { date: '2000-01-03', close: 1 }])).toThrow(/does not come after/);
    expect(() => assertCloseSeries([{ date: '2000-01-03', close: 0 }], 'X')).toThrow(/X\[0\].*> 0/);
  });
});

/** pyfolio's get_top_drawdowns, ported literally: find the deepest, drop its span, repeat. */
function pyfolioTopDrawdowns(closes: readonly number[], top: number): EpisodeIndices[] {
  let runMax = -Infinity;
  const uw = closes.map((c) => ((runMax = Math.max(runMax, c)), c / runMax - 1));
  let idx = closes.map((_, i) => i);
  const out: EpisodeIndices[] = [];
  for (let t = 0; t < top && idx.length > 0; t++) {
    let valley = idx[0]!;
    for (const i of idx) if (uw[i]! < uw[valley]!) valley = i;
    if (uw[valley] === 0) break; // pyfolio appends a zero episode once; here "no episode"
    const peak = idx.filter((i) => i < valley && uw[i] === 0).at(-1)!;
    const recovery = idx.find((i) => i > valley && uw[i] === 0) ?? null;
    idx = recovery === null ? idx.filter((i) => i <= peak) : idx.filter((i) => i <= peak || i >= recovery);
    out.push({ peak, trough: valley, recovery });
  }
  return out;
}

function randomWalk(n: number, seed: number, step = 0.03): number[] {
  const r = rng(seed);
  const out = [100];
  for (let i = 1; i < n; i++) out.push(out[i - 1]! * (1 + (r() - 0.5) * 2 * step));
  return out;
}

describe('one-pass episodes agree with pyfolio’s repeated search', () => {
  it.each([1, 2, 3, 4, 5])('random walk, seed %i', (seed) => {
    const closes = randomWalk(2000, seed);
    expect(scanEpisodes(closes, 5).top).toEqual(pyfolioTopDrawdowns(closes, 5));
  });

  it.each([11, 12, 13])('small integer prices with many ties, seed %i', (seed) => {
    const r = rng(seed);
    const closes = Array.from({ length: 400 }, () => 1 + Math.floor(r() * 8));
    expect(scanEpisodes(closes, 5).top).toEqual(pyfolioTopDrawdowns(closes, 5));
  });

  it('12,000 closes (a long history) in one pass', () => {
    const closes = randomWalk(12_000, 99, 0.02);
    const scan = scanEpisodes(closes, 5);
    expect(scan.top).toEqual(pyfolioTopDrawdowns(closes, 5));
    expect(scan.max).toEqual(scan.top[0]);
  });
});
