// Turns a bench run into the printed table, the goal list and the figures section of
// docs/PERFORMANCE.md. Pure: takes the results object, returns text.
import { EMBEDDED_GOAL_MS, SERVED_GOAL_MS } from './cli-latency.js';
import type { DaemonResult } from './daemon.js';
import type { HistoryResult, SmallReportResult } from './history.js';
import type { IncrementalRun } from './incremental.js';
import type { TargetName } from './targets.js';
import type { WritePathResult } from './write-path.js';

export interface TargetResults {
  writePath?: WritePathResult;
  incremental?: IncrementalRun[];
  smallReport?: SmallReportResult;
  history?: HistoryResult;
  daemon?: DaemonResult;
  errors: Record<string, string>;
}

export interface Machine {
  nproc: number;
  cpu: string;
  memoryGb: number;
  loadAverage: number[];
  os: string;
  node: string;
  postgres: string | null;
  pglite: string;
}

export interface BenchResults {
  generatedAt: string;
  quick: boolean;
  durationSeconds: number;
  machine: Machine;
  options: Record<string, unknown>;
  targets: Partial<Record<TargetName, TargetResults>>;
  goals: Goal[];
}

export interface Goal {
  target: TargetName;
  id: string;
  goal: string;
  figure: string;
  met: boolean | null;
}

const fmt = (n: number | null | undefined, digits = 0): string =>
  n === null || n === undefined || !Number.isFinite(n) ? '-' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function goalsOf(target: TargetName, r: TargetResults): Goal[] {
  const goals: Goal[] = [];
  if (r.writePath) {
    goals.push({
      target,
      id: 'write-path',
      goal: `upsert >= ${r.writePath.goal.upsertVsCopy} x COPY rows/s`,
      figure: `${fmt(r.writePath.upsertVsCopy, 2)} x COPY`,
      met: r.writePath.goal.met,
    });
  }
  for (const run of r.incremental ?? []) {
    goals.push({
      target,
      id: `incremental-${run.symbols}`,
      goal: `${run.goal.chartRequests} chart + ${run.goal.quoteRequests} quote requests`,
      figure: `${run.sync.chartRequests} chart + ${run.quotes.quoteRequests} quote`,
      met: run.goal.met,
    });
  }
  goals.push(...latestReportGoals(target, r));
  const big = r.history?.report;
  if (big) {
    goals.push({
      target,
      id: 'report-big',
      goal: `report --date (from bars) on ${fmt(big.symbols)} symbols < 10 s and < 500 MB`,
      figure: big.exitCode === 0 ? `${fmt(big.ms / 1000, 1)} s, ${fmt(big.peakRssMb)} MB` : `failed (${big.error ?? big.exitCode})`,
      met: big.exitCode === 0 && big.ms < 10_000 && big.peakRssMb < 500,
    });
  }
  for (const q of r.history?.queries ?? []) {
    if (q.goalMs === null) continue;
    goals.push({
      target,
      id: q.name.startsWith('v_drawdowns') ? 'sql-drawdowns' : 'sql-latest',
      goal: `${q.name} < ${q.goalMs} ms (${fmt(r.history!.load.bars)} bars), index use`,
      figure: `${fmt(q.medianMs, 1)} ms${q.seqScanOnBars ? ', seq scan' : ''}`,
      met: q.met === true && !q.seqScanOnBars,
    });
  }
  if (r.daemon) {
    goals.push({
      target,
      id: 'daemon',
      goal: `start-up < ${fmt(r.daemon.goal.startupMs / 1000, 0)} s, idle RSS < ${r.daemon.goal.idleRssMb} MB`,
      figure: `${fmt(r.daemon.startupMs)} ms, ${fmt(r.daemon.idleRssMb)} MB`,
      met: r.daemon.goal.met,
    });
  }
  const cli = r.daemon?.cli;
  if (cli) {
    goals.push({
      target,
      id: 'cli-served',
      goal: `\`sql "select count(*) ..."\` with the daemon running < ${SERVED_GOAL_MS} ms`,
      figure: `${fmt(cli.served.medianMs)} ms (Node alone ${fmt(cli.nodeMs)} ms)`,
      met: cli.served.medianMs < SERVED_GOAL_MS,
    });
  }
  if (cli?.embedded) {
    goals.push({
      target,
      id: 'cli-embedded',
      goal: `the same without a daemon (opens PGlite), warm < ${fmt(EMBEDDED_GOAL_MS / 1000, 1)} s`,
      figure: `${fmt(cli.embedded.medianMs)} ms, ${fmt(cli.embedded.peakRssMb)} MB`,
      met: cli.embedded.medianMs < EMBEDDED_GOAL_MS,
    });
  }
  return goals;
}

