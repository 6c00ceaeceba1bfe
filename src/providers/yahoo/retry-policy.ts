// When a Yahoo call is tried again, and how long it waits first. Two reasons to ask again, one
// policy: a transient failure (429, 5xx, a reset, a timeout) is retried with backoff and jitter
// under the circuit breaker (attempt), and an answer whose data contradicts itself is asked for again
// a few times (askAgainAfterConflict). A one-shot command ('fail' mode) gives up as soon as the
// circuit opens, or after ONE_SHOT_CONNECT_ATTEMPTS attempts that could not connect at all.
import pRetry, { AbortError } from 'p-retry';
import { ProviderError, classifyError, describeFailure, isConnectFailure, toProviderError, type ProviderErrorKind } from './errors.js';
import type { ProviderLogger } from './logger.js';
import type { CircuitBreaker, Clock } from './pacing.js';

/**
 * A one-shot command ('fail' mode) gives up on Yahoo after this many attempts in a row that could not
 * connect at all (no DNS, connection refused, no route): offline, the backoff would only keep a
 * person waiting for the same "unreachable" (docs/RELIABILITY.md has the figures). A connection
 * that opens and then fails (reset, timeout, a 5xx) keeps the full retries; the daemon always does.
 */
export const ONE_SHOT_CONNECT_ATTEMPTS = 2;

export type YahooCallEndpoint = 'chart' | 'quote';

export interface RetryEvent {
  endpoint: YahooCallEndpoint;
  subject: string;
  kind: ProviderErrorKind;
  status: number | undefined;
  attempt: number;
  delayMs: number;
}

/** The counters the policy keeps (the client's stats). */
export interface RetryCounters {
  attempts: number;
  retries: number;
  failures: Partial<Record<ProviderErrorKind, number>>;
}

export interface RetryPolicyOptions {
  /** Retries of transient failures per call. */
  retries: number;
  /** First backoff step; doubles per retry, with jitter. */
  backoffBaseMs: number;
  /** First backoff step after a 429 (Yahoo's limits are counted in minutes). */
  rateLimitBackoffMs: number;
  /** Cap of one backoff step. */
  backoffMaxMs: number;
  /** 'fail': give up when the circuit opens (one-shot commands); 'wait': wait out the cool-down (the daemon). */
  whenCircuitOpen: 'wait' | 'fail';
  clock: Clock;
  /** 0..1, for the jitter. */
  random: () => number;
  log: ProviderLogger;
  counters: RetryCounters;
  onRetry?: ((event: RetryEvent) => void) | undefined;
  /** Waits between the starts of two attempts (request spacing). */
  space: (signal?: AbortSignal) => Promise<void>;
}

export class YahooRetryPolicy {
  readonly #o: RetryPolicyOptions;
  #breaker: CircuitBreaker | null = null;
  #lastFailure: string | null = null;
  /** Consecutive attempts that could not even connect (see ONE_SHOT_CONNECT_ATTEMPTS). */
  #connectFailures = 0;
  /** Fires when the circuit opens in 'fail' mode: cuts the backoff waits of the other calls short. */
  readonly #circuitOpened = new AbortController();

  constructor(options: RetryPolicyOptions) {
    this.#o = options;
  }

  /** The breaker the policy reports to (it is built with the policy's circuitOpened as its onOpen). */
  attach(breaker: CircuitBreaker): void {
    this.#breaker = breaker;
  }

