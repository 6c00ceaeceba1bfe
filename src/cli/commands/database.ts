// `bubblewatch migrate` and `bubblewatch status`: the schema and what is stored, on either database.
import { coverage } from '../../db/bars.js';
import { flaggedRows, latestVerify, storedJumps } from '../../db/data-checks.js';
import { integrityReport } from '../../daemon/health.js';
import { formatFactor } from '../../integrity/common-factor.js';
import { schemaVersion } from '../../db/migrate.js';
import { recentRuns } from '../../db/runs.js';
import { rebuildAllSymbolStates } from '../../db/symbol-state.js';
import { withContext } from '../context.js';

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

/**
 * `bubblewatch db rebuild-state`: every symbol's drawdown state from its bars. The writes of
 * bubblewatch keep the states current; this is for a database written by other means (psql,
 * `sql --write`, a restore), after which the latest-day report reads every bar until it is run.
 */
export async function rebuildStateCommand(): Promise<void> {
  await withContext(async ({ handle }) => {
    const started = Date.now();
    const rebuilt = await rebuildAllSymbolStates(handle.db);
    print(`rebuilt the drawdown state of ${rebuilt} symbol(s) on ${handle.kind} (${handle.location}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
}

export async function statusCommand(options: { json?: boolean }): Promise<void> {
  await withContext(async ({ handle }) => {
    const { db } = handle;
    const [symbols, runs, schema, jumps, flagged, verify] = await Promise.all([
      coverage(db),
      recentRuns(db, 5),
      schemaVersion(db),
      storedJumps(db),
      flaggedRows(db),
      latestVerify(db),
    ]);
    const checks = integrityReport({ jumps, flagged, verify });
    const status = {
      database: { kind: handle.kind, location: handle.location, schema },
      symbols,
      recentRuns: runs.map((r) => ({
        id: r.id,
        job: r.job,
        status: r.status,
        startedAt: r.started_at,
        finishedAt: r.finished_at,
        rowsInserted: r.rows_inserted,
        rowsUpdated: r.rows_updated,
        rowsRevised: r.rows_revised,
        rebased: r.rebased,
        failures: r.failures,
      })),
      checks: { warnings: checks.warnings, jumps, flaggedRows: flagged, verify },
    };
    if (options.json) return print(JSON.stringify(status, null, 2));
    const lines = [`database: ${handle.kind} (${handle.location}), schema ${status.database.schema}`, '', 'symbol      bars  first       last'];
    for (const s of symbols) {
      lines.push(`${s.symbol.padEnd(8)} ${String(s.bars).padStart(7)}  ${s.firstDate ?? '-'.padEnd(10)}  ${s.lastDate ?? '-'}`);
    }
    lines.push('', 'recent runs:');
    for (const r of status.recentRuns) {
      const revised = r.rowsRevised > 0 ? ` (${r.rowsRevised} revised)` : '';
      const rebased = r.rebased.length > 0 ? ` re-based: ${r.rebased.map((b) => `${b.symbol} x${formatFactor(b.factor === 1 ? b.adjCloseFactor : b.factor)}${b.split ? ` (${b.split.ratio} split ${b.split.date})` : ''}`).join(', ')}` : '';
      lines.push(`  #${r.id} ${r.job} ${r.status} ${r.startedAt.toISOString()} +${r.rowsInserted} ~${r.rowsUpdated}${revised}${rebased}`);
    }
    if (runs.length === 0) lines.push('  (none yet)');
    lines.push('', 'checks:');
    lines.push(
      verify
        ? `  last verify #${verify.runId} ${verify.status} ${verify.finishedAt?.toISOString() ?? ''}: ${verify.differences.length} differing range(s)${verify.differences.some((d) => d.repaired) ? `, ${verify.differences.filter((d) => d.repaired).length} repaired` : ''}`
        : "  no verify yet ('bubblewatch verify')",
    );
    for (const w of checks.warnings) lines.push(`  ${w}`);
    if (checks.warnings.length === 0) lines.push('  no unexplained jumps, no flagged rows');
    print(lines.join('\n'));
  });
}
