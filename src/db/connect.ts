// Opens the database, one way for every process: a pg Pool, on the server DATABASE_URL names, or on
// the embedded PostgreSQL server under the data dir (embedded-server.ts: started when none runs,
// stopped by the last process that uses it). The pool's type parsers give every caller the same
// runtime types: DATE -> 'YYYY-MM-DD' (pg would build a local-time Date), NUMERIC and BIGINT -> number
// (pg returns strings), timestamptz -> Date.
import type { Kysely, LogEvent } from 'kysely';
import type { Client, ClientConfig, PoolConfig, QueryConfig } from 'pg';
import type { Logger } from 'pino';
import { redactUrl } from '../log.js';
import { isConnectionError } from './connection-errors.js';
import type { EmbeddedServer } from './embedded-server.js';
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
  /** The query builder; on a handle opened with `sessionsOnly` there is none, and using it throws. */
  db: Kysely<Database>;
  /** Where the data is: the embedded server under the data dir, or the server DATABASE_URL names. */
  kind: 'embedded' | 'postgres';
  /** Where the data lives, safe to print (no password). */
  location: string;
  /** The embedded server this process uses (its address, its URL for psql); unset on DATABASE_URL. */
  server?: EmbeddedServer;
  /**
   * How another pool in this process reaches the same database now (a worker thread's): the URL it
   * was opened with, or the embedded server's socket URL (which moves when the server restarts).
   * Holds the password of DATABASE_URL: never printed.
   */
  connectionUrl(): string;
  /**
   * A new connection outside the pool, with the pool's settings, for a session that must last
   * (LISTEN and session locks belong to their session; a pooled client goes back to the pool). Not
   * connected yet.
   */
  dedicatedClient(applicationName?: string): Client;
  /** Runs fn on one dedicated session (a pooled client). */
  withSession<T>(fn: (session: RawSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A handle opened with `sessionsOnly`: sessions (withSession), no query builder. */
export type SessionHandle = Omit<DbHandle, 'db' | 'connectionUrl'>;

export type DbTarget = { kind: 'postgres'; url: string } | { kind: 'embedded'; dataDir: string };

export interface OpenDbOptions {
  log?: Logger;
  /** pg pool size; the daemon needs a handful, one-shot commands one or two. */
  maxConnections?: number;
  /**
   * Only withSession will be used (migrations and user SQL: the `sql` command). Kysely is then not
   * loaded at all: its 260 modules are a fifth of `sql`'s start-up.
   */
  sessionsOnly?: boolean;
  /** What this process is ('daemon', 'db start'...), in its sessions' application_name (`db stop` names them). */
  label?: string;
  /** The embedded server also listens on 127.0.0.1 at this port (`run --db-port`, `db serve`). */
  tcpPort?: number | undefined;
  /** The daemon: an embedded server that goes away is started again (see embedded-server.ts). */
  restartOnLoss?: boolean;
  signal?: AbortSignal | undefined;
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

/**
 * Settings the user's libpq environment must not bring into connections to the embedded server, as
 * pg reads them when a setting is not given: PGSSLMODE (the socket has no TLS; pg would ask anyway)
 * and PGOPTIONS (a search_path there would hide the project's tables).
 */
const EMBEDDED_SESSION = { ssl: false, options: '-c search_path=public' } as const;

/** A client factory for the embedded server's own use (`stopIfUnused`), with the same settings as openDb's. */
export async function newEmbeddedClient(): Promise<(address: ClientConfig, applicationName: string) => Client> {
  const pg = (await import('pg')).default;
  return (address, applicationName) => new pg.Client({ ...address, ...EMBEDDED_SESSION, application_name: applicationName, connectionTimeoutMillis: 5_000 });
}

export async function openDb(target: DbTarget, options: OpenDbOptions = {}): Promise<DbHandle> {
  const { CopyingClient } = await import('./pg-copy-client.js');
  if (target.kind === 'postgres') {
    return openPool({ connectionString: target.url, Client: CopyingClient }, { kind: 'postgres', location: redactUrl(target.url), connectionUrl: () => target.url }, options);
  }
  const { useEmbeddedServer } = await import('./embedded-server.js');
  const newClient = await newEmbeddedClient();
  const server = await useEmbeddedServer(target.dataDir, newClient, {
    log: options.log,
    tcpPort: options.tcpPort,
    label: options.label ?? 'command',
    restartOnLoss: options.restartOnLoss ?? false,
    signal: options.signal,
  });
  // Every new connection asks where the server is now: a restarted server may have another port.
  class EmbeddedClient extends CopyingClient {
    constructor(config?: ClientConfig) {
      super({ ...config, ...server.address(), ...EMBEDDED_SESSION });
    }
  }
  try {
    return await openPool({ Client: EmbeddedClient }, { kind: 'embedded', location: server.location, server, connectionUrl: () => server.url() }, options, () => server.release());
  } catch (err) {
    await server.release();
    throw err;
  }
}

async function openPool(
  base: PoolConfig,
  what: Pick<DbHandle, 'kind' | 'location' | 'server' | 'connectionUrl'>,
  options: OpenDbOptions,
  afterClose: () => Promise<unknown> = async () => undefined,
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
    const { Kysely, PostgresDialect } = await import('kysely');
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: kyselyLogger(options.log) });
  }
  return {
    db: db ?? noQueryBuilder(),
    ...what,
    // A listener that cannot connect must fail and retry, not wait out the OS's TCP timeout.
    dedicatedClient: (applicationName) =>
      new (base.Client ?? pg.Client)({ connectionTimeoutMillis: 5_000, ...base, ...(applicationName ? { application_name: applicationName } : {}) }) as Client,
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
            // Always the extended protocol: with no parameters pg would use
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
      try {
        await db?.destroy();
        // Kysely ends the pool only if it ever ran a query itself; a process that used only withSession
        // (migrate, sql) would otherwise keep an idle client open and not exit until its idle timeout.
        if (!pool.ended) await pool.end();
      } finally {
        await afterClose();
      }
    },
  };
}

/** pg-pool hangs the whole Client on its errors (connection parameters, the backend's cancel key...): name, code and message only. */
function briefError(err: Error): { type: string; message: string; code: unknown } {
  return { type: err.name, message: err.message, code: (err as { code?: unknown }).code };
}