  get #failFast(): boolean {
    return this.#o.whenCircuitOpen === 'fail';
  }

  get #circuit(): CircuitBreaker {
    if (!this.#breaker) throw new Error('retry policy used before its circuit breaker was attached');
    return this.#breaker;
  }

  /** What the last failed attempt said; null after a success. */
  lastFailure(): string | null {
    return this.#lastFailure;
  }

  /** The breaker opened: in 'fail' mode every call in flight or waiting ends as unreachable. */
  circuitOpened(failures: number): void {
    if (!this.#failFast) return;
    // The caller says why it stops, once (the CLI's "cannot reach Yahoo" line).
    this.#o.log.debug({ failures, last: this.#lastFailure }, 'yahoo circuit open, failing the remaining calls');
    this.#circuitOpened.abort(this.unreachable());
  }

  unreachable(subject?: string): ProviderError {
    const detail = `Yahoo unreachable (circuit open after ${this.#circuit.consecutiveFailures()} consecutive failures${this.#lastFailure ? `; last: ${this.#lastFailure}` : ''})`;
    return new ProviderError(`yahoo unreachable${subject ? ` (${subject})` : ''}: ${detail}`, {
      kind: 'unreachable',
      detail,
      ...(subject !== undefined ? { subject } : {}),
    });
  }

  /** The wait before retry `attempt` (1-based): doubling steps from the kind's base, capped, with equal jitter. */
  backoffMs(attempt: number, kind: ProviderErrorKind): number {
    const base = kind === 'rate_limited' ? this.#o.rateLimitBackoffMs : this.#o.backoffBaseMs;
    const step = Math.min(this.#o.backoffMaxMs, base * 2 ** (attempt - 1));
    // "Equal jitter": at least half the step, so retries never bunch up at zero.
    return Math.round(step / 2 + (this.#o.random() * step) / 2);
  }

  /** One call: its attempts under the breaker and the spacing, transient failures retried after a backoff. */
  attempt<T>(endpoint: YahooCallEndpoint, subject: string, signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
    return pRetry(() => this.#once(endpoint, subject, signal, run), {
      retries: this.#o.retries,
      // p-retry's own timer stays at 0: the backoff runs on the injected clock.
      minTimeout: 0,
      onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => this.#beforeRetry(endpoint, subject, signal, error, attemptNumber, retriesLeft),
      ...(signal ? { signal } : {}),
    });
  }

  /**
   * An answer that contradicts itself (`reason`), as attempt `attempt`: waits and returns so the caller
   * asks again, or throws once `maxRetries` are spent. Yahoo answered: the breaker is not told.
   */
  async askAgainAfterConflict(endpoint: YahooCallEndpoint, subject: string, reason: string, attempt: number, maxRetries: number, signal?: AbortSignal): Promise<void> {
    if (attempt > maxRetries) throw new ProviderError(`yahoo bad_payload (${subject}): ${reason}`, { kind: 'bad_payload', subject, detail: reason });
    const delayMs = this.backoffMs(attempt, 'bad_payload');
    this.#o.counters.retries++;
    this.#o.onRetry?.({ endpoint, subject, kind: 'bad_payload', status: undefined, attempt, delayMs });
    this.#o.log.warn({ endpoint, subject, attempt, delayMs, reason }, 'yahoo sent a date twice with different values, asking again');
    await this.#o.clock.sleep(delayMs, signal);
  }

  async #once<T>(endpoint: YahooCallEndpoint, subject: string, signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
    const breaker = this.#circuit;
    if (this.#failFast && breaker.isOpen()) throw new AbortError(this.unreachable(subject));
    await breaker.ready(signal);
    await this.#o.space(signal);
    this.#o.counters.attempts++;
    try {
      const result = await run();
      this.#lastFailure = null;
      this.#connectFailures = 0;
      breaker.success();
      return result;
    } catch (err) {
      throw this.#failed(endpoint, subject, signal, err);
    }
  }

  /** What a failed attempt throws: the error to retry, or an AbortError that ends the call. */
  #failed(endpoint: YahooCallEndpoint, subject: string, signal: AbortSignal | undefined, err: unknown): Error {
    if (signal?.aborted) return new AbortError(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    const { log, counters } = this.#o;
    const breaker = this.#circuit;
    const error = toProviderError(err, subject);
    counters.failures[error.kind] = (counters.failures[error.kind] ?? 0) + 1;
    if (!error.transient) {
      // Yahoo answered (not found, bad request...): it is up, whatever we asked.
      breaker.success();
      log.debug({ endpoint, subject, kind: error.kind, err: error }, 'yahoo call failed');
      return new AbortError(error);
    }
    this.#lastFailure = describeFailure(err);
    breaker.failure();
    this.#connectFailures = isConnectFailure(err) ? this.#connectFailures + 1 : 0;
    if (this.#failFast && this.#connectFailures >= ONE_SHOT_CONNECT_ATTEMPTS) breaker.trip();
    if (this.#failFast && breaker.isOpen()) {
      log.debug({ endpoint, subject, kind: error.kind, err: error }, 'yahoo call failed');
      return new AbortError(this.unreachable(subject));
    }
    return error;
  }

  async #beforeRetry(endpoint: YahooCallEndpoint, subject: string, signal: AbortSignal | undefined, error: Error, attemptNumber: number, retriesLeft: number): Promise<void> {
    const { log, counters, clock } = this.#o;
    const kind = classifyError(error);
    if (retriesLeft <= 0) {
      log.debug({ endpoint, subject, kind, attempts: attemptNumber, err: error }, 'yahoo call failed, retries exhausted');
      return;
    }
    const delayMs = this.backoffMs(attemptNumber, kind);
    counters.retries++;
    const status = error instanceof ProviderError ? error.status : undefined;
    this.#o.onRetry?.({ endpoint, subject, kind, status, attempt: attemptNumber, delayMs });
    if (kind === 'rate_limited') log.warn({ endpoint, subject, kind, attempt: attemptNumber, delayMs }, 'yahoo rate limited, backing off');
    else log.debug({ endpoint, subject, kind, attempt: attemptNumber, delayMs, err: error }, 'yahoo call failed, retrying');
    const opened = this.#circuitOpened.signal;
    try {
      await clock.sleep(delayMs, this.#failFast ? (signal ? AbortSignal.any([signal, opened]) : opened) : signal);
    } catch (err) {
      // The circuit opened during the wait: this call ends as unreachable too (p-retry rejects with
      // what onFailedAttempt throws, as is).
      if (!signal?.aborted && opened.aborted) throw this.unreachable(subject);
      throw err;
    }
  }
}
