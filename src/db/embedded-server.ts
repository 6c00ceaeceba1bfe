// The embedded database: a bundled PostgreSQL server under the data dir, shared by every bubblewatch
// process that uses it, started by the first and stopped by the last.
//
// Who uses it is kept by the server itself: each process holds a lease, a shared advisory lock on a
// connection of its own, for as long as it uses the server. A lease ends with its connection, so a
// process killed with -9 holds none. Letting go, a process drops its lease and then tries for the
// lock exclusively: only the last one gets it, and it stops the server (unless `db start` left the
// keep mark). Of two processes letting go at once, at least one finds the other gone, so the server
// is never left running with no one using it; a process arriving while the last one stops it finds
// the lock taken, waits for the server to go and starts it again. A server whose user was killed
// (-9) keeps running until the next bubblewatch process lets go of it. Starting is guarded by
// PostgreSQL's own postmaster.pid: of two processes starting at once, one server wins and both use it.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from 'pg';
import type { Logger } from 'pino';
import {
  clearStalePidFile,
  EmbeddedServerError,
  followLog,
  initialiseCluster,
  readPostmaster,
  startCluster,
  stopCluster,
} from './embedded-cluster.js';
import {
  DEFAULT_SOCKET_PORT,
  EMBEDDED_DATABASE,
  EMBEDDED_USER,
  embeddedPaths,
  socketUrl,
  tcpUrl,
  type EmbeddedAddress,
  type EmbeddedPaths,
  type PostmasterStatus,
} from './embedded-paths.js';

export { EmbeddedServerError, letServerThroughDir } from './embedded-binaries.js';
export { PortInUseError } from './embedded-cluster.js';

/** Loopback only: TCP access (`--db-port`) is for clients on this machine, with the generated password. */
export const TCP_HOST = '127.0.0.1';

// "bwsv" in ASCII, beside the migration ("bubb"), daemon ("bwdm") and sync ("bwsy") locks.
const LEASE_CLASS = 0x6277_7376;
const LEASE_KEY = 0;

/** The data dir holds a database of the PGlite release, which PostgreSQL cannot open (exit 2). */
export class NeedsUpgradeError extends Error {
  override name = 'NeedsUpgradeError';
}

/** The server runs without the TCP port asked for, and others use it, so it cannot be restarted. */
export class ServerInUseError extends Error {
  override name = 'ServerInUseError';
}

export interface UseServerOptions {
  log?: Logger | undefined;
  /** Also listen on 127.0.0.1 at this port (0 = a free one), with the data dir's password. */
  tcpPort?: number | undefined;
  /** What this process is ("daemon", "sql"), in its sessions' application_name: `db stop` names who uses the server. */
  label?: string;
  /** The daemon's lease outlives a server that went away (crash, kill): the server is started again. */
  restartOnLoss?: boolean;
  /** How long to wait for a usable server (one starting or being stopped by its last user). Default 60 s. */
  timeoutMs?: number;
  signal?: AbortSignal | undefined;
}

export interface EmbeddedServer {
  /** PGDATA, safe to print. */
  location: string;
  /** How to reach the server now (its socket directory and port can change when it restarts). */
  address(): EmbeddedAddress;
  /** The libpq URI of the socket, for psql. */
  url(): string;
  /** The loopback address when the server listens on TCP. */
  tcp(): { host: string; port: number } | null;
  /** The other processes holding a lease ("bubblewatch daemon pid=123"), for `db stop` to name them. */
  users(): Promise<string[]>;
  /** Lets go of the server; the last user stops it unless `db start` keeps it. Safe to call twice. */
  release(): Promise<{ stopped: boolean }>;
}

/** A new pg client for the embedded server, with the connection settings the caller adds. */
type ClientFactory = (address: EmbeddedAddress, applicationName: string) => Client;

/**
 * The server of the data dir, started if none runs, with this process's lease on it. Creates the
 * cluster on first use (initdb).
 */