/** Issue 15: the latest-day report against COPY of the same table, in absolute terms, and flat. */
function latestReportGoals(target: TargetName, r: TargetResults): Goal[] {
  const latest = r.history?.latest;
  if (!latest) return [];
  const goals: Goal[] = [];
  const ok = latest.report.exitCode === 0;
  const shape = `${fmt(latest.symbols)} x ${fmt(latest.sessions)} bars`;
  if (latest.copy) {
    const ratio = latest.report.ms / latest.copy.ms;
    goals.push({
      target,
      id: 'report-latest-vs-copy',
      goal: `latest-day report < 0.25 x COPY daily_bars TO STDOUT (${shape})`,
      figure: ok ? `${fmt(ratio, 2)} x (${fmt(latest.report.ms)} ms vs COPY ${fmt(latest.copy.ms)} ms)` : `failed (${latest.report.error ?? latest.report.exitCode})`,
      met: ok && ratio < 0.25,
    });
  }
  const pglite = target === 'pglite';
  goals.push({
    target,
    id: 'report-latest',
    goal: pglite ? `latest-day report < 2 s and < 300 MB (${shape})` : `latest-day report < 1 s (${shape})`,
    figure: ok ? `${fmt(latest.report.ms)} ms, ${fmt(latest.report.peakRssMb)} MB` : 'failed',
    met: ok && (pglite ? latest.report.ms < 2000 && latest.report.peakRssMb < 300 : latest.report.ms < 1000),
  });
  const longer = r.history?.latestLonger;
  if (longer) {
    const change = longer.report.ms / latest.report.ms - 1;
    goals.push({
      target,
      id: 'report-flat',
      goal: `latest-day report at ${fmt(longer.sessions)} vs ${fmt(latest.sessions)} bars per symbol within 20 %`,
      figure: ok && longer.report.exitCode === 0 ? `${fmt(longer.report.ms)} vs ${fmt(latest.report.ms)} ms (${change >= 0 ? '+' : ''}${fmt(change * 100, 0)} %)` : 'failed',
      met: ok && longer.report.exitCode === 0 && Math.abs(change) <= 0.2,
    });
  }
  return goals;
}

type Row = [string, ...string[]];

function rows(results: BenchResults, targets: TargetName[]): Row[] {
  const out: Row[] = [];
  const per = (label: string, pick: (r: TargetResults) => string | null | undefined) => {
    const cells = targets.map((t) => {
      const r = results.targets[t];
      return r ? (pick(r) ?? '-') : '-';
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
  per('daemon: idle RSS MB', (r) => r.daemon && fmt(r.daemon.idleRssMb));
  per('cli: node -e "" ms (floor)', (r) => r.daemon?.cli && fmt(r.daemon.cli.nodeMs));
  per('cli: bubblewatch --version ms', (r) => r.daemon?.cli && fmt(r.daemon.cli.versionMs));
  per('cli: sql, daemon running ms', (r) => r.daemon?.cli && fmt(r.daemon.cli.served.medianMs));
  per('cli: sql, no daemon (warm) ms', (r) => r.daemon?.cli?.embedded && fmt(r.daemon.cli.embedded.medianMs));
  per('cli: sql, no daemon: peak RSS MB', (r) => r.daemon?.cli?.embedded && fmt(r.daemon.cli.embedded.peakRssMb));
  return out;
}

/** First column left-aligned, the others right-aligned (numbers) unless `left` says otherwise. */
function table(header: Row, body: Row[], markdown: boolean, left = 1): string {
  const all = [header, ...body];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const pad = (c: string, i: number) => (i < left ? c.padEnd(widths[i]!) : c.padStart(widths[i]!));
  const line = (r: Row) => (markdown ? `| ${r.map(pad).join(' | ')} |` : r.map(pad).join('  '));
  const sep = markdown
    ? `|${widths.map((w, i) => (i < left ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`
    : widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), sep, ...body.map(line)].join('\n');
}

export function figuresTable(results: BenchResults, markdown: boolean): string {
  const targets = (['pglite', 'postgres'] as const).filter((t) => results.targets[t]);
  return table(['', ...targets], rows(results, [...targets]), markdown);
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
    `Machine: ${m.nproc} cores (${m.cpu}), ${fmt(m.memoryGb, 1)} GB RAM, ${m.os}, Node ${m.node}, ` +
      `${m.postgres ?? 'no Postgres'}, PGlite ${m.pglite}. Load average at the start: ${m.loadAverage.map((l) => l.toFixed(2)).join(' ')}.`,
    '',
    table(['', ...(['pglite', 'postgres'] as const).filter((t) => results.targets[t])], rows(results, (['pglite', 'postgres'] as const).filter((t) => results.targets[t])), true),
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
