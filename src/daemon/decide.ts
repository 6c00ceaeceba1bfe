// Pure: what the daemon should run at an instant, given what it has done so far. Like graphile-worker's
// cron matcher it takes the time as an argument and never reads the clock, so every rule below is
// tested with plain values; src/daemon/scheduler.ts does the running and feeds outcomes back in.
//
// The rules, per session S = the last closed NYSE session at the instant:
// - quotes: only while the market is in session (the cron expression is coarse, '* 9-16 * * 1-5';
//   the calendar decides, so holidays, 09:00-09:29 and early closes are skipped).
// - sync (after the close): once per session: skipped when S is already synced. A weekday holiday's
//   tick finds the previous session synced and does nothing.
// - revision (evening): one more sync of S to pick up Yahoo's late corrections; when it changed rows
//   and the report of S was already written, the report is written again.
// - report: only after a successful sync of S (status ok or partial). If the report's tick comes
//   first (slow or failed sync), the report is owed and written right after the sync that succeeds.
// - retry (every few minutes): re-runs a failed sync (or an owed report that failed) once the retry
//   gap has passed, so a Yahoo outage heals without waiting for the next day's schedule.
// - start-up: when the oldest "last bar" of the watchlist is before S (sessions closed while the
//   daemon was down, or a backfill was interrupted), one catch-up sync; then the report of S if missing.
// - verify (weekly by default): the stored history against the source's, on every tick; it shares
//   the sync's lane, so it never runs beside a sync or a report.
import type { IsoDate } from '../domain.js';
import { isInSession, lastClosedSession } from '../market/calendar.js';

export type TickKind = 'quotes' | 'sync' | 'revision' | 'report' | 'retry' | 'verify';

export type SyncReason = 'catch-up' | 'after-close' | 'revision' | 'retry';
export type ReportReason = 'scheduled' | 'after-sync' | 'retry';

export type Action =
  | { job: 'quotes' }
  | { job: 'sync'; session: IsoDate; reason: SyncReason }
  | { job: 'report'; session: IsoDate; reason: ReportReason }
  | { job: 'verify' }
  | { job: 'none'; reason: string };

export interface SchedulerState {
  /** Newest session whose sync succeeded (ok or partial) after its close. */
  syncedSession: IsoDate | null;
  /** Newest session the evening revision pass covered. */
  revisedSession: IsoDate | null;
  /** Newest session with a stored report. */
  reportedSession: IsoDate | null;
  /** A report of this session is owed: written as soon as the session is synced. */
  reportDue: IsoDate | null;
  /** The latest failed sync not yet followed by a successful one (epoch ms). */
  syncFailure: { session: IsoDate; at: number } | null;
  reportFailure: { session: IsoDate; at: number } | null;
}

/** The calendar the rules need; the NYSE one by default, a fake one in tests if wanted. */
export interface MarketCalendar {
  isInSession(instant: Date): boolean;
  lastClosedSession(instant: Date): IsoDate;
}

export const NYSE_CALENDAR: MarketCalendar = { isInSession, lastClosedSession };

export interface Policy {
  /** Minimum time between a failed sync (or report) and its retry. */
  retryGapMs: number;
}

export const DEFAULT_POLICY: Policy = { retryGapMs: 10 * 60_000 };

export interface Decision {
  action: Action;
  state: SchedulerState;
}

export const INITIAL_STATE: SchedulerState = Object.freeze({
  syncedSession: null,
  revisedSession: null,
  reportedSession: null,
  reportDue: null,
  syncFailure: null,
  reportFailure: null,
});

/** a >= b for nullable dates (null is before everything). */
const atLeast = (a: IsoDate | null, b: IsoDate) => a !== null && a >= b;
const latest = (a: IsoDate | null, b: IsoDate) => (a !== null && a > b ? a : b);
const none = (reason: string, state: SchedulerState): Decision => ({ action: { job: 'none', reason }, state });

/** What is stored when the daemon starts: read from the database by the shell. */
export interface StoredProgress {
  /** The oldest of the watchlist symbols' newest bar dates; null when any symbol has no bars. */
  oldestLastBar: IsoDate | null;
  /** Newest report's as-of date. */
  newestReport: IsoDate | null;
}

