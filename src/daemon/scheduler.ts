// Runs what src/daemon/decide.ts decides. `tick(kind, now)` is the one entry point: the node-cron
// callbacks call it (src/daemon/cron.ts), and tests call it directly with any instant, so no test
// waits for a real minute. A tick never rejects: failures are logged with their run id and counted.
//
// Two lanes: quote snapshots run on their own; syncs and reports share one lane, one at a time, so a
// report tick that fires while the sync is still running waits for it and then sees its result.
import type { Logger } from 'pino';
import type { IsoDate } from '../domain.js';
import {
  DEFAULT_POLICY,
  INITIAL_STATE,
  NYSE_CALENDAR,
  afterReport,
  afterSync,
  decideStartup,
  decideTick,
  type Action,
  type MarketCalendar,
  type Policy,
  type SchedulerState,
  type StoredProgress,
  type SyncReason,
  type TickKind,
} from './decide.js';
import type { DaemonJobs, JobFailure, RunStatus, SyncOutcome } from './jobs.js';

/** What the scheduler needs to know about the Yahoo client. */
export interface YahooProbe {
  circuitOpen(): boolean;
  /** The last failed request's error, for the "cannot reach Yahoo" line. */
  lastError(): string | null;
}

export type JobName = 'sync' | 'quotes' | 'report';

/** One finished (or crashed) job, for metrics. */
export interface RunEvent {
  job: JobName;
  status: RunStatus | 'crashed' | 'skipped';
  runId: number | null;
  durationMs: number;
  failures: readonly JobFailure[];
  rows: number | null;
  /** Symbols fetched successfully by this run. */
  freshSymbols: readonly string[];
  /** Quote snapshots: prices received (rows counts the new ones stored). */
  received?: number | null;
  at: Date;
}

/** What a tick did, for tests and logs. */
export interface Ran {
  job: JobName;
  session?: IsoDate;
  reason?: string;
  status: RunEvent['status'];
}

export interface TickResult {
  kind: TickKind | 'startup';
  action: Action;
  ran: Ran[];
}

export interface SchedulerOptions {
  jobs: DaemonJobs;
  log: Logger;
  clock: () => Date;
  yahoo: YahooProbe;
  /** Aborted at shutdown: in-flight work is told to stop. */
  signal: AbortSignal;
  onRun?: (event: RunEvent) => void;
  policy?: Policy;
  calendar?: MarketCalendar;
  /** How often a running job looks at the circuit breaker. */
  circuitPollMs?: number;
  /** Shown in the "cannot reach Yahoo" line. */
  yahooOrigin?: string;
}

/** Why a job was stopped when the circuit breaker opened (distinct from shutdown). */
class CircuitOpenError extends Error {
  override name = 'CircuitOpenError';
}

const UNREACHABLE_KINDS = new Set(['network', 'timeout']);

/** One line per finished run: info when ok, warn with the failures (and their run id) otherwise. */
function logOutcome(log: Logger, status: RunStatus, fields: object, failures: readonly JobFailure[], circuit: boolean): void {
  if (status === 'ok') return log.info(fields, 'job finished');
  if (status === 'aborted') return log.warn({ ...fields, why: circuit ? 'yahoo circuit breaker opened' : 'shutdown' }, 'job aborted');
  log.warn({ ...fields, failed: failures.slice(0, 10) }, 'job finished with failures');
}

export class Scheduler {
  readonly #o: SchedulerOptions;
  readonly #policy: Policy;
  readonly #calendar: MarketCalendar;
  #state: SchedulerState = INITIAL_STATE;
  #lane: Promise<unknown> = Promise.resolve();
  #quotes: Promise<unknown> | null = null;
  #unreachableReported = false;

  constructor(options: SchedulerOptions) {
    this.#o = options;
    this.#policy = options.policy ?? DEFAULT_POLICY;
    this.#calendar = options.calendar ?? NYSE_CALENDAR;
  }

  get state(): SchedulerState {
    return this.#state;
  }

  /** True once Yahoo was found unreachable, until a sync succeeds again. */
  get yahooUnreachable(): boolean {
    return this.#unreachableReported;
  }

  /** The start-up pass: catch-up sync if sessions closed while the daemon was down, then the missing report. */
  startup(stored: StoredProgress, now: Date = this.#o.clock()): Promise<TickResult> {
    return this.#inLane(async () => {
      const decision = decideStartup(now, stored, this.#calendar);
      this.#state = decision.state;
      const { action } = decision;
      this.#o.log.info({ action, oldestLastBar: stored.oldestLastBar, newestReport: stored.newestReport }, 'start-up decision');
      return { kind: 'startup', action, ran: await this.#run(action, now) };
    });
  }

