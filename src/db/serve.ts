// The embedded database on a loopback port, so psql (or any Postgres client) can reach it.
// - When a daemon (or another `db serve`) already has it open and serves it on the data dir's Unix
//   socket, the port is a plain byte relay to that socket: same database, same turn-taking.
// - Otherwise this process opens it (taking the data dir's lock, as every process that opens it does:
//   PGlite has no locking of its own) and serves it itself, on the port and on the Unix socket, so the
//   other commands work through it as they would through the daemon.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { openDb, openServed, servedSocketPath, type DbHandle } from './connect.js';
import { migrate, type MigrateResult } from './migrate.js';
import { startPgliteServer, type PgliteServer } from './pglite-server.js';

/** Loopback only: the server has no authentication and no TLS. */
export const SERVE_HOST = '127.0.0.1';

export interface ServedDb {
  /** For psql: `psql "<url>"`. sslmode=disable: there is no TLS (the server declines it). */
  url: string;
  host: string;
  port: number;
  /** The PGlite data directory. */
  location: string;
  /** null when relaying to a daemon that already serves it (it migrated the schema). */
  migrated: MigrateResult | null;
  /** True when relaying to the process that has the database open. */
  relayed: boolean;
  /** Stops listening, closes the database (flushing it) and releases the lock. Safe to call twice. */
  close(): Promise<void>;
}

export function connectionUrl(host: string, port: number): string {
  return `postgresql://postgres@${host}:${port}/postgres?sslmode=disable`;
}

/**
 * Serves the embedded database under dataDir on host:port (port 0 = any free port). Throws
 * LockHeldError when another process has the database open without serving it, and the listen error
 * (EADDRINUSE...) when the port can't be had; nothing stays open or locked after a throw.
 */
export async function serveEmbeddedDb(dataDir: string, options: { port: number; host?: string }): Promise<ServedDb> {
  const host = options.host ?? SERVE_HOST;
  const probe = await openServed(dataDir);
  if (probe) {
    await probe.close();
    return relayToSocket(servedSocketPath(dataDir), probe.location, host, options.port);
  }
  const handle = await openDb({ kind: 'pglite', dataDir }, { role: 'server' });
  const servers: PgliteServer[] = [];
  const shutDown = async () => {
    try {
      for (const server of servers) await server.close();
    } finally {
      await handle.close(); // closes PGlite (flushing it) and releases the lock
    }
  };
  try {
    const migrated = await migrate(handle);
    const serve = { pglite: handle.pglite!, gate: handle.gate! };
    const onPort = await startPgliteServer({ ...serve, listen: { host, port: options.port } });
    servers.push(onPort);
    servers.push(await startPgliteServer({ ...serve, listen: { path: servedSocketPath(dataDir) } }));
    let closing: Promise<void> | undefined;
    return served(host, onPort.port!, handle, migrated, false, () => (closing ??= shutDown()));
  } catch (err) {
    await shutDown().catch(() => undefined);
    throw err;
  }
}

function served(host: string, port: number, handle: Pick<DbHandle, 'location'>, migrated: MigrateResult | null, relayed: boolean, close: () => Promise<void>): ServedDb {
  return { url: connectionUrl(host, port), host, port, location: handle.location, migrated, relayed, close };
}

async function relayToSocket(socketPath: string, location: string, host: string, port: number): Promise<ServedDb> {
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection(socketPath);
    open.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as { port: number }).port;
  let closing: Promise<void> | undefined;
  return served(host, bound, { location }, null, true, () =>
    (closing ??= new Promise<void>((resolve) => {
      for (const s of open) s.destroy();
      server.close(() => resolve());
    })),
  );
}
