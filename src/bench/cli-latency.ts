// 6. CLI latency as a user at a terminal sees it: `bubblewatch sql "select count(*) from daily_bars"`
// in a child process, spawn to exit, the median of N runs after one discarded (the OS file cache is
// warm, as it is for someone who has just run a command). Measured by the daemon section on its data
// dir, while the daemon runs and after it stopped:
// - withDaemon: beside an idle daemon. On the embedded target the command connects to the server the
//   daemon keeps running (its socket in the data dir; issue 12, and issue 20: < 300 ms); on Postgres it
//   connects as usual.
// - withoutDaemon: on the embedded target, the daemon stopped: the command starts the data dir's server
//   itself and stops it when it ends (issue 15's goal for a command without a daemon: < 1.5 s warm).
// Beside them the floors they cannot go under: `node -e ''` (Node alone) and `bubblewatch --version`
// (the CLI's own start-up, no database).
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { runCli } from './child.js';
import { median, round } from './measure.js';

export const CLI_QUERY = 'select count(*) from daily_bars';
export const WITH_DAEMON_GOAL_MS = 300;
export const WITHOUT_DAEMON_GOAL_MS = 1500;

export interface CliTiming {
  medianMs: number;
  samplesMs: number[];
  /** The highest peak RSS of the runs (GNU time's %M), MB. */
  peakRssMb: number;
}

export interface CliLatencyResult {
  runs: number;
  nodeMs: number;
  versionMs: number;
  withDaemon: CliTiming;
  /** Embedded target only: the command with no daemon (and so no server) running. */
  withoutDaemon?: CliTiming;
}

async function repeat(runs: number, once: () => Promise<{ ms: number; peakRssMb: number }>): Promise<CliTiming> {
  await once();
  const samples: { ms: number; peakRssMb: number }[] = [];
  for (let i = 0; i < runs; i++) samples.push(await once());
  return {
    medianMs: round(median(samples.map((s) => s.ms))),
    samplesMs: samples.map((s) => round(s.ms)),
    peakRssMb: round(Math.max(...samples.map((s) => s.peakRssMb)), 1),
  };
}

/** `bubblewatch ARGS` N times; throws when a run fails, with its stderr. */
export function timeCli(args: readonly string[], env: Record<string, string>, runs: number): Promise<CliTiming> {
  return repeat(runs, async () => {
    const r = await runCli(args, env);
    if (r.exitCode !== 0) throw new Error(`bubblewatch ${args[0]} exited ${r.exitCode}: ${r.stderr.slice(-300)}`);
    return { ms: r.ms, peakRssMb: r.peakRssMb };
  });
}

/** Node's own start-up: `node -e ''`. */
export function timeNode(runs: number): Promise<CliTiming> {
  return repeat(runs, () =>
    new Promise((resolve, reject) => {
      const t0 = performance.now();
      const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
      child.on('error', reject);
      child.on('close', () => resolve({ ms: performance.now() - t0, peakRssMb: Number.NaN }));
    }),
  );
}
