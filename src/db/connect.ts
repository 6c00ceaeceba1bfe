// Opens the database: a pg Pool when DATABASE_URL is set, else an embedded PGlite under the data dir.
// Both drivers are set up to return the same runtime types, so nothing above this file can tell them
// apart: DATE -> 'YYYY-MM-DD' (pg would build a local-time Date, PGlite a UTC one), NUMERIC and BIGINT
// -> number (both would return strings or bigint), timestamptz -> Date.
// A third way in: the embedded database served by the daemon that has it open (pglite-server.ts), which
// is reached with pg over the Unix socket in the data dir, exactly as Postgres is.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely, LogEvent } from 'kysely';
import type { PGlite } from '@electric-sql/pglite';
import type { Client, PoolConfig, QueryConfig } from 'pg';
import type { Logger } from 'pino';
import { redactUrl } from '../log.js';
import { isConnectionError } from './connection-errors.js';
import { acquireDirLock, type DirLock, type LockRole } from './dir-lock.js';
import { gatedDialect } from './gated-dialect.js';
import { useLiftoffOnly } from './pglite-liftoff.js';
import { oneShotStartParams } from './pglite-one-shot.js';
import type { Database } from './schema.js';
import { SessionGate } from './session-gate.js';

/** The daemon's socket for its embedded database: pg finds `<dir>/.s.PGSQL.<port>` given host=<dir>. */
export const SERVED_SOCKET_PORT = 5432;
export const servedSocketPath = (dataDir: string) => join(dataDir, `.s.PGSQL.${SERVED_SOCKET_PORT}`);
/** A served query that gets no answer in this long fails with a message saying why. */
export const SERVED_QUERY_TIMEOUT_MS = 60_000;
/** After this long without an answer, a served query says it is waiting for the daemon's database. */
export const SERVED_WAIT_NOTICE_MS = 2_000;

const OID = { INT8: 20, NUMERIC: 1700, DATE: 1082 } as const;
const asNumber = (value: string) => Number(value);
const asIs = (value: string) => value;

export interface QueryResult {
  rows: Record<string, unknown>[];
  fields: { name: string; dataTypeID: number }[];
  /** Rows changed by INSERT/UPDATE/DELETE, when the statement reports it. */
  affectedRows?: number;
}

/**
 * One database session outside Kysely, for what Kysely can't express: multi-statement scripts
 * (migrations) and user SQL with transactions and bound parameters (the `sql` command).
 */
export interface RawSession {
  /** One statement, parameters bound by the server (extended protocol): never spliced into text. */
  query(text: string, params?: readonly unknown[]): Promise<QueryResult>;
  /** A script of several statements (simple protocol); no parameters. */
  exec(script: string): Promise<void>;
}

