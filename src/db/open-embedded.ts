// Opening the embedded database when other processes may have it. Only one process can have PGlite's
// files open (dir-lock.ts); the daemon that has them serves them on a Unix socket (pglite-server.ts).
//
// - A command goes through the daemon when one answers on the socket; otherwise opens the files
//   itself; if another process holds them (a command, or a daemon still starting), it waits for
//   either, saying so once, and gives up after waitMs naming the holder.
// - A daemon opens the files itself. If a command holds them it waits for it (saying so once); if a
//   daemon (or `db serve`) holds them it throws LockHeldError at once: one server per database
//   (--standby waits).
import { setTimeout as sleep } from 'node:timers/promises';
import { openDb, openServed, type DbHandle, type OpenDbOptions } from './connect.js';
import { LockHeldError, type LockHolderInfo } from './dir-lock.js';

export interface OpenEmbeddedOptions extends OpenDbOptions {
  role: 'daemon' | 'command';
  /** How long a command waits for another process to let go; the daemon waits without limit. */
  waitMs?: number;
  pollMs?: number;
  signal?: AbortSignal | undefined;
  /** Called once, when the first attempt finds the database held. */
  onWait?: (holder: LockHolderInfo) => void;
}

export const COMMAND_WAIT_MS = 60_000;

export async function openEmbedded(dataDir: string, options: OpenEmbeddedOptions): Promise<DbHandle> {
  const { role, waitMs = COMMAND_WAIT_MS, pollMs = 250, signal, onWait, ...dbOptions } = options;
  const deadline = role === 'daemon' ? Infinity : Date.now() + waitMs;
  let told = false;
  for (;;) {
    signal?.throwIfAborted();
    if (role === 'command') {
      const served = await openServed(dataDir, dbOptions);
      if (served) return served;
    }
    try {
      return await openDb({ kind: 'pglite', dataDir }, { ...dbOptions, role });
    } catch (err) {
      if (!(err instanceof LockHeldError)) throw err;
      if (role === 'daemon' && (err.holder.role === 'daemon' || err.holder.role === 'server')) throw err;
      if (Date.now() >= deadline) {
        err.message += `; waited ${Math.round(waitMs / 1000)} s for it to finish (a daemon would have served it)`;
        throw err;
      }
      if (!told) onWait?.(err.holder);
      told = true;
    }
    await sleep(pollMs, undefined, signal ? { signal } : {}).catch(() => {
      throw signal?.reason ?? new Error('aborted');
    });
  }
}
