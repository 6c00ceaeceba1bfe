// One PostgreSQL server for the whole test run: the bundled one (started here, in a temporary data
// dir, with a loopback TCP port for the suites that cut connections through a relay), or the server
// TEST_DATABASE_URL names (CI sets it, so PostgreSQL 15 is covered beside the bundled 18). Test files
// get fresh databases cloned from one migrated template (tests/helpers/db.ts).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { newEmbeddedClient, openDb, type DbHandle } from '../src/db/connect.js';
import { runningServer, stopIfUnused, tcpUrlOf } from '../src/db/embedded-server.js';
import { migrate } from '../src/db/migrate.js';
import { isProcessAlive } from '../src/db/runs.js';
import { adminQuery, databaseUrl, type TestServer } from './helpers/test-server.js';

const DIR_PREFIX = 'bubblewatch-test-server-';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await reapAbandoned();
  let server: DbHandle | null = null;
  let dataDir: string | null = null;
  let baseUrl = process.env.TEST_DATABASE_URL ?? '';
  if (!baseUrl) {
    dataDir = mkdtempSync(join(tmpdir(), DIR_PREFIX));
    writeFileSync(join(dataDir, 'test-run.pid'), String(process.pid));
    server = await openDb({ kind: 'embedded', dataDir }, { tcpPort: 0, label: 'test run', maxConnections: 1 });
    baseUrl = tcpUrlOf(dataDir, runningServer(dataDir)!.tcp!);
  }
  const runId = `bwt_${process.pid}`;
  const testServer: TestServer = { baseUrl, template: `${runId}_template`, runId, bundled: server !== null };
  await dropRunDatabases(baseUrl, (name) => name.startsWith(`${runId}_`));
  await adminQuery(baseUrl, `create database ${testServer.template}`);
  const template = await openDb({ kind: 'postgres', url: databaseUrl(testServer, testServer.template) }, { maxConnections: 1 });
  await migrate(template).finally(() => template.close());
  project.provide('testServer', testServer);
  return async () => {
    await dropRunDatabases(baseUrl, (name) => name.startsWith(`${runId}_`)).catch(() => undefined);
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
}

/** Drops this run's databases, and those of runs whose process is gone (a run killed mid-way). */
async function dropRunDatabases(url: string, ours: (name: string) => boolean): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(`select datname from pg_database where datname like 'bwt\\_%'`);
    for (const { datname } of rows) {
      const pid = Number(/^bwt_(\d+)_/.exec(datname)?.[1]);
      if (ours(datname) || (pid && !isProcessAlive(pid))) await client.query(`drop database if exists "${datname}" with (force)`);
    }
  } finally {
    await client.end();
  }
}

/** Bundled servers of earlier runs that were killed: stopped (as the last user) and removed. */
async function reapAbandoned(): Promise<void> {
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith(DIR_PREFIX))) {
    const dir = join(tmpdir(), name);
    let owner = 0;
    try {
      owner = Number(readFileSync(join(dir, 'test-run.pid'), 'utf8'));
    } catch {
      // no pid file yet: another run is starting there
      continue;
    }
    if (isProcessAlive(owner)) continue;
    await stopIfUnused(dir, await newEmbeddedClient()).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
