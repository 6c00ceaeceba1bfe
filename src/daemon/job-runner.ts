// Runs one job (sync, quote snapshot or report) for src/daemon/scheduler.ts: watches the Yahoo circuit
// breaker while it runs, logs and emits one RunEvent per run, never throws, and keeps the "cannot reach
// Yahoo" bookkeeping (one error line the first time, one info line when Yahoo is back).
import type { Logger } from 'pino';
import { isConnectionError } from '../db/connection-errors.js';
import type { IsoDate } from '../domain.js';
import type { SyncReason } from './decide.js';
import type { DaemonJobs, JobFailure, RunStatus, SyncOutcome, VerifyOutcome } from './jobs.js';

/** What the scheduler needs to know about the Yahoo client. */
export interface YahooProbe {
  circuitOpen(): boolean;
  /** The last failed request's error, for the "cannot reach Yahoo" line. */
  lastError(): string | null;
}

export type JobName = 'sync' | 'quotes' | 'report' | 'verify';

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
  /** Syncs: overlap rows revised, and the symbols re-fetched whole for another basis. */
  revised?: number;
  rebased?: readonly string[];
  /** Verify: differing ranges per symbol verified. */
  differences?: Readonly<Record<string, number>>;
  at: Date;
}

/** What a tick did, for tests and logs. */
export interface Ran {
  job: JobName;
  session?: IsoDate;
  reason?: string;
  status: RunEvent['status'];
}

export interface JobRunnerOptions {
  jobs: DaemonJobs;
  log: Logger;
  clock: () => Date;
  yahoo: YahooProbe;
  /** Aborted at shutdown: in-flight work is told to stop. */
  signal: AbortSignal;
  onRun?: (event: RunEvent) => void;
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

export class JobRunner {
  readonly #o: JobRunnerOptions;
  #unreachableReported = false;

  constructor(options: JobRunnerOptions) {
    this.#o = options;
  }

  /** True once Yahoo was found unreachable, until a sync succeeds again. */
  get yahooUnreachable(): boolean {
    return this.#unreachableReported;
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

  async sync(session: IsoDate, reason: SyncReason): Promise<{ ran: Ran; outcome: SyncOutcome | null }> {
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
      this.#emit({
        job: 'sync',
        status: outcome.status,
        runId: outcome.runId,
        durationMs,
        failures: outcome.failures,
        rows: outcome.changedRows,
        freshSymbols: fresh,
        revised: outcome.revisedRows ?? 0,
        rebased: outcome.rebased ?? [],
      });
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
      logCrash(log, err, durationMs);
      this.#emit({ job: 'sync', status: 'crashed', runId: null, durationMs, failures: [], rows: null, freshSymbols: [] });
      return { ran: { job: 'sync', session, reason, status: 'crashed' }, outcome: null };
    }
  }

  async quotes(): Promise<Ran> {
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
      logCrash(log, err, durationMs);
      this.#emit({ job: 'quotes', status: 'crashed', runId: null, durationMs, failures: [], rows: null, freshSymbols: [] });
      return { job: 'quotes', status: 'crashed' };
    }
  }

  /**
   * The scheduled verify. A difference is logged here (and alerted by the job); the repair, when the
   * config asks for one, is the job's. Skipped while the circuit is open, like a sync.
   */
  async verify(): Promise<{ ran: Ran; outcome: VerifyOutcome | null }> {
    const log = this.#o.log.child({ job: 'verify' });
    const verify = this.#o.jobs.verify;
    if (!verify) return { ran: { job: 'verify', status: 'skipped' }, outcome: null };
    if (this.#o.yahoo.circuitOpen()) {
      log.warn({}, 'verify postponed: yahoo circuit breaker open');
      this.#emit({ job: 'verify', status: 'skipped', runId: null, durationMs: 0, failures: [], rows: null, freshSymbols: [] });
      return { ran: { job: 'verify', status: 'skipped' }, outcome: null };
    }
    const started = Date.now();
    log.info({}, 'verify started');
    try {
      const { value: outcome, circuit } = await this.#withCircuitWatch((signal) => verify({ signal }));
      const durationMs = Date.now() - started;
      this.#emit({ job: 'verify', status: outcome.status, runId: outcome.runId, durationMs, failures: outcome.failures, rows: null, freshSymbols: [], differences: outcome.differences });
      const different = Object.entries(outcome.differences).filter(([, n]) => n > 0);
      const fields = { runId: outcome.runId, status: outcome.status, durationMs, different: different.map(([s]) => s), repaired: outcome.repaired };
      if (different.length > 0) log.warn(fields, 'verify found the stored history different from the source');
      logOutcome(log, outcome.status, fields, outcome.failures, circuit);
      return { ran: { job: 'verify', status: outcome.status }, outcome };
    } catch (err) {
      const durationMs = Date.now() - started;
      logCrash(log, err, durationMs);
      this.#emit({ job: 'verify', status: 'crashed', runId: null, durationMs, failures: [], rows: null, freshSymbols: [] });
      return { ran: { job: 'verify', status: 'crashed' }, outcome: null };
    }
  }

  /** `settled(ok)` is called when the report job ends, before its RunEvent goes out. */
  async report(session: IsoDate, reason: string, settled: (ok: boolean) => void): Promise<Ran> {
    const log = this.#o.log.child({ job: 'report', session, reason });
    const started = Date.now();
    try {
      const outcome = await this.#o.jobs.report({ session });
      const durationMs = Date.now() - started;
      settled(true);
      this.#emit({ job: 'report', status: 'ok', runId: null, durationMs, failures: [], rows: null, freshSymbols: [] });
      log.info({ asOf: outcome.asOf, files: outcome.files, dataSource: outcome.dataSource, durationMs }, 'job finished');
      return { job: 'report', session, reason, status: 'ok' };
    } catch (err) {
      const durationMs = Date.now() - started;
      settled(false);
      this.#emit({ job: 'report', status: 'failed', runId: null, durationMs, failures: [], rows: null, freshSymbols: [] });
      logCrash(log, err, durationMs);
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

/** A job that threw. A lost database is an event the daemon lives through (503 until it answers), not a bug. */
function logCrash(log: Logger, err: unknown, durationMs: number): void {
  if (isConnectionError(err)) log.warn({ err, durationMs }, 'job stopped: database connection lost');
  else log.error({ err, durationMs }, 'job crashed');
}
