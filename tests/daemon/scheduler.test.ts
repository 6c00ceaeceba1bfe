// The scheduler driven by an injected clock: the daemon's real cron expressions are matched by
// node-cron's own matcher over simulated days and each match calls scheduler.tick(kind, instant),
// exactly what the cron callbacks do, without waiting a single real minute. Jobs are fakes.
// Thanksgiving week 2026: Thu 11-26 closed, Fri 11-27 closes at 13:00; New York is UTC-5.
import { describe, expect, it } from 'vitest';
import { createCronMatcher, RETRY_SCHEDULE, type Schedules } from '../../src/daemon/cron.js';
import type { TickKind } from '../../src/daemon/decide.js';
import type { DaemonJobs, QuotesOutcome, ReportOutcome, SyncOutcome, VerifyOutcome } from '../../src/daemon/jobs.js';
import { Scheduler, type RunEvent } from '../../src/daemon/scheduler.js';
import type { IsoDate } from '../../src/domain.js';
import { createLogger } from '../../src/log.js';
import { isInSession } from '../../src/market/calendar.js';

const ny = (date: string, time: string) => new Date(`${date}T${time}:00-05:00`);
const MINUTE = 60_000;

/** The shipped defaults (config/bubblewatch.json) plus the retry check. */
const SCHEDULES: Schedules = {
  quotes: '* 9-16 * * 1-5',
  sync: '30 16 * * 1-5',
  revision: '0 20 * * 1-5',
  report: '45 16 * * 1-5',
  retry: RETRY_SCHEDULE,
  verify: '0 7 * * 6',
};

type Call = { job: 'sync' | 'quotes' | 'report' | 'verify'; at: Date; session?: IsoDate; reason?: string };

