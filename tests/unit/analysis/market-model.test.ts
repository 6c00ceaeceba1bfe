// The market-model event study on plain values: the OLS line against an independent computation (the
// normal equations solved from raw sums by Cramer's rule, where fitLine centres its sums), the windows'
// sessions and dates, the alignment of stock and benchmark returns, and every pending and insufficient
// state.
import { describe, expect, it } from 'vitest';
import type { ClosePoint } from '../../../src/domain.js';
import { addDays } from '../../../src/market/iso-date.js';
import { fitLine } from '../../../src/analysis/math/ols.js';
import { MARKET_MODEL_SPEC, marketModelEventStudy, reactionOfT } from '../../../src/analysis/math/market-model.js';
import { pricesFromReturns, rng, series } from '../report/fixtures.js';

/** y on x by the normal equations [n Sx; Sx Sxx] [a; b] = [Sy; Sxy], and s from the residuals. */
function normalEquations(x: readonly number[], y: readonly number[]) {
  const n = x.length;
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i]!;
    sy += y[i]!;
    sxx += x[i]! * x[i]!;
    sxy += x[i]! * y[i]!;
  }
  const det = n * sxx - sx * sx;
  const alpha = (sy * sxx - sx * sxy) / det;
  const beta = (n * sxy - sx * sy) / det;
  const ssr = y.reduce((acc, yi, i) => acc + (yi - alpha - beta * x[i]!) ** 2, 0);
  return { alpha, beta, residualSd: Math.sqrt(ssr / (n - 2)) };
}

describe('fitLine (OLS with an intercept)', () => {
  it('recovers an exact line, with no residual spread', () => {
    const x = [-0.02, 0.01, 0.003, 0.015, -0.007];
    const fit = fitLine(x, x.map((v) => 0.001 + 1.5 * v))!;
    expect(fit.alpha).toBeCloseTo(0.001, 15);
    expect(fit.beta).toBeCloseTo(1.5, 13);
    expect(fit.residualSd).toBeLessThan(1e-15);
    expect(fit.n).toBe(5);
  });

  it('matches the normal equations solved from raw sums to 1e-9', () => {
    const r = rng(42);
    const x = Array.from({ length: 120 }, () => (r() - 0.5) * 0.04);
    const y = x.map((v) => 0.0004 + 1.7 * v + (r() - 0.5) * 0.03);
    const fit = fitLine(x, y)!;
    const ref = normalEquations(x, y);
    expect(Math.abs(fit.alpha - ref.alpha)).toBeLessThan(1e-9);
    expect(Math.abs(fit.beta - ref.beta)).toBeLessThan(1e-9);
    expect(Math.abs(fit.residualSd - ref.residualSd)).toBeLessThan(1e-9);
  });

  it('a hand-worked case: x 0,1,2,3 and y 1,3,2,5 give y = 1.1 + 1.1x, s = sqrt(2.7 / 2)', () => {
    // Sxx = 5, Sxy = 5.5 about the means (1.5, 2.75): beta 1.1, alpha 2.75 - 1.65; residuals -0.1, 0.8, -1.3, 0.6 (squares sum to 2.7).
    const fit = fitLine([0, 1, 2, 3], [1, 3, 2, 5])!;
    expect(fit.beta).toBeCloseTo(1.1, 12);
    expect(fit.alpha).toBeCloseTo(1.1, 12);
    expect(fit.residualSd).toBeCloseTo(Math.sqrt(2.7 / 2), 12);
  });

  it('is undefined for fewer than three points, unequal lengths or an x without spread', () => {
    expect(fitLine([1, 2], [1, 2])).toBeNull();
    expect(fitLine([1, 2, 3], [1, 2])).toBeNull();
    expect(fitLine([0.01, 0.01, 0.01], [1, 2, 3])).toBeNull();
  });
});

describe('reactionOfT', () => {
  it('reads |t| >= 1.96 as a reaction, both ends included', () => {
    expect([1.96, 5, 1.959, 0, -1.959, -1.96].map((t) => reactionOfT(t))).toEqual(['rallied', 'rallied', 'muted', 'muted', 'muted', 'fell']);
  });
});

// 200 weekday sessions from Mon 2024-01-01: the benchmark's returns are random, the stock's are
// 0.0005 + 1.4 * market + noise, plus `bump` added to the stock's return of the given sessions.
const SESSIONS = 200;
const DAY0 = 150; // a Monday (index 150 of weekdays from a Monday)
function scenario(seed: number, bump: { sessions: number[]; size: number } = { sessions: [], size: 0 }) {
  const r = rng(seed);
  const market = Array.from({ length: SESSIONS - 1 }, () => (r() - 0.5) * 0.04);
  const stock = market.map((m, i) => 0.0005 + 1.4 * m + (r() - 0.5) * 0.02 + (bump.sessions.includes(i + 1) ? bump.size : 0));
  const stockCloses = series(pricesFromReturns(stock, 100), '2024-01-01');
  const benchCloses = series(pricesFromReturns(market, 1000), '2024-01-01');
  // returns[k - 1] is the return of session k (from session k - 1's close).
  return { stockCloses, benchCloses, stockReturns: stock, marketReturns: market, dates: stockCloses.map((p) => p.date) };
}
const ASOF = '2025-12-31';

