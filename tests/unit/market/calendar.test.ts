import { describe, expect, it } from 'vitest';
import {
  earlyCloseOn,
  holidayOn,
  isInSession,
  isTradingDay,
  lastClosedSession,
  nextSession,
  previousSession,
  sessionDateOf,
  sessionOn,
  sessionOnOrAfter,
  sessionOnOrBefore,
  sessionsAgo,
  sessionsBetween,
} from '../../../src/market/calendar.js';

const at = (iso: string) => new Date(iso);

describe(sessionOn.name, () => {
  it('opens at 09:30 and closes at 16:00 New York time, 14:30Z-21:00Z in winter', () => {
    expect(sessionOn('2026-01-05')).toEqual({
      date: '2026-01-05',
      open: at('2026-01-05T14:30:00Z'),
      close: at('2026-01-05T21:00:00Z'),
      earlyClose: false,
      lateOpen: false,
    });
  });

  it('follows the March 2026 switch to daylight time (Sunday 2026-03-08): 13:30Z-20:00Z from Monday', () => {
    expect(sessionOn('2026-03-06')).toMatchObject({ open: at('2026-03-06T14:30:00Z'), close: at('2026-03-06T21:00:00Z') });
    expect(sessionOn('2026-03-09')).toMatchObject({ open: at('2026-03-09T13:30:00Z'), close: at('2026-03-09T20:00:00Z') });
  });

  it('follows the November 2026 switch back (Sunday 2026-11-01): 14:30Z-21:00Z from Monday', () => {
    expect(sessionOn('2026-10-30')).toMatchObject({ open: at('2026-10-30T13:30:00Z'), close: at('2026-10-30T20:00:00Z') });
    expect(sessionOn('2026-11-02')).toMatchObject({ open: at('2026-11-02T14:30:00Z'), close: at('2026-11-02T21:00:00Z') });
  });

  it('closes at 13:00 New York time on early-close days, in either season', () => {
    expect(sessionOn('2026-11-27')).toMatchObject({ close: at('2026-11-27T18:00:00Z'), earlyClose: true });
    expect(sessionOn('2025-07-03')).toMatchObject({ close: at('2025-07-03T17:00:00Z'), earlyClose: true });
    expect(earlyCloseOn('2026-12-24')).toBe('Christmas Eve');
    expect(earlyCloseOn('2026-12-23')).toBeNull();
  });

  it('opened at noon on the first anniversary of 9/11', () => {
    expect(sessionOn('2002-09-11')).toMatchObject({ open: at('2002-09-11T16:00:00Z'), close: at('2002-09-11T20:00:00Z'), lateOpen: true });
  });

  it('is null on weekends, holidays and special closures', () => {
    expect(sessionOn('2026-01-03')).toBeNull();
    expect(sessionOn('2026-01-19')).toBeNull();
    expect(sessionOn('2012-10-29')).toBeNull();
  });

  it('hands out fresh Dates, so mutating one does not corrupt later answers', () => {
    sessionOn('2026-01-05')!.open.setTime(0);
    expect(sessionOn('2026-01-05')!.open).toEqual(at('2026-01-05T14:30:00Z'));
  });
});

describe(isTradingDay.name, () => {
  it('is false on weekends and holidays, true on ordinary weekdays', () => {
    expect(isTradingDay('2026-01-02')).toBe(true);
    expect(isTradingDay('2026-01-03')).toBe(false);
    expect(isTradingDay('2026-01-04')).toBe(false);
    expect(isTradingDay('2026-04-03')).toBe(false);
  });

  it('keeps Friday Dec 31 open when New Year falls on a Saturday', () => {
    expect(isTradingDay('2021-12-31')).toBe(true);
    expect(isTradingDay('2027-12-31')).toBe(true);
  });

  it('rejects anything but a real YYYY-MM-DD date', () => {
    for (const bad of ['2026-02-30', '2026-1-5', '20260105', '2026-01-05T00:00:00Z', '']) {
      expect(() => isTradingDay(bad)).toThrow(RangeError);
    }
  });
});

