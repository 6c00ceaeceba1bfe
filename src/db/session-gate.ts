// PGlite has one session. When the daemon serves it to other processes, its own Kysely handle and
// every served client share that session, so each must have it to itself for a whole transaction
// (or a single statement outside one): otherwise one client's statements would run inside another's
// transaction and commit or roll back with it. The gate is that turn-taking: a first-come,
// first-served mutex held per unit of work, never per connection, so a short query waits for at
// most the unit in progress (one symbol's transaction during a backfill), not for a whole sync.
// A turn is re-entrant within its own async context (run() inside run(), a Kysely query inside a
// raw session), so in-process code that nests the two cannot deadlock on itself.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface GateTurn {
  release(): void;
}

export interface GateHolder {
  who: string;
  since: number;
}

export class SessionGate {
  #holder: GateHolder | null = null;
  #queue: { who: string; grant: () => void }[] = [];
  readonly #inTurn = new AsyncLocalStorage<SessionGate>();

  /** True when the caller's async context already has the turn (inside run()). */
  get heldHere(): boolean {
    return this.#inTurn.getStore() === this;
  }

  /** Who has the session now (null when free). */
  get holder(): GateHolder | null {
    return this.#holder;
  }

  get waiting(): number {
    return this.#queue.length;
  }

  /** Resolves when it is `who`'s turn; the turn lasts until release(). */
  acquire(who: string): Promise<GateTurn> {
    return new Promise((resolve) => {
      const grant = () => {
        this.#holder = { who, since: Date.now() };
        let released = false;
        resolve({
          release: () => {
            if (released) return;
            released = true;
            this.#holder = null;
            this.#queue.shift()?.grant();
          },
        });
      };
      if (this.#holder === null && this.#queue.length === 0) grant();
      else this.#queue.push({ who, grant });
    });
  }

  async run<T>(who: string, fn: () => Promise<T>): Promise<T> {
    if (this.heldHere) return fn();
    const turn = await this.acquire(who);
    try {
      return await this.#inTurn.run(this, fn);
    } finally {
      turn.release();
    }
  }
}
