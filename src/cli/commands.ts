// The commands this version implements on top of the database: migrate, status, sql, import.
import { readFile } from 'node:fs/promises';
import { coverage } from '../db/bars.js';
import { recentRuns } from '../db/runs.js';
import { LockHeldError } from '../db/dir-lock.js';
import { bindNamedParams, NamedParamsError, type BoundQuery } from '../db/named-params.js';
import { pointAt, runUserSql, UserSqlError } from '../db/user-sql.js';
import { importCsvFiles } from '../import/run.js';
import { zonedDate } from '../market/zoned-time.js';
import { withContext, UsageError } from './context.js';
import { formatResult, type OutputFormat } from './result-format.js';

const print = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

export async function migrateCommand(): Promise<void> {
  await withContext(async ({ handle, migrated }) => {
    print(
      migrated.applied.length
        ? `applied ${migrated.applied.join(', ')} on ${handle.kind} (${handle.location})`
        : `schema is up to date on ${handle.kind} (${handle.location}): ${migrated.alreadyApplied} migration(s)`,
    );
  });
}

export async function statusCommand(options: { json?: boolean }): Promise<void> {
  await withContext(async ({ handle }) => {
    const { db } = handle;
    const [symbols, runs, migrations] = await Promise.all([
      coverage(db),
      recentRuns(db, 5),
      db.selectFrom('schema_migrations').select(['id', 'applied_at']).orderBy('id').execute(),
    ]);
    const status = {
      database: { kind: handle.kind, location: handle.location, schema: migrations.at(-1)?.id ?? null },
      symbols,
      recentRuns: runs.map((r) => ({
        id: r.id,
        job: r.job,
        status: r.status,
        startedAt: r.started_at,
        finishedAt: r.finished_at,
        rowsInserted: r.rows_inserted,
        rowsUpdated: r.rows_updated,
        failures: r.failures,
      })),
    };
    if (options.json) return print(JSON.stringify(status, null, 2));
    const lines = [`database: ${handle.kind} (${handle.location}), schema ${status.database.schema}`, '', 'symbol      bars  first       last'];
    for (const s of symbols) {
      lines.push(`${s.symbol.padEnd(8)} ${String(s.bars).padStart(7)}  ${s.firstDate ?? '-'.padEnd(10)}  ${s.lastDate ?? '-'}`);
    }
    lines.push('', 'recent runs:');
    for (const r of status.recentRuns) {
      lines.push(`  #${r.id} ${r.job} ${r.status} ${r.startedAt.toISOString()} +${r.rowsInserted} ~${r.rowsUpdated}`);
    }
    if (runs.length === 0) lines.push('  (none yet)');
    print(lines.join('\n'));
  });
}

export interface SqlOptions {
  file?: string;
  /** --param NAME=VALUE pairs, bound to the query's :NAME placeholders. */
  param?: Record<string, string>;
  format: OutputFormat;
  write?: boolean;
}

export async function sqlCommand(query: string | undefined, options: SqlOptions): Promise<void> {
  if (!!query === !!options.file) throw new UsageError('give either a query or --file FILE');
  const text = options.file ? await readFile(options.file, 'utf8').catch(() => {
    throw new UsageError(`cannot read ${options.file}`);
  }) : query!;
  // Bound before the database is opened: a wrong --param is a usage error that needs no lock.
  let bound: BoundQuery;
  try {
    bound = bindNamedParams(text, options.param ?? {});
  } catch (err) {
    if (err instanceof NamedParamsError) throw new UsageError(err.message);
    throw err;
  }
  await withContext(async ({ handle }) => {
    try {
      const result = await runUserSql(handle, bound.text, { write: options.write, params: bound.values });
      print(formatResult(result, options.format));
    } catch (err) {
      if (!(err instanceof UserSqlError)) throw err;
      if (err.isReadOnlyViolation) {
        throw new UsageError(`${err.message}\nthe session is read-only: nothing was changed (pass --write to change data)`);
      }
      // Rewriting :name to $n changes lengths, so a caret is shown under the text that was sent.
      throw new UsageError(`${err.message}${err.position ? `\n${pointAt(bound.text, err.position)}` : ''}`);
    }
  }, { maxConnections: 1 }).catch((err: unknown) => {
    // `db serve` holds the embedded database for as long as it runs; its psql port is the way in then.
    if (err instanceof LockHeldError && err.holder.command.startsWith('db serve')) {
      throw new UsageError(`${err.message}\nquery it through that server with psql (the URL it printed), or stop it first`);
    }
    throw err;
  });
}

export async function importCommand(files: string[], options: { symbol?: string }): Promise<void> {
  await withContext(async ({ handle, config, log }) => {
    const now = new Date();
    const outcomes = await importCsvFiles(handle, files, { symbol: options.symbol, today: zonedDate(now, config.exchange.timezone), now, log });
    let bad = 0;
    for (const o of outcomes) {
      if (o.problems.length === 0) {
        print(`${o.file}: ${o.symbol} ${o.rows} rows (${o.inserted} new, ${o.updated} changed, ${o.unchanged} unchanged${o.skippedEmpty ? `, ${o.skippedEmpty} empty skipped` : ''})`);
        continue;
      }
      bad++;
      const shown = o.problems.slice(0, 20).map((p) => `${o.file}:${p.line}: ${p.reason}`);
      if (o.problems.length > 20) shown.push(`${o.file}: ... and ${o.problems.length - 20} more problem(s)`);
      process.stderr.write(`${shown.join('\n')}\n${o.file}: nothing imported from this file\n`);
    }
    if (bad) process.exitCode = 2;
  });
}