export async function useEmbeddedServer(dataDir: string, newClient: ClientFactory, options: UseServerOptions = {}): Promise<EmbeddedServer> {
  const paths = embeddedPaths(dataDir);
  await initialiseCluster(paths, options.log);
  const name = `bubblewatch ${options.label ?? 'command'} pid=${process.pid}`.slice(0, 63);
  // Letting go ends a restart in progress: the daemon is stopping.
  const stopRestarting = new AbortController();
  const acquire = (signal?: AbortSignal) => acquireLease(paths, newClient, name, { ...options, signal: signal ?? options.signal });
  let lease = await acquire();
  let released = false;
  let restarting: Promise<void> | null = null;
  const log = options.log;
  // The server's own log lines, into ours at debug (its file stays the record).
  const stopFollowing = log?.isLevelEnabled('debug') ? followLog(paths.logFile, (line) => log.debug({ line }, 'database server log')) : () => {};

  const onLost = (err: Error) => {
    if (released || !options.restartOnLoss || restarting) return;
    options.log?.warn({ err: { message: err.message } }, 'the embedded database server went away; starting it again');
    restarting = (async () => {
      for (let delay = 500; !released; delay = Math.min(delay * 2, 10_000)) {
        try {
          lease = await acquire(stopRestarting.signal);
          lease.client.on('error', onLost);
          lease.client.on('end', () => onLost(new Error('lease connection ended')));
          options.log?.info({ location: paths.pgdata }, 'embedded database server back');
          return;
        } catch (retry) {
          if (stopRestarting.signal.aborted) return;
          options.log?.warn({ err: retry }, 'cannot start the embedded database server yet; retrying');
          await sleep(delay, undefined, { signal: stopRestarting.signal }).catch(() => undefined);
        }
      }
    })().finally(() => (restarting = null));
  };
  lease.client.on('error', onLost);
  lease.client.on('end', () => onLost(new Error('lease connection ended')));

  const server: EmbeddedServer = {
    location: paths.pgdata,
    address: () => lease.address,
    url: () => socketUrl(lease.address),
    tcp: () => lease.tcp,
    users: () => otherUsers(lease.client),
    async release() {
      if (released) return { stopped: false };
      released = true;
      stopSignals();
      stopRestarting.abort();
      await restarting;
      stopFollowing();
      return letGo(paths, lease, options.log);
    },
  };
  const stopSignals = letGoOnSignals(server);
  return server;
}

/**
 * Ctrl-C or SIGTERM would end a command at once, before it lets go of the server, and the server
 * (a process of its own) would outlive it. When nothing else in the process handles the signal (a
 * daemon, `sync` and `db serve` do, and let go as they stop), the lease is let go first and the
 * signal then takes its usual course: the same exit (130, 143) as without a server.
 */
function letGoOnSignals(server: EmbeddedServer): () => void {
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const handler = () => {
      if (process.listenerCount(signal) > 1) return; // the process stops by itself, and lets go then
      process.off(signal, handler);
      void server.release().finally(() => process.kill(process.pid, signal));
    };
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  return () => handlers.forEach((off) => off());
}

interface Lease {
  client: Client;
  address: EmbeddedAddress;
  tcp: { host: string; port: number } | null;
}

/**
 * Waits for a running server (starting one when none runs) and takes a lease on it. A server this
 * call started is stopped again if the call fails or is aborted before the lease is taken (and no one
 * else uses it by then): nothing is left running for a process that never got in.
 */
async function acquireLease(paths: EmbeddedPaths, newClient: ClientFactory, name: string, options: UseServerOptions): Promise<Lease> {
  let startedHere = false;
  try {
    return await waitForLease(paths, newClient, name, options, () => (startedHere = true));
  } catch (err) {
    if (startedHere) await stopPathsIfUnused(paths, newClient, options.log).catch(() => undefined);
    throw err;
  }
}

