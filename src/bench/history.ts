// 3. Report, and 4. SQL on history. The report runs as `bubblewatch report` in a child process (the
// user's path: start-up, query, model, render, files and the reports row), measured for wall time and
// peak RSS. The SQL section times the views a user queries, with EXPLAIN (ANALYZE, BUFFERS) plans.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { DbHandle } from '../db/connect.js';
import { MIGRATIONS_DIR } from '../db/migrate.js';
import { runSync } from '../ingest/sync.js';
import type { YahooClient } from '../providers/yahoo/client.js';
import type { SimServer } from '../sim/server.js';
import { PROJECT_ROOT, runCli } from './child.js';
import { DAY, benchConfig } from './incremental.js';
import { latency, round, timed } from './measure.js';
import { latestReports, prepareLatest, type LatestReportRun, type PreparedLatest, type ReportRun } from './latest-report.js';

export type { ReportRun };
import { HISTORY_FROM, loadHistory, syntheticSymbols, weekdays } from './synthetic.js';
import { createScratch, type Scratch, type TargetName } from './targets.js';

export interface SmallReportResult {
  /** The 10 watchlist symbols' full history synced from the sim (runSync), end to end. */
  backfill: { symbols: number; rows: number; ms: number; rowsPerSec: number; requests: number };
  report: ReportRun;
}

export interface QueryTiming {
  name: string;
  sql: string;
  rows: number;
  medianMs: number;
  samplesMs: number[];
  /** Execution Time reported by EXPLAIN ANALYZE (server side, no transfer). */
  serverMs: number | null;
  indexes: string[];
  seqScanOnBars: boolean;
  goalMs: number | null;
  met: boolean | null;
  plan: string;
}

export interface HistoryResult {
  load: { symbols: number; sessions: number; bars: number; ms: number };
  tableMb: number;
  queries: QueryTiming[];
  /** `report --date <last day>`: recomputed from every bar (what the latest-day report did before issue 15). */
  report: ReportRun | null;
  /** The latest-day `report`, from the drawdown states, next to COPY of the same table. */
  latest: LatestReportRun | null;
  /** The same on a history twice as long (the daily cost must stay flat); null when not asked for. */
  latestLonger: LatestReportRun | null;
}

/** Writes bubblewatch.json (the watchlist) and a copy of the project's claims.json next to it. */
export function writeConfigDir(dir: string, symbols: readonly string[]): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'bubblewatch.json');
  const base = JSON.parse(readFileSync(join(PROJECT_ROOT, 'config/bubblewatch.json'), 'utf8')) as Record<string, unknown>;
  const watchlist = symbols.map((symbol) => ({ symbol }));
  writeFileSync(file, JSON.stringify({ ...base, watchlist }, null, 2));
  copyFileSync(join(PROJECT_ROOT, 'config/claims.json'), join(dir, 'claims.json'));
  return file;
}

/** The environment of a child process that reports on the scratch database's symbols. */
function reportEnv(scratch: Scratch, symbols: readonly string[]): Record<string, string> {
  const configFile = writeConfigDir(join(scratch.dataDir, 'config'), symbols);
  const env: Record<string, string> = { BUBBLEWATCH_CONFIG: configFile, BUBBLEWATCH_DATA_DIR: scratch.dataDir };
  if (scratch.url) env.DATABASE_URL = scratch.url;
  return env;
}

/** `bubblewatch report [args]` against the scratch database (on the embedded target its server runs: the bench's handle holds it). */
async function reportChild(scratch: Scratch, symbols: readonly string[], bars: number, args: string[] = []): Promise<ReportRun> {
  const run = await runCli(['report', '--out', join(scratch.dataDir, 'reports'), ...args], reportEnv(scratch, symbols));
  const files = run.stdout.split('\n').filter((l) => l.trim() !== '').length;
  const result: ReportRun = { symbols: symbols.length, bars, ms: Math.round(run.ms), peakRssMb: round(run.peakRssMb, 1), files, exitCode: run.exitCode };
  if (run.exitCode !== 0) result.error = run.stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 500);
  return result;
}

