// Claim 2 against each stock's own history, on constructed series whose swings per calendar year are
// set by construction: a close toggling between 100 and 120 makes one 10 %+ swing per toggle, confirmed
// on the toggle's own session. Expected medians, percentiles and shares are worked out by hand.
import { describe, expect, it } from 'vitest';
import type { ClosePoint, IsoDate } from '../../../src/domain.js';
import { evaluateSwingClaim } from '../../../src/analysis/claims/evaluate.js';
import { parseClaimsConfig } from '../../../src/analysis/claims/config.js';
import { compareWithBaseline, median, midRankPercentile } from '../../../src/analysis/math/baseline.js';
import { fullCalendarYears, yearFigures } from '../../../src/analysis/math/calendar-years.js';
import { zigZagSwings } from '../../../src/analysis/math/swings.js';
import { buildClaimContext } from '../../../src/analysis/claim-context.js';
import { CONSTRUCTED_EPISODE, storedAsOf, weekdays } from '../report/fixtures.js';

const words = { 'zh-Hant': '測試', en: 'test' };
const ASOF = '2025-12-31';

/**
 * Weekday closes from 1 January of `firstYear` to ASOF; in each year, `togglesByYear[year]` toggles
 * between 100 and 120 on the year's 5th, 6th, ... sessions (one swing each), flat otherwise.
 */
function toggling(firstYear: number, togglesByYear: Record<number, number>, start: IsoDate = `${firstYear}-01-01`): ClosePoint[] {
  const out: ClosePoint[] = [];
  let price = 100;
  let yearOf = '';
  let session = 0;
  for (const date of weekdays(start, 20000)) {
    if (date > ASOF) break;
    if (date.slice(0, 4) !== yearOf) {
      yearOf = date.slice(0, 4);
      session = 0;
    }
    session++;
    const toggles = togglesByYear[Number(yearOf)] ?? 0;
    if (session >= 5 && session < 5 + toggles) price = price === 100 ? 120 : 100;
    out.push({ date, close: price });
  }
  return out;
}

describe('median and mid-rank percentile', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('counts the values below, and equal ones as half', () => {
    expect(midRankPercentile(7, [2, 4, 6, 8, 10])).toBe(60); // 3 below of 5
    expect(midRankPercentile(6, [2, 4, 6, 8, 10])).toBe(50); // 2 below + 1 equal / 2
    expect(midRankPercentile(1, [2, 4])).toBe(0);
    expect(midRankPercentile(11, [2, 4])).toBe(100);
    expect(midRankPercentile(3, [3, 3, 3])).toBe(50);
    expect(midRankPercentile(3, [])).toBeNull();
  });

  it('is above the median only strictly above it', () => {
    expect(compareWithBaseline(6, [2, 4, 6, 8, 10])).toEqual({ value: 6, median: 6, percentile: 50, aboveMedian: false });
    expect(compareWithBaseline(6.5, [2, 4, 6, 8, 10])).toMatchObject({ aboveMedian: true, percentile: 60 });
    expect(compareWithBaseline(null, [1])).toBeNull();
  });
});

