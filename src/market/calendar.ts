// The NYSE trading calendar: which dates have a session, when each session opens and closes
// (09:30-16:00 America/New_York, 13:00 on early-close days) and how to step between sessions.
// Pure: instants (Date) and dates (IsoDate) come in as arguments; nothing here reads the clock.
import type { IsoDate } from '../domain.js';
import { nyseYear } from './holidays.js';
import { SATURDAY, SUNDAY, dayNumberWeekday, fromDayNumber, toDayNumber } from './iso-date.js';
import { zonedDate, zonedTimeToInstant } from './zoned-time.js';

export const NYSE_TIME_ZONE = 'America/New_York';
export const REGULAR_OPEN = '09:30';
export const REGULAR_CLOSE = '16:00';
export const EARLY_CLOSE = '13:00';

/** One regular trading session; `open` is inclusive and `close` exclusive. */
export interface Session {
  date: IsoDate;
  open: Date;
  close: Date;
  earlyClose: boolean;
  /** The open was moved later by announcement (2002-09-11 opened at noon). */
  lateOpen: boolean;
}

interface SessionTimes {
  openMs: number;
  closeMs: number;
  earlyClose: boolean;
  lateOpen: boolean;
}

function yearOf(date: IsoDate): number {
  return Number(date.slice(0, 4));
}

function isSessionDay(day: number): boolean {
  const weekday = dayNumberWeekday(day);
  if (weekday === SATURDAY || weekday === SUNDAY) return false;
  const date = fromDayNumber(day);
  return !nyseYear(yearOf(date)).closures.has(date);
}

// Zone conversion is the slow part of a session, so each date is converted once. Plain numbers are
// cached and fresh Dates handed out, so a caller mutating a Date cannot corrupt the cache.
const sessionTimes = new Map<IsoDate, SessionTimes | null>();

function timesOn(date: IsoDate): SessionTimes | null {
  let times = sessionTimes.get(date);
  if (times === undefined) {
    times = isSessionDay(toDayNumber(date)) ? computeTimes(date) : null;
    sessionTimes.set(date, times);
  }
  return times;
}

function computeTimes(date: IsoDate): SessionTimes {
  const year = nyseYear(yearOf(date));
  const lateOpen = year.lateOpens.get(date);
  const earlyClose = year.earlyCloses.has(date);
  return {
    openMs: zonedTimeToInstant(date, lateOpen?.open ?? REGULAR_OPEN, NYSE_TIME_ZONE).getTime(),
    closeMs: zonedTimeToInstant(date, earlyClose ? EARLY_CLOSE : REGULAR_CLOSE, NYSE_TIME_ZONE).getTime(),
    earlyClose,
    lateOpen: lateOpen !== undefined,
  };
}

/** True when the NYSE holds a session on this date. */
export function isTradingDay(date: IsoDate): boolean {
  return isSessionDay(toDayNumber(date));
}

/** The name of the holiday or event that closes the NYSE on this weekday; null on weekends and session days. */
export function holidayOn(date: IsoDate): string | null {
  toDayNumber(date);
  return nyseYear(yearOf(date)).closures.get(date) ?? null;
}

/** Why the session of this date closes at 13:00, or null if it closes at 16:00 or there is none. */
export function earlyCloseOn(date: IsoDate): string | null {
  toDayNumber(date);
  return nyseYear(yearOf(date)).earlyCloses.get(date) ?? null;
}

/** The session held on this date, or null when the exchange is closed. */
export function sessionOn(date: IsoDate): Session | null {
  const times = timesOn(date);
  if (!times) return null;
  return {
    date,
    open: new Date(times.openMs),
    close: new Date(times.closeMs),
    earlyClose: times.earlyClose,
    lateOpen: times.lateOpen,
  };
}

/** The New York calendar date of an instant (whether or not it has a session). */
export function sessionDateOf(instant: Date): IsoDate {
  return zonedDate(instant, NYSE_TIME_ZONE);
}

/** True from a session's open (inclusive) to its close (exclusive). */
export function isInSession(instant: Date): boolean {
  const times = timesOn(sessionDateOf(instant));
  const ms = instant.getTime();
  return times !== null && times.openMs <= ms && ms < times.closeMs;
}

/** The nearest session day strictly before (step -1) or after (step 1) a day number. */
function stepToSession(day: number, step: -1 | 1): number {
  let next = day + step;
  while (!isSessionDay(next)) next += step;
  return next;
}

/** The latest session strictly before this date. */
export function previousSession(date: IsoDate): IsoDate {
  return fromDayNumber(stepToSession(toDayNumber(date), -1));
}

/** The earliest session strictly after this date. */
export function nextSession(date: IsoDate): IsoDate {
  return fromDayNumber(stepToSession(toDayNumber(date), 1));
}

/** This date if it has a session, else the latest session before it. */
export function sessionOnOrBefore(date: IsoDate): IsoDate {
  return isTradingDay(date) ? date : previousSession(date);
}

/** This date if it has a session, else the earliest session after it. */
export function sessionOnOrAfter(date: IsoDate): IsoDate {
  return isTradingDay(date) ? date : nextSession(date);
}

/** The latest session whose close is at or before the instant: the newest complete daily bar. */
export function lastClosedSession(instant: Date): IsoDate {
  const date = sessionDateOf(instant);
  const times = timesOn(date);
  return times !== null && times.closeMs <= instant.getTime() ? date : previousSession(date);
}

/** Every session from `from` to `to`, both inclusive, in order; empty when `from` is after `to`. */
export function sessionsBetween(from: IsoDate, to: IsoDate): IsoDate[] {
  const last = toDayNumber(to);
  const sessions: IsoDate[] = [];
  for (let day = toDayNumber(from); day <= last; day += 1) {
    if (isSessionDay(day)) sessions.push(fromDayNumber(day));
  }
  return sessions;
}

/**
 * The n-th session strictly before `date` (n = 1 is previousSession). n = 0 is the session on or
 * before `date`, so `sessionsAgo(asOf, 0)` rolls a weekend or holiday back to the last session.
 */
export function sessionsAgo(date: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`Expected a whole number of sessions >= 0, got ${n}`);
  if (n === 0) return sessionOnOrBefore(date);
  let day = toDayNumber(date);
  for (let i = 0; i < n; i += 1) day = stepToSession(day, -1);
  return fromDayNumber(day);
}