export interface DbHandle {
  /** The query builder; on a handle opened with `sessionsOnly` there is none, and using it throws. */
  db: Kysely<Database>;
  /** The engine the data is in (an embedded database reached through its daemon is 'pglite'). */
  kind: 'pglite' | 'postgres';
  /** Where the data lives, safe to print (no password). */
  location: string;
  /** The embedded database's data dir (opened here or through its daemon); unset on Postgres and in memory. */
  dataDir?: string;
  /** True when the embedded database is reached through the daemon that has it open. */
  served?: boolean;
  /** The embedded instance itself (opened in this process only), for a server to put a socket in front of it. */
  pglite?: PGlite;
  /** Turn-taking on the embedded instance's one session (opened in this process only); see session-gate.ts. */
  gate?: SessionGate;
  /**
   * pg only: a new connection outside the pool, with the pool's settings, for a session that must
   * last (LISTEN belongs to its session; a pooled client goes back to the pool). Not connected yet.
   */
  dedicatedClient?(): Client;
  /** Runs fn on one dedicated session (a pooled client on pg; the only session on PGlite). */
  withSession<T>(fn: (session: RawSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A handle opened with `sessionsOnly`: sessions (withSession), no query builder. */
export type SessionHandle = Omit<DbHandle, 'db'>;

/** PGlite with `dataDir: null` lives in memory (tests, throwaway runs). */
export type DbTarget = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string | null };

export interface OpenDbOptions {
  log?: Logger;
  /** pg pool size; the daemon needs a handful, one-shot commands one or two. */
  maxConnections?: number;
  /**
   * Who takes the embedded database's lock: a daemon or `db serve` (which serve it), or a one-shot
   * command, whose PGlite starts lighter (pglite-one-shot.ts).
   */
  role?: LockRole;
  /**
   * Only withSession will be used (migrations and user SQL: the `sql` command). Kysely is then not
   * loaded at all: its 260 modules were a fifth of `sql`'s start-up through a daemon.
   */
  sessionsOnly?: boolean;
}

/**
 * The `db` of a sessionsOnly handle: building a query on it is a mistake in the program, said plainly.
 * (A stand-in rather than a missing field, so that copying or inspecting a handle stays harmless.)
 */
function noQueryBuilder(): Kysely<Database> {
  return new Proxy({} as Kysely<Database>, {
    get(_, prop) {
      if (typeof prop === 'symbol' || prop === 'then') return undefined;
      throw new Error(`this database handle was opened with sessionsOnly: it has no query builder (db.${prop})`);
    },
  });
}

/** Kysely's log hook: failed queries only (sql, params count, duration), like immich does. */
function kyselyLogger(log: Logger | undefined) {
  return (event: LogEvent) => {
    if (event.level === 'error' && log) {
      log.warn(
        { err: event.error, sql: event.query.sql, params: event.query.parameters.length, durationMs: event.queryDurationMillis },
        'query failed',
      );
    }
  };
}

export async function openDb(target: DbTarget, options: OpenDbOptions = {}): Promise<DbHandle> {
  return target.kind === 'postgres' ? openPostgres(target.url, options) : openPglite(target.dataDir, options);
}

async function openPostgres(url: string, options: OpenDbOptions): Promise<DbHandle> {
  const { CopyingClient } = await import('./pg-copy-client.js');
  return openPool({ connectionString: url, Client: CopyingClient }, { kind: 'postgres', location: redactUrl(url) }, options);
}

/**
 * The embedded database under dataDir through the daemon that serves it, or null when no daemon
 * answers on its socket (none running, or a socket file left by one that was killed).
 */
export async function openServed(dataDir: string, options: OpenDbOptions = {}): Promise<DbHandle | null> {
  const socket = servedSocketPath(dataDir);
  if (!existsSync(socket)) return null;
  const pg = (await import('pg')).default;
  const log = options.log;
  // Says so when the daemon's database is busy, and gives up with a clear message rather than hang.
  class PatientClient extends pg.Client {
    override query(...args: unknown[]): never {
      const result = (super.query as (...a: unknown[]) => unknown)(...args);
      if (!(result instanceof Promise)) return result as never;
      const notice = setTimeout(() => log?.warn({ waitedMs: SERVED_WAIT_NOTICE_MS, socket }, 'waiting for the daemon: its database is busy with another transaction'), SERVED_WAIT_NOTICE_MS);
      return result
        .catch((err: Error) => {
          if (err?.message !== 'Query read timeout') throw err;
          throw new Error(
            `the daemon serving ${dataDir} did not answer within ${SERVED_QUERY_TIMEOUT_MS / 1000} s (its database is busy or the daemon hangs); try again later`,
          );
        })
        .finally(() => clearTimeout(notice)) as never;
    }
  }
  const handle = await openPool(
    { host: dataDir, port: SERVED_SOCKET_PORT, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 5_000, query_timeout: SERVED_QUERY_TIMEOUT_MS, Client: PatientClient },
    { kind: 'pglite', location: join(dataDir, 'pglite'), dataDir, served: true },
    options,
  );
  try {
    await handle.withSession((session) => session.query('select 1'));
    return handle;
  } catch (err) {
    await handle.close().catch(() => undefined);
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ECONNREFUSED' || code === 'ENOENT') return null;
    throw err;
  }
}

async function openPool(
  base: PoolConfig,
  what: Pick<DbHandle, 'kind' | 'location' | 'dataDir' | 'served'>,
  options: OpenDbOptions,
): Promise<DbHandle> {
  const pg = (await import('pg')).default;
  const pool = new pg.Pool({
    ...base,
    max: options.maxConnections ?? 4,
    // Per-pool parsers, not pg.types.setTypeParser: a global change would leak into other pg users.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === OID.DATE) return asIs;
        if (oid === OID.NUMERIC || oid === OID.INT8) return asNumber;
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', (err) => options.log?.warn({ err: briefError(err) }, 'idle database connection lost'));
  // A client in use (a Kysely transaction, the session holding the ingest lock) that loses its
  // connection emits 'error' too, and pg-pool listens only while the client is idle: with no listener
  // Node turns that event into a crash. The query in flight, if any, fails with the same error, and
  // that failure is what the caller handles; the event itself only needs noting.
  pool.on('connect', (client) =>
    client.on('error', (err) => options.log?.warn({ err: briefError(err) }, 'database connection lost')),
  );
  let db: Kysely<Database> | null = null;
  if (!options.sessionsOnly) {
    const [{ Kysely, PostgresDialect }, { withCopyFromStdin }] = await Promise.all([import('kysely'), import('./copy-from-stdin.js')]);
    // COPY (copy-from-stdin.ts) needs its client class; the daemon's socket cannot take one (see there).
    const dialect = new PostgresDialect({ pool });
    db = new Kysely<Database>({ dialect: what.served ? dialect : withCopyFromStdin(dialect), log: kyselyLogger(options.log) });
  }
  return {
    db: db ?? noQueryBuilder(),
    ...what,
    // A listener that cannot connect must fail and retry, not wait out the OS's TCP timeout.
    dedicatedClient: () => new pg.Client({ connectionTimeoutMillis: 5_000, ...base }),
    async withSession(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      // The connection can die while fn works elsewhere (the ingest lock's session idles for a whole
      // sync): such a client must not go back to the pool as if it were usable.
      const onLost = (err: Error) => (broken ??= err);
      client.on('error', onLost);
      try {
        return await fn({
          async query(text, params) {
            // Always the extended protocol, as PGlite's query() does: with no parameters pg would use
            // the simple protocol, which runs "commit; drop table ..." as two statements and so lets
            // one escape the read-only transaction of `bubblewatch sql`. Extended runs one statement.
            const config = { text, values: params ? [...params] : [], queryMode: 'extended' as const };
            const r = await client.query(config as QueryConfig);
            return { rows: r.rows, fields: r.fields ?? [], affectedRows: r.rowCount ?? undefined };
          },
          async exec(script) {
            await client.query(script);
          },
        });
      } catch (err) {
        broken = err instanceof Error ? err : new Error(String(err));
        throw err;
      } finally {
        client.off('error', onLost);
        // A session left inside a failed transaction must not go back to the pool as if clean.
        client.release(broken && (isConnectionError(broken) || !(broken as { code?: unknown }).code) ? broken : undefined);
      }
    },
    async close() {
      await db?.destroy();
      // Kysely ends the pool only if it ever ran a query itself; a process that used only withSession
      // (migrate, sql) would otherwise keep an idle client open and not exit until its idle timeout.
      if (!pool.ended) await pool.end();
    },
  };
}

/** pg-pool hangs the whole Client on its errors (connection parameters, the backend's cancel key...): name, code and message only. */
function briefError(err: Error): { type: string; message: string; code: unknown } {
  return { type: err.name, message: err.message, code: (err as { code?: unknown }).code };
}

async function openPglite(dataDir: string | null, options: OpenDbOptions): Promise<DbHandle> {
  const dir = dataDir === null ? 'memory://' : join(dataDir, 'pglite');
  if (dataDir !== null) mkdirSync(dataDir, { recursive: true });
  // PGlite is single-process: a second process opening the same files would corrupt them.
  const lock: DirLock =
    dataDir === null ? { release() {} } : acquireDirLock(dirLockPath(dataDir), 'embedded database', options.role);
  try {
    // The daemon's WebAssembly: Liftoff only, like a one-shot command's, for its idle memory. With
    // tier-up, V8's optimizing compiler left 32-65 MB of scratch memory in its threads' malloc arenas
    // (5-6 MB without it; docs/PERFORMANCE.md section 5). The price is PGlite's speed once warm, about
    // 1.5x (the live page's read of every close of a 94,000-bar watchlist: 315 ms instead of 200);
    // the daily report job, mostly JavaScript, took as long either way, and start-up is faster.
    if (options.role === 'daemon') useLiftoffOnly();
    const { PGlite, types } = await import('@electric-sql/pglite');
    // initdb takes seconds on a new data dir: say so, or a first run looks hung.
    if (dataDir !== null && !existsSync(join(dir, 'PG_VERSION'))) {
      options.log?.info({ dataDir: dir }, 'creating the embedded database (first run on this data dir; takes a few seconds)');
    }
    const pglite = new PGlite(dir, {
      parsers: { [types.DATE]: asIs, [types.NUMERIC]: asNumber, [types.INT8]: asNumber },
      // As start-up options, not PGlite's `postgresqlconf`, which overwrites the data dir's
      // postgresql.conf (time zone, locale lines and all) on every open. A one-shot command takes a
      // larger buffer pool than the daemon (pglite-one-shot.ts): it lives a second, the daemon for days.
      startParams:
        options.role === 'command'
          ? oneShotStartParams([...PGlite.defaultStartParams, '-c', 'max_connections=10'])
          : [...PGlite.defaultStartParams, ...EMBEDDED_SETTINGS.flatMap((s) => ['-c', s])],
    });
    await pglite.waitReady;
    // Every use of the one session takes turns with the clients a daemon may serve (pglite-server.ts).
    const gate = new SessionGate();
    const db = options.sessionsOnly ? null : await pgliteKysely(pglite, gate, options.log);
    return {
      db: db ?? noQueryBuilder(),
      kind: 'pglite',
      location: dir,
      ...(dataDir === null ? {} : { dataDir }),
      pglite,
      gate,
      withSession: (fn) =>
        gate.run('session', () => fn({
          async query(text, params) {
            const r = await pglite.query<Record<string, unknown>>(text, params ? [...params] : []);
            return { rows: r.rows, fields: r.fields, affectedRows: r.affectedRows };
          },
          async exec(script) {
            await pglite.exec(script);
          },
        })),
      async close() {
        // PGlite's Emscripten runtime sets process.exitCode when it shuts down, which would erase
        // the exit code a command has already chosen.
        const exitCode = process.exitCode;
        try {
          await db?.destroy();
          // Kysely's PGlite driver closes the instance only if Kysely ever ran a query; a process that
          // used only withSession would otherwise keep PGlite alive and not exit.
          if (!pglite.closed) await pglite.close();
        } finally {
          process.exitCode = exitCode;
          lock.release();
        }
      },
    };
  } catch (err) {
    lock.release();
    throw err;
  }
}

async function pgliteKysely(pglite: PGlite, gate: SessionGate, log: Logger | undefined): Promise<Kysely<Database>> {
  const [{ Kysely }, { PGliteDialect }, { copyingPglite, withCopyFromStdin }] = await Promise.all([
    import('kysely'),
    import('kysely-pglite-dialect'),
    import('./copy-from-stdin.js'),
  ]);
  const dialect = withCopyFromStdin(new PGliteDialect(copyingPglite(pglite)));
  return new Kysely<Database>({ dialect: gatedDialect(dialect, gate), log: kyselyLogger(log) });
}

/**
 * Server settings for the embedded database, given at start-up. PGlite's defaults are a server's,
 * and its shared memory is allocated and touched inside the process for as long as it runs: with
 * 160 MB of shared_buffers a daemon idled at 347 MB RSS (108 MB on Postgres). PGlite's files go
 * through the OS page cache anyway, so a small buffer pool costs a copy per page read, not a disk
 * read; measured with 4 MB against the defaults: the same write speed and daemon idle RSS ~190 MB
 * (docs/PERFORMANCE.md section 5). max_connections sizes per-backend shared structures (lock table,
 * PGPROC...); PGlite is one backend whatever number of clients its daemon serves.
 */
export const EMBEDDED_SETTINGS = ['shared_buffers=4MB', 'max_connections=10'];

/** The embedded database's lock file (dir-lock.ts). */
export const dirLockPath = (dataDir: string) => join(dataDir, 'pglite.lock');

/** Database target from DATABASE_URL, else PGlite under the data dir. */
export function dbTargetFrom(databaseUrl: string | null, dataDir: string): DbTarget {
  return databaseUrl ? { kind: 'postgres', url: databaseUrl } : { kind: 'pglite', dataDir };
}
