import { describe, expect, it } from 'vitest';
import { isTradingDay, sessionOn } from '../../../src/market/calendar.js';
import {
  EARLY_CLOSE_EXCEPTIONS,
  LATE_OPENS,
  SPECIAL_CLOSURES,
  earlyClosesOfYear,
  easterSunday,
  holidaysOfYear,
  nyseYear,
} from '../../../src/market/holidays.js';

describe(easterSunday.name, () => {
  it.each([
    [1818, '1818-03-22'], // earliest possible
    [1943, '1943-04-25'], // latest possible
    [2000, '2000-04-23'],
    [2008, '2008-03-23'],
    [2011, '2011-04-24'],
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2038, '2038-04-25'],
    [2285, '2285-03-22'],
  ])('%i: %s', (year, easter) => {
    expect(easterSunday(year)).toBe(easter);
  });
});

describe('holiday rules', () => {
  it('names every regular holiday of a year in date order', () => {
    expect(holidaysOfYear(2026)).toEqual([
      { date: '2026-01-01', name: "New Year's Day" },
      { date: '2026-01-19', name: 'Martin Luther King Jr. Day' },
      { date: '2026-02-16', name: "Washington's Birthday" },
      { date: '2026-04-03', name: 'Good Friday' },
      { date: '2026-05-25', name: 'Memorial Day' },
      { date: '2026-06-19', name: 'Juneteenth National Independence Day' },
      { date: '2026-07-03', name: 'Independence Day' },
      { date: '2026-09-07', name: 'Labor Day' },
      { date: '2026-11-26', name: 'Thanksgiving Day' },
      { date: '2026-12-25', name: 'Christmas Day' },
    ]);
  });

  it('starts MLK Day in 1998 and Juneteenth in 2022', () => {
    expect(isTradingDay('1997-01-20')).toBe(true);
    expect(isTradingDay('1998-01-19')).toBe(false);
    expect(isTradingDay('2021-06-18')).toBe(true);
    expect(isTradingDay('2022-06-20')).toBe(false);
  });

  it('observes a Sunday New Year on Monday and skips a Saturday one', () => {
    expect(isTradingDay('2023-01-02')).toBe(false);
    expect(isTradingDay('2032-12-31')).toBe(true);
    expect(isTradingDay('2033-01-03')).toBe(true);
  });

  it('keeps the current July 3 rule in future years', () => {
    expect(earlyClosesOfYear(2030).map((d) => d.date)).toEqual(['2030-07-03', '2030-11-29', '2030-12-24']);
    expect(earlyClosesOfYear(2028).map((d) => d.date)).toEqual(['2028-07-03', '2028-11-24']);
  });

  it('rejects years outside 1-9999', () => {
    expect(() => nyseYear(0)).toThrow(RangeError);
    expect(() => nyseYear(2026.5)).toThrow(RangeError);
  });
});

describe('dated exceptions', () => {
  it('lists special closures in order, on weekdays, each with a name', () => {
    const dates = SPECIAL_CLOSURES.map((c) => c.date);
    expect([...dates].sort()).toEqual(dates);
    for (const { date, name } of SPECIAL_CLOSURES) {
      expect(name).not.toBe('');
      expect(isTradingDay(date)).toBe(false);
      expect(sessionOn(date)).toBeNull();
    }
  });

  it('closed early on Friday 2002-07-05 instead of Wednesday 2002-07-03', () => {
    expect(sessionOn('2002-07-03')!.earlyClose).toBe(false);
    expect(sessionOn('2002-07-05')!.earlyClose).toBe(true);
    expect(sessionOn('2013-07-03')!.earlyClose).toBe(true);
  });

  it('closed early the Friday after Christmas 2003 but not 2008, 2014 or 2025', () => {
    expect(sessionOn('2003-12-26')!.earlyClose).toBe(true);
    for (const date of ['2008-12-26', '2014-12-26', '2025-12-26']) expect(sessionOn(date)!.earlyClose).toBe(false);
  });

  it('only lists exceptions and late opens on session days', () => {
    for (const { date } of [...EARLY_CLOSE_EXCEPTIONS, ...LATE_OPENS]) expect(isTradingDay(date)).toBe(true);
  });
});
