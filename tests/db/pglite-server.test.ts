// The embedded database served over a real Unix socket (src/db/pglite-server.ts) to real pg clients,
// next to the serving process's own Kysely handle on the same PGlite session: transactions take
// turns and never interleave, a client that leaves mid-transaction is rolled back (its settings
// reset), and one that idles inside a transaction is cut off so it can't stall the daemon's jobs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { openDb, type DbHandle } from '../../src/db/connect.js';
import { startPgliteServer, type PgliteServer } from '../../src/db/pglite-server.js';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });

let dir: string;
let handle: DbHandle;
let server: PgliteServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bw-pglite-server-'));
  handle = await openDb({ kind: 'pglite', dataDir: null });
  server = await startPgliteServer({ pglite: handle.pglite!, gate: handle.gate!, listen: { path: join(dir, '.s.PGSQL.5432') }, idleInTransactionMs: 300 });
  await sql`create table t (n int)`.execute(handle.db);
});

afterAll(async () => {
  await server?.close();
  await handle?.close();
  rmSync(dir, { recursive: true, force: true });
});

const client = async () => {
  const c = new pg.Client({ host: dir, port: 5432, user: 'postgres', database: 'postgres' });
  c.on('error', () => undefined); // the idle cut-off ends it from the server side
  await c.connect();
  return c;
};
const rows = async () => (await sql<{ n: number }>`select n from t order by n`.execute(handle.db)).rows.map((r) => r.n);

it("keeps a client's transaction whole: another client and the server's own Kysely wait for it", async () => {
  await sql`truncate t`.execute(handle.db);
  const a = await client();
  const b = await client();
  try {
    await a.query('begin');
    await a.query('insert into t values (1)');
    const done: string[] = [];
    const byB = b.query('insert into t values (2)').then(() => done.push('b'));
    const byDaemon = sql`insert into t values (3)`.execute(handle.db).then(() => done.push('daemon'));
    await new Promise((r) => setTimeout(r, 100));
    expect(done).toEqual([]); // neither ran inside a's transaction
    await a.query('rollback');
    await Promise.all([byB, byDaemon]);
    expect(await rows()).toEqual([2, 3]); // a's row rolled back alone
  } finally {
    await a.end();
    await b.end();
  }
});

it("keeps the server's transaction whole: a client waits for its commit", async () => {
  await sql`truncate t`.execute(handle.db);
  const a = await client();
  try {
    let seen: number[] | null = null;
    await handle.db.transaction().execute(async (trx) => {
      await sql`insert into t values (10)`.execute(trx);
      const read = a.query('select count(*)::int as n from t').then((r) => (seen = [r.rows[0].n]));
      await new Promise((r) => setTimeout(r, 100));
      expect(seen).toBeNull();
      await sql`insert into t values (11)`.execute(trx);
      void read;
    });
    await vi.waitFor(() => expect(seen).toEqual([2]));
  } finally {
    await a.end();
  }
});

it('rolls back what a client left open, and resets its settings', async () => {
  await sql`truncate t`.execute(handle.db);
  const a = await client();
  await a.query("set application_name = 'leaver'");
  await a.query('begin');
  await a.query('insert into t values (5)');
  a.end().catch(() => undefined); // gone mid-transaction
  await vi.waitFor(async () => expect(server.clients()).toBe(0));
  expect(await rows()).toEqual([]);
  const { rows: setting } = await sql<{ name: string }>`select current_setting('application_name') as name`.execute(handle.db);
  expect(setting[0]!.name).not.toBe('leaver');
});

it('cuts off a client idle inside a transaction, so the server goes on', async () => {
  const a = await client();
  await a.query('begin');
  await a.query('insert into t values (7)');
  // Kysely waits for the turn until the idle cut-off (300 ms here) rolls a back.
  await sql`insert into t values (8)`.execute(handle.db);
  expect(await rows()).toEqual([8]);
  await expect(a.query('select 1')).rejects.toThrow();
});

