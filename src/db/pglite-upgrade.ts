// `bubblewatch db upgrade`: a data dir of the PGlite release into the embedded PostgreSQL server.
// PGlite's files (PostgreSQL 17 built for WebAssembly) cannot be opened by PostgreSQL 18, so every
// table is copied row for row: PGlite brings its schema up to the same migrations, each table goes out
// with COPY TO and in with COPY FROM in one transaction on the new server (triggers off, so the
// drawdown state and its marks arrive as they were), identity counters continue after the copied ids,
// and the row counts of both sides must agree before it commits. The PGlite files are then renamed
// aside, never deleted: the user removes them when satisfied.
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DbHandle, RawSession, SessionHandle } from './connect.js';
import { copyFromStdin } from './copy-from-stdin.js';
import { embeddedPaths } from './embedded-paths.js';
import { migrate, type Migration } from './migrate.js';
import { isProcessAlive } from './runs.js';
import type { Database } from './schema.js';

export interface TableCopy {
  table: string;
  rows: number;
}

export interface UpgradeResult {
  tables: TableCopy[];
  /** Tables found in PGlite that the project's schema does not have (made by hand): not copied. */
  notCopied: string[];
  /** Where the PGlite files are now. */
  keptAt: string;
}

/** Why an upgrade stopped before it changed anything (exit 2 through the CLI). */
export class UpgradeError extends Error {
  override name = 'UpgradeError';
}

/** Tables whose rows are the user's: the new server must have none of them before the copy. */
const USER_DATA = ['daily_bars', 'quotes', 'ingest_runs', 'reports', 'alerts'] as const;

/**
 * Copies the PGlite database of `dataDir` into `target` (the embedded server of the same data dir,
 * migrated and empty), then renames the PGlite files aside. Throws UpgradeError, having copied
 * nothing, when a process of the PGlite release still has the files open, when the target already
 * holds data, or when a count differs (the PGlite files are then at the current migrations, as the
 * new release would have brought them).
 */
export async function upgradeFromPglite(dataDir: string, target: DbHandle, migrations?: Migration[]): Promise<UpgradeResult> {
  const { pgliteDir } = embeddedPaths(dataDir);
  refuseWhileInUse(dataDir);
  await refuseUnlessEmpty(target);
  const { PGlite } = await import('@electric-sql/pglite');
  const pglite = new PGlite(pgliteDir);
  await pglite.waitReady;
  let tables: TableCopy[];
  let notCopied: string[];
  try {
    const source: SessionHandle = {
      kind: 'embedded',
      location: pgliteDir,
      dedicatedClient: () => {
        throw new Error('PGlite has no second connection');
      },
      withSession: (fn) =>
        fn({
          query: async (text, params) => {
            const r = await pglite.query<Record<string, unknown>>(text, params ? [...params] : []);
            return { rows: r.rows, fields: r.fields, affectedRows: r.affectedRows };
          },
          exec: async (script) => void (await pglite.exec(script)),
        }),
      close: async () => undefined,
    };
    // The same schema on both sides, so every column has its counterpart.
    await migrate(source, migrations);
    tables = await target.withSession((session) => copyableTables(session));
    const known = new Set(tables.map((t) => t.table));
    notCopied = (await source.withSession((session) => copyableTables(session))).map((t) => t.table).filter((t) => !known.has(t));
    await target.db.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx);
      await sql.raw(`truncate ${tables.map((t) => quoteIdent(t.table)).join(', ')}`).execute(trx);
      for (const table of tables) {
        const columns = (await columnsOf(trx, table.table)).map(quoteIdent).join(', ');
        const out = await pglite.query(`copy ${quoteIdent(table.table)} (${columns}) to '/dev/blob'`);
        const text = out.blob ? await out.blob.text() : '';
        if (text) await copyFromStdin(trx, `copy ${quoteIdent(table.table)} (${columns}) from stdin`, text);
        const [from, to] = await Promise.all([
          pglite.query<{ n: number }>(`select count(*)::int as n from ${quoteIdent(table.table)}`),
          sql<{ n: number }>`select count(*)::int as n from ${sql.table(table.table)}`.execute(trx),
        ]);
        const want = from.rows[0]!.n;
        const got = to.rows[0]!.n;
        if (want !== got) throw new UpgradeError(`${table.table}: ${want} rows in PGlite, ${got} copied; nothing was copied`);
        table.rows = got;
      }
      await continueIdentities(trx);
    });
  } finally {
    await pglite.close();
  }
  const keptAt = asideName(pgliteDir);
  renameSync(pgliteDir, keptAt);
  // The PGlite release's lock files and its daemon's socket mean nothing now.
  for (const leftover of ['pglite.lock', 'ingest.lock', '.s.PGSQL.5432']) rmSync(join(dataDir, leftover), { force: true });
  return { tables, notCopied, keptAt };
}