async function waitForLease(paths: EmbeddedPaths, newClient: ClientFactory, name: string, options: UseServerOptions, onStarted: () => void): Promise<Lease> {
  const { log, signal } = options;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const wantsTcp = options.tcpPort !== undefined;
  for (;;) {
    signal?.throwIfAborted();
    if (Date.now() > deadline) {
      throw new EmbeddedServerError(`the embedded database server under ${paths.pgdata} did not become available within ${Math.round((options.timeoutMs ?? 60_000) / 1000)} s`);
    }
    const status = readPostmaster(paths);
    if (!status) {
      clearStalePidFile(paths);
      // Port 0: any free port, found when the server is to start (a running one's will do).
      const port = options.tcpPort === 0 ? await freePort() : (options.tcpPort ?? DEFAULT_SOCKET_PORT);
      const outcome = await startCluster(paths, { port, tcpHost: wantsTcp ? TCP_HOST : null, log });
      if (outcome.started) {
        onStarted();
        log?.debug({ location: paths.pgdata, serverPid: outcome.status.pid, tcpPort: wantsTcp ? port : null }, 'embedded database server started');
      }
      continue; // started (by this process or another): take a lease on it below
    }
    if (status.state !== 'ready') {
      await pause(50, signal);
      continue;
    }
    const address = addressOf(paths, status);
    const client = await connectOrNull(newClient, address, name);
    if (!client) {
      await pause(50, signal);
      continue;
    }
    try {
      const got = await client.query<{ ok: boolean }>('select pg_try_advisory_lock_shared($1::int4, $2::int4) as ok', [LEASE_CLASS, LEASE_KEY]);
      if (!got.rows[0]?.ok) {
        // The last user is stopping it: wait for it to go, then start it again.
        await client.end().catch(() => undefined);
        await pause(50, signal);
        continue;
      }
      const listening = status.listenAddress !== '';
      if (wantsTcp && !(listening && (options.tcpPort === 0 || status.port === options.tcpPort))) {
        await restartForTcp(client, status, paths, options);
        continue;
      }
      if (wantsTcp) await client.query(`alter role ${EMBEDDED_USER} password '${scramVerifier(dataDirPassword(paths))}'`);
      client.removeAllListeners('error');
      return { client, address, tcp: listening ? { host: TCP_HOST, port: status.port } : null };
    } catch (err) {
      await client.end().catch(() => undefined);
      // Its last user stopped it between our connecting and our lease (the stop ends every session):
      // look again, and start it if need be.
      if (serverWentAway(err)) {
        await pause(50, signal);
        continue;
      }
      throw err;
    }
  }
}

/**
 * The server runs without the TCP port asked for: restarted with it when no one else uses it (the
 * caller's loop starts it again), else refused naming who does.
 */
async function restartForTcp(client: Client, status: PostmasterStatus, paths: EmbeddedPaths, options: UseServerOptions): Promise<void> {
  if (!(await takeLast(client))) {
    const users = await otherUsers(client).catch(() => []);
    await client.end().catch(() => undefined);
    throw new ServerInUseError(
      `the embedded database server runs ${status.listenAddress ? `on port ${status.port}` : 'without a TCP port'} and is in use by ${users.join(', ') || 'another bubblewatch process'}, ` +
        'so it cannot be restarted on the port asked for: stop them first (a daemon can listen on TCP itself: run --db-port P)',
    );
  }
  options.log?.info({ location: paths.pgdata, tcpPort: options.tcpPort }, 'restarting the embedded database server to listen on TCP');
  await stopCluster(status);
  await client.end().catch(() => undefined);
}

/**
 * The form PostgreSQL stores a SCRAM-SHA-256 password in (RFC 5803), computed here so that the
 * password itself never travels to the server, nor into its log should the statement be logged.
 */
