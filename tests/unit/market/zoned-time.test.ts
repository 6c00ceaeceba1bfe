import { describe, expect, it } from 'vitest';
import { utcOffsetMs, zonedDate, zonedTimeToInstant } from '../../../src/market/zoned-time.js';

const at = (iso: string) => new Date(iso);

describe(zonedDate.name, () => {
  it('maps a Yahoo bar stamp (the session open) to the exchange trading date', () => {
    expect(zonedDate(at('2024-01-02T14:30:00Z'), 'America/New_York')).toBe('2024-01-02');
    // Tokyo opens at 09:00 JST = 00:00Z; a stamp a little earlier is still the Tokyo date.
    expect(zonedDate(at('2024-01-03T23:59:00Z'), 'Asia/Tokyo')).toBe('2024-01-04');
    expect(zonedDate(at('2024-01-03T23:59:00Z'), 'UTC')).toBe('2024-01-03');
  });

  it('handles half-hour offsets and the southern hemisphere', () => {
    expect(zonedDate(at('2024-03-01T18:29:59Z'), 'Asia/Kolkata')).toBe('2024-03-01');
    expect(zonedDate(at('2024-03-01T18:30:00Z'), 'Asia/Kolkata')).toBe('2024-03-02');
    expect(zonedDate(at('2024-01-15T13:00:00Z'), 'Australia/Sydney')).toBe('2024-01-16');
  });

  it('puts New York midnight at 05:00Z in winter and 04:00Z in summer', () => {
    expect(zonedDate(at('2026-01-10T04:59:59Z'), 'America/New_York')).toBe('2026-01-09');
    expect(zonedDate(at('2026-01-10T05:00:00Z'), 'America/New_York')).toBe('2026-01-10');
    expect(zonedDate(at('2026-07-10T03:59:59Z'), 'America/New_York')).toBe('2026-07-09');
    expect(zonedDate(at('2026-07-10T04:00:00Z'), 'America/New_York')).toBe('2026-07-10');
  });

  it('rejects invalid Dates and unknown zones', () => {
    expect(() => zonedDate(new Date(Number.NaN), 'UTC')).toThrow(RangeError);
    expect(() => zonedDate(at('2024-01-02T00:00:00Z'), 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe(zonedTimeToInstant.name, () => {
  it('puts 09:30 New York at 14:30Z in winter and 13:30Z in summer', () => {
    expect(zonedTimeToInstant('2026-01-05', '09:30', 'America/New_York')).toEqual(at('2026-01-05T14:30:00Z'));
    expect(zonedTimeToInstant('2026-07-06', '09:30', 'America/New_York')).toEqual(at('2026-07-06T13:30:00Z'));
  });

  it('uses the new offset for the rest of a switch day (2026-03-08 and 2026-11-01)', () => {
    expect(zonedTimeToInstant('2026-03-08', '09:30', 'America/New_York')).toEqual(at('2026-03-08T13:30:00Z'));
    expect(zonedTimeToInstant('2026-03-08', '01:59', 'America/New_York')).toEqual(at('2026-03-08T06:59:00Z'));
    expect(zonedTimeToInstant('2026-11-01', '09:30', 'America/New_York')).toEqual(at('2026-11-01T14:30:00Z'));
  });

  it('moves a time skipped by the spring switch forward by the gap', () => {
    // 02:30 does not exist on 2026-03-08: clocks jump from 02:00 EST to 03:00 EDT.
    expect(zonedTimeToInstant('2026-03-08', '02:30', 'America/New_York')).toEqual(at('2026-03-08T07:30:00Z'));
    // Brazil used to start daylight time at midnight: the day began at 01:00.
    const start = zonedTimeToInstant('2018-11-04', '00:00', 'America/Sao_Paulo');
    expect(start).toEqual(at('2018-11-04T03:00:00Z'));
    expect(zonedDate(start, 'America/Sao_Paulo')).toBe('2018-11-04');
  });

  it('takes the first of two repeated times in the autumn switch', () => {
    expect(zonedTimeToInstant('2026-11-01', '01:30', 'America/New_York')).toEqual(at('2026-11-01T05:30:00Z'));
  });

  it('works in zones ahead of UTC', () => {
    expect(zonedTimeToInstant('2024-03-01', '09:15', 'Asia/Kolkata')).toEqual(at('2024-03-01T03:45:00Z'));
    expect(zonedTimeToInstant('2026-03-29', '08:00', 'Europe/London')).toEqual(at('2026-03-29T07:00:00Z'));
    expect(zonedTimeToInstant('2024-01-16', '10:00', 'Australia/Sydney')).toEqual(at('2024-01-15T23:00:00Z'));
  });

  it('round-trips with zonedDate at every midnight of a year', () => {
    for (const zone of ['America/New_York', 'Europe/London', 'Australia/Sydney', 'America/Sao_Paulo']) {
      for (let d = new Date(Date.UTC(2018, 0, 1)); d.getUTCFullYear() === 2018; d.setUTCDate(d.getUTCDate() + 1)) {
        const date = d.toISOString().slice(0, 10);
        expect(zonedDate(zonedTimeToInstant(date, '00:00', zone), zone)).toBe(date);
      }
    }
  });

  it('rejects malformed times, dates and zones', () => {
    for (const bad of ['9:30', '24:00', '09:60', '09:30:00']) {
      expect(() => zonedTimeToInstant('2026-01-05', bad, 'UTC')).toThrow(RangeError);
    }
    expect(() => zonedTimeToInstant('2026-13-01', '09:30', 'UTC')).toThrow(RangeError);
    expect(() => zonedTimeToInstant('2026-01-05', '09:30', 'Nowhere/Special')).toThrow(RangeError);
  });
});

describe(utcOffsetMs.name, () => {
  it('gives the zone offset at an instant, switching with daylight time', () => {
    expect(utcOffsetMs(Date.parse('2026-01-05T14:30:00Z'), 'America/New_York')).toBe(-5 * 3_600_000);
    expect(utcOffsetMs(Date.parse('2026-07-06T13:30:00Z'), 'America/New_York')).toBe(-4 * 3_600_000);
    expect(utcOffsetMs(Date.parse('2024-03-01T00:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * 3_600_000);
    expect(utcOffsetMs(Date.parse('2024-03-01T00:00:00Z'), 'UTC')).toBe(0);
  });
});