it('answers a failed extended-protocol statement as Postgres does, so the next one on the connection is not thrown off', async () => {
  // PGlite sends ReadyForQuery right after an error in Parse/Bind/Execute and again on the Sync; pg
  // then reads the second one as a stray answer to its next query ("Received unexpected
  // commandComplete message from backend") and drops the connection.
  const c = await client();
  const errors: Error[] = [];
  c.removeAllListeners('error');
  c.on('error', (err) => errors.push(err));
  try {
    // As `bubblewatch sql` runs a statement: extended protocol inside a transaction, then at once a
    // rollback (queued here, so pg sends it the moment it reads the failed statement's end).
    await c.query('begin');
    const failed = c.query('select nosuch + $1', [1]);
    const rolledBack = c.query('rollback');
    await expect(failed).rejects.toThrow(/column "nosuch" does not exist/);
    await rolledBack;
    await expect(c.query('select $1::int / 0 as n', [1])).rejects.toThrow(/division by zero/);
    await c.query('begin');
    await expect(c.query('select $1::int / 0', [1])).rejects.toThrow(/division by zero/);
    await expect(c.query('select 1')).rejects.toThrow(/current transaction is aborted/);
    await c.query('rollback');
    expect((await c.query('select $1::int + 1 as n', [41])).rows).toEqual([{ n: 42 }]);
    expect((await c.query('select 2 as n')).rows).toEqual([{ n: 2 }]);
    expect(errors).toEqual([]);
  } finally {
    await c.end();
  }
});

it("refuses LISTEN, UNLISTEN and DISCARD, which would undo the daemon's own listening on the shared session", async () => {
  const heard: string[] = [];
  const stop = await handle.pglite!.listen('daemon_side', (payload) => heard.push(payload));
  const a = await client();
  try {
    for (const statement of ['UNLISTEN *', 'unlisten daemon_side', 'DISCARD ALL', 'listen mine', 'select 1; unlisten *']) {
      await expect(a.query(statement), statement).rejects.toThrow(/LISTEN, UNLISTEN and DISCARD are not supported/);
    }
    // The daemon's listener still hears what a client's statement raises.
    await a.query("select pg_notify('daemon_side', 'still listening')");
    await vi.waitFor(() => expect(heard).toEqual(['still listening']));
    // Text that only mentions them is not refused.
    expect((await a.query("select 'unlisten *' as s")).rows).toEqual([{ s: 'unlisten *' }]);
  } finally {
    await a.end();
    await stop();
  }
});

it("refuses COPY FROM STDIN (psql's \\copy), which would make PGlite exit, and stays up", async () => {
  await sql`truncate t`.execute(handle.db);
  const a = await client();
  try {
    await expect(a.query('COPY t FROM STDIN csv')).rejects.toThrow(/COPY FROM STDIN is not supported/);
    // Inside a transaction it aborts it, as any failed statement does on Postgres.
    await a.query('begin');
    await a.query('insert into t values (1)');
    await expect(a.query('copy t (n) from stdin')).rejects.toThrow(/not supported/);
    await expect(a.query('select 1')).rejects.toThrow(/current transaction is aborted/);
    await a.query('rollback');
    expect((await a.query('select count(*)::int as n from t')).rows).toEqual([{ n: 0 }]);
    // Stray copy data from a client that tries anyway is ignored, not handed to PGlite.
    const copyData = Buffer.from([0x64, 0, 0, 0, 8, 0x31, 0x0a, 0x32, 0x0a]);
    (a as unknown as { connection: { stream: { write(b: Buffer): void } } }).connection.stream.write(copyData);
    expect((await a.query('select 41 + 1 as n')).rows).toEqual([{ n: 42 }]);
    // Text that only mentions it elsewhere is not refused.
    expect((await a.query("select 'copy from stdin' as s")).rows).toEqual([{ s: 'copy from stdin' }]);
  } finally {
    await a.end();
  }
  expect(await rows()).toEqual([]);
});
