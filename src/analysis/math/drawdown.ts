// One symbol's summary as of a date (pure): last close, all-time high, current and deepest drawdown
// episodes (episodes.ts, pyfolio's rules), 52-week high and year-to-date move. The report applies it to
// every symbol it reads, so a large watchlist is reduced to summaries as it streams in.
import type { ClosePoint, IsoDate } from '../../domain.js';
import { minusYears, startOfYear } from '../../market/iso-date.js';
import { noDrawdown, scanEpisodes, toEpisode, type DrawdownEpisode } from './episodes.js';
import { assertCloseSeries, lastIndexOnOrBefore } from './series.js';

export interface YearToDate {
  baseDate: IsoDate;
  baseClose: number;
  /** 'prior_year_close' normally; 'first_close' for a symbol first listed in the year of asOf. */
  basis: 'prior_year_close' | 'first_close';
  value: number;
}

export interface High52w {
  date: IsoDate;
  close: number;
  /** Last close / 52-week high - 1. */
  drawdown: number;
}

export interface SymbolDrawdown {
  firstDate: IsoDate;
  lastDate: IsoDate;
  lastClose: number;
  sessions: number;
  athDate: IsoDate;
  athClose: number;
  /** Current drawdown from the all-time high (0 at a new high). */
  drawdown: number;
  maxDrawdown: DrawdownEpisode;
  /** Up to `top` episodes, deepest first; empty when the series never fell. */
  periods: DrawdownEpisode[];
  /** The open episode (recoveryDate null), if the last close is below the all-time high. */
  current: DrawdownEpisode | null;
  /** Highest close in (asOf - 1 year, asOf]; null when no close falls in that window. */
  high52w: High52w | null;
  /** null when no close falls in asOf's year. */
  ytd: YearToDate | null;
}

function high52wOf(points: readonly ClosePoint[], asOf: IsoDate): High52w | null {
  const after = minusYears(asOf, 1);
  let best: ClosePoint | null = null;
  for (let i = points.length - 1; i >= 0 && points[i]!.date > after; i--) {
    // Walking backwards, a strict > keeps the latest date among equal highs (the pyfolio peak rule).
    if (!best || points[i]!.close > best.close) best = points[i]!;
  }
  const last = points[points.length - 1]!;
  return best && { date: best.date, close: best.close, drawdown: last.close / best.close - 1 };
}

function ytdOf(points: readonly ClosePoint[], asOf: IsoDate): YearToDate | null {
  // No close in asOf's year: there is no year-to-date move to report, not a 0 % one.
  if (points[points.length - 1]!.date.slice(0, 4) !== asOf.slice(0, 4)) return null;
  const priorYearEnd = lastIndexOnOrBefore(points, minusDay(startOfYear(asOf)));
  const base = points[Math.max(0, priorYearEnd)]!;
  return {
    baseDate: base.date,
    baseClose: base.close,
    basis: priorYearEnd >= 0 ? 'prior_year_close' : 'first_close',
    value: points[points.length - 1]!.close / base.close - 1,
  };
}

// 'YYYY-01-01' minus one day is always 31 December of the year before.
function minusDay(yearStart: IsoDate): IsoDate {
  return `${String(Number(yearStart.slice(0, 4)) - 1).padStart(4, '0')}-12-31`;
}

export interface SummaryOptions {
  /** Drawdown periods listed (default 5). */
  top?: number;
  /** Names the series in errors (the symbol). */
  label?: string;
}

/**
 * Everything the report says about one symbol as of a date, from its closes on or before it (the
 * caller cuts them; a later close throws, as do unsorted or impossible ones). null without closes.
 */
export function summarizeSymbol(points: readonly ClosePoint[], asOf: IsoDate, options: SummaryOptions = {}): SymbolDrawdown | null {
  const { top = 5, label = 'series' } = options;
  assertCloseSeries(points, label, asOf);
  if (points.length === 0) return null;
  const scan = scanEpisodes(
    points.map((p) => p.close),
    top,
  );
  const last = points[points.length - 1]!;
  const ath = points[scan.ath]!;
  return {
    firstDate: points[0]!.date,
    lastDate: last.date,
    lastClose: last.close,
    sessions: points.length,
    athDate: ath.date,
    athClose: ath.close,
    drawdown: last.close / ath.close - 1,
    maxDrawdown: scan.max ? toEpisode(points, scan.max) : noDrawdown(points),
    periods: scan.top.map((e) => toEpisode(points, e)),
    current: scan.current && toEpisode(points, scan.current),
    high52w: high52wOf(points, asOf),
    ytd: ytdOf(points, asOf),
  };
}
