// Kysely on PGlite, taking turns on PGlite's one session (session-gate.ts). Kysely holds a connection
// for one query, or for a whole transaction, between acquireConnection and releaseConnection; the turn
// is held exactly as long, so a served client's statements never land inside the daemon's transaction
// and the daemon's never inside a client's.
import type { DatabaseConnection, Dialect, Driver, TransactionSettings } from 'kysely';
import type { GateTurn, SessionGate } from './session-gate.js';

class GatedDriver implements Driver {
  /** One connection at a time (PGlite has one session): the turn that goes with it. */
  #turn: GateTurn | null = null;

  constructor(
    private readonly inner: Driver,
    private readonly gate: SessionGate,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    // Inside a turn this async context already holds (a raw session running Kysely), no second turn.
    const turn = this.gate.heldHere ? null : await this.gate.acquire('kysely');
    try {
      const connection = await this.inner.acquireConnection();
      this.#turn = turn;
      return connection;
    } catch (err) {
      turn?.release();
      throw err;
    }
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const turn = this.#turn;
    this.#turn = null;
    try {
      await this.inner.releaseConnection(connection);
    } finally {
      turn?.release();
    }
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

export function gatedDialect(inner: Dialect, gate: SessionGate): Dialect {
  return {
    createAdapter: () => inner.createAdapter(),
    createDriver: () => new GatedDriver(inner.createDriver(), gate),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createIntrospector: (db) => inner.createIntrospector(db),
  };
}
