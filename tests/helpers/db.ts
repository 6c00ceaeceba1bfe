// Databases for tests, on the run's one PostgreSQL server (tests/global-setup.ts: the bundled server,
// or TEST_DATABASE_URL's). Each is a database of its own, cloned from the migrated template (or
// empty), dropped afterwards.
import { randomBytes } from 'node:crypto';
import { openDb, type DbHandle, type OpenDbOptions } from '../../src/db/connect.js';
import { adminQuery, databaseUrl, testServer } from './test-server.js';

export interface TestDb extends DbHandle {
  /** A DATABASE_URL for child processes (CLI tests) that reaches the same data. */
  url: string;
  drop(): Promise<void>;
}

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

const admin = (statement: string) => adminQuery(testServer().baseUrl, statement);

/**
 * A new database on the test server: empty (as a new install finds it; the CLI migrates it) unless
 * `migrated`, then a clone of the run's migrated template.
 */
export async function createScratchDatabase(options: { migrated?: boolean } = {}): Promise<ScratchDatabase> {
  const server = testServer();
  const name = `${server.runId}_${randomBytes(5).toString('hex')}`;
  await admin(`create database ${name} template ${options.migrated ? server.template : 'template0'}`);
  return {
    url: databaseUrl(server, name),
    drop: () => admin(`drop database if exists ${name} with (force)`),
  };
}

/** A fresh database, migrated unless `migrate: false`, opened. */
export async function createTestDb(options: { migrate?: boolean } & OpenDbOptions = {}): Promise<TestDb> {
  const { migrate = true, ...dbOptions } = options;
  const scratch = await createScratchDatabase({ migrated: migrate });
  const handle = await openDb({ kind: 'postgres', url: scratch.url }, dbOptions);
  return {
    ...handle,
    url: scratch.url,
    async drop() {
      await handle.close();
      await scratch.drop();
    },
  };
}
