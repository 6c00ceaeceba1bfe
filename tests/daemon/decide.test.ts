// The scheduling rules as plain values: an instant and a state in, an action and a state out.
// Thanksgiving week 2026: Thu 11-26 closed, Fri 11-27 closes at 13:00; New York is UTC-5.
import { describe, expect, it } from 'vitest';
import {
  INITIAL_STATE,
  afterReport,
  afterSync,
  decideStartup,
  decideTick,
  type SchedulerState,
} from '../../src/daemon/decide.js';

/** New York wall time in late November 2026 (EST, UTC-5). */
const ny = (date: string, time: string) => new Date(`${date}T${time}:00-05:00`);
const state = (patch: Partial<SchedulerState> = {}): SchedulerState => ({ ...INITIAL_STATE, ...patch });

describe(decideTick.name, () => {
  describe('quotes', () => {
    it.each([
      ['2026-11-24', '09:29', 'none'],
      ['2026-11-24', '09:30', 'quotes'],
      ['2026-11-24', '15:59', 'quotes'],
      ['2026-11-24', '16:00', 'none'],
      ['2026-11-26', '11:00', 'none'], // Thanksgiving
      ['2026-11-27', '12:59', 'quotes'],
      ['2026-11-27', '13:00', 'none'], // early close
      ['2026-11-28', '11:00', 'none'], // Saturday
    ])('%s %s -> %s', (date, time, job) => {
      expect(decideTick('quotes', ny(date, time), state()).action.job).toBe(job);
    });
  });

  describe('sync', () => {
    it('syncs the session that just closed', () => {
      const d = decideTick('sync', ny('2026-11-24', '16:30'), state({ syncedSession: '2026-11-23' }));
      expect(d.action).toEqual({ job: 'sync', session: '2026-11-24', reason: 'after-close' });
    });

    it('does nothing when that session is synced already', () => {
      const d = decideTick('sync', ny('2026-11-24', '16:30'), state({ syncedSession: '2026-11-24' }));
      expect(d.action).toEqual({ job: 'none', reason: 'session already synced' });
    });

    it('does nothing on a weekday holiday (the previous session is synced)', () => {
      const d = decideTick('sync', ny('2026-11-26', '16:30'), state({ syncedSession: '2026-11-25' }));
      expect(d.action.job).toBe('none');
    });

    it('syncs an early-close session on the regular schedule', () => {
      const d = decideTick('sync', ny('2026-11-27', '16:30'), state({ syncedSession: '2026-11-25' }));
      expect(d.action).toEqual({ job: 'sync', session: '2026-11-27', reason: 'after-close' });
    });
  });

  describe('revision', () => {
    it('runs once per session', () => {
      const first = decideTick('revision', ny('2026-11-24', '20:00'), state({ syncedSession: '2026-11-24' }));
      expect(first.action).toEqual({ job: 'sync', session: '2026-11-24', reason: 'revision' });
      const again = decideTick('revision', ny('2026-11-24', '20:00'), state({ revisedSession: '2026-11-24' }));
      expect(again.action.job).toBe('none');
    });
  });

  describe('report', () => {
    it('reports a synced session', () => {
      const d = decideTick('report', ny('2026-11-24', '16:45'), state({ syncedSession: '2026-11-24', reportedSession: '2026-11-23' }));
      expect(d.action).toEqual({ job: 'report', session: '2026-11-24', reason: 'scheduled' });
    });

    it('owes the report when the sync has not succeeded yet', () => {
      const d = decideTick('report', ny('2026-11-24', '16:45'), state({ syncedSession: '2026-11-23' }));
      expect(d.action).toEqual({ job: 'none', reason: 'waiting for the sync' });
      expect(d.state.reportDue).toBe('2026-11-24');
    });

    it('does not report twice', () => {
      const d = decideTick('report', ny('2026-11-24', '16:45'), state({ syncedSession: '2026-11-24', reportedSession: '2026-11-24' }));
      expect(d.action.job).toBe('none');
    });
  });

  describe('retry', () => {
    const failedAt = ny('2026-11-24', '16:31').getTime();

    it('retries a failed sync once the gap has passed', () => {
      const s = state({ syncedSession: '2026-11-23', syncFailure: { session: '2026-11-24', at: failedAt } });
      expect(decideTick('retry', ny('2026-11-24', '16:35'), s).action.job).toBe('none');
      expect(decideTick('retry', ny('2026-11-24', '16:45'), s).action).toEqual({ job: 'sync', session: '2026-11-24', reason: 'retry' });
    });

    it('has nothing to do without a failure', () => {
      expect(decideTick('retry', ny('2026-11-24', '17:00'), state({ syncedSession: '2026-11-23' })).action.job).toBe('none');
    });

    it('retries a failed report of a synced session', () => {
      const s = state({
        syncedSession: '2026-11-24',
        reportDue: '2026-11-24',
        reportFailure: { session: '2026-11-24', at: failedAt },
      });
      expect(decideTick('retry', ny('2026-11-24', '16:45'), s).action).toEqual({ job: 'report', session: '2026-11-24', reason: 'retry' });
    });
  });
});

