// Throwaway databases for the benchmark: the embedded server of a new data dir under the OS temp dir
// (what a user gets without DATABASE_URL: initdb on first use, the server stopped when the last
// process lets go of it), or a scratch schema in the DATABASE_URL database (reached through
// search_path, dropped afterwards). Every section starts from a fresh, migrated one, so no section's
// leftovers (dead tuples, caches) colour another's figures.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { newEmbeddedClient, openDb, type DbHandle } from '../db/connect.js';
import { stopIfUnused } from '../db/embedded-server.js';
import { migrate } from '../db/migrate.js';

export type TargetName = 'embedded' | 'postgres';
export const TARGETS: readonly TargetName[] = ['embedded', 'postgres'];

export interface Scratch {
  target: TargetName;
  /** Open (and migrated unless asked otherwise); closed by close() or drop(). */
  handle: DbHandle;
  /**
   * DATABASE_URL for child processes (Postgres, schema pinned); null on the embedded target, where
   * a child finds the server through BUBBLEWATCH_DATA_DIR as a user's command does.
   */
  url: string | null;
  /** BUBBLEWATCH_DATA_DIR for child processes; on the embedded target the database lives under it. */
  dataDir: string;
  /**
   * Closes the handle. On the embedded target this lets go of the server, which stops unless a child
   * process still uses it: the daemon section closes first so the server's processes are the daemon's.
   */
  close(): Promise<void>;
  /** Closes and deletes everything. */
  drop(): Promise<void>;
}

/** A URL whose sessions see only the given schema. */
export function urlWithSchema(baseUrl: string, schema: string): string {
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

export async function createScratch(target: TargetName, baseUrl: string | null, options: { migrated?: boolean } = {}): Promise<Scratch> {
  const dataDir = mkdtempSync(join(tmpdir(), `bubblewatch-bench-${target}-`));
  let url: string | null = null;
  let dropSchema = async () => {};
  if (target === 'postgres') {
    if (!baseUrl) throw new Error('the postgres target needs DATABASE_URL');
    const schema = `bench_${randomBytes(5).toString('hex')}`;
    await adminQuery(baseUrl, `create schema ${schema}`);
    url = urlWithSchema(baseUrl, schema);
    dropSchema = () => adminQuery(baseUrl, `drop schema if exists ${schema} cascade`);
  }
  let handle: DbHandle;
  try {
    handle = await openDb(url ? { kind: 'postgres', url } : { kind: 'embedded', dataDir }, { maxConnections: 4, label: 'bench' });
  } catch (err) {
    await dropSchema();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  let closed = false;
  const scratch: Scratch = {
    target,
    handle,
    url,
    dataDir,
    async close() {
      if (!closed) await handle.close();
      closed = true;
    },
    async drop() {
      await scratch.close();
      if (target === 'embedded') await stopLeftoverServer(dataDir);
      await dropSchema();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  if (options.migrated !== false) {
    try {
      await migrate(handle);
    } catch (err) {
      await scratch.drop();
      throw err;
    }
  }
  return scratch;
}

/**
 * A server no process holds any more (a daemon the bench killed after a failure) is adopted and
 * stopped, as the next command would: its data dir is about to be deleted, and nothing may outlive it.
 */
export async function stopLeftoverServer(dataDir: string): Promise<void> {
  await stopIfUnused(dataDir, await newEmbeddedClient());
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** server_version of the target, for the machine section. */
export async function serverVersion(handle: DbHandle): Promise<string> {
  const r = await handle.withSession((s) => s.query('select version() as v'));
  return String(r.rows[0]?.v ?? '?');
}
