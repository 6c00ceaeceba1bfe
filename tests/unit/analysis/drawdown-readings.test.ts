// Claim 1's three readings on constructed series: the index fall, each stock's own deepest fall in the
// reference window, the cohort's median deepest fall in it. Expected ratios are worked out by hand
// from the closes below (chosen so most of them are exact in binary).
import { describe, expect, it } from 'vitest';
import type { ClosePoint } from '../../../src/domain.js';
import { evaluateDrawdownClaim } from '../../../src/analysis/claims/evaluate.js';
import { ClaimsConfigError, parseClaimsConfig } from '../../../src/analysis/claims/config.js';
import { buildClaimContext } from '../../../src/analysis/claim-context.js';
import { CONSTRUCTED_EPISODE, series, storedAsOf } from '../report/fixtures.js';

const words = { 'zh-Hant': '測試', en: 'test' };
const ASOF = '2025-12-31';
const WINDOW_START = CONSTRUCTED_EPISODE.window.from;

// ^REF falls 100 -> 50 inside its window (2000-01-03 .. 2000-01-14, ten weekdays): depth -0.5.
const REF = series([90, 100, 95, 90, 80, 70, 60, 50, 55, 60], WINDOW_START);

/** Ten window closes falling from 100 to `trough` (the deepest fall is trough / 100 - 1), then back up. */
const windowFall = (trough: number): ClosePoint[] => series([100, 90, trough, trough, 80, 85, 90, 95, 96, 97], WINDOW_START);
/** A 2025 fall from a 200 peak to `last`, far above anything in 2000, so the peak is the all-time high. */
const fall2025 = (last: number): ClosePoint[] => series([150, 200, last], '2025-06-02');
/**
 * Both, after a 1999 close of 190: a fall measured from before the window would be 50 / 190 - 1, not
 * the window's own 50 / 100 - 1 (the window's running peak starts at its first close).
 */
const both = (trough: number, last: number) => [{ date: '1999-12-01', close: 190 }, ...windowFall(trough), ...fall2025(last)];

function run(data: Record<string, ClosePoint[]>, over: object = {}) {
  const cfg = parseClaimsConfig({
    article: { date: '2026-01-01', language: 'zh-Hant', summary: words },
    referenceEpisodes: [
      CONSTRUCTED_EPISODE,
    ],
    claims: [{ id: 'c1', kind: 'drawdown_vs_reference', text: words, tickers: ['AAA', 'BBB'], references: ['ref'], ...over }],
  });
  const claim = cfg.claims[0]!;
  if (claim.kind !== 'drawdown_vs_reference') throw new Error('unreachable');
  const ctx = buildClaimContext({ asOf: ASOF, ...storedAsOf(new Map(Object.entries({ '^REF': REF, ...data })), ASOF), claimsConfig: cfg });
  return evaluateDrawdownClaim(claim, ctx);
}