describe(decideStartup.name, () => {
  const tuesdayMorning = ny('2026-11-24', '10:00');

  it('catches up when sessions closed while the daemon was down', () => {
    const d = decideStartup(tuesdayMorning, { oldestLastBar: '2026-11-18', newestReport: '2026-11-18' });
    expect(d.action).toEqual({ job: 'sync', session: '2026-11-23', reason: 'catch-up' });
    expect(d.state.reportDue).toBe('2026-11-23');
  });

  it('catches up when a symbol has no bars at all (a back-fill was interrupted)', () => {
    const d = decideStartup(tuesdayMorning, { oldestLastBar: null, newestReport: null });
    expect(d.action.job).toBe('sync');
  });

  it('only writes the missing report when the data is current', () => {
    const d = decideStartup(tuesdayMorning, { oldestLastBar: '2026-11-23', newestReport: '2026-11-20' });
    expect(d.action).toEqual({ job: 'report', session: '2026-11-23', reason: 'after-sync' });
    expect(d.state.syncedSession).toBe('2026-11-23');
  });

  it('does nothing when data and report are current', () => {
    const d = decideStartup(tuesdayMorning, { oldestLastBar: '2026-11-23', newestReport: '2026-11-23' });
    expect(d.action.job).toBe('none');
  });
});

describe(afterSync.name, () => {
  const now = ny('2026-11-24', '16:31');

  it('a success marks the session synced and follows with an owed report', () => {
    const r = afterSync(state({ reportDue: '2026-11-24' }), { session: '2026-11-24', reason: 'retry' }, { succeeded: true, changedRows: 3 }, now);
    expect(r.state.syncedSession).toBe('2026-11-24');
    expect(r.next).toEqual({ job: 'report', session: '2026-11-24', reason: 'after-sync' });
  });

  it('a failure is remembered for the retry', () => {
    const r = afterSync(state(), { session: '2026-11-24', reason: 'after-close' }, { succeeded: false, changedRows: null }, now);
    expect(r.state.syncFailure).toEqual({ session: '2026-11-24', at: now.getTime() });
    expect(r.next).toBeNull();
  });

  it('a revision that changed rows rewrites the report; one that changed nothing does not', () => {
    const before = state({ syncedSession: '2026-11-24', reportedSession: '2026-11-24' });
    const changed = afterSync(before, { session: '2026-11-24', reason: 'revision' }, { succeeded: true, changedRows: 2 }, now);
    expect(changed.next).toEqual({ job: 'report', session: '2026-11-24', reason: 'after-sync' });
    const same = afterSync(before, { session: '2026-11-24', reason: 'revision' }, { succeeded: true, changedRows: 0 }, now);
    expect(same.next).toBeNull();
    expect(same.state.revisedSession).toBe('2026-11-24');
  });
});

describe(afterReport.name, () => {
  it('clears what is owed up to the session', () => {
    const s = afterReport(state({ reportDue: '2026-11-24' }), '2026-11-24', true, new Date(0));
    expect(s).toMatchObject({ reportedSession: '2026-11-24', reportDue: null, reportFailure: null });
  });

  it('keeps a failed report owed', () => {
    const s = afterReport(state(), '2026-11-24', false, new Date(5));
    expect(s).toMatchObject({ reportDue: '2026-11-24', reportFailure: { session: '2026-11-24', at: 5 } });
  });
});
