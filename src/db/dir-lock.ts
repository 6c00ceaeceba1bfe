// A lock file next to the embedded database. PGlite has no locking of its own and only one process
// may have its files open, so every process that opens it takes this lock first; a lock left by a
// process that is gone is taken over.
//
// "Gone" must survive containers and pid reuse: after a crash in a container the lock names pid 1,
// and the next node there is pid 1 again (alive, but not the writer). So the lock records the
// kernel's boot id and the writer's start time (/proc/<pid>/stat field 22, in clock ticks since
// boot): a holder is alive only if its pid exists *and* still has that start time on this boot.
// Where /proc is missing (not Linux) it falls back to the pid alone.
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

export interface DirLock {
  release(): void;
}

export type LockRole = 'daemon' | 'server' | 'command';

export interface LockHolderInfo {
  pid: number;
  host: string;
  command: string;
  since: string;
  /** What holds it: a daemon or `db serve` (which serve it to the others), or a one-shot command. */
  role?: LockRole;
  bootId?: string | null;
  startTime?: string | null;
}

export class LockHeldError extends Error {
  constructor(
    readonly what: string,
    readonly holder: LockHolderInfo,
  ) {
    super(
      `the ${what} is in use by another process (pid ${holder.pid} on ${holder.host}, "${holder.command}", since ${holder.since})`,
    );
    this.name = 'LockHeldError';
  }
}

/** process.kill(pid, 0) probes without signalling; EPERM means it exists under another user. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** This kernel boot's id (Linux), null elsewhere. */
export function bootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return null;
  }
}

/** A process's start time in clock ticks since boot (/proc/<pid>/stat field 22), null if unknown. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (comm) is in parentheses and may hold spaces: count fields after its closing one.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[22 - 3] ?? null;
  } catch {
    return null;
  }
}

/**
 * Whether the process that wrote a lock still runs. A lock of another host can't be judged from
 * here and counts as held; a different boot id or start time means the pid now belongs to someone else.
 */
export function isHolderAlive(holder: LockHolderInfo, here = { host: hostname(), bootId: bootId() }): boolean {
  if (holder.host !== here.host) return true;
  if (holder.bootId && here.bootId && holder.bootId !== here.bootId) return false;
  if (!isProcessAlive(holder.pid)) return false;
  if (holder.startTime) {
    const now = processStartTime(holder.pid);
    if (now !== null && now !== holder.startTime) return false;
  }
  return true;
}

export function readLockHolder(path: string): LockHolderInfo | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockHolderInfo;
  } catch {
    return null; // missing, unreadable or half-written: treated as stale
  }
}

export function acquireDirLock(path: string, what: string, role: LockRole = 'command'): DirLock {
  const me: LockHolderInfo = {
    pid: process.pid,
    host: hostname(),
    command: process.argv.slice(2).join(' ') || 'bubblewatch',
    since: new Date().toISOString(),
    role,
    bootId: bootId(),
    startTime: processStartTime(process.pid),
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          const holder = readLockHolder(path);
          if (holder?.pid === process.pid && holder.startTime === me.startTime) rmSync(path, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readLockHolder(path);
      if (holder && isHolderAlive(holder)) throw new LockHeldError(what, holder);
      // Renamed away rather than deleted: of two processes judging the same stale file only one
      // rename succeeds (the other retries and reads the new holder). A window remains if the
      // winner rewrites the lock between the loser's read and its rename; starts are rarely that close.
      try {
        renameSync(path, `${path}.stale-${process.pid}`);
        rmSync(`${path}.stale-${process.pid}`, { force: true });
      } catch {
        // someone else took it over first: try again
      }
    }
  }
  throw new Error(`could not take the lock ${path}`);
}
