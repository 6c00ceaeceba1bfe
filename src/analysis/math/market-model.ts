// A market-model event study of one stock around one date (pure). Raw or benchmark-subtracted returns
// over an event window mostly measure the market: NVDA's window after 2025-04-08 holds the 2025-04-09
// tariff-pause rally, when everything rose. The market model (MacKinlay 1997, "Event Studies in
// Economics and Finance") first learns how the stock moves with its benchmark in a quiet stretch
// before the event, then asks how far the event window strays from that.
//
// The method, exactly:
// - daily simple returns of close; a session is a date with a close in the stock's series; day 0 is
//   the first session on or after the event date;
// - estimation window: the returns of sessions -130..-11 (120 returns); OLS of the stock's returns on
//   the benchmark's gives alpha, beta and the residual standard deviation s (n - 2 degrees of freedom);
// - event window: sessions -1..+5 (L = 7 returns, the first from the close of session -2); AR = r -
//   (alpha + beta * r_m); CAR = sum of AR; t = CAR / (s * sqrt(L)); |t| >= 1.96 is a reaction
//   ('rallied' or 'fell'), else 'muted';
// - the test's power: the smallest |CAR| it calls a reaction is 1.96 * s * sqrt(L) (minDetectableCar):
//   a deal that moves the stock by less than that reads 'muted' whatever its effect;
// - 'pending' until session +5 exists on or before asOf.
// Alignment: the stock's sessions set the calendar. The return of a session is close(session) /
// close(previous session) - 1 for the stock, and for the benchmark over the same two dates, so the
// benchmark needs a close on both dates. A benchmark close missing on any date the two windows need
// makes the study 'insufficient' (benchmark_gap) rather than quietly shortening a window or pairing
// returns over different spans.
import type { ClosePoint, IsoDate } from '../../domain.js';
import { addDays } from '../../market/iso-date.js';
import { fitLine } from './ols.js';
import { indexOfDate, lastIndexOnOrBefore } from './series.js';

export interface EventStudySpec {
  /** First and last session (relative to day 0) of the estimation window's returns. */
  estimationFirst: number;
  estimationLast: number;
  /** First and last session of the event window's returns. */
  windowFirst: number;
  windowLast: number;
  /** |t| at or above this is a reaction (two-sided 5 % under a normal approximation). */
  criticalT: number;
}

export const MARKET_MODEL_SPEC: EventStudySpec = {
  estimationFirst: -130,
  estimationLast: -11,
  windowFirst: -1,
  windowLast: 5,
  criticalT: 1.96,
};

export interface MarketModelStudy {
  alpha: number;
  beta: number;
  residualSd: number;
  /** Dates of the first and last estimation-window returns (sessions -130 and -11). */
  estimationFrom: IsoDate;
  estimationTo: IsoDate;
  /** Dates of the first and last event-window returns (sessions -1 and +5). */
  windowFrom: IsoDate;
  windowTo: IsoDate;
  /** The close the first event-window return starts from (session -2). */
  windowBaseDate: IsoDate;
  /** L: the event-window returns the CAR sums. */
  windowReturns: number;
  /** The stock's and the benchmark's compound return over the same span (windowBaseDate to windowTo). */
  stockReturn: number;
  benchmarkReturn: number;
  /** Cumulative abnormal return over the event window, a fraction. */
  car: number;
  t: number;
  /** criticalT * s * sqrt(L): the smallest |CAR| the test calls 'rallied' or 'fell'. */
  minDetectableCar: number;
}

export type MarketModelReaction = 'rallied' | 'fell' | 'muted';

export type InsufficientReason =
  /** No benchmark configured, or none of its closes stored. */
  | 'benchmark_missing'
  /** Fewer sessions before day 0 than the estimation window needs (including its base close). */
  | 'short_history'
  /** The benchmark lacks a close on a date one of the windows' returns needs. */
  | 'benchmark_gap'
  /** The regression is not defined: a flat benchmark, or a perfect fit (s = 0, t undefined). */
  | 'degenerate_fit';