export function scramVerifier(password: string, salt = randomBytes(16), iterations = 4096): string {
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** Lets go of the lease; the last user stops the server (unless kept). */
async function letGo(paths: EmbeddedPaths, lease: Lease, log: Logger | undefined): Promise<{ stopped: boolean }> {
  const { client } = lease;
  client.removeAllListeners('end');
  client.removeAllListeners('error');
  client.on('error', () => undefined); // the stop below ends this connection from the server's side
  try {
    if (existsSync(paths.keepFile) || !(await takeLast(client))) return { stopped: false };
    // Checked again with the lock held: `db start` writes the mark before it takes its lease.
    if (existsSync(paths.keepFile)) return { stopped: false };
    const status = readPostmaster(paths);
    if (!status) return { stopped: false };
    await stopCluster(status);
    log?.debug({ location: paths.pgdata }, 'embedded database server stopped (no bubblewatch process uses it)');
    return { stopped: true };
  } catch (err) {
    // The server went away first (stopped or killed): nothing left to stop.
    log?.debug({ err }, 'letting go of the embedded database server');
    return { stopped: false };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Drops this session's lease, then tries for the lock exclusively: true when no other process holds
 * a lease (and none can take one until this session ends). Dropping first matters: two sessions each
 * holding a lease would otherwise both fail, and both leave the server running.
 */
async function takeLast(client: Client): Promise<boolean> {
  await client.query('select pg_advisory_unlock_shared($1::int4, $2::int4)', [LEASE_CLASS, LEASE_KEY]);
  const got = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1::int4, $2::int4) as ok', [LEASE_CLASS, LEASE_KEY]);
  return got.rows[0]?.ok === true;
}

/** The application names of the other sessions that hold a lease ("bubblewatch daemon pid=123"). */
async function otherUsers(client: Client): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `select a.application_name as name from pg_locks l join pg_stat_activity a on a.pid = l.pid
      where l.locktype = 'advisory' and l.granted and l.classid = $1::int8::oid and l.objid = $2::int8::oid
        and l.pid <> pg_backend_pid() order by a.backend_start`,
    [LEASE_CLASS, LEASE_KEY],
  );
  return rows.map((r) => r.name || 'a client');
}

async function connectOrNull(newClient: ClientFactory, address: EmbeddedAddress, name: string): Promise<Client | null> {
  const client = newClient(address, name);
  client.on('error', () => undefined);
  try {
    await client.connect();
    return client;
  } catch (err) {
    await client.end().catch(() => undefined);
    if (serverWentAway(err)) return null; // the caller looks again
    throw err;
  }
}

/**
 * Gone, or going: no socket (ENOENT, ECONNREFUSED), starting up or shutting down (57P03), the
 * session ended by a shutdown (57P01, 57P02) or cut (ECONNRESET; pg's "Connection terminated", and
 * "... not queryable" for a query sent on a session already ended).
 */
function serverWentAway(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  if (code && ['ENOENT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', '57P01', '57P02', '57P03'].includes(code)) return true;
  return err instanceof Error && /^Connection terminated|encountered a connection error and is not queryable/.test(err.message);
}

function addressOf(paths: EmbeddedPaths, status: PostmasterStatus): EmbeddedAddress {
  return { host: status.socketDir || paths.pgdata, port: status.port, user: EMBEDDED_USER, database: EMBEDDED_DATABASE };
}

/**
 * Refuses a data dir that holds a database of the PGlite release: PostgreSQL cannot open its files,
 * and a new empty database beside it would look like data lost. Only `db upgrade` opens it.
 */
export function refusePgliteDataDir(dataDir: string): void {
  if (hasPgliteDatabase(dataDir)) {
    throw new NeedsUpgradeError(
      `${embeddedPaths(dataDir).pgliteDir} holds the database of an earlier bubblewatch (PGlite); this version keeps it in a PostgreSQL server: run 'bubblewatch db upgrade' to move it there (every row is kept)`,
    );
  }
}