/**
 * A daemon or command of the PGlite release still running on this data dir would go on writing to the
 * files being copied (and lose what it writes after). Its lock file names it: that release's format,
 * `{ pid, host, bootId }` (dir-lock.ts there).
 */
function refuseWhileInUse(dataDir: string): void {
  let holder: { pid?: unknown; host?: unknown; bootId?: unknown };
  try {
    holder = JSON.parse(readFileSync(join(dataDir, 'pglite.lock'), 'utf8')) as typeof holder;
  } catch {
    return; // no lock: no process of that release has the files open
  }
  const pid = typeof holder.pid === 'number' ? holder.pid : 0;
  const here = holder.host === hostname();
  // As that release judged its locks: another host's cannot be checked from here, so it holds.
  if (here && (pid <= 0 || !isProcessAlive(pid))) return;
  if (here && typeof holder.bootId === 'string' && holder.bootId !== currentBootId()) return;
  throw new UpgradeError(
    `a bubblewatch of the PGlite release (pid ${pid} on ${String(holder.host)}) still has ${dataDir} open: stop it first, then run db upgrade again ` +
      `(if it is not running, remove ${join(dataDir, 'pglite.lock')})`,
  );
}

function currentBootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return null;
  }
}

async function refuseUnlessEmpty(target: DbHandle): Promise<void> {
  for (const table of USER_DATA) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(target.db);
    if (rows[0]!.n > 0) {
      throw new UpgradeError(
        `the embedded PostgreSQL server of this data dir already holds data (${rows[0]!.n} rows in ${table}): nothing was copied. ` +
          'Upgrade into a fresh data dir: move the pglite folder into an empty BUBBLEWATCH_DATA_DIR and run db upgrade there',
      );
    }
  }
}

/** The schema's tables but the migrations' own record, each with its columns that take values. */
async function copyableTables(session: RawSession): Promise<TableCopy[]> {
  const { rows } = await session.query(
    `select table_name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name <> 'schema_migrations'
      order by table_name`,
  );
  return rows.map((r) => ({ table: String(r.table_name), rows: 0 }));
}

type Db = Kysely<Database> | Transaction<Database>;

/** Columns in table order, without generated ones (COPY cannot write them; they are recomputed). */
async function columnsOf(db: Db, table: string): Promise<string[]> {
  const { rows } = await sql<{ column_name: string }>`
    select column_name from information_schema.columns
     where table_schema = current_schema() and table_name = ${table} and is_generated = 'NEVER'
     order by ordinal_position`.execute(db);
  return rows.map((r) => r.column_name);
}

/** Identity columns continue after the highest copied id (COPY writes ids without advancing them). */
async function continueIdentities(db: Db): Promise<void> {
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
     where table_schema = current_schema() and is_identity = 'YES'`.execute(db);
  for (const { table_name: table, column_name: column } of rows) {
    await sql`select setval(pg_get_serial_sequence(${quoteIdent(table)}, ${column}), coalesce(max(${sql.ref(column)}), 0) + 1, false) from ${sql.table(table)}`.execute(db);
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** pglite -> pglite.before-upgrade (or -2, -3... if that is taken). */
function asideName(dir: string): string {
  for (let n = 1; ; n++) {
    const candidate = `${dir}.before-upgrade${n === 1 ? '' : `-${n}`}`;
    if (!existsSync(candidate)) return candidate;
  }
}
