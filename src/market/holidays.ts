// NYSE full-day closures and early closes. Regular holidays and early closes follow today's NYSE rules;
// what no rule predicts (mourning days, storms, attacks) and the days on which history departs from
// the rules are dated data below. The rules are the modern ones (Monday holidays since 1971, MLK Day
// since 1998, Juneteenth since 2022, 1 p.m. early closes since 1993): trading dates hold from 1971 on
// (checked by hand against S&P 500 history), early closes and session hours from 2000 on.
import type { IsoDate } from '../domain.js';
import {
  MONDAY,
  SATURDAY,
  SUNDAY,
  THURSDAY,
  addDays,
  isWeekend,
  isoDate,
  lastWeekdayOfMonth,
  nthWeekdayOfMonth,
  weekdayOf,
} from './iso-date.js';

export interface MarketDay {
  date: IsoDate;
  name: string;
}

/** Full-day closures that no yearly rule covers, oldest first (Election Day closed the NYSE until 1980). */
export const SPECIAL_CLOSURES: readonly MarketDay[] = [
  { date: '1972-11-07', name: 'Presidential Election Day' },
  { date: '1972-12-28', name: 'Funeral of former President Harry S. Truman' },
  { date: '1973-01-25', name: 'Funeral of former President Lyndon B. Johnson' },
  { date: '1976-11-02', name: 'Presidential Election Day' },
  { date: '1977-07-14', name: 'New York City blackout' },
  { date: '1980-11-04', name: 'Presidential Election Day' },
  { date: '1985-09-27', name: 'Hurricane Gloria' },
  { date: '1994-04-27', name: 'Funeral of former President Richard Nixon' },
  { date: '2001-09-11', name: 'September 11 attacks' },
  { date: '2001-09-12', name: 'September 11 attacks' },
  { date: '2001-09-13', name: 'September 11 attacks' },
  { date: '2001-09-14', name: 'September 11 attacks' },
  { date: '2004-06-11', name: 'National Day of Mourning for former President Ronald Reagan' },
  { date: '2007-01-02', name: 'National Day of Mourning for former President Gerald Ford' },
  { date: '2012-10-29', name: 'Hurricane Sandy' },
  { date: '2012-10-30', name: 'Hurricane Sandy' },
  { date: '2018-12-05', name: 'National Day of Mourning for former President George H. W. Bush' },
  { date: '2025-01-09', name: 'National Day of Mourning for former President Jimmy Carter' },
];

/**
 * Days on which history departs from the early-close rules. Until 2012 a Thursday July 4 moved the
 * early close to Friday July 5 and left Wednesday July 3 a full day (2002); since 2013 the Wednesday
 * closes early. The Friday after Christmas closed early in 2003, but not in 2008, 2014 or 2025.
 */
export const EARLY_CLOSE_EXCEPTIONS: readonly (MarketDay & { earlyClose: boolean })[] = [
  { date: '2002-07-03', earlyClose: false, name: 'Full day: the early close moved to July 5' },
  { date: '2002-07-05', earlyClose: true, name: 'Day after Independence Day' },
  { date: '2003-12-26', earlyClose: true, name: 'Day after Christmas' },
];

/**
 * Sessions that opened late by announcement. Moments of silence that held the open for a minute or two
 * (2001-09-17, 2003-03-20, ...) and unplanned halts are left out: they never moved a trading date.
 */
export const LATE_OPENS: readonly (MarketDay & { open: string })[] = [
  { date: '2002-09-11', open: '12:00', name: 'First anniversary of the September 11 attacks' },
];

export interface YearCalendar {
  /** Weekdays without a session, with the holiday or event name. */
  closures: ReadonlyMap<IsoDate, string>;
  /** Sessions that close at 1 p.m., with the reason. */
  earlyCloses: ReadonlyMap<IsoDate, string>;
  /** Sessions that open late, with the opening time ('HH:MM') and the reason. */
  lateOpens: ReadonlyMap<IsoDate, { open: string; name: string }>;
}

/** Easter Sunday (Gregorian), by the anonymous "Meeus/Jones/Butcher" computus. */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const monthDay = h + l - 7 * m + 114;
  return isoDate(year, Math.floor(monthDay / 31), (monthDay % 31) + 1);
}

