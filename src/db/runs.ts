// ingest_runs: one row per job run, written when it starts (status 'running') and when it ends, so a
// run that died half-way is visible and can be marked 'aborted' by the next start.
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Database, IngestRunRow, RunFailure, RunJob, RunStatus } from './schema.js';

export async function startRun(db: Kysely<Database>, job: RunJob, symbols: readonly string[], startedAt: Date): Promise<number> {
  const row = await db
    .insertInto('ingest_runs')
    .values({ job, symbols: [...symbols], started_at: startedAt, pid: process.pid, host: hostname() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface RunOutcome {
  status: Exclude<RunStatus, 'running'>;
  finishedAt: Date;
  rowsInserted?: number;
  rowsUpdated?: number;
  rowsRejected?: number;
  requests?: number;
  failures?: RunFailure[];
  error?: string | null;
}

export async function finishRun(db: Kysely<Database>, id: number, outcome: RunOutcome): Promise<void> {
  await db
    .updateTable('ingest_runs')
    .set({
      status: outcome.status,
      finished_at: outcome.finishedAt,
      // Left as counted when not given: a run that failed half-way keeps the rows its symbols committed.
      ...(outcome.rowsInserted !== undefined ? { rows_inserted: outcome.rowsInserted } : {}),
      ...(outcome.rowsUpdated !== undefined ? { rows_updated: outcome.rowsUpdated } : {}),
      ...(outcome.rowsRejected !== undefined ? { rows_rejected: outcome.rowsRejected } : {}),
      requests: outcome.requests ?? 0,
      failures: JSON.stringify(outcome.failures ?? []),
      error: outcome.error ?? null,
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
  rows: { inserted: number; updated: number; rejected: number },
): Promise<void> {
  await db
    .updateTable('ingest_runs')
    .set((eb) => ({
      rows_inserted: eb('rows_inserted', '+', rows.inserted),
      rows_updated: eb('rows_updated', '+', rows.updated),
      rows_rejected: eb('rows_rejected', '+', rows.rejected),
    }))
    .where('id', '=', id)
    .execute();
}

/**
 * Marks as 'aborted' the runs still 'running' whose process is gone. Only runs of this host can be
 * judged; isAlive is injected so the rule is testable.
 */
export async function abortDeadRuns(db: Kysely<Database>, isAlive: (pid: number) => boolean, now: Date): Promise<number> {
  const running = await db
    .selectFrom('ingest_runs')
    .select(['id', 'pid'])
    .where('status', '=', 'running')
    .where('host', '=', hostname())
    .execute();
  const dead = running.filter((r) => r.pid === null || !isAlive(r.pid)).map((r) => r.id);
  if (dead.length === 0) return 0;
  await db
    .updateTable('ingest_runs')
    .set({ status: 'aborted', finished_at: now, error: 'the process died before the run finished' })
    .where('id', 'in', dead)
    .execute();
  return dead.length;
}

export async function recentRuns(db: Kysely<Database>, limit = 10): Promise<IngestRunRow[]> {
  return db.selectFrom('ingest_runs').selectAll().orderBy('id', 'desc').limit(limit).execute();
}
