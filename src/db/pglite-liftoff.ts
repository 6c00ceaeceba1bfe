// Switches this process's WebAssembly to V8's baseline compiler (Liftoff) only, for PGlite. With
// tier-up, V8 recompiles PGlite's hot functions with its optimizing compiler (TurboFan) on background
// threads: a one-shot command then waits for them before it can exit, and in a long-lived process
// the compiler's scratch memory stays in those threads' malloc arenas once freed (docs/PERFORMANCE.md,
// sections 5 and 6). Who calls it: a one-shot command (pglite-one-shot.ts) and the daemon
// (connect.ts); not `db serve`, whose psql sessions are query-bound. The flags apply to modules
// compiled from then on, so the caller sets them right before PGlite compiles its module; they
// cannot be undone.
import { setFlagsFromString } from 'node:v8';

/**
 * V8 derives the flags a flag implies only when it starts, so the two that --liftoff-only implies are
 * set with it: without them it is ignored on Node 24 (V8 13).
 */
const LIFTOFF_ONLY = '--liftoff-only --no-wasm-tier-up --no-wasm-dynamic-tiering';

export function useLiftoffOnly(): void {
  setFlagsFromString(LIFTOFF_ONLY);
}