describe('claim 1: three readings', () => {
  // AAA: own fall in the window 100 -> 50 (-0.5); now 200 -> 125 (-0.375).
  // BBB: listed in 2025 only; now 200 -> 80 (-0.6).
  // Cohort: AAA -0.5, CCC -0.625, DDD -0.875 (median -0.625); EEE listed mid-window, so left out.
  const data = {
    AAA: both(50, 125),
    BBB: fall2025(80),
    CCC: windowFall(37.5),
    DDD: windowFall(12.5),
    EEE: series([100, 10, 12], '2000-01-11'), // first close 8 days into the window: past coversWindow's week of grace
  };
  const cohort = ['AAA', 'CCC', 'DDD', 'EEE'];

  it('measures the cohort of each window: who traded throughout, their falls, the median', () => {
    const r = run(data, { cohort });
    expect(r.cohorts).toHaveLength(1);
    const c = r.cohorts[0]!;
    expect(c.members.map((m) => [m.symbol, m.depth])).toEqual([
      ['AAA', -0.5],
      ['CCC', -0.625],
      ['DDD', -0.875],
    ]);
    expect(c.notTrading).toEqual(['EEE']);
    expect(c.median).toBe(-0.625);
    expect(r.tickers.find((t) => t.ticker === 'AAA')!.windowFalls[0]!.episode!.depth).toBe(-0.5);
  });

  it('gives each reading its ratios and verdict, and the verdict follows the configured one', () => {
    const readings = (over: object) => Object.fromEntries(run(data, { cohort, ...over }).readings.map((x) => [x.reading, x]));
    const r = readings({});
    // Index: AAA 0.375 / 0.5 = 0.75, BBB 0.6 / 0.5 = 1.2; all tickers -> the lower, AAA's.
    expect(r.index!.comparisons.map((c) => [c.ticker, c.ratio])).toEqual([
      ['AAA', 0.75],
      ['BBB', expect.closeTo(1.2, 12)],
    ]);
    expect(r.index).toMatchObject({ verdict: 'comparable', deciding: { ticker: 'AAA', ratio: 0.75 } });
    // Own history: AAA 0.375 / 0.5 = 0.75; BBB did not trade in 2000, so this reading cannot judge both.
    expect(r.own_history).toMatchObject({ verdict: 'insufficient_data', deciding: null, unmeasured: ['BBB'] });
    expect(r.own_history!.comparisons.map((c) => [c.ticker, c.referenceDepth, c.ratio])).toEqual([['AAA', -0.5, 0.75]]);
    // Cohort: AAA 0.375 / 0.625 = 0.6, BBB 0.6 / 0.625 = 0.96 -> AAA's 0.6, partly comparable.
    expect(r.cohort!.comparisons.map((c) => [c.ticker, c.referenceDepth])).toEqual([
      ['AAA', -0.625],
      ['BBB', -0.625],
    ]);
    expect(r.cohort).toMatchObject({ verdict: 'partly_comparable', deciding: { ticker: 'AAA', ratio: expect.closeTo(0.6, 12) } });

    expect(run(data, { cohort }).verdict).toBe('comparable'); // the default reading: index
    expect(run(data, { cohort, verdictReading: 'own_history' }).verdict).toBe('insufficient_data');
    const byCohort = run(data, { cohort, verdictReading: 'cohort' });
    expect(byCohort).toMatchObject({ verdict: 'partly_comparable', verdictReading: 'cohort', deciding: { ticker: 'AAA' } });
    // With "any ticker", the own reading is made on AAA alone.
    expect(readings({ aggregate: { tickers: 'any' } }).own_history).toMatchObject({ verdict: 'comparable', unmeasured: ['BBB'] });
  });

  it('puts a cohort ratio of exactly 0.75 in "comparable" and one just under it in "partly comparable"', () => {
    // Cohort -0.25, -0.5, -0.75: median -0.5. AAA now -0.375 -> 0.75; at 126, -0.37 -> 0.74.
    const cohortData = { CCC: windowFall(75), DDD: windowFall(50), GGG: windowFall(25), BBB: fall2025(100) };
    const over = { tickers: ['AAA'], cohort: ['CCC', 'DDD', 'GGG'], verdictReading: 'cohort' };
    expect(run({ ...cohortData, AAA: fall2025(125) }, over)).toMatchObject({ verdict: 'comparable', deciding: { ratio: 0.75 } });
    expect(run({ ...cohortData, AAA: fall2025(126) }, over)).toMatchObject({ verdict: 'partly_comparable', deciding: { ratio: expect.closeTo(0.74, 12) } });
  });

  it('takes the mean of the two middle falls for an even cohort', () => {
    const r = run({ AAA: both(50, 125), BBB: fall2025(80), CCC: windowFall(75), DDD: windowFall(37.5), GGG: windowFall(12.5) }, {
      cohort: ['AAA', 'CCC', 'DDD', 'GGG'],
    });
    // -0.25, -0.5, -0.625, -0.875: (-0.5 + -0.625) / 2.
    expect(r.cohorts[0]!.median).toBe(-0.5625);
  });

  it('has no cohort reading without a cohort, and refuses a config whose verdict would need one', () => {
    const r = run(data);
    expect(r.cohorts[0]).toMatchObject({ members: [], median: null });
    expect(r.readings.find((x) => x.reading === 'cohort')).toMatchObject({ verdict: 'insufficient_data', unmeasured: ['AAA', 'BBB'] });
    expect(() => run(data, { verdictReading: 'cohort' })).toThrow(ClaimsConfigError);
  });

  it('does not divide by a window in which the stock never fell', () => {
    const risingThen = [...series([100, 101, 102, 103, 104, 105, 106, 107, 108, 109], WINDOW_START), ...fall2025(125)];
    const r = run({ AAA: risingThen, BBB: fall2025(80) });
    expect(r.readings.find((x) => x.reading === 'own_history')!.comparisons).toEqual([]);
  });
});
