// Wall-clock time in IANA time zones, through the Intl API (Node ships full ICU), so the zone rules
// (DST dates, historic offsets) come from the tz database instead of being re-implemented here.
import type { IsoDate } from '../domain.js';
import { toDayNumber } from './iso-date.js';

const MS_PER_DAY = 86_400_000;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

// Building a DateTimeFormat costs far more than using one, and callers convert thousands of bar stamps.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(epochMs: number, timeZone: string): WallClock {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year ?? NaN,
    month: fields.month ?? NaN,
    day: fields.day ?? NaN,
    // Some ICU builds print midnight as 24 even with h23.
    hour: (fields.hour ?? NaN) % 24,
    minute: fields.minute ?? NaN,
    second: fields.second ?? NaN,
  };
}

/** UTC offset of the zone at an instant, in ms (New York in winter: -5 h), to the whole second. */
export function utcOffsetMs(epochMs: number, timeZone: string): number {
  const w = wallClock(epochMs, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

function checkInstant(instant: Date): number {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Expected a valid Date, got an invalid one');
  return ms;
}

/**
 * The calendar date of an instant in an IANA time zone: maps a Yahoo bar stamp (the session open) to
 * the exchange's trading date with the zone from `meta.exchangeTimezoneName`.
 */
/** True for a time zone this runtime knows (IANA names such as America/New_York). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export function zonedDate(instant: Date, timeZone: string): IsoDate {
  const w = wallClock(checkInstant(instant), timeZone);
  return `${String(w.year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/**
 * The instant at which clocks in `timeZone` show `time` ('HH:MM') on `date`.
 * Like Temporal's 'compatible' disambiguation: a time skipped by a spring-forward switch moves forward
 * by the size of the gap (02:30 -> 03:30), and a time repeated by a fall-back switch takes its first,
 * earlier occurrence.
 */
export function zonedTimeToInstant(date: IsoDate, time: string, timeZone: string): Date {
  const hhmm = HH_MM.exec(time);
  if (!hhmm) throw new RangeError(`Expected a time as HH:MM (00:00-23:59), got ${JSON.stringify(time)}`);
  const wallAsUtc = toDayNumber(date) * MS_PER_DAY + (Number(hhmm[1]) * 60 + Number(hhmm[2])) * 60_000;
  // Zones switch offsets at most once a day, so the offsets a day either side bracket every candidate.
  const before = utcOffsetMs(wallAsUtc - MS_PER_DAY, timeZone);
  const after = utcOffsetMs(wallAsUtc + MS_PER_DAY, timeZone);
  const fromBefore = wallAsUtc - before;
  const fromAfter = wallAsUtc - after;
  const beforeFits = utcOffsetMs(fromBefore, timeZone) === before;
  const afterFits = utcOffsetMs(fromAfter, timeZone) === after;
  // Only a time in a gap fits neither, and only a repeated time fits both: both take `fromBefore`.
  return new Date(afterFits && !beforeFits ? fromAfter : fromBefore);
}
