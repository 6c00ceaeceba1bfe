// The latest-day report against its naive limit (issue 15): reading the whole of daily_bars once with
// `COPY daily_bars TO STDOUT` (the baseline, timed in-process on the open database) versus
// `bubblewatch report` in a child process, which takes every symbol's figures from its stored drawdown
// state and reads closes only for the claims and the charts. The states of a bulk-loaded history are
// built first by `bubblewatch db rebuild-state` (the load bypasses the units of work, as psql would),
// which is timed too: a one-off cost, not a daily one.
import pg from 'pg';
import { performance } from 'node:perf_hooks';
import { runCli } from './child.js';
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
  let statement: string;
  if (scratch.target === 'postgres') {
    statement = 'COPY daily_bars TO STDOUT (text format; bytes counted and dropped by the client)';
    const client = new pg.Client({ connectionString: scratch.url! });
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
  } else {
    // PGlite has no client socket: its COPY TO writes the rows into a Blob handed back in-process.
    statement = "COPY daily_bars TO '/dev/blob' (PGlite, text format, in-process)";
    const pglite = scratch.handle.pglite!;
    for (let i = 0; i < 2; i++) {
      const t0 = performance.now();
      const r = await pglite.query("copy daily_bars to '/dev/blob'");
      samples.push({ ms: performance.now() - t0, bytes: r.blob?.size ?? 0 });
    }
  }
  const best = samples.reduce((a, b) => (b.ms < a.ms ? b : a));
  return { ms: Math.round(best.ms), megabytes: round(best.bytes / 2 ** 20, 0), statement };
}

/** Latest-day reports per size: the median is the figure, so one slow run on a shared machine does not decide a goal. */
export const LATEST_REPORT_RUNS = 3;

/**
 * `db rebuild-state`, then the latest-day `report` LATEST_REPORT_RUNS times, all as child processes
 * (on PGlite the bench's handle must be closed). The report's figure is the median run's wall time
 * and the highest peak RSS of all runs.
 */
export async function latestReport(
  env: Record<string, string>,
  outDir: string,
  shape: { symbols: number; sessions: number },
): Promise<{ rebuildMs: number; rebuildExitCode: number | null; report: ReportRun; samplesMs: number[] }> {
  const rebuild = await runCli(['db', 'rebuild-state'], env);
  if (rebuild.exitCode !== 0) throw new Error(`db rebuild-state failed: ${rebuild.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const runs = [];
  for (let i = 0; i < LATEST_REPORT_RUNS; i++) runs.push(await runCli(['report', '--out', outDir], env));
  const failed = runs.find((r) => r.exitCode !== 0);
  const samplesMs = runs.map((r) => Math.round(r.ms));
  const median = [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)]!;
  const report: ReportRun = {
    symbols: shape.symbols,
    bars: shape.symbols * shape.sessions,
    ms: Math.round(median.ms),
    peakRssMb: round(Math.max(...runs.map((r) => r.peakRssMb)), 1),
    files: median.stdout.split('\n').filter((l) => l.trim() !== '').length,
    exitCode: failed ? failed.exitCode : 0,
  };
  if (failed) report.error = failed.stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 500);
  return { rebuildMs: Math.round(rebuild.ms), rebuildExitCode: rebuild.exitCode, report, samplesMs };
}