describe('calendar-year figures', () => {
  it('keeps only full calendar years that end by the given date', () => {
    // From 2019-07-01: 2019 is partial; 2024 ends after 2024-06-30.
    const points = toggling(2019, {}, '2019-07-01');
    expect(fullCalendarYears(points, '2024-06-30')).toEqual([2020, 2021, 2022, 2023]);
    expect(fullCalendarYears(points, '2024-12-31')).toEqual([2020, 2021, 2022, 2023, 2024]);
  });

  it('counts each year the swings its sessions confirmed, and the volatility of its returns', () => {
    const points = toggling(2020, { 2020: 3, 2021: 0, 2022: 5 });
    const years = yearFigures(points, zigZagSwings(points, 0.1), [2020, 2021, 2022]);
    expect(years.map((y) => [y.year, y.swings])).toEqual([
      [2020, 3],
      [2021, 0],
      [2022, 5],
    ]);
    expect(years[1]!.volatility).toBe(0);
    // 2022: 5 toggles out of the year's returns (its first from 2021's last close): +-ln 1.2, the rest 0.
    const n = points.filter((p) => p.date.startsWith('2022')).length;
    const r = Math.log(1.2);
    const returns = [r, -r, r, -r, r, ...Array(n - 5).fill(0)];
    const mean = returns.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(returns.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
    expect(years[2]!.volatility).toBeCloseTo(sd * Math.sqrt(252), 12);
  });
});

describe('claim 2 against each stock\'s own history', () => {
  // Baseline 2020-2024 with 2, 4, 6, 8, 10 swings: median 6. Judged year (2024-12-31, 2025-12-31].
  const BASE = { 2020: 2, 2021: 4, 2022: 6, 2023: 8, 2024: 10 };
  const stock = (judged: number) => toggling(2020, { ...BASE, 2025: judged });

  function run(data: Record<string, ClosePoint[]>, tickers: string[], over: object = {}) {
    const cfg = parseClaimsConfig({
      article: { date: '2026-01-01', language: 'zh-Hant', summary: words },
      referenceEpisodes: [
        CONSTRUCTED_EPISODE,
      ],
      claims: [{ id: 'c2', kind: 'swings', text: words, tickers, metric: 'share_above_own_median_swings', ...over }],
    });
    const claim = cfg.claims[0]!;
    if (claim.kind !== 'swings') throw new Error('unreachable');
    return evaluateSwingClaim(claim, buildClaimContext({ asOf: ASOF, ...storedAsOf(new Map(Object.entries(data)), ASOF), claimsConfig: cfg }));
  }

  it('gives each stock its baseline years, median and percentile', () => {
    const r = run({ A: stock(7) }, ['A']);
    const t = r.tickers[0]!;
    expect(r.judgedYear).toEqual({ after: '2024-12-31', to: ASOF });
    expect(t.swingsLastYear).toBe(7);
    expect(t.baseline.years.map((y) => [y.year, y.swings])).toEqual(Object.entries(BASE).map(([y, n]) => [Number(y), n]));
    expect(t.baseline.swings).toEqual({ value: 7, median: 6, percentile: 60, aboveMedian: true });
    // Volatility rises with the toggles, so it ranks the years as the swings do.
    expect(t.baseline.volatility).toMatchObject({ percentile: 60, aboveMedian: true });
  });

  it('is supported at 3 of 4 above their own median, partly at 2 of 4, not at 1 of 4', () => {
    const tickers = ['A', 'B', 'C', 'D'];
    // 6 swings equals the median: an ordinary year, not counted.
    const with_ = (above: number) => Object.fromEntries(tickers.map((s, i) => [s, stock(i < above ? 7 : 6)]));
    expect(run(with_(3), tickers)).toMatchObject({ verdict: 'supported', share: 0.75, counted: 3, measured: 4 });
    expect(run(with_(2), tickers)).toMatchObject({ verdict: 'partly_supported', share: 0.5 });
    expect(run(with_(1), tickers)).toMatchObject({ verdict: 'not_supported', share: 0.25 });
  });

  it('says "not supported" where the earlier rule said "supported": every stock swung 3+ times, none more than usual', () => {
    const tickers = ['A', 'B', 'C', 'D'];
    const r = run(Object.fromEntries(tickers.map((s) => [s, stock(4)])), tickers);
    expect(r.verdict).toBe('not_supported');
    expect(r.shares.find((s) => s.metric === 'share_with_min_swings')).toMatchObject({ verdict: 'supported', share: 1 });
  });

  it('leaves out a stock with fewer full years than minBaselineYears, and judges once enough have one', () => {
    const young = toggling(2023, { 2023: 1, 2024: 1, 2025: 9 }); // 2 full years before the judged one
    const three = toggling(2022, { 2022: 1, 2023: 1, 2024: 1, 2025: 9 }); // exactly 3: has a baseline
    const r = run({ A: stock(7), B: stock(7), Y: young, T: three }, ['A', 'B', 'Y', 'T']);
    expect(r.tickers.find((t) => t.ticker === 'Y')!.baseline.swings).toBeNull();
    expect(r.tickers.find((t) => t.ticker === 'T')!.baseline.swings).toMatchObject({ median: 1, percentile: 100 });
    expect(r).toMatchObject({ verdict: 'supported', counted: 3, measured: 3 });
    expect(r.shares.find((s) => s.metric === 'share_above_own_median_swings')!.unmeasured).toEqual(['Y']);
    // 2 of 4 named with a baseline is the 0.5 minimum: judged. 1 of 4 is not.
    expect(run({ A: stock(7), B: stock(7), Y: young, Z: young }, ['A', 'B', 'Y', 'Z']).verdict).toBe('supported');
    expect(run({ A: stock(7), Y: young, Z: young, W: young }, ['A', 'Y', 'Z', 'W']).verdict).toBe('insufficient_data');
  });

  it('lets a stock without prices (not listed yet) leave the baseline share judged, not the earlier one', () => {
    const r = run({ A: stock(7), B: stock(7), C: stock(6) }, ['A', 'B', 'C', 'NEW']);
    expect(r.missing).toEqual(['NEW']);
    expect(r).toMatchObject({ verdict: 'partly_supported', counted: 2, measured: 3 });
    // The earlier rule needs every named stock: no verdict, though its share (3 of 3) is in the top band.
    expect(r.shares.find((s) => s.metric === 'share_with_min_swings')).toMatchObject({ verdict: 'insufficient_data', share: 1, band: 'supported' });
  });

  it('follows the volatility share when the config says so', () => {
    const r = run({ A: stock(7), B: stock(5) }, ['A', 'B'], { metric: 'share_above_own_median_volatility' });
    expect(r).toMatchObject({ metric: 'share_above_own_median_volatility', verdict: 'partly_supported', share: 0.5 });
  });
});
