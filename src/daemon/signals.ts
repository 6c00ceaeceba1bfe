// SIGINT/SIGTERM for long-running commands (run, demo --keep): the first asks for a clean stop (and
// arms a backstop that exits if the clean stop hangs), a second one exits at once.
import type { Logger } from 'pino';

/** Past this after the first signal, the process exits whatever is still running. */
export const HARD_STOP_MS = 9_500;
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

export type StopReason = { kind: 'signal'; name: 'SIGINT' | 'SIGTERM' } | { kind: 'lock-lost'; err: Error } | { kind: 'done' };

export interface SignalWatch {
  /** Resolves with the first stop request. */
  readonly stopped: Promise<StopReason>;
  /** Aborted at the first stop request. */
  readonly signal: AbortSignal;
  stop(reason: StopReason): void;
  dispose(): void;
}

export function watchSignals(log: Logger): SignalWatch {
  const controller = new AbortController();
  let resolveStop: (reason: StopReason) => void = () => {};
  const stopped = new Promise<StopReason>((resolve) => (resolveStop = resolve));
  const stop = (reason: StopReason) => {
    if (controller.signal.aborted) return;
    controller.abort(new Error(reason.kind === 'signal' ? `stopped by ${reason.name}` : `stopping (${reason.kind})`));
    // unref'd: it never keeps a process alive that has finished on its own.
    setTimeout(() => {
      log.error({ afterMs: HARD_STOP_MS }, 'clean stop took too long; exiting');
      process.exit(1);
    }, HARD_STOP_MS).unref();
    resolveStop(reason);
  };
  const handler = (name: 'SIGINT' | 'SIGTERM') => {
    if (controller.signal.aborted) process.exit(SIGNAL_EXIT[name]);
    log.info({ signal: name }, 'stopping');
    stop({ kind: 'signal', name });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    stopped,
    signal: controller.signal,
    stop,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

/** Exits shortly after a clean stop if a library left a handle (socket, timer) that keeps the loop alive. */
export function exitSoonIfStuck(): void {
  setTimeout(() => process.exit(process.exitCode ?? 0), 1_000).unref();
}
