// One history sync at a time per database (and schema). The daemon's instance lock keeps a second
// daemon out, but not a `bubblewatch sync` typed while the daemon syncs: both would fetch the same
// symbols and write the same rows at once (safe row by row, but twice the requests to Yahoo, and two
// runs in ingest_runs claiming the same work). So every sync holds this session-level advisory lock on
// a connection of its own for its whole run; a second sync waits for it, saying once who it waits for.
// A `verify` holds it too: it reads what a sync writes, and its repair writes like one.
import { setTimeout as sleep } from 'node:timers/promises';
import type { DbHandle, RawSession } from './connect.js';

// "bwsy" in ASCII, next to the migration lock ("bubb") and the daemon's instance lock ("bwdm").
const INGEST_LOCK_CLASS = 0x6277_7379;
const TRY_LOCK = 'select pg_try_advisory_lock($1::int4, hashtext(current_schema())) as ok';
const UNLOCK = 'select pg_advisory_unlock($1::int4, hashtext(current_schema()))';

/** The sync (or verify) run that holds the lock, as ingest_runs records it (null when it could not be seen). */
export interface IngestLockHolder {
  runId: number;
  pid: number | null;
  host: string | null;
  startedAt: Date;
}

export interface IngestLockOptions {
  /** Aborting stops the wait: withIngestLock then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Between two attempts while another sync holds the lock. Default 500. */
  pollMs?: number;
  /** Called once, when the first attempt finds the lock held. */
  onWait?: (holder: IngestLockHolder | null) => void;
}

async function runningSync(session: RawSession): Promise<IngestLockHolder | null> {
  const { rows } = await session.query(
    `select id, pid, host, started_at from ingest_runs where job in ('sync', 'verify') and status = 'running' order by id desc limit 1`,
  );
  const row = rows[0] as { id: number | string; pid: number | null; host: string | null; started_at: Date } | undefined;
  return row ? { runId: Number(row.id), pid: row.pid, host: row.host, startedAt: row.started_at } : null;
}

/** Runs fn while holding the ingest lock. */
export async function withIngestLock<T>(handle: DbHandle, fn: () => Promise<T>, options: IngestLockOptions = {}): Promise<T> {
  return handle.withSession(async (session) => {
    let told = false;
    for (;;) {
      options.signal?.throwIfAborted();
      const got = await session.query(TRY_LOCK, [INGEST_LOCK_CLASS]);
      if (got.rows[0]?.ok === true) break;
      if (!told) {
        told = true;
        options.onWait?.(await runningSync(session).catch(() => null));
      }
      await sleep(options.pollMs ?? 500, undefined, options.signal ? { signal: options.signal } : {}).catch(() => {
        throw options.signal?.reason ?? new Error('aborted');
      });
    }
    try {
      return await fn();
    } finally {
      // Ending the session would release it too; unlocking keeps the pooled connection clean for reuse.
      await session.query(UNLOCK, [INGEST_LOCK_CLASS]).catch(() => undefined);
    }
  });
}