  /** Runs one tick of a schedule at `now`. Never rejects. */
  tick(kind: TickKind, now: Date = this.#o.clock()): Promise<TickResult> {
    if (this.#o.signal.aborted) return Promise.resolve({ kind, action: { job: 'none', reason: 'shutting down' }, ran: [] });
    if (kind === 'quotes') return this.#quoteTick(now);
    // The decision is taken once the lane is free, so a report queued behind a sync sees its result.
    return this.#inLane(async () => {
      const decision = decideTick(kind, now, this.#state, this.#policy, this.#calendar);
      this.#state = decision.state;
      if (decision.action.job === 'none') {
        this.#o.log.debug({ tick: kind, reason: decision.action.reason }, 'tick skipped');
      }
      return { kind, action: decision.action, ran: await this.#run(decision.action, now) };
    });
  }

  /** Resolves when nothing is running (shutdown waits on this). */
  async idle(): Promise<void> {
    await Promise.allSettled([this.#lane, this.#quotes]);
  }

  #inLane(fn: () => Promise<TickResult>): Promise<TickResult> {
    const result = this.#lane.then(fn, fn).catch((err: unknown): TickResult => {
      // Unreachable in practice (#run catches); kept so a bug can never reject a tick.
      this.#o.log.error({ err }, 'tick crashed');
      return { kind: 'startup', action: { job: 'none', reason: 'crashed' }, ran: [] };
    });
    this.#lane = result;
    return result;
  }

