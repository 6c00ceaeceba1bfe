// The NYSE calendars of 2000-2027 as published (holiday and early-close notices), written out by hand
// and kept independent of the rules in src/market: every full-day closure on a weekday, every 1 p.m.
// early close and the number of sessions of each year must agree exactly.
import { describe, expect, it } from 'vitest';
import { earlyCloseOn, holidayOn, isTradingDay, sessionOn, sessionsBetween } from '../../../src/market/calendar.js';
import { earlyClosesOfYear, holidaysOfYear } from '../../../src/market/holidays.js';

interface KnownYear {
  /** Weekdays without a session, as MM-DD. */
  closed: string[];
  /** Sessions that closed at 1 p.m., as MM-DD. */
  early: string[];
  sessions: number;
}

// New Year's Day on a Saturday (2000, 2005, 2011, 2022, 2028) is not observed on the Friday before.
const KNOWN: Record<number, KnownYear> = {
  2000: { closed: ['01-17', '02-21', '04-21', '05-29', '07-04', '09-04', '11-23', '12-25'], early: ['07-03', '11-24'], sessions: 252 },
  2001: {
    closed: ['01-01', '01-15', '02-19', '04-13', '05-28', '07-04', '09-03', '09-11', '09-12', '09-13', '09-14', '11-22', '12-25'],
    early: ['07-03', '11-23', '12-24'],
    sessions: 248,
  },
  // July 4 on a Thursday: before 2013 the early close was Friday July 5, not Wednesday July 3.
  2002: { closed: ['01-01', '01-21', '02-18', '03-29', '05-27', '07-04', '09-02', '11-28', '12-25'], early: ['07-05', '11-29', '12-24'], sessions: 252 },
  2003: {
    closed: ['01-01', '01-20', '02-17', '04-18', '05-26', '07-04', '09-01', '11-27', '12-25'],
    early: ['07-03', '11-28', '12-24', '12-26'],
    sessions: 252,
  },
  2004: { closed: ['01-01', '01-19', '02-16', '04-09', '05-31', '06-11', '07-05', '09-06', '11-25', '12-24'], early: ['11-26'], sessions: 252 },
  2005: { closed: ['01-17', '02-21', '03-25', '05-30', '07-04', '09-05', '11-24', '12-26'], early: ['11-25'], sessions: 252 },
  2006: { closed: ['01-02', '01-16', '02-20', '04-14', '05-29', '07-04', '09-04', '11-23', '12-25'], early: ['07-03', '11-24'], sessions: 251 },
  2007: {
    closed: ['01-01', '01-02', '01-15', '02-19', '04-06', '05-28', '07-04', '09-03', '11-22', '12-25'],
    early: ['07-03', '11-23', '12-24'],
    sessions: 251,
  },
  2008: { closed: ['01-01', '01-21', '02-18', '03-21', '05-26', '07-04', '09-01', '11-27', '12-25'], early: ['07-03', '11-28', '12-24'], sessions: 253 },
  2009: { closed: ['01-01', '01-19', '02-16', '04-10', '05-25', '07-03', '09-07', '11-26', '12-25'], early: ['11-27', '12-24'], sessions: 252 },
  2010: { closed: ['01-01', '01-18', '02-15', '04-02', '05-31', '07-05', '09-06', '11-25', '12-24'], early: ['11-26'], sessions: 252 },
  2011: { closed: ['01-17', '02-21', '04-22', '05-30', '07-04', '09-05', '11-24', '12-26'], early: ['11-25'], sessions: 252 },
  2012: {
    closed: ['01-02', '01-16', '02-20', '04-06', '05-28', '07-04', '09-03', '10-29', '10-30', '11-22', '12-25'],
    early: ['07-03', '11-23', '12-24'],
    sessions: 250,
  },
  2013: { closed: ['01-01', '01-21', '02-18', '03-29', '05-27', '07-04', '09-02', '11-28', '12-25'], early: ['07-03', '11-29', '12-24'], sessions: 252 },
  2014: { closed: ['01-01', '01-20', '02-17', '04-18', '05-26', '07-04', '09-01', '11-27', '12-25'], early: ['07-03', '11-28', '12-24'], sessions: 252 },
  2015: { closed: ['01-01', '01-19', '02-16', '04-03', '05-25', '07-03', '09-07', '11-26', '12-25'], early: ['11-27', '12-24'], sessions: 252 },
  2016: { closed: ['01-01', '01-18', '02-15', '03-25', '05-30', '07-04', '09-05', '11-24', '12-26'], early: ['11-25'], sessions: 252 },
  2017: { closed: ['01-02', '01-16', '02-20', '04-14', '05-29', '07-04', '09-04', '11-23', '12-25'], early: ['07-03', '11-24'], sessions: 251 },
  2018: {
    closed: ['01-01', '01-15', '02-19', '03-30', '05-28', '07-04', '09-03', '11-22', '12-05', '12-25'],
    early: ['07-03', '11-23', '12-24'],
    sessions: 251,
  },
  2019: { closed: ['01-01', '01-21', '02-18', '04-19', '05-27', '07-04', '09-02', '11-28', '12-25'], early: ['07-03', '11-29', '12-24'], sessions: 252 },
  2020: { closed: ['01-01', '01-20', '02-17', '04-10', '05-25', '07-03', '09-07', '11-26', '12-25'], early: ['11-27', '12-24'], sessions: 253 },
  2021: { closed: ['01-01', '01-18', '02-15', '04-02', '05-31', '07-05', '09-06', '11-25', '12-24'], early: ['11-26'], sessions: 252 },
  2022: { closed: ['01-17', '02-21', '04-15', '05-30', '06-20', '07-04', '09-05', '11-24', '12-26'], early: ['11-25'], sessions: 251 },
  2023: {
    closed: ['01-02', '01-16', '02-20', '04-07', '05-29', '06-19', '07-04', '09-04', '11-23', '12-25'],
    early: ['07-03', '11-24'],
    sessions: 250,
  },
  2024: {
    closed: ['01-01', '01-15', '02-19', '03-29', '05-27', '06-19', '07-04', '09-02', '11-28', '12-25'],
    early: ['07-03', '11-29', '12-24'],
    sessions: 252,
  },
  2025: {
    closed: ['01-01', '01-09', '01-20', '02-17', '04-18', '05-26', '06-19', '07-04', '09-01', '11-27', '12-25'],
    early: ['07-03', '11-28', '12-24'],
    sessions: 250,
  },
  2026: { closed: ['01-01', '01-19', '02-16', '04-03', '05-25', '06-19', '07-03', '09-07', '11-26', '12-25'], early: ['11-27', '12-24'], sessions: 251 },
  2027: { closed: ['01-01', '01-18', '02-15', '03-26', '05-31', '06-18', '07-05', '09-06', '11-25', '12-24'], early: ['11-26'], sessions: 251 },
};