export async function benchSmallReport(
  target: TargetName,
  baseUrl: string | null,
  feed: { sim: SimServer; yahoo: YahooClient; log: Logger },
  say: (msg: string) => void,
): Promise<SmallReportResult> {
  const watch = JSON.parse(readFileSync(join(PROJECT_ROOT, 'config/bubblewatch.json'), 'utf8')) as { watchlist: { symbol: string }[] };
  const symbols = watch.watchlist.map((w) => w.symbol);
  const scratch = await createScratch(target, baseUrl);
  try {
    feed.sim.setNow(DAY);
    const config = benchConfig(symbols, { BUBBLEWATCH_DATA_DIR: scratch.dataDir, YAHOO_BASE_URL: feed.sim.url });
    const sync = await timed(() =>
      runSync({ handle: scratch.handle, yahoo: feed.yahoo, config, log: feed.log, clock: () => new Date(`${DAY}T22:00:00Z`) }),
    );
    if (sync.value.status !== 'ok') throw new Error(`sync of the watchlist ended ${sync.value.status}`);
    const rows = sync.value.rowsInserted;
    say(`  backfill of ${symbols.length} symbols: ${rows} rows in ${Math.round(sync.ms)} ms`);
    const report = await reportChild(scratch, symbols, rows);
    say(`  report, ${symbols.length} symbols: ${report.ms} ms, peak RSS ${report.peakRssMb} MB${report.error ? ` (failed: ${report.error})` : ''}`);
    return {
      backfill: { symbols: symbols.length, rows, ms: Math.round(sync.ms), rowsPerSec: Math.round(rows / (sync.ms / 1000)), requests: sync.value.requests },
      report,
    };
  } finally {
    await scratch.drop();
  }
}

