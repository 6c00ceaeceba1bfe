// Runs what src/daemon/decide.ts decides. `tick(kind, now)` is the one entry point: the node-cron
// callbacks call it (src/daemon/cron.ts), and tests call it directly with any instant, so no test
// waits for a real minute. A tick never rejects: failures are logged with their run id and counted.
//
// Two lanes: quote snapshots run on their own; syncs, reports and verifies share one lane, one at a
// time, so a report tick that fires while the sync is still running waits for it and then sees its
// result, and a verify never reads a history a sync is writing.
// Running a single job (circuit watch, logs, run events) is src/daemon/job-runner.ts.
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
  type TickKind,
} from './decide.js';
import { JobRunner, type JobRunnerOptions, type Ran } from './job-runner.js';

export type { JobName, Ran, RunEvent, YahooProbe } from './job-runner.js';

export interface TickResult {
  kind: TickKind | 'startup';
  action: Action;
  ran: Ran[];
}

export interface SchedulerOptions extends JobRunnerOptions {
  policy?: Policy;
  calendar?: MarketCalendar;
}

export class Scheduler {
  readonly #o: SchedulerOptions;
  readonly #policy: Policy;
  readonly #calendar: MarketCalendar;
  readonly #runner: JobRunner;
  #state: SchedulerState = INITIAL_STATE;
  #lane: Promise<unknown> = Promise.resolve();
  #quotes: Promise<unknown> | null = null;

  constructor(options: SchedulerOptions) {
    this.#o = options;
    this.#policy = options.policy ?? DEFAULT_POLICY;
    this.#calendar = options.calendar ?? NYSE_CALENDAR;
    this.#runner = new JobRunner(options);
  }

  get state(): SchedulerState {
    return this.#state;
  }

  /** True once Yahoo was found unreachable, until a sync succeeds again. */
  get yahooUnreachable(): boolean {
    return this.#runner.yahooUnreachable;
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
        ran.push(await this.#runner.quotes());
      } else if (current.job === 'verify') {
        ran.push((await this.#runner.verify()).ran);
      } else if (current.job === 'sync') {
        const { ran: r, outcome } = await this.#runner.sync(current.session, current.reason);
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
        const { session } = current;
        const settled = (ok: boolean) => (this.#state = afterReport(this.#state, session, ok, now));
        ran.push(await this.#runner.report(session, current.reason, settled));
      }
    }
    return ran;
  }
}
