// Exchange-time stamps for the sim's payloads: bars are stamped at the 09:30 New York open, quotes
// and meta at the 16:00 close, in epoch seconds like Yahoo. Cached per date because a full history
// (^GSPC from 1927) would otherwise run tens of thousands of time-zone conversions per request.
import type { IsoDate } from '../domain.js';
import { utcOffsetMs, zonedTimeToInstant } from '../market/zoned-time.js';

export const SIM_TIME_ZONE = 'America/New_York';

const cache = new Map<string, number>();

function epochAt(date: IsoDate, time: string): number {
  const key = `${date} ${time}`;
  let value = cache.get(key);
  if (value === undefined) {
    value = Math.floor(zonedTimeToInstant(date, time, SIM_TIME_ZONE).getTime() / 1000);
    cache.set(key, value);
  }
  return value;
}

/** Session open (09:30 New York) in epoch seconds: the stamp of a daily bar. */
export function openEpoch(date: IsoDate): number {
  return epochAt(date, '09:30');
}

/** Regular close (16:00 New York) in epoch seconds. */
export function closeEpoch(date: IsoDate): number {
  return epochAt(date, '16:00');
}

export function epochOf(date: IsoDate, time: string): number {
  return epochAt(date, time);
}

/** UTC offset of New York at an instant, in seconds (-18000 in winter). */
export function gmtOffsetSeconds(epochSeconds: number): number {
  return utcOffsetMs(epochSeconds * 1000, SIM_TIME_ZONE) / 1000;
}

/** "EST" or "EDT", as Yahoo's meta.timezone and quote exchangeTimezoneShortName carry it. */
export function zoneAbbreviation(epochSeconds: number): string {
  return gmtOffsetSeconds(epochSeconds) === -4 * 3600 ? 'EDT' : 'EST';
}
