// Applies sql/migrations/NNNN_name.sql in order, each file in its own transaction, recorded in
// schema_migrations with a checksum. A session-level advisory lock serialises concurrent migrators
// (two daemons starting at once): the second waits, then finds nothing left to do.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import type { RawSession, SessionHandle } from './connect.js';
import type { Database } from './schema.js';

/** Shipped with the package: src/db and dist/db are both two levels below the project root. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../sql/migrations/', import.meta.url));

// Any constant works; 0x62756262 is "bubb" in ASCII, recognisable in pg_locks.
const MIGRATION_LOCK_KEY = 0x6275_6262; // int4 for the two-key form
const FILE_NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;

export interface Migration {
  id: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  const bad = files.filter((f) => !FILE_NAME.test(f));
  if (bad.length) throw new MigrationError(`migration files must be named NNNN_name.sql: ${bad.join(', ')}`);
  return files.map((file) => {
    const sql = readFileSync(`${dir}/${file}`, 'utf8');
    return { id: file.replace(/\.sql$/, ''), sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

export async function migrate(handle: SessionHandle, migrations: Migration[] = readMigrations()): Promise<MigrateResult> {
  return handle.withSession(async (session) => {
    // Keyed by schema too: installs in different schemas of one database don't wait for each other.
    const lock = 'select %s($1, hashtext(current_schema()))';
    await session.query(lock.replace('%s', 'pg_advisory_lock'), [MIGRATION_LOCK_KEY]);
    try {
      return await applyPending(session, migrations);
    } finally {
      await session.query(lock.replace('%s', 'pg_advisory_unlock'), [MIGRATION_LOCK_KEY]);
    }
  });
}

/**
 * The newest migration applied (e.g. '0004_ingest_runs_rows'), or null when none is: what `status` shows as the
 * database's schema. Ids start with a zero-padded number, so the newest is the greatest.
 */
export async function schemaVersion(db: Kysely<Database>): Promise<string | null> {
  const row = await db.selectFrom('schema_migrations').select('id').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row?.id ?? null;
}

async function applyPending(session: RawSession, migrations: Migration[]): Promise<MigrateResult> {
  await session.exec(`create table if not exists schema_migrations (
    id         text primary key,
    checksum   text not null,
    applied_at timestamptz not null default now()
  )`);
  const { rows } = await session.query('select id, checksum from schema_migrations');
  const done = new Map(rows.map((r) => [String(r.id), String(r.checksum)]));

  // Migrations are append-only: an applied file that changed means this database and this code
  // disagree about the schema, and guessing would be worse than stopping.
  for (const m of migrations) {
    const recorded = done.get(m.id);
    if (recorded && recorded !== m.checksum) {
      throw new MigrationError(`migration ${m.id} was edited after it was applied; add a new migration instead`);
    }
  }
  const known = new Set(migrations.map((m) => m.id));
  const unknown = [...done.keys()].filter((id) => !known.has(id));
  if (unknown.length) {
    throw new MigrationError(`the database has migrations this version does not know (${unknown.join(', ')}): upgrade bubblewatch`);
  }

  const applied: string[] = [];
  for (const m of migrations) {
    if (done.has(m.id)) continue;
    await session.exec('begin');
    try {
      await session.exec(m.sql);
      await session.query('insert into schema_migrations (id, checksum) values ($1, $2)', [m.id, m.checksum]);
      await session.exec('commit');
    } catch (err) {
      await session.exec('rollback');
      throw new MigrationError(`migration ${m.id} failed: ${(err as Error).message}`, { cause: err });
    }
    applied.push(m.id);
  }
  return { applied, alreadyApplied: migrations.length - applied.length };
}