export type EventStudyOutcome =
  | { state: 'measured'; study: MarketModelStudy; reaction: MarketModelReaction }
  | { state: 'pending' }
  | { state: 'insufficient'; reason: InsufficientReason };

/** The reaction a t statistic reads as. */
export function reactionOfT(t: number, criticalT = MARKET_MODEL_SPEC.criticalT): MarketModelReaction {
  return t >= criticalT ? 'rallied' : t <= -criticalT ? 'fell' : 'muted';
}

interface ReturnPair {
  date: IsoDate;
  stock: number;
  market: number;
}

/**
 * Stock and benchmark returns of the stock's sessions [from, to] (indexes into `stock`, from >= 1),
 * aligned as the header says; null when the benchmark lacks a close the pairs need.
 */
function alignedReturns(stock: readonly ClosePoint[], benchmark: readonly ClosePoint[], from: number, to: number): ReturnPair[] | null {
  const out: ReturnPair[] = [];
  for (let k = from; k <= to; k++) {
    const prev = stock[k - 1]!;
    const cur = stock[k]!;
    const m0 = indexOfDate(benchmark, prev.date);
    const m1 = indexOfDate(benchmark, cur.date);
    if (m0 < 0 || m1 < 0) return null;
    out.push({ date: cur.date, stock: cur.close / prev.close - 1, market: benchmark[m1]!.close / benchmark[m0]!.close - 1 });
  }
  return out;
}

/**
 * The market-model event study of `stock` around `eventDate` as of `asOf`. Both series ascending and
 * already cut at asOf (the report cuts them once, in SQL, and the model checks); `benchmark` null when
 * there is none.
 */
export function marketModelEventStudy(
  stock: readonly ClosePoint[],
  benchmark: readonly ClosePoint[] | null,
  eventDate: IsoDate,
  asOf: IsoDate,
  spec: EventStudySpec = MARKET_MODEL_SPEC,
): EventStudyOutcome {
  if (!benchmark || benchmark.length === 0) return { state: 'insufficient', reason: 'benchmark_missing' };
  const last = stock.length - 1;
  const day0 = lastIndexOnOrBefore(stock, addDays(eventDate, -1)) + 1;
  if (eventDate > asOf || day0 > last) return { state: 'pending' };
  // The first estimation return needs the close of the session before it.
  if (day0 + spec.estimationFirst - 1 < 0) return { state: 'insufficient', reason: 'short_history' };
  if (day0 + spec.windowLast > last) return { state: 'pending' };

  const estimation = alignedReturns(stock, benchmark, day0 + spec.estimationFirst, day0 + spec.estimationLast);
  const window = alignedReturns(stock, benchmark, day0 + spec.windowFirst, day0 + spec.windowLast);
  if (!estimation || !window) return { state: 'insufficient', reason: 'benchmark_gap' };

  const fit = fitLine(
    estimation.map((p) => p.market),
    estimation.map((p) => p.stock),
  );
  if (!fit || !(fit.residualSd > 0)) return { state: 'insufficient', reason: 'degenerate_fit' };
  const car = window.reduce((sum, p) => sum + (p.stock - (fit.alpha + fit.beta * p.market)), 0);
  const t = car / (fit.residualSd * Math.sqrt(window.length));
  const compound = (side: 'stock' | 'market') => window.reduce((g, p) => g * (1 + p[side]), 1) - 1;
  return {
    state: 'measured',
    study: {
      alpha: fit.alpha,
      beta: fit.beta,
      residualSd: fit.residualSd,
      estimationFrom: estimation[0]!.date,
      estimationTo: estimation.at(-1)!.date,
      windowFrom: window[0]!.date,
      windowTo: window.at(-1)!.date,
      windowBaseDate: stock[day0 + spec.windowFirst - 1]!.date,
      windowReturns: window.length,
      stockReturn: compound('stock'),
      benchmarkReturn: compound('market'),
      car,
      t,
      minDetectableCar: spec.criticalT * fit.residualSd * Math.sqrt(window.length),
    },
    reaction: reactionOfT(t, spec.criticalT),
  };
}
