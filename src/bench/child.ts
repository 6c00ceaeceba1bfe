// Runs the real CLI (bin/bubblewatch.js) in a child process, the way a user or cron would, and measures
// its wall time and peak RSS. Peak RSS comes from GNU time (%M, the kernel's maxrss at exit) when
// /usr/bin/time exists, otherwise from polling /proc/<pid>/status (VmHWM) every 20 ms. Asked to, it
// also samples the embedded server of a data dir while the command runs (server-memory.ts): the
// server is a process of its own, outside the command's RSS.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { procMemory } from './measure.js';
import { childrenOf, sampleMemory, type MemoryPeaks } from './server-memory.js';

/** dist-bench/bench (tsconfig.bench.json, kept out of the published dist/) and src/bench are both two levels below the project root. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = fileURLToPath(new URL('../../bin/bubblewatch.js', import.meta.url));
const GNU_TIME = '/usr/bin/time';

export interface CliRun {
  ms: number;
  peakRssMb: number;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** With `serverOf`: the embedded server's sampled peak PSS, and of the command and server together. */
  memory?: MemoryPeaks;
}

export interface RunCliOptions {
  timeoutMs?: number;
  /** The data dir whose embedded server is sampled while the command runs. */
  serverOf?: string;
}

export function runCli(args: readonly string[], env: Record<string, string>, options: RunCliOptions = {}): Promise<CliRun> {
  const timeoutMs = options.timeoutMs ?? 600_000;
  const useTime = existsSync(GNU_TIME);
  const [command, argv] = useTime
    ? [GNU_TIME, ['-f', 'BENCH_MAXRSS_KB=%M', process.execPath, CLI, ...args]]
    : [process.execPath, [CLI, ...args]];
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn', ...env };
  if (!('DATABASE_URL' in env)) delete childEnv.DATABASE_URL;
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, argv, { cwd: PROJECT_ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let polledKb = 0;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const poll = useTime
      ? undefined
      : setInterval(() => {
          const m = child.pid ? procMemory(child.pid) : null;
          if (m && Number.isFinite(m.hwmMb)) polledKb = Math.max(polledKb, m.hwmMb * 1024);
        }, 20);
    // Under GNU time the command is time's only child.
    const nodePid = () => (useTime ? (child.pid ? childrenOf(child.pid)[0] : undefined) : child.pid);
    const sampler = options.serverOf ? sampleMemory(nodePid, options.serverOf) : undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      const memory = sampler?.stop();
      const m = /BENCH_MAXRSS_KB=(\d+)/.exec(stderr);
      const kb = m ? Number(m[1]) : polledKb;
      resolve({ ms, peakRssMb: kb / 1024, exitCode: code, stdout, stderr: stderr.replace(/(Command exited with non-zero status \d+\n)?BENCH_MAXRSS_KB=\d+\n?/, ''), ...(memory ? { memory } : {}) });
    });
  });
}
