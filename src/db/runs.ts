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
      rows_inserted: outcome.rowsInserted ?? 0,
      rows_updated: outcome.rowsUpdated ?? 0,
      rows_rejected: outcome.rowsRejected ?? 0,
      requests: outcome.requests ?? 0,
      failures: JSON.stringify(outcome.failures ?? []),
      error: outcome.error ?? null,
    })
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
