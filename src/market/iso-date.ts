// Calendar-date arithmetic on 'YYYY-MM-DD' strings. Dates are counted as whole days since 1970-01-01
// on the UTC axis, where every day has 24 hours, so no time zone or DST switch can shift a date. ISO
// dates sort as strings, so windows over them are plain string comparisons.
import type { IsoDate } from '../domain.js';

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day of the week as Date#getUTCDay numbers it: 0 = Sunday ... 6 = Saturday. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;
export const SUNDAY = 0;
export const MONDAY = 1;
export const THURSDAY = 4;
export const SATURDAY = 6;

/** Days since 1970-01-01. Throws a RangeError for anything but a real date (rejects 2025-02-30). */
export function toDayNumber(date: IsoDate): number {
  const m = ISO_DATE.exec(date);
  if (m) {
    const day = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / MS_PER_DAY;
    // The round trip rejects overflowing fields and years below 100, which Date.UTC maps to 19xx.
    if (fromDayNumber(day) === date) return day;
  }
  throw new RangeError(`Expected a calendar date as YYYY-MM-DD, got ${JSON.stringify(date)}`);
}

export function fromDayNumber(day: number): IsoDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The date for a year, a month (1-12) and a day of the month, which may overflow into the next month. */
export function isoDate(year: number, month: number, day: number): IsoDate {
  return fromDayNumber(Date.UTC(year, month - 1, day) / MS_PER_DAY);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

export function weekdayOf(date: IsoDate): Weekday {
  return dayNumberWeekday(toDayNumber(date));
}

export function dayNumberWeekday(day: number): Weekday {
  // 1970-01-01 was a Thursday.
  return ((((day + THURSDAY) % 7) + 7) % 7) as Weekday;
}

export function isWeekend(date: IsoDate): boolean {
  const weekday = weekdayOf(date);
  return weekday === SATURDAY || weekday === SUNDAY;
}

/** The n-th (1-based) given weekday of a month, e.g. the 4th Thursday of November. */
export function nthWeekdayOfMonth(year: number, month: number, weekday: Weekday, n: number): IsoDate {
  const first = isoDate(year, month, 1);
  const shift = (weekday - weekdayOf(first) + 7) % 7;
  return addDays(first, shift + 7 * (n - 1));
}

/** The last given weekday of a month, e.g. the last Monday of May. */
export function lastWeekdayOfMonth(year: number, month: number, weekday: Weekday): IsoDate {
  const last = isoDate(year, month + 1, 0);
  const shift = (weekdayOf(last) - weekday + 7) % 7;
  return addDays(last, -shift);
}

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
