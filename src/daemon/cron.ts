// The thin node-cron wiring: one named task per schedule, in the exchange's time zone, no overlap,
// a random delay of up to jitterSeconds (so many installs don't hit Yahoo in the same second). Each
// callback only calls onTick(kind); deciding and running is the scheduler's job.
import { createTask, type Logger as CronLogger, type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { TickKind } from './decide.js';

/** Checks for failed syncs and owed reports; not in the config file because it is not a user choice. */
export const RETRY_SCHEDULE = '*/15 * * * *';

/** A cron expression per tick kind; `verify` may be left out or null (never: the demo's fast clock). */
export type Schedules = Readonly<Record<Exclude<TickKind, 'verify'>, string> & { verify?: string | null }>;

function scheduled(schedules: Schedules): [TickKind, string][] {
  return (Object.entries(schedules) as [TickKind, string | null | undefined][]).filter((e): e is [TickKind, string] => typeof e[1] === 'string');
}

export interface CronOptions {
  schedules: Schedules;
  timezone: string;
  jitterSeconds: number;
  log: Logger;
  onTick: (kind: TickKind) => Promise<unknown>;
}

export interface CronHandle {
  stop(): void;
  /** Next fire time per schedule (ISO), for the start-up log and /healthz. */
  nextRuns(): Partial<Record<TickKind, string | null>>;
}

/**
 * node-cron logs through console by default; route it to pino, its plain strings as `detail` under a
 * constant message. Two of its warnings are not ours to raise: a tick skipped because the last run of
 * the schedule is still going is the no-overlap rule working, and a tick missed while the event loop
 * was busy (a report computing) costs one quote snapshot at most, since a sync or report owed is run
 * at the next tick (decide.ts). The demo, with a tick every second, printed both on every report.
 */
function cronLogger(log: Logger): CronLogger {
  return {
    info: (msg) => log.debug({ source: 'node-cron', detail: String(msg) }, 'node-cron info'),
    warn: (msg) => {
      const detail = String(msg);
      if (/overlap prevention/i.test(detail)) log.debug({ source: 'node-cron', detail }, 'cron tick skipped, the last run still going');
      else if (/missed execution/i.test(detail)) log.info({ source: 'node-cron', detail }, 'cron tick missed, the event loop was busy');
      else log.warn({ source: 'node-cron', detail }, 'node-cron warning');
    },
    error: (msg, err) => log.error({ source: 'node-cron', err: err ?? msg }, 'node-cron error'),
    debug: (msg) => log.debug({ source: 'node-cron', detail: String(msg) }, 'node-cron debug'),
  };
}

export function startCron(options: CronOptions): CronHandle {
  const logger = cronLogger(options.log);
  const tasks = new Map<TickKind, ScheduledTask>();
  for (const [kind, expression] of scheduled(options.schedules)) {
    const task = createTask(
      expression,
      // The scheduler's tick never rejects; the catch only guards against a broken promise chain.
      () => options.onTick(kind).catch((err: unknown) => options.log.error({ err, tick: kind }, 'tick crashed')),
      {
        name: kind,
        timezone: options.timezone,
        noOverlap: true,
        maxRandomDelay: options.jitterSeconds * 1000,
        logger,
      },
    );
    tasks.set(kind, task);
  }
  for (const task of tasks.values()) void task.start();
  return {
    stop() {
      for (const task of tasks.values()) void task.destroy();
    },
    nextRuns() {
      const out: Partial<Record<TickKind, string | null>> = {};
      for (const [kind, task] of tasks) out[kind] = task.getNextRun()?.toISOString() ?? null;
      return out;
    },
  };
}

/**
 * Which schedules fire at an instant (second precision), by node-cron's own matcher: tests drive
 * scheduler.tick with it over simulated days, using the very expressions the daemon schedules.
 */
export function createCronMatcher(schedules: Schedules, timezone: string): (instant: Date) => TickKind[] {
  const tasks = scheduled(schedules).map(
    ([kind, expression]) => [kind, createTask(expression, () => {}, { timezone })] as const,
  );
  return (instant) => tasks.filter(([, task]) => task.match(instant)).map(([kind]) => kind);
}
