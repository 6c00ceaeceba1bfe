// The embedded database on a loopback port, so psql (or any Postgres client) can reach it. PGlite runs
// in this process; @electric-sql/pglite-socket speaks the Postgres wire protocol in front of it.
// Like every process that opens the embedded database, this one takes the data dir's lock first: PGlite
// has no locking of its own, and two processes writing the same files would corrupt them.
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { openDb } from './connect.js';
import { migrate, type MigrateResult } from './migrate.js';

/** Loopback only: the server has no authentication and no TLS. */
export const SERVE_HOST = '127.0.0.1';

/**
 * Clients served at once. pglite-socket multiplexes them over PGlite's single session (a transaction
 * keeps the others waiting until it ends), which is enough for psql next to a GUI client; session
 * settings (SET, temp tables) are shared between them.
 */
const MAX_CONNECTIONS = 4;

export interface ServedDb {
  /** For psql: `psql "<url>"`. sslmode=disable because the server drops a connection that asks for TLS. */
  url: string;
  host: string;
  port: number;
  /** The PGlite data directory. */
  location: string;
  migrated: MigrateResult;
  /** Stops listening, closes the database (flushing it) and releases the lock. Safe to call twice. */
  close(): Promise<void>;
}

export function connectionUrl(host: string, port: number): string {
  return `postgresql://postgres@${host}:${port}/postgres?sslmode=disable`;
}

/**
 * Opens (and migrates) the embedded database under dataDir and serves it on host:port (port 0 = any
 * free port). Throws LockHeldError when another process has the database open, and the listen error
 * (EADDRINUSE...) when the port can't be had; nothing stays open or locked after a throw.
 */
export async function serveEmbeddedDb(dataDir: string, options: { port: number; host?: string }): Promise<ServedDb> {
  const host = options.host ?? SERVE_HOST;
  const handle = await openDb({ kind: 'pglite', dataDir });
  let server: PGLiteSocketServer | undefined;
  const shutDown = async () => {
    try {
      await server?.stop();
    } finally {
      await handle.close(); // closes PGlite (flushing it) and releases the lock
    }
  };
  try {
    const migrated = await migrate(handle);
    const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
    // The socket server passes the wire protocol straight through, so openDb's type parsers don't apply.
    const socketServer = new PGLiteSocketServer({ db: handle.pglite!, host, port: options.port, maxConnections: MAX_CONNECTIONS });
    server = socketServer;
    // start() never settles when listen fails (it only rejects errors raised before it marks itself
    // active), so the error event is raced against it.
    await new Promise<void>((resolve, reject) => {
      socketServer.addEventListener('error', (event) => reject((event as CustomEvent<Error>).detail), { once: true });
      socketServer.start().then(resolve, reject);
    });
    const port = Number(socketServer.getServerConn().split(':').at(-1));
    let closing: Promise<void> | undefined;
    return {
      url: connectionUrl(host, port),
      host,
      port,
      location: handle.location,
      migrated,
      close: () => (closing ??= shutDown()),
    };
  } catch (err) {
    await shutDown().catch(() => undefined);
    throw err;
  }
}