describe(holidayOn.name, () => {
  it('names the holiday on the day it is observed', () => {
    expect(holidayOn('2026-11-26')).toBe('Thanksgiving Day');
    expect(holidayOn('2026-07-03')).toBe('Independence Day');
    expect(holidayOn('2027-06-18')).toBe('Juneteenth National Independence Day');
    expect(holidayOn('2025-01-09')).toBe('National Day of Mourning for former President Jimmy Carter');
  });

  it('is null on weekends, even the date of a holiday observed on another day', () => {
    expect(holidayOn('2026-07-04')).toBeNull();
    expect(holidayOn('2022-01-01')).toBeNull();
  });

  it('is null on session days', () => {
    expect(holidayOn('2026-01-05')).toBeNull();
  });
});

describe(isInSession.name, () => {
  it('includes the open and excludes the close', () => {
    expect(isInSession(at('2026-01-05T14:29:59.999Z'))).toBe(false);
    expect(isInSession(at('2026-01-05T14:30:00.000Z'))).toBe(true);
    expect(isInSession(at('2026-01-05T20:59:59.999Z'))).toBe(true);
    expect(isInSession(at('2026-01-05T21:00:00.000Z'))).toBe(false);
  });

  it('uses daylight-time hours in summer', () => {
    expect(isInSession(at('2026-07-06T13:29:59.999Z'))).toBe(false);
    expect(isInSession(at('2026-07-06T13:30:00.000Z'))).toBe(true);
    expect(isInSession(at('2026-07-06T19:59:59.999Z'))).toBe(true);
    expect(isInSession(at('2026-07-06T20:00:00.000Z'))).toBe(false);
  });

  it('ends at 13:00 on early-close days', () => {
    expect(isInSession(at('2026-11-27T17:59:59.999Z'))).toBe(true);
    expect(isInSession(at('2026-11-27T18:00:00.000Z'))).toBe(false);
  });

  it('is false all day on weekends and holidays', () => {
    expect(isInSession(at('2026-01-03T16:00:00Z'))).toBe(false);
    expect(isInSession(at('2026-01-19T16:00:00Z'))).toBe(false);
  });

  it('waits for a late open', () => {
    expect(isInSession(at('2002-09-11T14:00:00Z'))).toBe(false);
    expect(isInSession(at('2002-09-11T16:00:00Z'))).toBe(true);
  });
});

