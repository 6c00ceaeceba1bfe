// A lock file next to the embedded database. PGlite has no locking of its own and only one process
// may have its files open, so every process that opens it takes this lock first; a lock left by a
// process that died is taken over.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

export interface DirLock {
  release(): void;
}

export class LockHeldError extends Error {
  constructor(
    readonly what: string,
    readonly holder: { pid: number; host: string; command: string; since: string },
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

function readHolder(path: string) {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as { pid: number; host: string; command: string; since: string };
  } catch {
    return null; // unreadable or half-written: treated as stale
  }
}

export function acquireDirLock(path: string, what: string): DirLock {
  const me = {
    pid: process.pid,
    host: hostname(),
    command: process.argv.slice(2).join(' ') || 'bubblewatch',
    since: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          if (readHolder(path)?.pid === process.pid) rmSync(path, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readHolder(path);
      // Another host's pid can't be checked from here; only a lock of this host can be judged stale.
      if (holder && (holder.host !== me.host || isProcessAlive(holder.pid))) {
        throw new LockHeldError(what, holder);
      }
      rmSync(path, { force: true });
    }
  }
  throw new Error(`could not take the lock ${path}`);
}
