// How a one-shot command (`sql`, `status`, `report`, `sync`... on an embedded database with no daemon
// running) starts PGlite. The daemon and `db serve` live for days (a 4 MB buffer pool that keeps
// their idle memory down: EMBEDDED_SETTINGS in connect.ts; `db serve` with tiered WebAssembly); a
// command lives for a second or two, and two of PGlite's defaults cost it more than its work
// (measured in docs/PERFORMANCE.md, "CLI start-up"):
//
// - V8 compiles PGlite's 10 MB of WebAssembly with its baseline compiler (Liftoff), then recompiles
//   the hot functions with its optimizing one (TurboFan) on background threads. Node does not let a
//   process exit before those threads finish, so a command that had printed its answer sat idle for
//   0.2-1.5 s more on a 2-core machine with other work on it, and the recompiling slowed the command
//   itself. Liftoff alone is as fast as tiered code over a command's life (even a 10 s one); it only
//   loses on a process that runs for minutes (the daemon takes that for its memory: connect.ts). It
//   also keeps the process ~40 MB smaller (on Node 24, ~200 MB: its V8 tiers up far more eagerly).
// - shared_buffers is 128 MB (initdb's default), which Postgres zeroes at every start: ~150 ms and
//   ~110 MB of RSS. A command reads what it needs once; 32 MB is plenty, and the OS page cache keeps
//   the files warm between commands.
import { useLiftoffOnly } from './pglite-liftoff.js';

/** Postgres' shared buffer pool for a one-shot command's PGlite. */
export const ONE_SHOT_SHARED_BUFFERS = '32MB';

/**
 * PGlite's start parameters for a one-shot command (its defaults plus a smaller buffer pool), after
 * switching this process's WebAssembly to Liftoff only. The V8 flags apply to modules compiled from
 * now on, which is why they are set here, right before PGlite compiles its module; they cannot be
 * undone, so only a process that is a one-shot command calls this.
 */
export function oneShotStartParams(defaultStartParams: readonly string[]): string[] {
  useLiftoffOnly();
  return [...defaultStartParams, '-c', `shared_buffers=${ONE_SHOT_SHARED_BUFFERS}`];
}
