// The memory of the embedded PostgreSQL server of a data dir: the postmaster (its pid is line 1 of
// <dataDir>/pg/postmaster.pid) and its children (every backend and background process is a direct
// child of the postmaster), found through the ppid field of /proc/<pid>/stat. Counted as PSS
// (/proc/<pid>/smaps_rollup): the processes share shared_buffers and the binary's pages, which RSS
// would count once per process. Linux only; null where /proc or the pid file says nothing.
import { readdirSync, readFileSync } from 'node:fs';
import { embeddedPaths, parsePostmasterPid } from '../db/embedded-paths.js';
import { procMemory } from './measure.js';

/** The postmaster's pid from the data dir's postmaster.pid; null when no server runs there. */
export function postmasterPid(dataDir: string): number | null {
  try {
    return parsePostmasterPid(readFileSync(`${embeddedPaths(dataDir).pgdata}/postmaster.pid`, 'utf8'))?.pid ?? null;
  } catch {
    return null;
  }
}

/** The ppid of a process: the field after the command name, which may itself hold spaces and ")". */
function parentOf(pid: string): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null; // gone since readdir
  }
}

/** The processes whose parent is `pid`. */
export function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name) && parentOf(name) === pid)
    .map(Number);
}

/** The postmaster and its children. */
export function serverPids(postmaster: number): number[] {
  return [postmaster, ...childrenOf(postmaster)];
}

/** Pss of one process in MB; 0 when it went away meanwhile (a backend that just ended). */
export function pssMb(pid: number): number {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    return Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

export interface ServerMemory {
  pssMb: number;
  processes: number;
}

/** The server's processes' PSS summed, now; null when no server runs for the data dir. */
export function serverMemory(dataDir: string): ServerMemory | null {
  const pid = postmasterPid(dataDir);
  if (pid === null || pssMb(pid) === 0) return null;
  const pids = serverPids(pid);
  return { pssMb: pids.reduce((sum, p) => sum + pssMb(p), 0), processes: pids.length };
}

export interface MemoryPeaks {
  /** Highest sampled PSS of the server's processes together (0 when none ran). */
  serverPssMb: number;
  /** Highest sampled sum of the Node process's RSS and the server's PSS. */
  combinedMb: number;
  samples: number;
}

/**
 * Samples a Node process and the data dir's server every `everyMs` until stop() is called: peaks of a
 * command that starts the server itself (the pid file appears while it runs). Sampling, so a peak
 * shorter than the interval can be missed; the Node process's exact peak is GNU time's %M.
 */
export function sampleMemory(nodePid: () => number | undefined, dataDir: string, everyMs = 100): { stop(): MemoryPeaks } {
  const peaks: MemoryPeaks = { serverPssMb: 0, combinedMb: 0, samples: 0 };
  const sample = () => {
    const pid = nodePid();
    const node = pid ? (procMemory(pid)?.rssMb ?? 0) : 0;
    const server = serverMemory(dataDir)?.pssMb ?? 0;
    peaks.serverPssMb = Math.max(peaks.serverPssMb, server);
    peaks.combinedMb = Math.max(peaks.combinedMb, node + server);
    peaks.samples++;
  };
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return peaks;
    },
  };
}
