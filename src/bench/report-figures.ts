// Turns a bench run into the printed table of every figure, the goal list and the figures section of
// docs/PERFORMANCE.md (with the comparison against the PGlite release). Pure: results in, text out.
import { comparisonText } from './pglite-comparison.js';
import type { BenchResults, TargetResults } from './results.js';
import { fmt, table, type Row } from './table.js';
import { TARGETS, type TargetName } from './targets.js';

function rows(results: BenchResults, targets: TargetName[]): Row[] {
  const out: Row[] = [];
  const per = (label: string, pick: (r: TargetResults) => string | null | undefined | false) => {
    const cells = targets.map((t) => {
      const r = results.targets[t];
      return r ? pick(r) || '-' : '-';
    });
    if (cells.some((c) => c !== '-')) out.push([label, ...cells]);
  };
  per('write: rows per run', (r) => r.writePath && fmt(r.writePath.rows));
  per('write: COPY rows/s (baseline)', (r) => r.writePath && fmt(r.writePath.copy.rowsPerSec));
  per('write: upsertDailyBars rows/s', (r) => r.writePath && fmt(r.writePath.upsert.rowsPerSec));
  per('write: upsert / COPY', (r) => r.writePath && fmt(r.writePath.upsertVsCopy, 2));
  per('write: re-upsert unchanged rows/s', (r) => r.writePath && fmt(r.writePath.upsertUnchanged.rowsPerSec));
  per('write: row-at-a-time rows/s', (r) => r.writePath && fmt(r.writePath.naive.rowsPerSec));
  per('write: upsert / row-at-a-time', (r) => r.writePath && `${fmt(r.writePath.upsertVsNaive, 0)}x`);
  const sizes = new Set<number>();
  for (const t of targets) for (const run of results.targets[t]?.incremental ?? []) sizes.add(run.symbols);
  for (const n of [...sizes].sort((a, b) => a - b)) {
    const find = (r: TargetResults) => r.incremental?.find((x) => x.symbols === n);
    per(`day N=${n}: sync wall ms`, (r) => {
      const x = find(r);
      return x && fmt(x.sync.ms);
    });
    per(`day N=${n}: chart requests`, (r) => {
      const x = find(r);
      return x && `${x.sync.chartRequests}${x.sync.otherRequests ? ` (+${x.sync.otherRequests} other)` : ''}`;
    });
    per(`day N=${n}: rows new/changed/same`, (r) => {
      const x = find(r);
      return x && `${x.sync.rowsInserted}/${x.sync.rowsUpdated}/${x.sync.rowsUnchanged}`;
    });
    per(`day N=${n}: quotes wall ms`, (r) => {
      const x = find(r);
      return x && fmt(x.quotes.ms);
    });
    per(`day N=${n}: quote requests (max symbols)`, (r) => {
      const x = find(r);
      return x && `${x.quotes.quoteRequests} (${x.quotes.maxSymbolsPerRequest})`;
    });
  }
  per('backfill 10 symbols via sim: rows', (r) => r.smallReport && fmt(r.smallReport.backfill.rows));
  per('backfill 10 symbols via sim: rows/s', (r) => r.smallReport && fmt(r.smallReport.backfill.rowsPerSec));
  per('report 10 symbols: wall ms', (r) => r.smallReport && fmt(r.smallReport.report.ms));
  per('report 10 symbols: peak RSS MB', (r) => r.smallReport && fmt(r.smallReport.report.peakRssMb));
  per('history: bars loaded', (r) => r.history && fmt(r.history.load.bars));
  per('history: load (generate_series) s', (r) => r.history && fmt(r.history.load.ms / 1000, 1));
  per('history: daily_bars size MB', (r) => r.history && fmt(r.history.tableMb));
  const names = new Set<string>();
  for (const t of targets) for (const q of results.targets[t]?.history?.queries ?? []) names.add(q.name);
  for (const name of names) {
    per(`sql: ${name} ms (server)`, (r) => {
      const q = r.history?.queries.find((x) => x.name === name);
      return q && `${fmt(q.medianMs, 1)} (${fmt(q.serverMs, 1)})`;
    });
  }
  per('latest: COPY daily_bars TO STDOUT ms (baseline)', (r) => r.history?.latest?.copy && fmt(r.history.latest.copy.ms));
  per('latest: COPY MB', (r) => r.history?.latest?.copy && fmt(r.history.latest.copy.megabytes));
  per('latest: db rebuild-state ms (one-off)', (r) => r.history?.latest && fmt(r.history.latest.rebuildMs));
  per('latest: report wall ms', (r) => r.history?.latest && fmt(r.history.latest.report.ms));
  per('latest: report peak RSS MB', (r) => r.history?.latest && fmt(r.history.latest.report.peakRssMb));
  per('latest: report / COPY', (r) => r.history?.latest?.copy && fmt(r.history.latest.report.ms / r.history.latest.copy.ms, 2));
  per('latest, 2x history: bars per symbol', (r) => r.history?.latestLonger && fmt(r.history.latestLonger.sessions));
  per('latest, 2x history: COPY ms', (r) => r.history?.latestLonger?.copy && fmt(r.history.latestLonger.copy.ms));
  per('latest, 2x history: report wall ms', (r) => r.history?.latestLonger && fmt(r.history.latestLonger.report.ms));
  per('latest, 2x history: report peak RSS MB', (r) => r.history?.latestLonger && fmt(r.history.latestLonger.report.peakRssMb));
  per('report big: symbols x bars', (r) => r.history?.report && `${fmt(r.history.report.symbols)} x ${fmt(r.history.report.bars / r.history.report.symbols)}`);
  per('report big (--date, from bars): wall ms', (r) => r.history?.report && (r.history.report.exitCode === 0 ? fmt(r.history.report.ms) : `failed after ${fmt(r.history.report.ms)}`));
  per('report big: peak RSS MB', (r) => r.history?.report && fmt(r.history.report.peakRssMb));
  per('daemon: start to scheduled ms', (r) => r.daemon && fmt(r.daemon.startupMs));
  per('daemon: idle Node RSS MB', (r) => r.daemon && fmt(r.daemon.idleRssMb));
  per('daemon: idle server PSS MB (processes)', (r) => r.daemon && r.daemon.serverPssMb !== null && `${fmt(r.daemon.serverPssMb)} (${r.daemon.serverProcesses})`);
  per('daemon: idle Node + server MB', (r) => r.daemon && r.daemon.serverPssMb !== null && fmt(r.daemon.idleTotalMb));
  per('daemon: SIGTERM to server gone ms', (r) => r.daemon && r.daemon.serverGoneMs !== null && fmt(r.daemon.serverGoneMs));
  per('cli: node -e "" ms (floor)', (r) => r.daemon?.cli && fmt(r.daemon.cli.nodeMs));
  per('cli: bubblewatch --version ms', (r) => r.daemon?.cli && fmt(r.daemon.cli.versionMs));
  per('cli: sql beside an idle daemon ms', (r) => r.daemon?.cli && fmt(r.daemon.cli.withDaemon.medianMs));
  per('cli: sql, no daemon (starts the server) ms', (r) => r.daemon?.cli?.withoutDaemon && fmt(r.daemon.cli.withoutDaemon.medianMs));
  per('cli: sql, no daemon: peak RSS MB', (r) => r.daemon?.cli?.withoutDaemon && fmt(r.daemon.cli.withoutDaemon.peakRssMb));
  per('import: files (rows)', (r) => r.importMemory && `${r.importMemory.files} (${fmt(r.importMemory.rows)})`);
  per('import: wall ms', (r) => r.importMemory && fmt(r.importMemory.ms));
  per('import: Node peak RSS MB', (r) => r.importMemory && fmt(r.importMemory.nodePeakRssMb));
  per('import: server peak PSS MB (sampled)', (r) => r.importMemory && r.importMemory.serverPeakPssMb !== null && fmt(r.importMemory.serverPeakPssMb));
  per('import: Node + server peak MB (sampled)', (r) => r.importMemory && r.importMemory.serverPeakPssMb !== null && fmt(r.importMemory.peakTotalMb));
  return out;
}

