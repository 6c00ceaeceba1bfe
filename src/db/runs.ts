// ingest_runs: one row per job run, written when it starts (status 'running') and when it ends, so a
// run that died half-way is visible and can be marked 'aborted' by the next start.
// A run can also be left 'running' by a process that is still alive: its database connection died and
// the closing update never arrived. Its pid is alive (the daemon carries on), so "is the process
// alive" cannot tell; this process's own record of the runs it has in progress can.
import { hostname } from 'node:os';
import { sql, type Kysely } from 'kysely';
import type { Database, IngestRunRow, RebasedSymbol, RunFailure, RunJob, RunRejection, RunStatus } from './schema.js';

/** Runs this process started and has not yet tried to finish (module state: one per process, like its pid). */
const inProgress = new Set<number>();
/** Runs whose closing update failed (the connection was lost): marked aborted once the database answers. */
const unfinished = new Set<number>();

export const LOST_RUN_ERROR = 'the database connection was lost before the run finished';
export const DEAD_RUN_ERROR = 'the process died before the run finished';

export async function startRun(db: Kysely<Database>, job: RunJob, symbols: readonly string[], startedAt: Date): Promise<number> {
  const row = await db
    .insertInto('ingest_runs')
    .values({ job, symbols: [...symbols], started_at: startedAt, pid: process.pid, host: hostname() })
    .returning('id')
    .executeTakeFirstOrThrow();
  inProgress.add(row.id);
  return row.id;
}

export interface RunOutcome {
  status: Exclude<RunStatus, 'running'>;
  finishedAt: Date;
  rowsInserted?: number;
  rowsUpdated?: number;
  rowsRejected?: number;
  rowsRevised?: number;
  requests?: number;
  failures?: RunFailure[];
  /** Rows rejected, with why (the first ones per symbol). */
  rejections?: RunRejection[];
  error?: string | null;
}

export async function finishRun(db: Kysely<Database>, id: number, outcome: RunOutcome): Promise<void> {
  inProgress.delete(id);
  try {
    await updateRun(db, id, outcome);
    unfinished.delete(id);
  } catch (err) {
    unfinished.add(id);
    throw err;
  }
}

/** True when a run of this process could not be closed: the daemon then calls abortDeadRuns as soon as the database answers. */
export function hasUnfinishedRuns(): boolean {
  return unfinished.size > 0;
}

async function updateRun(db: Kysely<Database>, id: number, outcome: RunOutcome): Promise<void> {
  await db
    .updateTable('ingest_runs')
    .set({
      status: outcome.status,
      finished_at: outcome.finishedAt,
      // Left as counted when not given: a run that failed half-way keeps the rows its symbols committed.
      ...(outcome.rowsInserted !== undefined ? { rows_inserted: outcome.rowsInserted } : {}),
      ...(outcome.rowsUpdated !== undefined ? { rows_updated: outcome.rowsUpdated } : {}),
      ...(outcome.rowsRejected !== undefined ? { rows_rejected: outcome.rowsRejected } : {}),
      ...(outcome.rowsRevised !== undefined ? { rows_revised: outcome.rowsRevised } : {}),
      requests: outcome.requests ?? 0,
      failures: JSON.stringify(outcome.failures ?? []),
      error: outcome.error ?? null,
      ...(outcome.rejections?.length ? { rejections: JSON.stringify(outcome.rejections) } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/**
 * Adds one symbol's committed rows to its run, inside the symbol's own transaction (storeSymbolHistory):
 * a run killed half-way then still says how many rows it stored.
 */
export async function addRunRows(
  db: Kysely<Database>,
  id: number,
  rows: { inserted: number; updated: number; rejected: number; revised?: number; rebased?: RebasedSymbol },
): Promise<void> {
  await db
    .updateTable('ingest_runs')
    .set((eb) => ({
      rows_inserted: eb('rows_inserted', '+', rows.inserted),
      rows_updated: eb('rows_updated', '+', rows.updated),
      rows_rejected: eb('rows_rejected', '+', rows.rejected),
      rows_revised: eb('rows_revised', '+', rows.revised ?? 0),
      ...(rows.rebased ? { rebased: sql<string>`rebased || ${JSON.stringify([rows.rebased])}::jsonb` } : {}),
    }))
    .where('id', '=', id)
    .execute();
}

/** process.kill(pid, 0) probes without signalling; EPERM means it exists under another user. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Marks as 'aborted' the runs still 'running' whose process is gone, and this process's own runs that
 * it is no longer running (their closing update was lost with the connection; also a dead run whose
 * pid this process reuses, as in a container where the daemon is always pid 1). Only runs of this host
 * can be judged; isAlive is injected so the rule is testable.
 */
export async function abortDeadRuns(db: Kysely<Database>, isAlive: (pid: number) => boolean, now: Date): Promise<number> {
  const running = await db
    .selectFrom('ingest_runs')
    .select(['id', 'pid'])
    .where('status', '=', 'running')
    .where('host', '=', hostname())
    .execute();
  const own = running.filter((r) => r.pid === process.pid && !inProgress.has(r.id)).map((r) => r.id);
  const dead = running.filter((r) => r.pid !== process.pid && (r.pid === null || !isAlive(r.pid))).map((r) => r.id);
  for (const [ids, error] of [[own, LOST_RUN_ERROR], [dead, DEAD_RUN_ERROR]] as const) {
    if (ids.length === 0) continue;
    await db.updateTable('ingest_runs').set({ status: 'aborted', finished_at: now, error }).where('id', 'in', ids).execute();
  }
  for (const id of own) unfinished.delete(id);
  return own.length + dead.length;
}

export async function recentRuns(db: Kysely<Database>, limit = 10): Promise<IngestRunRow[]> {
  return db.selectFrom('ingest_runs').selectAll().orderBy('id', 'desc').limit(limit).execute();
}