const years = Object.keys(KNOWN).map(Number);

/** Every date of a year, built without the module under test. */
function datesOf(year: number): string[] {
  const dates: string[] = [];
  for (let d = new Date(Date.UTC(year, 0, 1)); d.getUTCFullYear() === year; d.setUTCDate(d.getUTCDate() + 1)) {
    dates.push(d.toISOString().slice(0, 10));
  }
  return dates;
}

function isWeekday(date: string): boolean {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day !== 0 && day !== 6;
}

describe('NYSE calendars 2000-2027', () => {
  it('covers every year from 2000 to 2027', () => {
    expect(years).toEqual(Array.from({ length: 28 }, (_, i) => 2000 + i));
  });

  it.each(years)('%i: the closures, early closes and session count as published', (year) => {
    const known = KNOWN[year]!;
    const withYear = (mmdd: string[]) => mmdd.map((d) => `${year}-${d}`);
    const weekdays = datesOf(year).filter(isWeekday);

    expect(weekdays.filter((d) => holidayOn(d) !== null)).toEqual(withYear(known.closed));
    expect(weekdays.filter((d) => !isTradingDay(d))).toEqual(withYear(known.closed));
    expect(holidaysOfYear(year).map((h) => h.date)).toEqual(withYear(known.closed));

    const sessions = sessionsBetween(`${year}-01-01`, `${year}-12-31`);
    expect(sessions.filter((d) => sessionOn(d)!.earlyClose)).toEqual(withYear(known.early));
    expect(weekdays.filter((d) => earlyCloseOn(d) !== null)).toEqual(withYear(known.early));
    expect(earlyClosesOfYear(year).map((e) => e.date)).toEqual(withYear(known.early));

    expect(sessions).toHaveLength(known.sessions);
    // The published count is the weekdays less the closures: checks the hand-written list itself.
    expect(weekdays.length - known.closed.length).toBe(known.sessions);
  });
});