const ranTargets = (results: BenchResults): TargetName[] => TARGETS.filter((t) => results.targets[t]);

export function figuresTable(results: BenchResults, markdown: boolean): string {
  const targets = ranTargets(results);
  return table(['', ...targets], rows(results, targets), markdown);
}

export function goalsTable(results: BenchResults, markdown: boolean): string {
  const body: Row[] = results.goals.map((g) => [g.id, g.target, g.goal, g.figure, g.met === null ? '-' : g.met ? 'met' : 'MISSED']);
  return table(['goal', 'target', 'wanted', 'measured', ''], body, markdown, 5);
}

/** The generated part of docs/PERFORMANCE.md. */
export function figuresMarkdown(results: BenchResults): string {
  const m = results.machine;
  const errors = Object.entries(results.targets).flatMap(([t, r]) => Object.entries(r?.errors ?? {}).map(([s, e]) => `- ${t} / ${s}: ${e}`));
  const plans = Object.entries(results.targets).flatMap(([t, r]) =>
    (r?.history?.queries ?? [])
      .filter((q) => q.goalMs !== null)
      .map((q) => `**${t}: ${q.name}** (\`${q.sql}\`)\n\n\`\`\`\n${q.plan}\n\`\`\``),
  );
  return [
    `Run of ${results.generatedAt.slice(0, 16).replace('T', ' ')} UTC${results.quick ? ' (quick sizes)' : ''}, ${fmt(results.durationSeconds)} s in all.`,
    `Machine: ${m.nproc} cores (${m.cpu}), ${fmt(m.memoryGb, 1)} GB RAM, ${m.os}, Node ${m.node}; ` +
      `embedded: ${m.embedded ?? 'not run'}; external: ${m.postgres ?? 'not run'}. Load average at the start: ${m.loadAverage.map((l) => l.toFixed(2)).join(' ')}.`,
    '',
    'Against the PGlite release (issue 20):',
    '',
    comparisonText(results, true),
    '',
    'Every figure:',
    '',
    figuresTable(results, true),
    '',
    'Goals:',
    '',
    goalsTable(results, true),
    ...(errors.length ? ['', 'Sections that failed:', '', ...errors] : []),
    '',
    '<details><summary>Query plans (EXPLAIN (ANALYZE, BUFFERS), same run)</summary>',
    '',
    ...plans.flatMap((p) => [p, '']),
    '</details>',
  ].join('\n');
}
