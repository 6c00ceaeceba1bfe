// What every command that touches the database needs: config, a logger, an open migrated database.
import type { Logger } from 'pino';
import { checkStartDates, loadConfig, type Config } from '../config/load.js';
import { zonedDate } from '../market/zoned-time.js';
import { dbTargetFrom, openDb, type DbHandle } from '../db/connect.js';
import { migrate, type MigrateResult } from '../db/migrate.js';
import { createLogger } from '../log.js';

export interface Context {
  config: Config;
  log: Logger;
  handle: DbHandle;
  migrated: MigrateResult;
}

/** Thrown for bad usage or input the user can fix: printed as one message, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
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

/**
 * Opens the database and brings its schema up to date, so every command works on a fresh install.
 * `loaded`: config and logger already loaded by the caller (the daemon logs before the database opens).
 */
export async function openContext(options: { maxConnections?: number; loaded?: Loaded } = {}): Promise<Context> {
  const { loaded, ...dbOptions } = options;
  const { config, log } = loaded ?? loadConfigAndLogger();
  const handle = await openDb(dbTargetFrom(config.env.databaseUrl, config.env.dataDir), { log, ...dbOptions });
  try {
    const migrated = await migrate(handle);
    if (migrated.applied.length) log.info({ applied: migrated.applied, db: handle.kind }, 'migrations applied');
    return { config, log, handle, migrated };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

export async function withContext<T>(fn: (ctx: Context) => Promise<T>, options?: { maxConnections?: number }): Promise<T> {
  const ctx = await openContext(options);
  try {
    return await fn(ctx);
  } finally {
    await ctx.handle.close();
  }
}
