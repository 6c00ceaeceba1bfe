// A data dir of the PGlite release, upgraded by `bubblewatch db upgrade` into the bundled PostgreSQL
// server with every row kept. The PGlite database is made as that release made it: PGlite 0.4 with
// the project's migrations, filled with the rows a sync, a quote snapshot and a report store (made on
// the test server by the CLI, then copied in), so every table has real content.
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/connect.js';
import { readMigrations } from '../../src/db/migrate.js';
import { lastClosedSession } from '../../src/market/calendar.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { runCli } from '../helpers/cli.js';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/db.js';
import { tempRoot, writeTestConfig } from './daemon-harness.js';

let root: string;
let dataDir: string;
let sim: SimServer;
let source: ScratchDatabase;
let env: NodeJS.ProcessEnv;

/** Every row of a table as text, sorted: equal on both sides when the rows are. */
const fingerprint = (table: string) => `select count(*)::int as n, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as hash from ${table} t`;

async function tablesOf(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ table_name: string }>(
    "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1",
  );
  return rows.map((r) => r.table_name);
}

async function copyOut(client: pg.Client, table: string): Promise<string> {
  const chunks: Buffer[] = [];
  const stream = client.query(copyTo(`copy ${table} to stdout`));
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  root = tempRoot('bw-upgrade-');
  dataDir = join(root, 'data');
  sim = await startSimServer({ now: lastClosedSession(new Date()), seed: 3 });
  const config = writeTestConfig(join(root, 'config'), { history: { start: '2025-01-02', overlapSessions: 5 } });
  source = await createScratchDatabase();
  const sourceEnv = { DATABASE_URL: source.url, BUBBLEWATCH_DATA_DIR: join(root, 'source'), BUBBLEWATCH_CONFIG: config, YAHOO_BASE_URL: sim.url };
  for (const args of [['sync'], ['quotes'], ['report', '--format', 'json']]) {
    const r = await runCli(args, { env: sourceEnv });
    expect(r.code, r.stderr).toBe(0);
  }
  // The PGlite release's database: its migrations, then the rows copied in with triggers off (as stored).
  mkdirSync(dataDir);
  const pglite = new PGlite(join(dataDir, 'pglite'));
  await pglite.exec("create table schema_migrations (id text primary key, checksum text not null, applied_at timestamptz not null default now())");
  for (const m of readMigrations()) {
    await pglite.exec(m.sql);
    await pglite.query('insert into schema_migrations (id, checksum) values ($1, $2)', [m.id, m.checksum]);
  }
  const client = new pg.Client({ connectionString: source.url });
  await client.connect();
  try {
    await pglite.exec('set session_replication_role = replica; truncate reference_episodes');
    for (const table of await tablesOf(client)) {
      if (table === 'schema_migrations') continue;
      const { rows } = await client.query<{ c: string }>(
        `select string_agg(quote_ident(column_name), ', ' order by ordinal_position) as c
           from information_schema.columns where table_schema = 'public' and table_name = $1 and is_generated = 'NEVER'`,
        [table],
      );
      const columns = rows[0]!.c;
      const text = await copyOut(client, `(select ${columns} from ${table})`);
      if (text) await pglite.query(`copy ${table} (${columns}) from '/dev/blob'`, [], { blob: new Blob([text]) });
    }
  } finally {
    await client.end();
    await pglite.close();
  }
  env = { BUBBLEWATCH_DATA_DIR: dataDir, BUBBLEWATCH_CONFIG: config, YAHOO_BASE_URL: sim.url };
}, 120_000);

afterAll(async () => {
  await source?.drop();
  await sim?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('db upgrade', () => {
  it('every other command on a PGlite data dir exits 2 naming db upgrade', async () => {
    for (const args of [['status'], ['sql', 'select 1'], ['db', 'url']]) {
      const r = await runCli(args, { env });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/holds the database of an earlier bubblewatch \(PGlite\).*bubblewatch db upgrade/);
    }
    expect(existsSync(join(dataDir, 'pg'))).toBe(false);
  });

  it('copies every table into the bundled server with every row, keeps the PGlite files aside, and ids continue', async () => {
    // A process of the PGlite release with the files open (its lock names a live pid here): refused.
    writeFileSync(join(dataDir, 'pglite.lock'), JSON.stringify({ pid: process.pid, host: hostname(), command: 'run', since: new Date().toISOString(), role: 'daemon' }));
    const busy = await runCli(['db', 'upgrade'], { env });
    expect(busy.code).toBe(2);
    expect(busy.stderr).toMatch(new RegExp(`of the PGlite release \\(pid ${process.pid} on .*\\) still has .* open: stop it first`));
    expect(existsSync(join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);
    // The lock of a process that is gone (the release's daemon stopped, or killed) is no obstacle.
    writeFileSync(join(dataDir, 'pglite.lock'), JSON.stringify({ pid: 999_999_999, host: hostname(), command: 'run', since: new Date().toISOString() }));

    const upgrade = await runCli(['db', 'upgrade'], { env });
    expect(upgrade.code, upgrade.stderr).toBe(0);
    expect(upgrade.stdout).toMatch(/moved \d+ rows of \d+ tables into the embedded PostgreSQL server/);
    expect(existsSync(join(dataDir, 'pglite.before-upgrade', 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(dataDir, 'pglite'))).toBe(false);

    const before = new pg.Client({ connectionString: source.url });
    await before.connect();
    const after = await openDb({ kind: 'embedded', dataDir }, { maxConnections: 1 });
    try {
      const tables = await tablesOf(before);
      expect(tables.length).toBeGreaterThan(10);
      let rows = 0;
      for (const table of tables.filter((t) => t !== 'schema_migrations')) {
        const want = (await before.query(fingerprint(table))).rows[0];
        const got = await after.withSession((s) => s.query(fingerprint(table)));
        expect(got.rows[0], table).toEqual(want);
        rows += want.n;
      }
      expect(rows).toBeGreaterThan(1000);
      const upgradeSaid = Number(/moved (\d+) rows/.exec(upgrade.stdout)![1]);
      expect(upgradeSaid).toBe(rows);
    } finally {
      await before.end();
      await after.close();
    }

    // The next run's id follows the copied ones (COPY does not advance identity counters by itself).
    const lastRun = JSON.parse((await runCli(['sql', 'select max(id)::int as id from ingest_runs', '--format', 'json'], { env })).stdout)[0].id as number;
    expect((await runCli(['quotes'], { env })).code).toBe(0);
    const runs = JSON.parse((await runCli(['sql', 'select id::int from ingest_runs order by id desc limit 1', '--format', 'json'], { env })).stdout);
    expect(runs[0].id).toBe(lastRun + 1);
  });

  it('a second db upgrade has nothing to do; a PGlite database beside a server with data is refused, nothing moved', async () => {
    const again = await runCli(['db', 'upgrade'], { env });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/nothing to upgrade/);
    // The old files put back beside a server that now holds data: merging two histories is not an upgrade.
    cpSync(join(dataDir, 'pglite.before-upgrade'), join(dataDir, 'pglite'), { recursive: true });
    const refused = await runCli(['db', 'upgrade'], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/already holds data \(\d+ rows in daily_bars\): nothing was copied/);
    expect(existsSync(join(dataDir, 'pglite', 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(dataDir, 'pglite.before-upgrade-2'))).toBe(false);
  });
});
