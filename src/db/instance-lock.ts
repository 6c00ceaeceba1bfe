// One daemon per database (and schema), embedded or not: a session-level advisory lock held on a
// dedicated connection for the daemon's whole life, outside the pool, so no pool recycling can drop
// it. The connection carries an application_name naming the process, which is how a second daemon can
// say who holds the lock (pg_locks + pg_stat_activity).
import { hostname } from 'node:os';
import type { Client } from 'pg';

export interface LockHolderInfo {
  pid: number;
  host: string;
  command: string;
  since: string;
}

/** Another process holds the lock (exit 2 through the CLI, naming it). */
export class LockHeldError extends Error {
  constructor(
    readonly what: string,
    readonly holder: LockHolderInfo,
  ) {
    super(`the ${what} is in use by another process (pid ${holder.pid} on ${holder.host}, "${holder.command}", since ${holder.since})`);
    this.name = 'LockHeldError';
  }
}

// "bwdm" in ASCII: recognisable in pg_locks.classid, distinct from the migration lock ("bubb").
const LOCK_CLASS = 0x6277_646d;

export interface InstanceLock {
  /** Resolves (never rejects) if the lock's connection is lost: the lock is gone with it. */
  readonly lost: Promise<Error>;
  release(): Promise<void>;
}

export interface LockHolder {
  backendPid: number;
  applicationName: string;
  since: string | null;
  /** Parsed from application_name when it is one of ours. */
  pid: number | null;
  host: string | null;
}

export type TryLockResult = { acquired: true; lock: InstanceLock } | { acquired: false; holder: LockHolder | null };

/** FNV-1a, 31 bits: a stable positive int4 for the two-key advisory lock form (shows as objid). */
function lockKey(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) & 0x7fff_ffff;
}

/** What the lock's connection calls itself: "bubblewatch daemon pid=123 host=box" (63 bytes at most). */
export function applicationName(pid = process.pid, host = hostname()): string {
  return `bubblewatch daemon pid=${pid} host=${host}`.slice(0, 63);
}

export function parseApplicationName(name: string): { pid: number | null; host: string | null } {
  const m = /pid=(\d+)(?: host=(\S+))?/.exec(name);
  return { pid: m ? Number(m[1]) : null, host: m?.[2] ?? null };
}

/**
 * Tries once on a new connection from `newClient` (DbHandle.dedicatedClient: its connect is bounded, so
 * while the database is away retaking the lock fails fast); on failure says who holds the lock (null
 * if it could not be seen, e.g. it was just released).
 */
export async function tryInstanceLock(newClient: (applicationName: string) => Client): Promise<TryLockResult> {
  const client = newClient(applicationName());
  let released = false;
  let lostResolve: (err: Error) => void = () => {};
  const lost = new Promise<Error>((resolve) => (lostResolve = resolve));
  // Our own release ends the connection too: that is not a loss.
  client.on('error', (err) => released || lostResolve(err));
  await client.connect();
  try {
    // The key covers database and schema, so daemons on separate schemas of one database (tests,
    // several environments) don't block each other.
    const scope = await client.query<{ scope: string }>(`select current_database() || '.' || coalesce(current_schema(), '') as scope`);
    const key = lockKey(scope.rows[0]!.scope);
    const got = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1::int4, $2::int4) as ok', [LOCK_CLASS, key]);
    if (got.rows[0]?.ok) {
      client.on('end', () => released || lostResolve(new Error('the instance lock connection closed')));
      return {
        acquired: true,
        lock: {
          lost,
          async release() {
            if (released) return;
            released = true;
            // Closing the session releases the lock; an explicit unlock first is cheap and clearer in logs.
            await client.query('select pg_advisory_unlock($1::int4, $2::int4)', [LOCK_CLASS, key]).catch(() => {});
            await client.end().catch(() => {});
          },
        },
      };
    }
    const holder = await client.query<{ pid: number; application_name: string; backend_start: Date | null }>(
      `select a.pid, a.application_name, a.backend_start
         from pg_locks l join pg_stat_activity a on a.pid = l.pid
        where l.locktype = 'advisory' and l.granted
          and l.database = (select oid from pg_database where datname = current_database())
          and l.classid = $1::int8::oid and l.objid = $2::int8::oid and l.objsubid = 2`,
      [LOCK_CLASS, key],
    );
    await client.end();
    const row = holder.rows[0];
    if (!row) return { acquired: false, holder: null };
    return {
      acquired: false,
      holder: {
        backendPid: row.pid,
        applicationName: row.application_name,
        since: row.backend_start ? row.backend_start.toISOString() : null,
        ...parseApplicationName(row.application_name),
      },
    };
  } catch (err) {
    await client.end().catch(() => {});
    throw err;
  }
}

/** The error a second daemon exits with (exit code 2 through the CLI). */
export function instanceLockError(location: string, holder: LockHolder | null): LockHeldError {
  return new LockHeldError(`daemon lock on ${location}`, {
    pid: holder?.pid ?? holder?.backendPid ?? 0,
    host: holder?.host ?? 'unknown host',
    command: holder?.applicationName || 'another client',
    since: holder?.since ?? 'unknown',
  });
}
