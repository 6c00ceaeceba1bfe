// Runs the real CLI (bin/bubblewatch.js) in a child process, the way a user or cron would, and measures
// its wall time and peak RSS. Peak RSS comes from GNU time (%M, the kernel's maxrss at exit) when
// /usr/bin/time exists, otherwise from polling /proc/<pid>/status (VmHWM) every 20 ms.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { procMemory } from './measure.js';

/** dist/bench and src/bench are both two levels below the project root. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = fileURLToPath(new URL('../../bin/bubblewatch.js', import.meta.url));
const GNU_TIME = '/usr/bin/time';

export interface CliRun {
  ms: number;
  peakRssMb: number;
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[], env: Record<string, string>, timeoutMs = 600_000): Promise<CliRun> {
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
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      const m = /BENCH_MAXRSS_KB=(\d+)/.exec(stderr);
      const kb = m ? Number(m[1]) : polledKb;
      resolve({ ms, peakRssMb: kb / 1024, exitCode: code, stdout, stderr: stderr.replace(/BENCH_MAXRSS_KB=\d+\n?/, '') });
    });
  });
}