/** True when the data dir holds a database of the PGlite release. */
export function hasPgliteDatabase(dataDir: string): boolean {
  return existsSync(join(embeddedPaths(dataDir).pgliteDir, 'PG_VERSION'));
}

/** The data dir's password for TCP connections, made on first use (0600; of two made at once, the first stays). */
export function dataDirPassword(paths: EmbeddedPaths): string {
  const saved = () => {
    try {
      const text = readFileSync(paths.passwordFile, 'utf8').trim();
      return /^[A-Za-z0-9_-]{16,}$/.test(text) ? text : null;
    } catch {
      return null;
    }
  };
  const existing = saved();
  if (existing) return existing;
  const made = randomBytes(24).toString('base64url');
  try {
    writeFileSync(paths.passwordFile, `${made}\n`, { mode: 0o600, flag: 'wx' });
    return made;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const other = saved();
    if (!other) throw new EmbeddedServerError(`${paths.passwordFile} holds no usable password: remove it, and a new one is made`);
    return other;
  }
}

/** What runs for a data dir now, without starting anything (`db url`, the demo, tests). */
export function runningServer(dataDir: string): { address: EmbeddedAddress; url: string; tcp: { host: string; port: number } | null } | null {
  const paths = embeddedPaths(dataDir);
  const status = readPostmaster(paths);
  if (!status || status.state !== 'ready') return null;
  const address = addressOf(paths, status);
  return { address, url: socketUrl(address), tcp: status.listenAddress ? { host: TCP_HOST, port: status.port } : null };
}

/** The TCP URL of a running server, with the data dir's password: `db url --tcp`. */
export function tcpUrlOf(dataDir: string, tcp: { host: string; port: number }): string {
  return tcpUrl(tcp.host, tcp.port, dataDirPassword(embeddedPaths(dataDir)));
}

/**
 * Stops the data dir's server if it runs and no bubblewatch process uses it (nor `db start` keeps
 * it), never starting one; says who still uses it otherwise. For whatever is left from a process
 * that could not let go (killed with -9): the demo before it wipes its dir, tests, the bench.
 */
export function stopIfUnused(dataDir: string, newClient: ClientFactory, log?: Logger): Promise<{ stopped: boolean; users: string[] }> {
  return stopPathsIfUnused(embeddedPaths(dataDir), newClient, log);
}

async function stopPathsIfUnused(paths: EmbeddedPaths, newClient: ClientFactory, log?: Logger): Promise<{ stopped: boolean; users: string[] }> {
  const status = readPostmaster(paths);
  if (!status || status.state !== 'ready') return { stopped: false, users: [] };
  const client = await connectOrNull(newClient, addressOf(paths, status), `bubblewatch stop pid=${process.pid}`);
  if (!client) return { stopped: false, users: [] };
  try {
    const got = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1::int4, $2::int4) as ok', [LEASE_CLASS, LEASE_KEY]);
    if (!got.rows[0]?.ok) return { stopped: false, users: await otherUsers(client) };
    if (existsSync(paths.keepFile)) return { stopped: false, users: [] };
    client.on('error', () => undefined); // the stop ends this connection from the server's side
    await stopCluster(status);
    log?.debug({ location: paths.pgdata }, 'embedded database server stopped (no bubblewatch process uses it)');
    return { stopped: true, users: [] };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** `db start` keeps the server running with no process using it; `db stop` lets it go. */
export function setKeepMark(dataDir: string, keep: boolean): void {
  const { keepFile } = embeddedPaths(dataDir);
  if (keep) mkdirSync(dataDir, { recursive: true });
  if (keep) writeFileSync(keepFile, `kept by bubblewatch db start (pid ${process.pid}) at ${new Date().toISOString()}\n`);
  else rmSync(keepFile, { force: true });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, TCP_HOST, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  await sleep(ms, undefined, signal ? { signal } : {}).catch(() => {
    throw signal?.reason ?? new Error('aborted');
  });
}
