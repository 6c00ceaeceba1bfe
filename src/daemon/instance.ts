// One daemon per database: a Postgres advisory lock (instance-lock.ts). A second daemon is refused
// naming the holder, or with standby waits for the lock; the lock is kept (and retaken) for the
// daemon's whole life.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { DbHandle } from '../db/connect.js';
import { instanceLockError, tryInstanceLock, type InstanceLock, type TryLockResult } from '../db/instance-lock.js';
import type { SignalWatch } from './signals.js';

export const STANDBY_POLL_MS = 2_000;

/** The advisory lock, or (with standby) wait for it. null = stopped while waiting. */
export async function lockInstance(handle: DbHandle, log: Logger, standby: boolean, signal: AbortSignal): Promise<InstanceLock | null> {
  const { location } = handle;
  let told = false;
  for (;;) {
    const attempt = await tryInstanceLock(handle.dedicatedClient);
    if (attempt.acquired) {
      if (told) log.info({}, 'standby over: the instance lock is ours');
      return attempt.lock;
    }
    if (!standby) {
      const err = instanceLockError(location, attempt.holder);
      err.message += '; stop it first, or start this one with --standby to take over when it stops';
      throw err;
    }
    if (!told) log.info({ holder: attempt.holder }, 'standby: another daemon holds the instance lock; waiting for it');
    told = true;
    if (!(await pause(STANDBY_POLL_MS, signal))) return null;
  }
}

export interface LockKeeper {
  state(): { ok: true } | { ok: false; error: string };
  release(): Promise<void>;
}

/**
 * Holds the Postgres instance lock for the daemon's life. Its connection can die with the database
 * (restart, outage): the daemon then keeps running rather than exit -- every sync still takes the
 * per-run ingest lock, so a second daemon cannot double-write meanwhile -- /healthz says
 * "instance lock lost", and the lock is taken again as soon as Postgres answers. If another daemon
 * took it in between, this one stops with exit 2 naming the holder, as it would have at start-up.
 */
export function keepInstanceLock(first: InstanceLock, opts: { handle: DbHandle; log: Logger; signals: SignalWatch }): LockKeeper {
  const { handle, log, signals } = opts;
  const { location } = handle;
  let current: InstanceLock | null = first;
  let lostError: string | null = null;

  const retake = async () => {
    while (await pause(STANDBY_POLL_MS, signals.signal)) {
      let attempt: TryLockResult;
      try {
        attempt = await tryInstanceLock(handle.dedicatedClient);
      } catch {
        continue; // the database is still away
      }
      if (attempt.acquired) {
        if (signals.signal.aborted) return attempt.lock.release();
        current = attempt.lock;
        lostError = null;
        log.info({}, 'instance lock taken again; resuming');
        watch(attempt.lock);
        return;
      }
      log.error({ holder: attempt.holder }, 'another daemon took the instance lock while the database was away; stopping');
      process.exitCode = 2;
      signals.stop({ kind: 'lock-lost', err: instanceLockError(location, attempt.holder) });
      return;
    }
  };
  const watch = (lock: InstanceLock) => {
    void lock.lost.then((err) => {
      if (signals.signal.aborted || current !== lock) return;
      current = null;
      lostError = err.message;
      log.error({ err }, 'instance lock lost with its database connection; retaking it when the database answers');
      void retake();
    });
  };
  watch(first);
  return {
    state: () => (lostError === null ? { ok: true } : { ok: false, error: lostError }),
    release: async () => {
      await current?.release();
    },
  };
}

/** Sleeps unless aborted; false when aborted. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
