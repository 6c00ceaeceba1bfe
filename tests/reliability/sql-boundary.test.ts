// `bubblewatch sql` without --write is a boundary on a superuser connection (the embedded server's
// and the test server's are both superusers): the statements a tester ran through it as superuser,
// which all exited 0 and took effect, must now fail with exit 2 and leave no file, no killed backend
// and no held lock. The statement runs in a read-only transaction as bubblewatch_reader (migration
// 0005), which may SELECT the project's tables and views and nothing else, and cannot switch back to
// the session's superuser.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDb } from '../../src/db/connect.js';
import { migrate } from '../../src/db/migrate.js';
import { ReadBoundaryError, readBoundary, runUserSql, UserSqlError } from '../../src/db/user-sql.js';
import { PROJECT_ROOT, runCli } from '../helpers/cli.js';
import { createScratchDatabase, createTestDb, type TestDb } from '../helpers/db.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

/** The ingest lock's key (src/db/ingest-lock.ts): a reader holding it would stall every sync. */
const INGEST_LOCK = `x'62777379'::int, hashtext(current_schema())`;

/** victimPid: another backend's pid, which the attack tries to kill. */
function attacks(tmp: string, victimPid: string): [string, string][] {
  const terminate = `select pg_terminate_backend(pid) from pg_stat_activity where pid = ${victimPid}`;
  return [
    ['COPY TO PROGRAM', `copy (select 1) to program 'id > ${tmp}/program-ran'`],
    ['COPY TO a server file', `copy daily_bars to '${tmp}/bars.csv'`],
    ['pg_read_file', `select pg_read_file('/etc/hostname')`],
    ['pg_terminate_backend', terminate],
    ['pg_reload_conf', 'select pg_reload_conf()'],
    ['pg_advisory_lock + pg_sleep (the ingest lock key)', `select pg_advisory_lock(${INGEST_LOCK}), pg_sleep(25)`],
    ['pg_advisory_lock(bigint)', 'select pg_advisory_lock(42)'],
    ['back to the superuser via set_config', `select set_config('role', session_user, true), pg_read_file('/etc/hostname')`],
    ['back to the superuser via a DO block', `do $$ begin set role postgres; perform pg_reload_conf(); end $$`],
  ];
}

describe('sql without --write is a boundary (superuser connection)', () => {
  let db: TestDb;
  let tmp: string;
  /** Another session the attacks try to kill. */
  let victim: pg.Client | undefined;
  let victimPid: string;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'bw-boundary-'));
    db = await createTestDb();
    victim = new pg.Client({ connectionString: db.url, application_name: 'bw-victim' });
    await victim.connect();
    victimPid = String((await victim.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid);
  });
  afterAll(async () => {
    await victim?.end();
    await db?.drop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const names = attacks('', '0').map(([name], i) => [name, i] as const);
  it.each(names)('%s: refused (permission denied), no effect', async (_name, i) => {
    const [, text] = attacks(tmp, victimPid)[i]!;
    const err = await runUserSql(db, text).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(UserSqlError);
    expect((err as UserSqlError).sqlState).toBe('42501');
    expect(existsSync(join(tmp, 'program-ran'))).toBe(false);
    expect(existsSync(join(tmp, 'bars.csv'))).toBe(false);
    expect((await victim!.query('select 1 as ok')).rows).toEqual([{ ok: 1 }]);
    // No advisory lock held anywhere by the attack: the ingest lock's key is free.
    const free = await runUserSql(db, `select pg_try_advisory_lock(${INGEST_LOCK}) as got, pg_advisory_unlock(${INGEST_LOCK}) as released`, { write: true });
    expect(free.rows).toEqual([{ got: true, released: true }]);
  });

  it("reads the project's tables and views, as bubblewatch_reader", async () => {
    const r = await runUserSql(db, 'select current_user as who, (select count(*) from v_latest) as latest, (select count(*) from schema_migrations) > 0 as migrated');
    expect(r.rows).toEqual([{ who: 'bubblewatch_reader', latest: 0, migrated: true }]);
    // With --write the statement runs with the connection's own rights.
    expect((await runUserSql(db, 'select current_user = session_user as own', { write: true })).rows).toEqual([{ own: true }]);
  });

  it('cancels a statement that outruns the timeout', async () => {
    const err = await runUserSql(db, 'select pg_sleep(30)', { statementTimeoutMs: 200 }).then(() => null, (e: unknown) => e);
    expect((err as UserSqlError).sqlState).toBe('57014');
  });

  it('through the CLI: every attack exits 2 with the reason, nothing changed', async () => {
    const dir = mkdtempSync(join(tmp, 'cli-'));
    const env: NodeJS.ProcessEnv = { DATABASE_URL: db.url, BUBBLEWATCH_CONFIG: join(PROJECT_ROOT, 'config/bubblewatch.json'), BUBBLEWATCH_DATA_DIR: join(dir, 'data') };
    for (const [name, text] of attacks(tmp, victimPid)) {
      const r = await runCli(['sql', text], { env });
      expect(r.code, `${name}: ${r.stderr}`).toBe(2);
      expect(r.stderr, name).toMatch(/permission denied|must be (a )?superuser/);
      expect(r.stderr, name).toContain('without --write, SQL may only read');
    }
    expect(existsSync(join(tmp, 'program-ran'))).toBe(false);
    expect(existsSync(join(tmp, 'bars.csv'))).toBe(false);
    expect((await victim!.query('select 1 as ok')).rows).toEqual([{ ok: 1 }]);
  });
});