/** The start-up decision: a catch-up sync, or (when the data is current) the report if it is missing. */
export function decideStartup(now: Date, stored: StoredProgress, calendar: MarketCalendar = NYSE_CALENDAR): Decision {
  const session = calendar.lastClosedSession(now);
  const reportMissing = !atLeast(stored.newestReport, session);
  const state: SchedulerState = {
    ...INITIAL_STATE,
    reportedSession: stored.newestReport,
    reportDue: reportMissing ? session : null,
  };
  if (!atLeast(stored.oldestLastBar, session)) {
    return { action: { job: 'sync', session, reason: 'catch-up' }, state };
  }
  const synced = { ...state, syncedSession: session };
  if (reportMissing) return { action: { job: 'report', session, reason: 'after-sync' }, state: synced };
  return none('up to date', synced);
}

/** The decision for a cron tick of `kind` at `now`. */
export function decideTick(
  kind: TickKind,
  now: Date,
  state: SchedulerState,
  policy: Policy = DEFAULT_POLICY,
  calendar: MarketCalendar = NYSE_CALENDAR,
): Decision {
  if (kind === 'quotes') {
    return calendar.isInSession(now) ? { action: { job: 'quotes' }, state } : none('market closed', state);
  }
  const session = calendar.lastClosedSession(now);
  switch (kind) {
    case 'sync':
      if (atLeast(state.syncedSession, session)) return none('session already synced', state);
      return { action: { job: 'sync', session, reason: 'after-close' }, state };
    case 'revision':
      if (atLeast(state.revisedSession, session)) return none('session already revised', state);
      return { action: { job: 'sync', session, reason: 'revision' }, state };
    case 'report':
      if (atLeast(state.reportedSession, session)) return none('session already reported', state);
      if (atLeast(state.syncedSession, session)) return { action: { job: 'report', session, reason: 'scheduled' }, state };
      // Reporting on stale data would be worse than reporting late: owe it to the next good sync.
      return none('waiting for the sync', { ...state, reportDue: latest(state.reportDue, session) });
    case 'retry':
      return decideRetry(now, session, state, policy);
    case 'verify':
      return { action: { job: 'verify' }, state };
  }
}

function decideRetry(now: Date, session: IsoDate, state: SchedulerState, policy: Policy): Decision {
  const waited = (failure: { at: number } | null) => failure === null || now.getTime() - failure.at >= policy.retryGapMs;
  if (state.syncFailure !== null && !atLeast(state.syncedSession, session)) {
    if (!waited(state.syncFailure)) return none('waiting before retrying the sync', state);
    return { action: { job: 'sync', session, reason: 'retry' }, state };
  }
  const due = state.reportDue;
  if (due !== null && atLeast(state.syncedSession, due) && state.reportFailure !== null) {
    if (!waited(state.reportFailure)) return none('waiting before retrying the report', state);
    return { action: { job: 'report', session: due, reason: 'retry' }, state };
  }
  return none('nothing to retry', state);
}

export interface SyncResult {
  /** ok and partial count as success: the failed symbols are picked up by the next pass. */
  succeeded: boolean;
  /** Rows inserted or updated; null when unknown. */
  changedRows: number | null;
}

/** The state after a sync, and the report that should follow it (if any). */
export function afterSync(
  state: SchedulerState,
  action: { session: IsoDate; reason: SyncReason },
  result: SyncResult,
  now: Date,
): { state: SchedulerState; next: Action | null } {
  if (!result.succeeded) {
    return { state: { ...state, syncFailure: { session: action.session, at: now.getTime() } }, next: null };
  }
  let next: SchedulerState = { ...state, syncedSession: latest(state.syncedSession, action.session), syncFailure: null };
  if (action.reason === 'revision') {
    next.revisedSession = latest(state.revisedSession, action.session);
    // Revised bars make an already written report outdated; an unchanged day leaves it alone.
    if (atLeast(state.reportedSession, action.session) && result.changedRows !== 0) {
      next = { ...next, reportDue: latest(state.reportDue, action.session) };
    }
  }
  const due = next.reportDue;
  const report: Action | null =
    due !== null && atLeast(next.syncedSession, due) ? { job: 'report', session: due, reason: 'after-sync' } : null;
  return { state: next, next: report };
}

/** The state after a report of `session` was written (or failed). */
export function afterReport(state: SchedulerState, session: IsoDate, succeeded: boolean, now: Date): SchedulerState {
  if (!succeeded) {
    return { ...state, reportDue: latest(state.reportDue, session), reportFailure: { session, at: now.getTime() } };
  }
  return {
    ...state,
    reportedSession: latest(state.reportedSession, session),
    reportDue: state.reportDue !== null && state.reportDue <= session ? null : state.reportDue,
    reportFailure: null,
  };
}
