// Throwaway databases for the benchmark: a PGlite data dir under the OS temp dir, or a scratch schema in
// the DATABASE_URL database (reached through search_path, dropped afterwards). Every section starts
// from a fresh, migrated one, so no section's leftovers (dead tuples, caches) colour another's figures.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDb, type DbHandle } from '../db/connect.js';
import { migrate } from '../db/migrate.js';

export type TargetName = 'pglite' | 'postgres';

export interface Scratch {
  target: TargetName;
  /** Open and migrated; closed by close() or drop(). */
  handle: DbHandle;
  /** DATABASE_URL for child processes (Postgres, schema pinned); null on PGlite. */
  url: string | null;
  /** BUBBLEWATCH_DATA_DIR for child processes; on PGlite the database lives under it. */
  dataDir: string;
  /** Closes the handle (a child process can then open the PGlite files). */
  close(): Promise<void>;
  /** Opens the handle again after close(). */
  reopen(): Promise<DbHandle>;
  /** Closes and deletes everything. */
  drop(): Promise<void>;
}

/** A URL whose sessions see only the given schema. */
export function urlWithSchema(baseUrl: string, schema: string): string {
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

export async function createScratch(target: TargetName, baseUrl: string | null): Promise<Scratch> {
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
  const open = async () =>
    openDb(url ? { kind: 'postgres', url } : { kind: 'pglite', dataDir }, { maxConnections: 4 });
  let handle = await open();
  let closed = false;
  try {
    await migrate(handle);
  } catch (err) {
    await handle.close();
    await dropSchema();
    throw err;
  }
  const scratch: Scratch = {
    target,
    handle,
    url,
    dataDir,
    async close() {
      if (!closed) await handle.close();
      closed = true;
    },
    async reopen() {
      if (!closed) return handle;
      handle = await open();
      scratch.handle = handle;
      closed = false;
      return handle;
    },
    async drop() {
      await scratch.close();
      await dropSchema();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return scratch;
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
