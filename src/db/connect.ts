// Opens the database: a pg Pool when DATABASE_URL is set, else an embedded PGlite under the data dir.
// Both drivers are set up to return the same runtime types, so nothing above this file can tell them
// apart: DATE -> 'YYYY-MM-DD' (pg would build a local-time Date, PGlite a UTC one), NUMERIC and BIGINT
// -> number (both would return strings or bigint), timestamptz -> Date.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PostgresDialect, type LogEvent } from 'kysely';
import type { PGlite } from '@electric-sql/pglite';
import type { QueryConfig } from 'pg';
import type { Logger } from 'pino';
import { redactUrl } from '../log.js';
import { acquireDirLock, type DirLock } from './dir-lock.js';
import type { Database } from './schema.js';

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
  db: Kysely<Database>;
  kind: 'pglite' | 'postgres';
  /** Where the data lives, safe to print (no password). */
  location: string;
  /** The embedded instance itself (kind 'pglite' only), for `db serve` to put a socket in front of it. */
  pglite?: PGlite;
  /** Runs fn on one dedicated session (a pooled client on pg; the only session on PGlite). */
  withSession<T>(fn: (session: RawSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** PGlite with `dataDir: null` lives in memory (tests, throwaway runs). */
export type DbTarget = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string | null };

export interface OpenDbOptions {
  log?: Logger;
  /** pg pool size; the daemon needs a handful, one-shot commands one or two. */
  maxConnections?: number;
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
  const pg = (await import('pg')).default;
  const pool = new pg.Pool({
    connectionString: url,
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
  // An idle client losing its connection (server restart) must not crash the process. pg-pool hangs
  // the whole Client on the error (err.client: connection parameters, the backend's cancel key...):
  // only name, code and message are logged.
  pool.on('error', (err) =>
    options.log?.warn({ err: { type: err.name, message: err.message, code: (err as { code?: unknown }).code } }, 'idle database connection lost'),
  );
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: kyselyLogger(options.log) });
  return {
    db,
    kind: 'postgres',
    location: redactUrl(url),
    async withSession(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
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
        // A session left inside a failed transaction must not go back to the pool as if clean.
        client.release(broken && isConnectionError(broken) ? broken : undefined);
      }
    },
    async close() {
      await db.destroy();
      // Kysely ends the pool only if it ever ran a query itself; a process that used only withSession
      // (migrate, sql) would otherwise keep an idle client open and not exit until its idle timeout.
      if (!pool.ended) await pool.end();
    },
  };
}

function isConnectionError(err: Error & { code?: string }): boolean {
  return !err.code || err.code.startsWith('08') || err.code === '57P01';
}

async function openPglite(dataDir: string | null, options: OpenDbOptions): Promise<DbHandle> {
  const dir = dataDir === null ? 'memory://' : join(dataDir, 'pglite');
  if (dataDir !== null) mkdirSync(dataDir, { recursive: true });
  // PGlite is single-process: a second process opening the same files would corrupt them.
  const lock: DirLock =
    dataDir === null ? { release() {} } : acquireDirLock(join(dataDir, 'pglite.lock'), 'embedded database');
  try {
    const [{ PGlite, types }, { PGliteDialect }] = await Promise.all([
      import('@electric-sql/pglite'),
      import('kysely-pglite-dialect'),
    ]);
    // initdb takes seconds on a new data dir: say so, or a first run looks hung.
    if (dataDir !== null && !existsSync(join(dir, 'PG_VERSION'))) {
      options.log?.info({ dataDir: dir }, 'creating the embedded database (first run on this data dir; takes a few seconds)');
    }
    const pglite = new PGlite(dir, {
      parsers: { [types.DATE]: asIs, [types.NUMERIC]: asNumber, [types.INT8]: asNumber },
    });
    await pglite.waitReady;
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite), log: kyselyLogger(options.log) });
    return {
      db,
      kind: 'pglite',
      location: dir,
      pglite,
      withSession: (fn) =>
        fn({
          async query(text, params) {
            const r = await pglite.query<Record<string, unknown>>(text, params ? [...params] : []);
            return { rows: r.rows, fields: r.fields, affectedRows: r.affectedRows };
          },
          async exec(script) {
            await pglite.exec(script);
          },
        }),
      async close() {
        // PGlite's Emscripten runtime sets process.exitCode when it shuts down, which would erase
        // the exit code a command has already chosen.
        const exitCode = process.exitCode;
        try {
          await db.destroy();
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

/** Database target from DATABASE_URL, else PGlite under the data dir. */
export function dbTargetFrom(databaseUrl: string | null, dataDir: string): DbTarget {
  return databaseUrl ? { kind: 'postgres', url: databaseUrl } : { kind: 'pglite', dataDir };
}