describe('marketModelEventStudy', () => {
  it('equals an independent computation from the generated returns, sessions -130..-11 and -1..+5', () => {
    const s = scenario(7);
    // A Saturday: day 0 is the Monday after it.
    const eventDate = addDays(s.dates[DAY0]!, -2);
    const out = marketModelEventStudy(s.stockCloses, s.benchCloses, eventDate, ASOF);
    if (out.state !== 'measured') throw new Error(`expected measured, got ${JSON.stringify(out)}`);

    const ret = (k: number) => ({ y: s.stockReturns[k - 1]!, x: s.marketReturns[k - 1]! });
    const est = Array.from({ length: 120 }, (_, j) => ret(DAY0 - 130 + j));
    const ref = normalEquations(est.map((p) => p.x), est.map((p) => p.y));
    const win = Array.from({ length: 7 }, (_, j) => ret(DAY0 - 1 + j));
    const car = win.reduce((acc, p) => acc + p.y - ref.alpha - ref.beta * p.x, 0);
    const t = car / (ref.residualSd * Math.sqrt(7));

    const m = out.study;
    for (const [got, want] of [[m.alpha, ref.alpha], [m.beta, ref.beta], [m.residualSd, ref.residualSd], [m.car, car], [m.t, t]] as const) {
      expect(Math.abs(got - want)).toBeLessThan(1e-9);
    }
    expect(m).toMatchObject({
      estimationFrom: s.dates[DAY0 - 130],
      estimationTo: s.dates[DAY0 - 11],
      windowFrom: s.dates[DAY0 - 1],
      windowTo: s.dates[DAY0 + 5],
    });
    expect(out.reaction).toBe(reactionOfT(t));
    expect(m.beta).toBeGreaterThan(1.2); // the generated beta is 1.4
  });

  it('states its power and its span: the smallest CAR it calls a reaction, the 7 returns from the close of session -2', () => {
    const s = scenario(7);
    const out = marketModelEventStudy(s.stockCloses, s.benchCloses, s.dates[DAY0]!, ASOF);
    if (out.state !== 'measured') throw new Error('expected measured');
    const m = out.study;
    // The independent fit's s: |CAR| >= 1.96 s sqrt(7) is exactly |t| >= 1.96.
    const est = Array.from({ length: 120 }, (_, j) => ({ y: s.stockReturns[DAY0 - 131 + j]!, x: s.marketReturns[DAY0 - 131 + j]! }));
    const ref = normalEquations(est.map((p) => p.x), est.map((p) => p.y));
    expect(Math.abs(m.minDetectableCar - 1.96 * ref.residualSd * Math.sqrt(7))).toBeLessThan(1e-12);
    expect(m).toMatchObject({ windowReturns: 7, windowBaseDate: s.dates[DAY0 - 2] });
    // Compound returns over that span: the closes of session +5 over session -2.
    expect(m.stockReturn).toBeCloseTo(s.stockCloses[DAY0 + 5]!.close / s.stockCloses[DAY0 - 2]!.close - 1, 12);
    expect(m.benchmarkReturn).toBeCloseTo(s.benchCloses[DAY0 + 5]!.close / s.benchCloses[DAY0 - 2]!.close - 1, 12);
    // A CAR just past the detectable size is a reaction, one just short of it is not.
    const bumped = (size: number) => {
      const b = scenario(7, { sessions: [DAY0], size });
      return marketModelEventStudy(b.stockCloses, b.benchCloses, b.dates[DAY0]!, ASOF);
    };
    const need = m.minDetectableCar - m.car;
    expect(bumped(need * 1.001)).toMatchObject({ reaction: 'rallied' });
    expect(bumped(need * 0.999)).toMatchObject({ reaction: 'muted' });
  });

  it('a market-wide rally is muted; the same rise in the stock alone is a reaction', () => {
    // The benchmark jumps 10 % on day 0 and the stock follows with its beta: raw return large, no abnormal move.
    const s = scenario(11);
    const market = [...s.marketReturns];
    const stock = [...s.stockReturns];
    market[DAY0 - 1] = 0.1;
    stock[DAY0 - 1] = 0.0005 + 1.4 * 0.1;
    const bench = series(pricesFromReturns(market, 1000), '2024-01-01');
    const follows = marketModelEventStudy(series(pricesFromReturns(stock, 100), '2024-01-01'), bench, s.dates[DAY0]!, ASOF);
    expect(follows).toMatchObject({ state: 'measured', reaction: 'muted' });

    const up = scenario(11, { sessions: [DAY0, DAY0 + 1], size: 0.06 });
    expect(marketModelEventStudy(up.stockCloses, up.benchCloses, up.dates[DAY0]!, ASOF)).toMatchObject({ state: 'measured', reaction: 'rallied' });
    const down = scenario(11, { sessions: [DAY0, DAY0 + 1], size: -0.06 });
    expect(marketModelEventStudy(down.stockCloses, down.benchCloses, down.dates[DAY0]!, ASOF)).toMatchObject({ state: 'measured', reaction: 'fell' });
  });

  it('is pending until session +5 exists on or before asOf, and for an event after asOf', () => {
    const s = scenario(3);
    const day0 = s.dates[DAY0]!;
    // As the report hands them over: both series cut at the report date.
    const asOf = (date: string) => [s.stockCloses.filter((p) => p.date <= date), s.benchCloses.filter((p) => p.date <= date), day0, date] as const;
    expect(marketModelEventStudy(...asOf(s.dates[DAY0 + 4]!))).toEqual({ state: 'pending' });
    expect(marketModelEventStudy(...asOf(s.dates[DAY0 + 5]!))).toMatchObject({ state: 'measured' });
    expect(marketModelEventStudy(s.stockCloses.slice(0, DAY0 + 3), s.benchCloses, day0, ASOF)).toEqual({ state: 'pending' });
    expect(marketModelEventStudy(s.stockCloses, s.benchCloses, addDays(s.dates.at(-1)!, 1), ASOF)).toEqual({ state: 'pending' });
    expect(marketModelEventStudy(s.stockCloses, s.benchCloses, '2026-02-02', ASOF)).toEqual({ state: 'pending' });
  });

  it('needs 131 sessions before day 0: the 120 estimation returns start from the close of session -131', () => {
    const s = scenario(5);
    expect(marketModelEventStudy(s.stockCloses, s.benchCloses, s.dates[131]!, ASOF)).toMatchObject({
      state: 'measured',
      study: { estimationFrom: s.dates[1] },
    });
    expect(marketModelEventStudy(s.stockCloses, s.benchCloses, s.dates[130]!, ASOF)).toEqual({ state: 'insufficient', reason: 'short_history' });
  });

  it('without benchmark prices it is insufficient, not a crash', () => {
    const s = scenario(5);
    expect(marketModelEventStudy(s.stockCloses, null, s.dates[DAY0]!, ASOF)).toEqual({ state: 'insufficient', reason: 'benchmark_missing' });
    expect(marketModelEventStudy(s.stockCloses, [], s.dates[DAY0]!, ASOF)).toEqual({ state: 'insufficient', reason: 'benchmark_missing' });
    expect(marketModelEventStudy([], s.benchCloses, s.dates[DAY0]!, ASOF)).toEqual({ state: 'pending' });
  });

  it('aligns by date: a benchmark gap inside a window is insufficient, one outside is harmless', () => {
    const s = scenario(9);
    const without = (i: number): ClosePoint[] => s.benchCloses.filter((_, j) => j !== i);
    const day0 = s.dates[DAY0]!;
    // Needed closes: -131 (base of the first estimation return), -60, -11 (its last), -2 (base of the event window), +5.
    for (const i of [DAY0 - 131, DAY0 - 60, DAY0 - 11, DAY0 - 2, DAY0 + 5]) {
      expect(marketModelEventStudy(s.stockCloses, without(i), day0, ASOF), `benchmark without session ${i - DAY0}`).toEqual({
        state: 'insufficient',
        reason: 'benchmark_gap',
      });
    }
    const full = marketModelEventStudy(s.stockCloses, s.benchCloses, day0, ASOF);
    // Closes before session -131 and of sessions -10..-3 (between the windows) and after +5 are not needed.
    for (const i of [DAY0 - 132, DAY0 - 5, DAY0 + 6]) expect(marketModelEventStudy(s.stockCloses, without(i), day0, ASOF)).toEqual(full);
    // A benchmark close on a date the stock did not trade is skipped: returns span the stock's sessions.
    // dates[DAY0 - 40] is a Monday; the Saturday before it is not a session of the stock.
    const saturday = [...s.benchCloses, { date: addDays(s.dates[DAY0 - 40]!, -2), close: 1 }].sort((a, b) => a.date.localeCompare(b.date));
    expect(marketModelEventStudy(s.stockCloses, saturday, day0, ASOF)).toEqual(full);
  });

  it('a flat benchmark or a perfect fit leaves the model undefined: insufficient', () => {
    const s = scenario(13);
    const flat = s.benchCloses.map((p) => ({ ...p, close: 1000 }));
    expect(marketModelEventStudy(s.stockCloses, flat, s.dates[DAY0]!, ASOF)).toEqual({ state: 'insufficient', reason: 'degenerate_fit' });
    expect(marketModelEventStudy(s.benchCloses, s.benchCloses, s.dates[DAY0]!, ASOF)).toEqual({ state: 'insufficient', reason: 'degenerate_fit' });
  });

  it('uses the spec it is given (the window end follows the claim)', () => {
    const s = scenario(17);
    const out = marketModelEventStudy(s.stockCloses, s.benchCloses, s.dates[DAY0]!, ASOF, { ...MARKET_MODEL_SPEC, windowLast: 2 });
    expect(out).toMatchObject({ state: 'measured', study: { windowTo: s.dates[DAY0 + 2] } });
  });
});
