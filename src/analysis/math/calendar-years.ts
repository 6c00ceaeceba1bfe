// A stock's swings and volatility in each full calendar year of its history (pure): the baseline its
// judged year is set against. The swings are those of the one zig-zag over the whole history (the same
// rule as the judged year's), counted in the year whose session confirmed them; the volatility is that
// of the daily log returns whose later close falls in the year (the first one starts at the previous
// year's last close).
import type { ClosePoint, IsoDate } from '../../domain.js';
import { coversWindow, lastIndexOnOrBefore } from './series.js';
import type { Swing } from './swings.js';
import { realisedVolatility } from './volatility.js';

export interface YearFigures {
  year: number;
  /** Swings confirmed in the year. */
  swings: number;
  /** Annualised realised volatility of the year's daily returns; null with fewer than two. */
  volatility: number | null;
}

const yearStart = (year: number): IsoDate => `${String(year).padStart(4, '0')}-01-01`;
const yearEnd = (year: number): IsoDate => `${String(year).padStart(4, '0')}-12-31`;

/**
 * The calendar years the series spans whole (closes within a week of 1 January and of 31 December,
 * as coversWindow has it) and that end on or before `lastEnd`, oldest first.
 */
export function fullCalendarYears(points: readonly ClosePoint[], lastEnd: IsoDate): number[] {
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last) return [];
  const years: number[] = [];
  for (let y = Number(first.date.slice(0, 4)); y <= Number(last.date.slice(0, 4)); y++) {
    if (yearEnd(y) <= lastEnd && coversWindow(points, yearStart(y), yearEnd(y))) years.push(y);
  }
  return years;
}

/** Each year's figures; `swings` must be zigZagSwings of the same `points`. */
export function yearFigures(points: readonly ClosePoint[], swings: readonly Swing[], years: readonly number[]): YearFigures[] {
  return years.map((year) => {
    const from = yearStart(year);
    const to = yearEnd(year);
    // From the last close before the year (the base of its first return) to its last close.
    const start = Math.max(0, lastIndexOnOrBefore(points, yearEnd(year - 1)));
    const end = lastIndexOnOrBefore(points, to);
    const volatility = realisedVolatility(points.slice(start, end + 1), yearEnd(year - 1))?.value ?? null;
    return { year, swings: swings.filter((s) => s.confirmedDate >= from && s.confirmedDate <= to).length, volatility };
  });
}
