import { describe, expect, it } from 'vitest';
import {
  MONDAY,
  THURSDAY,
  addDays,
  isoDate,
  lastWeekdayOfMonth,
  nthWeekdayOfMonth,
  toDayNumber,
  weekdayOf,
} from '../../../src/market/iso-date.js';

describe('iso-date', () => {
  it('counts days from 1970-01-01, before and after it', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    expect(toDayNumber('1969-12-31')).toBe(-1);
    expect(toDayNumber('2000-03-01') - toDayNumber('2000-02-28')).toBe(2);
  });

  it('adds days across month, leap-day and year ends', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });

  it('knows weekdays, including before 1970', () => {
    expect(weekdayOf('1970-01-01')).toBe(THURSDAY);
    expect(weekdayOf('1969-12-29')).toBe(MONDAY);
    expect(weekdayOf('2026-01-05')).toBe(MONDAY);
  });

  it('finds the n-th and the last weekday of a month', () => {
    expect(nthWeekdayOfMonth(2026, 11, THURSDAY, 4)).toBe('2026-11-26');
    expect(nthWeekdayOfMonth(2026, 9, MONDAY, 1)).toBe('2026-09-07');
    expect(nthWeekdayOfMonth(2027, 2, MONDAY, 1)).toBe('2027-02-01');
    expect(lastWeekdayOfMonth(2026, 5, MONDAY)).toBe('2026-05-25');
    expect(lastWeekdayOfMonth(2021, 5, MONDAY)).toBe('2021-05-31');
  });

  it('builds dates from fields, letting a day overflow into the next month', () => {
    expect(isoDate(2026, 1, 5)).toBe('2026-01-05');
    expect(isoDate(2026, 3, 0)).toBe('2026-02-28');
  });

  it('rejects malformed and impossible dates', () => {
    for (const bad of ['2026-02-29', '2026-00-10', '0099-01-01', '2026/01/05', ' 2026-01-05']) {
      expect(() => toDayNumber(bad)).toThrow(RangeError);
    }
  });
});
