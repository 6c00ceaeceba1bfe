// Request pacing and the circuit breaker. Both take the clock and sleep as parameters so tests run
// them on fake time; production passes Date.now and a timer.

export interface Clock {
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/**
 * Spaces request starts at least `minIntervalMs` apart. Each caller reserves the next free slot up
 * front, so concurrent callers queue in order instead of all waking at once.
 */
export function createSpacer(minIntervalMs: number, clock: Clock): (signal?: AbortSignal) => Promise<void> {
  let nextFree = -Infinity;
  return async (signal) => {
    if (minIntervalMs <= 0) return;
    const now = clock.now();
    const at = Math.max(now, nextFree);
    nextFree = at + minIntervalMs;
    if (at > now) await clock.sleep(at - now, signal);
  };
}

export interface BreakerOptions {
  /** Consecutive transient failures that open the circuit. */
  threshold: number;
  cooldownMs: number;
  clock: Clock;
  onOpen?: (info: { failures: number; cooldownMs: number; reopened: boolean }) => void;
  onClose?: () => void;
}

/**
 * After `threshold` consecutive transient failures every call waits out a cool-down instead of adding
 * to the pressure on Yahoo. After the cool-down the next call is a trial: one more failure re-opens at
 * once (the count is still at the threshold), a success closes it.
 */
export class CircuitBreaker {
  readonly #opts: BreakerOptions;
  #failures = 0;
  #openUntil = 0;
  #tripped = false;

  constructor(opts: BreakerOptions) {
    this.#opts = opts;
  }

  isOpen(): boolean {
    return this.#opts.clock.now() < this.#openUntil;
  }

  consecutiveFailures(): number {
    return this.#failures;
  }

  /** Resolves when calls may go out again. */
  async ready(signal?: AbortSignal): Promise<void> {
    for (let wait = this.#openUntil - this.#opts.clock.now(); wait > 0; wait = this.#openUntil - this.#opts.clock.now()) {
      await this.#opts.clock.sleep(wait, signal);
    }
  }

  success(): void {
    this.#failures = 0;
    if (this.#tripped) {
      this.#tripped = false;
      this.#openUntil = 0;
      this.#opts.onClose?.();
    }
  }

  failure(): void {
    this.#failures++;
    if (this.#failures >= this.#opts.threshold && !this.isOpen()) this.#open();
  }

  /** Opens the circuit now, whatever the count (the network itself is down). */
  trip(): void {
    if (!this.isOpen()) this.#open();
  }

  #open(): void {
    this.#openUntil = this.#opts.clock.now() + this.#opts.cooldownMs;
    this.#opts.onOpen?.({ failures: this.#failures, cooldownMs: this.#opts.cooldownMs, reopened: this.#tripped });
    this.#tripped = true;
  }
}
