import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/connect.js';
import { migrate, readMigrations } from '../../src/db/migrate.js';
import { createScratchDatabase, createTestDb, type TestDb } from '../helpers/db.js';

describe('migrations', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb({ migrate: false });
  });
  afterAll(() => db?.drop());

  it('applies every file once, records it, and is a no-op the second time', async () => {
    const all = readMigrations().map((m) => m.id);
    expect(await migrate(db)).toEqual({ applied: all, alreadyApplied: 0 });
    expect(await migrate(db)).toEqual({ applied: [], alreadyApplied: all.length });
    const recorded = await db.db.selectFrom('schema_migrations').select('id').orderBy('id').execute();
    expect(recorded.map((r) => r.id)).toEqual(all);
  });

  it('refuses to run when an applied migration was edited', async () => {
    const edited = readMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'edited' } : m));
    await expect(migrate(db, edited)).rejects.toThrow(/0001_init was edited after it was applied/);
  });

  it('rolls back a failing migration completely', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-mig-'));
    try {
      for (const m of readMigrations()) writeFileSync(join(dir, `${m.id}.sql`), m.sql);
      writeFileSync(join(dir, '9999_broken.sql'), 'create table half_done (id int);\nselect no_such_function();');
      await expect(migrate(db, readMigrations(dir))).rejects.toThrow(/9999_broken failed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const tables = await db.withSession((s) => s.query(`select to_regclass('half_done') as t`));
    expect(tables.rows[0]!.t).toBeNull();
  });
});

describe('concurrent migrations', () => {
  it('two processes migrating at once both succeed and apply each file once', async () => {
    const scratch = await createScratchDatabase();
    const [a, b] = await Promise.all([openDb({ kind: 'postgres', url: scratch.url }), openDb({ kind: 'postgres', url: scratch.url })]);
    try {
      const results = await Promise.all([migrate(a), migrate(b)]);
      const total = readMigrations().length;
      expect(results.map((r) => r.applied.length).sort()).toEqual([0, total]);
      const { rows } = await a.withSession((s) => s.query('select count(*)::int as n from schema_migrations'));
      expect(rows[0]!.n).toBe(total);
    } finally {
      await a.close();
      await b.close();
      await scratch.drop();
    }
  });
});
