// The latest-day report against its naive limit (issue 15): reading the whole of daily_bars once with
// `COPY daily_bars TO STDOUT` (the baseline, timed in-process over a pg connection of the open
// database) versus `bubblewatch report` in a child process, which takes every symbol's figures from its
// stored drawdown state and reads closes only for the claims and the charts. The states of a
// bulk-loaded history are built first by `bubblewatch db rebuild-state` (the load bypasses the units of
// work, as psql would), which is timed too: a one-off cost, not a daily one. The bench's own handle
// stays open meanwhile, so on the embedded target the children find the server running, as they do
// beside the daemon (a command's cost of starting it is the `sql`-without-a-daemon figure).
import { performance } from 'node:perf_hooks';
import { runCli, type CliRun } from './child.js';
import { round } from './measure.js';
import { copyToStdout } from './pg-copy.js';
import type { Scratch } from './targets.js';

export interface ReportRun {
  symbols: number;
  bars: number;
  ms: number;
  peakRssMb: number;
  files: number;
  exitCode: number | null;
  error?: string;
}

export interface CopyBaseline {
  /** The faster of two runs: the naive limit, measured generously. */
  ms: number;
  megabytes: number;
  statement: string;
}

export interface LatestReportRun {
  symbols: number;
  sessions: number;
  copy: CopyBaseline | null;
  rebuildMs: number;
  rebuildExitCode: number | null;
  /** Median of LATEST_REPORT_RUNS runs (wall time), highest peak RSS. */
  report: ReportRun;
  samplesMs: number[];
}

/** Two COPYs of the whole table; the database must be open. */
export async function copyBaseline(scratch: Scratch): Promise<CopyBaseline> {
  const samples: { ms: number; bytes: number }[] = [];
  const statement = 'COPY daily_bars TO STDOUT (text format; bytes counted and dropped by the client)';
  const client = scratch.handle.dedicatedClient('bench copy');
  await client.connect();
  try {
    for (let i = 0; i < 2; i++) {
      const t0 = performance.now();
      const bytes = await copyToStdout(client, 'copy daily_bars to stdout');
      samples.push({ ms: performance.now() - t0, bytes });
    }
  } finally {
    await client.end();
  }
  const best = samples.reduce((a, b) => (b.ms < a.ms ? b : a));
  return { ms: Math.round(best.ms), megabytes: round(best.bytes / 2 ** 20, 0), statement };
}

/** Latest-day reports per database: the median is the figure, so one slow run on a shared machine does not decide a goal. */
export const LATEST_REPORT_RUNS = 3;

/** A loaded database ready for the latest-day report: COPY measured, states rebuilt. */
export interface PreparedLatest {
  env: Record<string, string>;
  outDir: string;
  symbols: number;
  sessions: number;
  copy: CopyBaseline;
  rebuildMs: number;
  rebuildExitCode: number | null;
}

/** COPY of the whole table, then `db rebuild-state` in a child process. */
export async function prepareLatest(scratch: Scratch, env: Record<string, string>, outDir: string, shape: { symbols: number; sessions: number }): Promise<PreparedLatest> {
  const copy = await copyBaseline(scratch);
  const rebuild = await runCli(['db', 'rebuild-state'], env);
  if (rebuild.exitCode !== 0) throw new Error(`db rebuild-state failed: ${rebuild.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return { env, outDir, ...shape, copy, rebuildMs: Math.round(rebuild.ms), rebuildExitCode: rebuild.exitCode };
}

/**
 * The latest-day `report` on each prepared database, LATEST_REPORT_RUNS rounds of one run per
 * database in turn: when two histories are compared, a change in the machine's load falls on both
 * alike. Each figure is its median run's wall time and the highest peak RSS of its runs.
 */
export async function latestReports(prepared: readonly PreparedLatest[]): Promise<LatestReportRun[]> {
  const runs: CliRun[][] = prepared.map(() => []);
  for (let round = 0; round < LATEST_REPORT_RUNS; round++) {
    for (const [i, p] of prepared.entries()) runs[i]!.push(await runCli(['report', '--out', p.outDir], p.env));
  }
  return prepared.map((p, i) => {
    const own = runs[i]!;
    const failed = own.find((r) => r.exitCode !== 0);
    const median = [...own].sort((a, b) => a.ms - b.ms)[Math.floor(own.length / 2)]!;
    const report: ReportRun = {
      symbols: p.symbols,
      bars: p.symbols * p.sessions,
      ms: Math.round(median.ms),
      peakRssMb: round(Math.max(...own.map((r) => r.peakRssMb)), 1),
      files: median.stdout.split('\n').filter((l) => l.trim() !== '').length,
      exitCode: failed ? failed.exitCode : 0,
    };
    if (failed) report.error = failed.stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 500);
    return {
      symbols: p.symbols,
      sessions: p.sessions,
      copy: p.copy,
      rebuildMs: p.rebuildMs,
      rebuildExitCode: p.rebuildExitCode,
      report,
      samplesMs: own.map((r) => Math.round(r.ms)),
    };
  });
}
