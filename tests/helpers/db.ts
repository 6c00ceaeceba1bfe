// Database targets for DB suites: PGlite (in memory) always, real Postgres too when TEST_DATABASE_URL
// is set (CI sets it). Each test database is fresh: a new PGlite instance, or a new schema on Postgres
// reached through search_path, dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDb, type DbHandle, type DbTarget } from '../../src/db/connect.js';
import { migrate } from '../../src/db/migrate.js';

export type TargetName = 'pglite' | 'postgres';

/** The targets to run DB suites on: use with describe.each. */
export function dbTargetNames(): TargetName[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export interface TestDb extends DbHandle {
  /** A DATABASE_URL for child processes (CLI tests) that reaches the same data; null on PGlite. */
  url: string | null;
  drop(): Promise<void>;
}

/** A URL whose connections see only the given schema (tables are created there by migrations). */
export function urlWithSchema(baseUrl: string, schema: string): string {
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

export async function createScratchSchema(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  return {
    url: urlWithSchema(base, schema),
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}

/** A fresh, migrated database on the target. */
export async function createTestDb(name: TargetName, options: { migrate?: boolean } = {}): Promise<TestDb> {
  let target: DbTarget;
  let url: string | null = null;
  let dropSchema = async () => {};
  if (name === 'postgres') {
    const scratch = await createScratchSchema();
    url = scratch.url;
    dropSchema = scratch.drop;
    target = { kind: 'postgres', url };
  } else {
    target = { kind: 'pglite', dataDir: null };
  }
  const handle = await openDb(target);
  if (options.migrate !== false) await migrate(handle);
  return {
    ...handle,
    url,
    async drop() {
      await handle.close();
      await dropSchema();
    },
  };
}