function captureLog() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({ level: 'debug', destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  return { log, lines, messages: () => lines.map((l) => String(l.msg)) };
}

function fakeJobs(overrides: Partial<DaemonJobs> = {}) {
  const calls: Call[] = [];
  let now = new Date(0);
  let runId = 0;
  // The evening revision usually finds nothing new (a revision that changes rows rewrites the report).
  const okSync = (reason: string): SyncOutcome => ({ runId: ++runId, status: 'ok', failures: [], symbols: ['ORCL'], changedRows: reason === 'revision' ? 0 : 1 });
  const jobs: DaemonJobs = {
    async sync(input) {
      calls.push({ job: 'sync', at: now, session: input.session, reason: input.reason });
      return overrides.sync ? overrides.sync(input) : okSync(input.reason);
    },
    async quotes(input) {
      calls.push({ job: 'quotes', at: now });
      return overrides.quotes ? overrides.quotes(input) : ({ runId: ++runId, status: 'ok', received: 1, rows: 1, failures: [] } satisfies QuotesOutcome);
    },
    async report(input) {
      calls.push({ job: 'report', at: now, session: input.session });
      return overrides.report ? overrides.report(input) : ({ asOf: input.session, files: [], dataSource: 'sim' } satisfies ReportOutcome);
    },
    async verify(input) {
      calls.push({ job: 'verify', at: now });
      return overrides.verify ? overrides.verify(input) : ({ runId: ++runId, status: 'ok', failures: [], differences: { ORCL: 0 }, repaired: [] } satisfies VerifyOutcome);
    },
  };
  return { jobs, calls, setNow: (d: Date) => (now = d) };
}

function setUp(options: { jobs?: Partial<DaemonJobs>; circuitOpen?: () => boolean } = {}) {
  const fake = fakeJobs(options.jobs);
  const { log, lines, messages } = captureLog();
  const controller = new AbortController();
  const events: RunEvent[] = [];
  let clockNow = new Date(0);
  const scheduler = new Scheduler({
    jobs: fake.jobs,
    log,
    clock: () => clockNow,
    yahoo: { circuitOpen: options.circuitOpen ?? (() => false), lastError: () => 'connect ECONNREFUSED 127.0.0.1:9' },
    signal: controller.signal,
    onRun: (e) => events.push(e),
    circuitPollMs: 1,
  });
  const match = createCronMatcher(SCHEDULES, 'America/New_York');
  /** Every minute from `from` (inclusive) to `to` (exclusive): the ticks cron would fire, in order. */
  async function drive(from: Date, to: Date) {
    for (let t = from.getTime(); t < to.getTime(); t += MINUTE) {
      const at = new Date(t);
      clockNow = at;
      fake.setNow(at);
      for (const kind of match(at)) await scheduler.tick(kind, at);
    }
  }
  return { scheduler, ...fake, lines, messages, events, controller, drive, setClock: (d: Date) => ((clockNow = d), fake.setNow(d)) };
}

const syncs = (calls: Call[], reason?: string) => calls.filter((c) => c.job === 'sync' && (!reason || c.reason === reason));

describe('Scheduler over Thanksgiving week (injected clock, node-cron expressions)', () => {
  it('takes quotes only in session, syncs once per session after the close, and reports after the sync', async () => {
    const t = setUp();
    t.setClock(ny('2026-11-23', '00:00'));
    await t.scheduler.startup({ oldestLastBar: '2026-11-20', newestReport: '2026-11-20' }, ny('2026-11-23', '00:00'));
    await t.drive(ny('2026-11-23', '00:00'), ny('2026-11-30', '00:00'));

    const quotes = t.calls.filter((c) => c.job === 'quotes');
    expect(quotes.every((c) => isInSession(c.at))).toBe(true);
    // Mon-Wed 390 minutes each, Thanksgiving none, Friday 09:30-13:00.
    expect(quotes).toHaveLength(390 * 3 + 210);
    expect(quotes.some((c) => c.at.getTime() === ny('2026-11-24', '09:29').getTime())).toBe(false);
    expect(quotes.some((c) => c.at.getTime() === ny('2026-11-27', '13:00').getTime())).toBe(false);

    const afterClose = syncs(t.calls, 'after-close');
    expect(afterClose.map((c) => c.session)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-27']);
    expect(afterClose.every((c) => c.at.toISOString().endsWith('21:30:00.000Z'))).toBe(true);
    expect(syncs(t.calls, 'revision').map((c) => c.session)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-27']);
    expect(syncs(t.calls, 'catch-up')).toHaveLength(0);
    expect(syncs(t.calls, 'retry')).toHaveLength(0);

    const reports = t.calls.filter((c) => c.job === 'report');
    expect(reports.map((c) => c.session)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-27']);
    for (const r of reports) {
      const sync = afterClose.find((s) => s.session === r.session)!;
      expect(r.at.getTime()).toBeGreaterThan(sync.at.getTime());
    }
  });

  it('catches up once after downtime, then keeps to the schedule', async () => {
    const t = setUp();
    const start = ny('2026-11-24', '10:00'); // down since the 18th: the 19th, 20th and 23rd closed meanwhile
    t.setClock(start);
    const boot = await t.scheduler.startup({ oldestLastBar: '2026-11-18', newestReport: '2026-11-18' }, start);
    expect(boot.ran.map((r) => `${r.job}:${r.session}:${r.reason}`)).toEqual(['sync:2026-11-23:catch-up', 'report:2026-11-23:after-sync']);
    await t.drive(start, ny('2026-11-26', '00:00'));
    expect(syncs(t.calls, 'catch-up')).toHaveLength(1);
    expect(syncs(t.calls, 'after-close').map((c) => c.session)).toEqual(['2026-11-24', '2026-11-25']);
    expect(t.calls.filter((c) => c.job === 'report').map((c) => c.session)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25']);
  });

  it('a restart with current data does not catch up again', async () => {
    const t = setUp();
    const boot = await t.scheduler.startup({ oldestLastBar: '2026-11-23', newestReport: '2026-11-23' }, ny('2026-11-24', '10:05'));
    expect(boot.ran).toEqual([]);
    expect(t.calls).toEqual([]);
  });

  it('a failed sync is retried on the retry schedule and the owed report follows it', async () => {
    let failures = 1;
    const t = setUp({
      jobs: {
        sync: async () =>
          failures-- > 0
            ? { runId: 7, status: 'failed', failures: [{ symbol: 'ORCL', kind: 'server', reason: 'HTTP 503' }], symbols: ['ORCL'], changedRows: 0 }
            : { runId: 8, status: 'ok', failures: [], symbols: ['ORCL'], changedRows: 5 },
      },
    });
    await t.scheduler.startup({ oldestLastBar: '2026-11-23', newestReport: '2026-11-23' }, ny('2026-11-24', '12:00'));
    await t.drive(ny('2026-11-24', '16:00'), ny('2026-11-24', '18:00'));
    const daily = t.calls.filter((c) => c.job !== 'quotes').map((c) => `${c.at.toISOString().slice(11, 16)} ${c.job} ${c.reason ?? ''}`.trim());
    // 16:30 fails; the 16:45 report waits; the 16:45 retry (15 min gap > 10) succeeds and the report follows.
    expect(daily).toEqual(['21:30 sync after-close', '21:45 sync retry', '21:45 report']);
    const failedLine = t.lines.find((l) => l.msg === 'job finished with failures');
    expect(failedLine).toMatchObject({ runId: 7, status: 'failed', job: 'sync' });
    expect(t.events.filter((e) => e.job === 'sync').map((e) => e.status)).toEqual(['failed', 'ok']);
  });
});

describe('Scheduler: a tick never rejects', () => {
  it('logs and counts a job that throws', async () => {
    const t = setUp({
      jobs: {
        sync: async () => {
          throw new Error('database is gone');
        },
        quotes: async () => {
          throw new Error('boom');
        },
      },
    });
    const sync = await t.scheduler.tick('sync', ny('2026-11-24', '16:30'));
    expect(sync.ran).toEqual([{ job: 'sync', session: '2026-11-24', reason: 'after-close', status: 'crashed' }]);
    const quotes = await t.scheduler.tick('quotes', ny('2026-11-24', '10:00'));
    expect(quotes.ran).toEqual([{ job: 'quotes', status: 'crashed' }]);
    expect(t.lines.filter((l) => l.msg === 'job crashed').map((l) => l.job)).toEqual(['sync', 'quotes']);
    expect(t.events.map((e) => `${e.job}:${e.status}`)).toEqual(['sync:crashed', 'quotes:crashed']);
    // The crash counts as a failed attempt: the retry tick picks it up.
    expect(t.scheduler.state.syncFailure?.session).toBe('2026-11-24');
  });

  it('a report failure keeps the report owed for the retry tick', async () => {
    let fail = true;
    const t = setUp({
      jobs: {
        report: async ({ session }) => {
          if (fail) throw new Error('disk full');
          return { asOf: session, files: [], dataSource: 'sim' };
        },
      },
    });
    await t.scheduler.tick('sync', ny('2026-11-24', '16:30'));
    const first = await t.scheduler.tick('report', ny('2026-11-24', '16:45'));
    expect(first.ran[0]?.status).toBe('failed');
    fail = false;
    const retry = await t.scheduler.tick('retry', ny('2026-11-24', '17:00'));
    expect(retry.ran).toEqual([{ job: 'report', session: '2026-11-24', reason: 'retry', status: 'ok' }]);
  });
});

describe('Scheduler: Yahoo unreachable', () => {
  const unreachable = async (): Promise<SyncOutcome> => ({
    runId: 3,
    status: 'failed',
    failures: [{ symbol: 'ORCL', kind: 'network', reason: 'connect ECONNREFUSED 127.0.0.1:9' }],
    symbols: ['ORCL'],
    changedRows: 0,
  });

  it('says so in one line with the cause, once, and again-reachable when a sync succeeds', async () => {
    let down = true;
    const t = setUp({ jobs: { sync: async () => (down ? unreachable() : { runId: 4, status: 'ok', failures: [], symbols: ['ORCL'], changedRows: 1 }) } });
    await t.scheduler.startup({ oldestLastBar: null, newestReport: null }, ny('2026-11-24', '10:00'));
    await t.scheduler.tick('retry', ny('2026-11-24', '10:15'));
    const lines = t.lines.filter((l) => String(l.msg).startsWith('cannot reach Yahoo Finance'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, cause: 'connect ECONNREFUSED 127.0.0.1:9' });
    expect(String(lines[0]!.msg)).toContain('npm run demo');
    down = false;
    await t.scheduler.tick('retry', ny('2026-11-24', '10:30'));
    expect(t.messages()).toContain('yahoo finance reachable again');
  });

  it('aborts a sync when the circuit breaker opens during it, and postpones syncs while it is open', async () => {
    let open = false;
    let sawAbort = false;
    const t = setUp({
      circuitOpen: () => open,
      jobs: {
        sync: ({ signal }) =>
          new Promise<SyncOutcome>((resolve) => {
            open = true; // the breaker trips while the run is under way
            signal.addEventListener('abort', () => {
              sawAbort = true;
              resolve({ runId: 5, status: 'aborted', failures: [], symbols: ['ORCL'], changedRows: 0 });
            });
          }),
      },
    });
    const first = await t.scheduler.tick('sync', ny('2026-11-24', '16:30'));
    expect(sawAbort).toBe(true);
    expect(first.ran[0]?.status).toBe('aborted');
    expect(t.lines.filter((l) => String(l.msg).startsWith('cannot reach Yahoo Finance'))).toHaveLength(1);
    const later = await t.scheduler.tick('retry', ny('2026-11-24', '16:45'));
    expect(later.ran).toEqual([{ job: 'sync', session: '2026-11-24', reason: 'retry', status: 'skipped' }]);
    expect((await t.scheduler.tick('quotes', ny('2026-11-25', '10:00'))).ran).toEqual([{ job: 'quotes', status: 'skipped' }]);
  });
});

describe('Scheduler: lanes and shutdown', () => {
  it('a report tick that fires during the sync waits for it and reports its session', async () => {
    let finish: () => void = () => {};
    const t = setUp({
      jobs: {
        sync: () =>
          new Promise<SyncOutcome>((resolve) => {
            finish = () => resolve({ runId: 1, status: 'ok', failures: [], symbols: ['ORCL'], changedRows: 1 });
          }),
      },
    });
    const sync = t.scheduler.tick('sync', ny('2026-11-24', '16:30'));
    const report = t.scheduler.tick('report', ny('2026-11-24', '16:45'));
    await new Promise((r) => setImmediate(r));
    expect(t.calls.map((c) => c.job)).toEqual(['sync']);
    finish();
    await Promise.all([sync, report]);
    expect(t.calls.map((c) => `${c.job}:${c.session}`)).toEqual(['sync:2026-11-24', 'report:2026-11-24']);
  });

  it('shutdown aborts the sync in flight and later ticks do nothing', async () => {
    let seen: AbortSignal | null = null;
    const t = setUp({
      jobs: {
        sync: ({ signal }) =>
          new Promise<SyncOutcome>((resolve) => {
            seen = signal;
            signal.addEventListener('abort', () => resolve({ runId: 2, status: 'aborted', failures: [], symbols: [], changedRows: 0 }));
          }),
      },
    });
    const sync = t.scheduler.tick('sync', ny('2026-11-24', '16:30'));
    await new Promise((r) => setImmediate(r));
    t.controller.abort();
    expect((await sync).ran[0]?.status).toBe('aborted');
    expect(seen!.aborted).toBe(true);
    expect(t.lines.some((l) => String(l.msg).startsWith('cannot reach'))).toBe(false);
    const after = await t.scheduler.tick('report', ny('2026-11-24', '16:45'));
    expect(after.action).toEqual({ job: 'none', reason: 'shutting down' });
    await t.scheduler.idle();
  });
});

describe('the weekly verify', () => {
  it('runs once a week, Saturday 07:00 New York, in the lane of the syncs; its differences and its log reach the run events', async () => {
    const t = setUp({
      jobs: { verify: async () => ({ runId: 90, status: 'ok', failures: [], differences: { ORCL: 0, INTC: 2 }, repaired: [] }) },
    });
    t.setClock(ny('2026-11-23', '00:00'));
    await t.scheduler.startup({ oldestLastBar: '2026-11-20', newestReport: '2026-11-20' }, ny('2026-11-23', '00:00'));
    await t.drive(ny('2026-11-23', '00:00'), ny('2026-12-07', '00:00'));
    expect(t.calls.filter((c) => c.job === 'verify').map((c) => c.at.toISOString())).toEqual(['2026-11-28T12:00:00.000Z', '2026-12-05T12:00:00.000Z']);
    expect(t.events.filter((e) => e.job === 'verify').map((e) => [e.status, e.differences])).toEqual([
      ['ok', { ORCL: 0, INTC: 2 }],
      ['ok', { ORCL: 0, INTC: 2 }],
    ]);
    expect(t.lines.filter((l) => l.msg === 'verify found the stored history different from the source')).toMatchObject([{ different: ['INTC'], runId: 90 }, { different: ['INTC'] }]);
  });

  it('is postponed while the Yahoo circuit is open, and never runs without a schedule', async () => {
    const t = setUp({ circuitOpen: () => true });
    const tick = await t.scheduler.tick('verify', ny('2026-11-28', '07:00'));
    expect(tick.ran).toEqual([{ job: 'verify', status: 'skipped' }]);
    expect(t.calls.filter((c) => c.job === 'verify')).toEqual([]);
    const { verify: _off, ...withoutVerify } = SCHEDULES;
    expect(createCronMatcher({ ...withoutVerify, verify: null }, 'America/New_York')(ny('2026-11-28', '07:00'))).toEqual(['retry']);
  });
});

describe(createCronMatcher.name, () => {
  it('matches the shipped schedules in New York time', () => {
    const match = createCronMatcher(SCHEDULES, 'America/New_York');
    const kinds = (d: Date): TickKind[] => match(d);
    expect(kinds(ny('2026-11-24', '16:30'))).toEqual(['quotes', 'sync', 'retry']);
    expect(kinds(ny('2026-11-24', '16:45'))).toEqual(['quotes', 'report', 'retry']);
    expect(kinds(ny('2026-11-28', '16:30'))).toEqual(['retry']);
  });
});