describe('a superuser connection whose reader role is not sealed: refused', () => {
  it('a database where set_config was granted back to PUBLIC: refuses before running, and says why', async () => {
    // Function privileges belong to one database: the grant leaves the other test databases sealed.
    const db = await createTestDb();
    try {
      await db.withSession((s) => s.exec('grant execute on function pg_catalog.set_config(text,text,boolean) to public'));
      const err = await runUserSql(db, 'select 1').then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(ReadBoundaryError);
      expect((err as Error).message).toMatch(/^refusing to run this statement without --write: DATABASE_URL connects as a superuser, and the read-only role bubblewatch_reader can still run set_config\(\)/);
      // --write is the explicit way to run with full rights.
      expect((await runUserSql(db, 'select 1 as n', { write: true })).rows).toEqual([{ n: 1 }]);
    } finally {
      await db.drop();
    }
  });

  it('readBoundary: the rule', () => {
    const sealed = { superuser: true, readerExists: true, takeError: null, leaks: [] };
    expect(readBoundary(sealed)).toEqual({ runAs: 'reader' });
    expect(readBoundary({ ...sealed, readerExists: false }).runAs).toBe('refuse');
    expect(readBoundary({ ...sealed, takeError: 'permission denied to set role' }).runAs).toBe('refuse');
    expect(readBoundary({ ...sealed, leaks: ['advisory locks'] }).runAs).toBe('refuse');
    // A non-superuser: the reader when it can be taken, else its own (never a superuser's) rights.
    expect(readBoundary({ ...sealed, superuser: false, leaks: ['set_config()'] })).toEqual({ runAs: 'reader' });
    expect(readBoundary({ ...sealed, superuser: false, readerExists: false })).toEqual({ runAs: 'self' });
    expect(readBoundary({ ...sealed, superuser: false, takeError: 'permission denied to set role' })).toEqual({ runAs: 'self' });
  });
});

describe('migration 0005 when several databases migrate at once (roles are cluster-wide)', () => {
  it('four empty databases migrating concurrently all succeed and all get the reader', async () => {
    const scratches = await Promise.all([0, 1, 2, 3].map(() => createScratchDatabase()));
    try {
      const handles = await Promise.all(scratches.map((s) => openDb({ kind: 'postgres', url: s.url })));
      try {
        await Promise.all(handles.map((h) => migrate(h)));
        for (const h of handles) {
          expect((await runUserSql(h, 'select current_user as who, count(*)::int as n from daily_bars')).rows).toEqual([{ who: 'bubblewatch_reader', n: 0 }]);
        }
      } finally {
        await Promise.all(handles.map((h) => h.close()));
      }
    } finally {
      await Promise.all(scratches.map((s) => s.drop()));
    }
  });
});