/** A fixed-date holiday on a weekend is observed on the nearest weekday. */
function observed(date: IsoDate): IsoDate {
  const weekday = weekdayOf(date);
  if (weekday === SATURDAY) return addDays(date, -1);
  if (weekday === SUNDAY) return addDays(date, 1);
  return date;
}

function regularHolidays(year: number): MarketDay[] {
  const days: MarketDay[] = [];
  // NYSE does not close on Friday Dec 31 for a Saturday New Year's Day: that would end the year early.
  const newYear = isoDate(year, 1, 1);
  if (weekdayOf(newYear) !== SATURDAY) days.push({ date: observed(newYear), name: "New Year's Day" });
  if (year >= 1998) {
    days.push({ date: nthWeekdayOfMonth(year, 1, MONDAY, 3), name: 'Martin Luther King Jr. Day' });
  }
  days.push({ date: nthWeekdayOfMonth(year, 2, MONDAY, 3), name: "Washington's Birthday" });
  days.push({ date: addDays(easterSunday(year), -2), name: 'Good Friday' });
  days.push({ date: lastWeekdayOfMonth(year, 5, MONDAY), name: 'Memorial Day' });
  if (year >= 2022) {
    days.push({ date: observed(isoDate(year, 6, 19)), name: 'Juneteenth National Independence Day' });
  }
  days.push({ date: observed(isoDate(year, 7, 4)), name: 'Independence Day' });
  days.push({ date: nthWeekdayOfMonth(year, 9, MONDAY, 1), name: 'Labor Day' });
  days.push({ date: nthWeekdayOfMonth(year, 11, THURSDAY, 4), name: 'Thanksgiving Day' });
  days.push({ date: observed(isoDate(year, 12, 25)), name: 'Christmas Day' });
  return days;
}

function earlyCloseRules(year: number, closures: ReadonlyMap<IsoDate, string>): MarketDay[] {
  const candidates: MarketDay[] = [
    { date: isoDate(year, 7, 3), name: 'Day before Independence Day' },
    { date: addDays(nthWeekdayOfMonth(year, 11, THURSDAY, 4), 1), name: 'Day after Thanksgiving' },
    { date: isoDate(year, 12, 24), name: 'Christmas Eve' },
  ];
  // July 3 on a Friday and December 24 on a Friday are the observed holidays themselves.
  return candidates.filter(({ date }) => !isWeekend(date) && !closures.has(date));
}

function inYear<T extends MarketDay>(list: readonly T[], year: number): T[] {
  const prefix = `${String(year).padStart(4, '0')}-`;
  return list.filter((day) => day.date.startsWith(prefix));
}

function buildYear(year: number): YearCalendar {
  const closures = new Map<IsoDate, string>();
  // Observed holidays never leave their year: a Saturday New Year's Day is not observed at all.
  for (const { date, name } of [...regularHolidays(year), ...inYear(SPECIAL_CLOSURES, year)]) {
    closures.set(date, name);
  }
  const earlyCloses = new Map<IsoDate, string>();
  for (const { date, name } of earlyCloseRules(year, closures)) earlyCloses.set(date, name);
  for (const { date, name, earlyClose } of inYear(EARLY_CLOSE_EXCEPTIONS, year)) {
    if (earlyClose) earlyCloses.set(date, name);
    else earlyCloses.delete(date);
  }
  const lateOpens = new Map(inYear(LATE_OPENS, year).map(({ date, open, name }) => [date, { open, name }]));
  return { closures, earlyCloses, lateOpens };
}

const years = new Map<number, YearCalendar>();

/** Closures, early closes and late opens of one year, computed once per year and cached. */
export function nyseYear(year: number): YearCalendar {
  if (!Number.isInteger(year) || year < 1 || year > 9999) {
    throw new RangeError(`Expected a year between 1 and 9999, got ${year}`);
  }
  let calendar = years.get(year);
  if (!calendar) {
    calendar = buildYear(year);
    years.set(year, calendar);
  }
  return calendar;
}

/** Full-day closures of a year on weekdays, in date order (weekends are not listed). */
export function holidaysOfYear(year: number): MarketDay[] {
  return [...nyseYear(year).closures].map(([date, name]) => ({ date, name })).sort(byDate);
}

/** Early closes of a year, in date order. */
export function earlyClosesOfYear(year: number): MarketDay[] {
  return [...nyseYear(year).earlyCloses].map(([date, name]) => ({ date, name })).sort(byDate);
}

function byDate(a: MarketDay, b: MarketDay): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
}
