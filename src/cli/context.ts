// What every command that touches the database needs: config, a logger, an open migrated database.
import type { Logger } from 'pino';
import { checkStartDates, loadConfig, type Config } from '../config/load.js';
import { secureDataDir } from '../data-dir.js';
import { openDb, type DbHandle, type DbTarget, type SessionHandle } from '../db/connect.js';
import { refusePgliteDataDir } from '../db/embedded-server.js';
import { connectionFailureReason, databaseEndpoint, isConnectFailure, isConnectionError } from '../db/connection-errors.js';
import { zonedDate } from '../market/zoned-time.js';
import { migrate, type MigrateResult } from '../db/migrate.js';
import { createLogger } from '../log.js';

export interface Context {
  config: Config;
  log: Logger;
  handle: DbHandle;
  migrated: MigrateResult;
}

/** A context whose database has sessions only, no query builder (see withSessionContext). */
export type SessionContext = Omit<Context, 'handle'> & { handle: SessionHandle };

/** Thrown for bad usage or input the user can fix: printed as one message, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The database could not be reached, or went away mid-command: exit 1, with where and why. */
export class DatabaseConnectionError extends Error {
  override name = 'DatabaseConnectionError';
}

/** "cannot connect to the database at 127.0.0.1:5999 (DATABASE_URL): connection refused" */
export function cannotConnect(databaseUrl: string, err: unknown): DatabaseConnectionError {
  return new DatabaseConnectionError(
    `cannot connect to the database at ${databaseEndpoint(databaseUrl)} (DATABASE_URL): ${connectionFailureReason(err)}`,
    { cause: err },
  );
}

/** "database connection lost (127.0.0.1:5432)" */
export function connectionLost(databaseUrl: string, err: unknown): DatabaseConnectionError {
  return new DatabaseConnectionError(`database connection lost (${databaseEndpoint(databaseUrl)})`, { cause: err });
}

export interface Loaded {
  config: Config;
  log: Logger;
}

/** Config and logger; the config's dates are checked against today here, where the clock is known. */
export function loadConfigAndLogger(): Loaded {
  const config = loadConfig();
  checkStartDates(config, zonedDate(new Date(), config.exchange.timezone));
  return { config, log: createLogger({ level: config.env.logLevel }) };
}

export interface OpenContextOptions {
  maxConnections?: number;
  loaded?: Loaded;
  /** What this process is ('daemon', 'db start'...), in its sessions' application_name on the embedded server. */
  label?: string;
  /** The daemon: an embedded server that dies is started again. */
  restartOnLoss?: boolean;
  /** The embedded server also listens on 127.0.0.1 at this port (`run --db-port`). */
  tcpPort?: number | undefined;
  signal?: AbortSignal;
  /** No query builder on the handle (OpenDbOptions.sessionsOnly); only withSessionContext asks for this. */
  sessionsOnly?: boolean;
  /** `db upgrade` alone opens the embedded server beside a PGlite database (every other command refuses). */
  besidePglite?: boolean;
}

/**
 * Opens the database and brings its schema up to date, so every command works on a fresh install.
 * `loaded`: config and logger already loaded by the caller (the daemon logs before the database opens).
 */
export async function openContext(options: OpenContextOptions = {}): Promise<Context> {
  const { loaded, label = 'command', signal, maxConnections, sessionsOnly, tcpPort, restartOnLoss = false } = options;
  const { config, log } = loaded ?? loadConfigAndLogger();
  if (!config.env.databaseUrl && !options.besidePglite) refusePgliteDataDir(config.env.dataDir);
  // The embedded database is about to live in the data dir: made 0700 when new, checked otherwise.
  secureDataDir(config.env.dataDir, log, { create: !config.env.databaseUrl });
  const dbOptions = { log, label, signal, tcpPort, restartOnLoss, ...(maxConnections ? { maxConnections } : {}), ...(sessionsOnly ? { sessionsOnly } : {}) };
  const url = config.env.databaseUrl;
  // Opening and migrating is the first time a command talks to Postgres: a failure to get in is told
  // with the address and what to fix, not as pg's bare "connect ECONNREFUSED".
  const asConnectError = (err: unknown) => (url && isConnectFailure(err) ? cannotConnect(url, err) : err);
  const target: DbTarget = url ? { kind: 'postgres', url } : { kind: 'embedded', dataDir: config.env.dataDir };
  const handle = await openDb(target, dbOptions).catch((err: unknown) => {
    throw asConnectError(err);
  });
  try {
    const migrated = await migrate(handle);
    if (migrated.applied.length) log.info({ applied: migrated.applied, db: handle.kind }, 'migrations applied');
    return { config, log, handle, migrated };
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw asConnectError(err);
  }
}

export async function withContext<T>(fn: (ctx: Context) => Promise<T>, options?: { maxConnections?: number }): Promise<T> {
  return withOpenContext(fn, options);
}

/**
 * withContext for a command that needs only raw sessions (migrations and user SQL: `sql`): Kysely is
 * not loaded, which is a fifth of such a command's start-up through a daemon.
 */
export async function withSessionContext<T>(fn: (ctx: SessionContext) => Promise<T>, options?: { maxConnections?: number }): Promise<T> {
  return withOpenContext(fn, { ...options, sessionsOnly: true });
}

async function withOpenContext<T>(fn: (ctx: Context) => Promise<T>, options?: OpenContextOptions): Promise<T> {
  const ctx = await openContext(options);
  const url = ctx.config.env.databaseUrl;
  try {
    return await fn(ctx);
  } catch (err) {
    throw url && isConnectionError(err) ? connectionLost(url, err) : err;
  } finally {
    await ctx.handle.close().catch(() => undefined);
  }
}