function planIndexes(plan: string): string[] {
  const found = new Set<string>();
  for (const m of plan.matchAll(/(Index Only Scan|Index Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (\S+)/g)) found.add(`${m[1]} ${m[2]}`);
  return [...found];
}

async function timeQuery(
  handle: DbHandle,
  name: string,
  text: string,
  params: unknown[],
  goalMs: number | null,
  runs: number,
): Promise<QueryTiming> {
  let rows = 0;
  const t = await latency(async () => {
    const r = await handle.withSession((s) => s.query(text, params));
    rows = r.rows.length;
  }, runs);
  const explained = await handle.withSession((s) => s.query(`explain (analyze, buffers) ${text}`, params));
  const plan = explained.rows.map((r) => String(Object.values(r)[0])).join('\n');
  const server = /Execution Time: ([\d.]+) ms/.exec(plan);
  const medianMs = round(t.medianMs, 1);
  return {
    name,
    sql: text,
    rows,
    medianMs,
    samplesMs: t.samplesMs.map((v) => round(v, 1)),
    serverMs: server ? Number(server[1]) : null,
    indexes: planIndexes(plan),
    seqScanOnBars: /Seq Scan on daily_bars/.test(plan),
    goalMs,
    met: goalMs === null ? null : medianMs < goalMs,
    plan,
  };
}

/**
 * The body of v_latest as 0002 defined it, before 0003 rewrote its 52-week range: timed next to the
 * current view so the gain is measured in the same run. Null when 0002 has no such definition.
 */
export function legacyLatestSql(): string | null {
  const file = readdirSync(MIGRATIONS_DIR).find((f) => f.startsWith('0002_'));
  if (!file) return null;
  const text = readFileSync(join(MIGRATIONS_DIR, file), 'utf8');
  const m = /create or replace view v_latest as\s+([\s\S]*?);\s*$/m.exec(text);
  return m ? m[1]!.trim() : null;
}

async function viewExists(handle: DbHandle, name: string): Promise<boolean> {
  const r = await handle.withSession((s) => s.query('select to_regclass($1) is not null as ok', [name]));
  return r.rows[0]?.ok === true;
}

/** COPY, then the states rebuilt, on a loaded database, with the report's environment. */
async function prepare(scratch: Scratch, symbols: number, sessions: number, say: (msg: string) => void): Promise<PreparedLatest> {
  const env = reportEnv(scratch, syntheticSymbols('S', symbols));
  const prepared = await prepareLatest(scratch, env, join(scratch.dataDir, 'reports-latest'), { symbols, sessions });
  say(`  ${symbols} x ${sessions} bars: COPY ${prepared.copy.ms} ms (${prepared.copy.megabytes} MB); db rebuild-state ${prepared.rebuildMs} ms`);
  return prepared;
}

export async function benchHistory(
  target: TargetName,
  baseUrl: string | null,
  opts: { symbols: number; sessions: number; runs: number; report: boolean; longerSessions: number },
  say: (msg: string) => void,
): Promise<HistoryResult> {
  const scratch = await createScratch(target, baseUrl);
  let longer: Scratch | null = null;
  try {
    say(`  loading ${opts.symbols} x ${opts.sessions} bars...`);
    const load = await loadHistory(scratch.handle, opts.symbols, opts.sessions);
    say(`  loaded ${load.bars} bars in ${Math.round(load.ms)} ms`);
    const size = await scratch.handle.withSession((s) =>
      s.query(`select pg_total_relation_size('daily_bars') / 1048576.0 as mb`),
    );
    const h = scratch.handle;
    // A symbol from the middle of the universe: nothing special about its place in the index.
    const symbol = syntheticSymbols('S', opts.symbols)[Math.floor(opts.symbols / 2)]!;
    const queries: QueryTiming[] = [];
    queries.push(await timeQuery(h, 'v_drawdowns, one symbol, full history', 'select * from v_drawdowns where symbol = $1 order by trade_date', [symbol], 30, opts.runs));
    queries.push(await timeQuery(h, 'v_latest, every symbol', 'select * from v_latest', [], 500, opts.runs));
    const legacy = legacyLatestSql();
    if (legacy) queries.push(await timeQuery(h, 'v_latest as 0002 wrote it (before 0003)', legacy, [], null, opts.runs));
    if (await viewExists(h, 'v_episodes')) {
      queries.push(await timeQuery(h, 'v_episodes, one symbol', 'select * from v_episodes where symbol = $1 order by depth_rank', [symbol], null, opts.runs));
    }
    if (await viewExists(h, 'v_returns')) {
      queries.push(await timeQuery(h, 'v_returns, one symbol, last year', `select * from v_returns where symbol = $1 and trade_date > (select max(trade_date) - 365 from daily_bars where symbol = $1) order by trade_date`, [symbol], null, opts.runs));
    }
    for (const q of queries) say(`  ${q.name}: ${q.medianMs} ms (server ${q.serverMs} ms, ${q.rows} rows)${q.met === false ? ' MISSED' : ''}`);

    let report: ReportRun | null = null;
    let latest: LatestReportRun | null = null;
    let latestLonger: LatestReportRun | null = null;
    if (opts.report) {
      const prepared = [await prepare(scratch, opts.symbols, opts.sessions, say)];
      // The same day asked for by date: every symbol recomputed from its bars.
      const lastDay = weekdays(HISTORY_FROM, opts.sessions).at(-1)!;
      report = await reportChild(scratch, syntheticSymbols('S', opts.symbols), load.bars, ['--date', lastDay]);
      say(`  report --date ${lastDay} (from bars), ${opts.symbols} symbols: ${report.ms} ms, peak RSS ${report.peakRssMb} MB${report.error ? ` (failed: ${report.error})` : ''}`);
      // The same universe with twice the history, kept next to the first so their reports alternate.
      if (opts.longerSessions > 0) {
        longer = await createScratch(target, baseUrl);
        say(`  loading ${opts.symbols} x ${opts.longerSessions} bars...`);
        await loadHistory(longer.handle, opts.symbols, opts.longerSessions);
        prepared.push(await prepare(longer, opts.symbols, opts.longerSessions, say));
      }
      const runs = await latestReports(prepared);
      for (const run of runs) {
        say(`  latest-day report, ${run.symbols} x ${run.sessions} bars: ${run.report.ms} ms (median of ${run.samplesMs.join(', ')}), peak RSS ${run.report.peakRssMb} MB${run.report.error ? ` (failed: ${run.report.error})` : ''}`);
      }
      latest = runs[0]!;
      latestLonger = runs[1] ?? null;
    }
    return {
      load: { symbols: load.symbols, sessions: load.sessions, bars: load.bars, ms: Math.round(load.ms) },
      tableMb: round(Number(size.rows[0]?.mb), 0),
      queries,
      report,
      latest,
      latestLonger,
    };
  } finally {
    await scratch.drop();
    await longer?.drop();
  }
}