  async #quoteTick(now: Date): Promise<TickResult> {
    const decision = decideTick('quotes', now, this.#state, this.#policy, this.#calendar);
    if (decision.action.job === 'none') return { kind: 'quotes', action: decision.action, ran: [] };
    if (this.#quotes) return { kind: 'quotes', action: { job: 'none', reason: 'previous snapshot still running' }, ran: [] };
    const running = this.#run(decision.action, now).finally(() => (this.#quotes = null));
    this.#quotes = running;
    return { kind: 'quotes', action: decision.action, ran: await running };
  }

  /** Runs an action and whatever follows it (a sync's report). Catches everything. `now` is the tick's instant. */
  async #run(action: Action, now: Date): Promise<Ran[]> {
    const ran: Ran[] = [];
    let next: Action | null = action;
    while (next && next.job !== 'none' && !this.#o.signal.aborted) {
      const current: Action = next;
      next = null;
      if (current.job === 'quotes') {
        ran.push(await this.#runQuotes());
      } else if (current.job === 'sync') {
        const { ran: r, outcome } = await this.#runSync(current.session, current.reason);
        ran.push(r);
        const after = afterSync(
          this.#state,
          current,
          { succeeded: outcome !== null && (outcome.status === 'ok' || outcome.status === 'partial'), changedRows: outcome?.changedRows ?? null },
          now,
        );
        this.#state = after.state;
        next = after.next;
      } else {
        ran.push(await this.#runReport(current.session, current.reason, now));
      }
    }
    return ran;
  }

  /** Runs fn with a signal that aborts at shutdown or when the Yahoo circuit opens. */
  async #withCircuitWatch<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<{ value: T; circuit: boolean }> {
    const local = new AbortController();
    const timer = setInterval(() => {
      if (this.#o.yahoo.circuitOpen()) local.abort(new CircuitOpenError('yahoo circuit breaker opened'));
    }, this.#o.circuitPollMs ?? 250);
    timer.unref();
    try {
      const value = await fn(AbortSignal.any([this.#o.signal, local.signal]));
      return { value, circuit: local.signal.aborted };
    } finally {
      clearInterval(timer);
    }
  }

  async #runSync(session: IsoDate, reason: SyncReason): Promise<{ ran: Ran; outcome: SyncOutcome | null }> {
    const log = this.#o.log.child({ job: 'sync', session, reason });
    const started = Date.now();
    if (this.#o.yahoo.circuitOpen()) {
      // Waiting out the cool-down inside a run would hold the lane for minutes; the retry tick comes back.
      log.warn({}, 'sync postponed: yahoo circuit breaker open');
      this.#emit({ job: 'sync', status: 'skipped', runId: null, durationMs: 0, failures: [], rows: null, freshSymbols: [] });
      this.#noteUnreachable(log, true, []);
      return { ran: { job: 'sync', session, reason, status: 'skipped' }, outcome: null };
    }
    log.info({}, 'sync started');
    try {
      const { value: outcome, circuit } = await this.#withCircuitWatch((signal) => this.#o.jobs.sync({ session, reason, signal }));
      const durationMs = Date.now() - started;
      const failed = new Set(outcome.failures.map((f) => f.symbol));
      const fresh = outcome.status === 'ok' || outcome.status === 'partial' ? outcome.symbols.filter((s) => !failed.has(s)) : [];
      this.#emit({ job: 'sync', status: outcome.status, runId: outcome.runId, durationMs, failures: outcome.failures, rows: outcome.changedRows, freshSymbols: fresh });
      const fields = { runId: outcome.runId, status: outcome.status, durationMs, rows: outcome.changedRows, failures: outcome.failures.length };
      logOutcome(log, outcome.status, fields, outcome.failures, circuit);
      const unreachable =
        circuit ||
        (outcome.status === 'failed' && outcome.failures.length > 0 && outcome.failures.every((f) => UNREACHABLE_KINDS.has(f.kind)));
      if (outcome.status === 'ok' || outcome.status === 'partial') this.#noteReachable(log);
      else this.#noteUnreachable(log, unreachable, outcome.failures);
      return { ran: { job: 'sync', session, reason, status: outcome.status }, outcome };
    } catch (err) {
      const durationMs = Date.now() - started;
      log.error({ err, durationMs }, 'job crashed');
      this.#emit({ job: 'sync', status: 'crashed', runId: null, durationMs, failures: [], rows: null, freshSymbols: [] });
      return { ran: { job: 'sync', session, reason, status: 'crashed' }, outcome: null };
    }
  }

  async #runQuotes(): Promise<Ran> {
    const log = this.#o.log.child({ job: 'quotes' });
    if (this.#o.yahoo.circuitOpen()) {
      log.debug({}, 'quote snapshot skipped: yahoo circuit breaker open');
      this.#emit({ job: 'quotes', status: 'skipped', runId: null, durationMs: 0, failures: [], rows: null, freshSymbols: [] });
      return { job: 'quotes', status: 'skipped' };
    }
    const started = Date.now();
    try {
      const { value: outcome, circuit } = await this.#withCircuitWatch((signal) => this.#o.jobs.quotes({ signal }));
      const durationMs = Date.now() - started;
      this.#emit({
        job: 'quotes',
        status: outcome.status,
        runId: outcome.runId,
        durationMs,
        failures: outcome.failures,
        rows: outcome.rows,
        received: outcome.received,
        freshSymbols: [],
      });
      const fields = { runId: outcome.runId, status: outcome.status, durationMs, received: outcome.received, rows: outcome.rows };
      // A snapshot a minute all day: only the odd ones are worth an info line.
      if (outcome.status === 'ok') log.debug(fields, 'job finished');
      else logOutcome(log, outcome.status, fields, outcome.failures, circuit);
      return { job: 'quotes', status: outcome.status };
    } catch (err) {
      const durationMs = Date.now() - started;
      log.error({ err, durationMs }, 'job crashed');
      this.#emit({ job: 'quotes', status: 'crashed', runId: null, durationMs, failures: [], rows: null, freshSymbols: [] });
      return { job: 'quotes', status: 'crashed' };
    }
  }

  async #runReport(session: IsoDate, reason: string, now: Date): Promise<Ran> {
    const log = this.#o.log.child({ job: 'report', session, reason });
    const started = Date.now();
    try {
      const outcome = await this.#o.jobs.report({ session });
      const durationMs = Date.now() - started;
      this.#state = afterReport(this.#state, session, true, now);
      this.#emit({ job: 'report', status: 'ok', runId: null, durationMs, failures: [], rows: null, freshSymbols: [] });
      log.info({ asOf: outcome.asOf, files: outcome.files, dataSource: outcome.dataSource, durationMs }, 'job finished');
      return { job: 'report', session, reason, status: 'ok' };
    } catch (err) {
      const durationMs = Date.now() - started;
      this.#state = afterReport(this.#state, session, false, now);
      this.#emit({ job: 'report', status: 'failed', runId: null, durationMs, failures: [], rows: null, freshSymbols: [] });
      log.error({ err, durationMs }, 'job crashed');
      return { job: 'report', session, reason, status: 'failed' };
    }
  }

  #emit(event: Omit<RunEvent, 'at'>): void {
    try {
      this.#o.onRun?.({ ...event, at: this.#o.clock() });
    } catch (err) {
      this.#o.log.warn({ err }, 'run observer failed');
    }
  }

  // One clear line the first time, not one per retry: the operator needs to know once, with the cause.
  #noteUnreachable(log: Logger, unreachable: boolean, failures: readonly JobFailure[]): void {
    if (!unreachable || this.#unreachableReported || this.#o.signal.aborted) return;
    this.#unreachableReported = true;
    const cause = this.#o.yahoo.lastError() ?? failures[0]?.reason ?? 'circuit breaker open after repeated failures';
    log.error(
      { cause, yahoo: this.#o.yahooOrigin ?? 'https://query2.finance.yahoo.com' },
      'cannot reach Yahoo Finance; the daemon keeps running and retries on schedule (offline showcase: npm run demo)',
    );
  }

  #noteReachable(log: Logger): void {
    if (!this.#unreachableReported) return;
    this.#unreachableReported = false;
    log.info({}, 'yahoo finance reachable again');
  }
}
