// Year arithmetic on 'YYYY-MM-DD' strings (day arithmetic lives in src/market/iso-date.ts). ISO dates
// sort as strings, so the report's windows are plain string comparisons.
import type { IsoDate } from '../domain.js';

/** The same calendar day `years` earlier; 29 February falls back to the 28th in a common year. */
export function minusYears(date: IsoDate, years: number): IsoDate {
  const y = Number(date.slice(0, 4)) - years;
  let md = date.slice(4);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (md === '-02-29' && !leap) md = '-02-28';
  return `${String(y).padStart(4, '0')}${md}`;
}

/** 1 January of the date's year. */
export function startOfYear(date: IsoDate): IsoDate {
  return `${date.slice(0, 4)}-01-01`;
}