describe(sessionDateOf.name, () => {
  it('gives the New York date, which lags the UTC date in the evening', () => {
    expect(sessionDateOf(at('2026-01-06T03:00:00Z'))).toBe('2026-01-05');
    expect(sessionDateOf(at('2026-01-06T04:59:59.999Z'))).toBe('2026-01-05');
    expect(sessionDateOf(at('2026-01-06T05:00:00Z'))).toBe('2026-01-06');
  });

  it('turns the day at 04:00Z in daylight time', () => {
    expect(sessionDateOf(at('2026-07-07T03:59:59.999Z'))).toBe('2026-07-06');
    expect(sessionDateOf(at('2026-07-07T04:00:00Z'))).toBe('2026-07-07');
  });

  it("keeps New Year's Eve in New York after midnight UTC", () => {
    expect(sessionDateOf(at('2027-01-01T02:00:00Z'))).toBe('2026-12-31');
  });

  it('rejects an invalid Date', () => {
    expect(() => sessionDateOf(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('previousSession and nextSession', () => {
  it('step over long weekends', () => {
    expect(nextSession('2026-01-16')).toBe('2026-01-20');
    expect(previousSession('2026-01-20')).toBe('2026-01-16');
    expect(nextSession('2026-11-25')).toBe('2026-11-27');
    expect(nextSession('2021-12-23')).toBe('2021-12-27');
  });

  it('step over special closures', () => {
    expect(nextSession('2001-09-10')).toBe('2001-09-17');
    expect(previousSession('2001-09-17')).toBe('2001-09-10');
    expect(nextSession('2012-10-26')).toBe('2012-10-31');
    expect(previousSession('2025-01-10')).toBe('2025-01-08');
    expect(nextSession('2006-12-29')).toBe('2007-01-03');
  });

  it('cross year ends', () => {
    expect(nextSession('2021-12-30')).toBe('2021-12-31');
    expect(nextSession('2021-12-31')).toBe('2022-01-03');
    expect(previousSession('2026-01-02')).toBe('2025-12-31');
  });

  it('are strict, and accept dates without a session', () => {
    expect(previousSession('2026-01-06')).toBe('2026-01-05');
    expect(nextSession('2026-01-05')).toBe('2026-01-06');
    expect(previousSession('2026-01-19')).toBe('2026-01-16');
    expect(nextSession('2026-01-17')).toBe('2026-01-20');
  });
});

describe('sessionOnOrBefore and sessionOnOrAfter', () => {
  it('keep a session day and roll other days to the nearest session', () => {
    expect(sessionOnOrBefore('2026-01-20')).toBe('2026-01-20');
    expect(sessionOnOrBefore('2026-01-19')).toBe('2026-01-16');
    expect(sessionOnOrAfter('2026-01-20')).toBe('2026-01-20');
    expect(sessionOnOrAfter('2026-01-17')).toBe('2026-01-20');
  });
});

describe(lastClosedSession.name, () => {
  it('is the previous session while a session is open or before it opens', () => {
    expect(lastClosedSession(at('2026-01-20T15:00:00Z'))).toBe('2026-01-16');
    expect(lastClosedSession(at('2026-01-20T14:00:00Z'))).toBe('2026-01-16');
    expect(lastClosedSession(at('2026-01-20T20:59:59.999Z'))).toBe('2026-01-16');
  });

  it('is the same day from the close on, until midnight in New York', () => {
    expect(lastClosedSession(at('2026-01-20T21:00:00Z'))).toBe('2026-01-20');
    expect(lastClosedSession(at('2026-01-21T04:30:00Z'))).toBe('2026-01-20');
  });

  it('counts an early close as closed at 13:00', () => {
    expect(lastClosedSession(at('2026-11-27T17:59:00Z'))).toBe('2026-11-25');
    expect(lastClosedSession(at('2026-11-27T18:00:00Z'))).toBe('2026-11-27');
  });

  it('is the last session before a weekend or holiday', () => {
    expect(lastClosedSession(at('2026-01-17T12:00:00Z'))).toBe('2026-01-16');
    expect(lastClosedSession(at('2026-01-19T22:00:00Z'))).toBe('2026-01-16');
  });
});

describe(sessionsBetween.name, () => {
  it('includes both ends and skips closed days', () => {
    expect(sessionsBetween('2026-01-15', '2026-01-21')).toEqual(['2026-01-15', '2026-01-16', '2026-01-20', '2026-01-21']);
  });

  it('is empty for a range without sessions or a reversed range', () => {
    expect(sessionsBetween('2026-01-17', '2026-01-19')).toEqual([]);
    expect(sessionsBetween('2026-01-21', '2026-01-15')).toEqual([]);
  });

  it('has one session when both ends are the same session day', () => {
    expect(sessionsBetween('2026-01-05', '2026-01-05')).toEqual(['2026-01-05']);
  });
});

describe(sessionsAgo.name, () => {
  it('counts sessions strictly before the date; 1 is the previous session', () => {
    expect(sessionsAgo('2026-01-20', 1)).toBe('2026-01-16');
    expect(sessionsAgo('2026-01-20', 2)).toBe('2026-01-15');
    expect(sessionsAgo('2026-01-18', 1)).toBe('2026-01-16');
  });

  it('with 0 keeps a session day and rolls other days back', () => {
    expect(sessionsAgo('2026-01-20', 0)).toBe('2026-01-20');
    expect(sessionsAgo('2026-01-18', 0)).toBe('2026-01-16');
  });

  it('agrees with sessionsBetween over a whole year', () => {
    const sessions = sessionsBetween('2026-01-01', '2026-12-31');
    expect(sessionsAgo('2026-12-31', sessions.length - 1)).toBe(sessions[0]);
    expect(sessionsAgo('2027-01-01', sessions.length)).toBe(sessions[0]);
  });

  it('rejects negative and fractional counts', () => {
    expect(() => sessionsAgo('2026-01-20', -1)).toThrow(RangeError);
    expect(() => sessionsAgo('2026-01-20', 1.5)).toThrow(RangeError);
  });
});
