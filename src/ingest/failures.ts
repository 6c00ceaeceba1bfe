// Classifying a symbol's failure for the run record: Yahoo's own errors carry their kind; anything
// else is named after the stage it happened in (fetch, map, store).
import type { Logger } from 'pino';
import type { RunFailure } from '../db/schema.js';
import { ProviderError } from '../providers/yahoo/errors.js';
import { redactUrl } from '../redact.js';
import { messageOf } from './run-context.js';

/** Where a symbol's work failed decides the kind when the error itself doesn't carry one. */
export type Stage = 'fetch' | 'map' | 'store';

export class StageError extends Error {
  constructor(
    readonly stage: Stage,
    override readonly cause: unknown,
  ) {
    super(messageOf(cause), { cause });
  }
}

export function failureOf(symbol: string, err: unknown): RunFailure {
  const cause = err instanceof StageError ? err.cause : err;
  if (cause instanceof ProviderError) return { symbol, kind: cause.kind, reason: redactUrl(cause.message) };
  const stage = err instanceof StageError ? err.stage : 'fetch';
  const kind = stage === 'map' ? 'bad_payload' : stage === 'store' ? 'database' : 'error';
  return { symbol, kind, reason: messageOf(cause) };
}

/**
 * Yahoo's answers (not found, rate limited...) are classified and expected: kind and reason say it all.
 * Anything else (the database, a bug) gets the whole error, stack included.
 */
export function logFailure(log: Logger, failure: RunFailure, err: unknown): void {
  const cause = err instanceof StageError ? err.cause : err;
  // Not tried at all (the circuit is open): the caller says so once for the whole run.
  if (cause instanceof ProviderError && cause.kind === 'unreachable') log.debug({ kind: failure.kind, reason: failure.reason }, 'symbol not synced');
  else if (cause instanceof ProviderError) log.warn({ kind: failure.kind, reason: failure.reason }, 'symbol sync failed');
  else log.warn({ kind: failure.kind, err: cause }, 'symbol sync failed');
}

export async function inStage<T>(stage: Stage, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new StageError(stage, err);
  }
}
