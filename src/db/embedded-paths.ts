// Pure: where the embedded PostgreSQL server keeps its files under the data dir, how it is reached,
// and what its postmaster.pid says. No I/O here: embedded-cluster.ts reads the files and runs the server.
import { join } from 'node:path';

/** The superuser role and the database the project uses on the embedded server. */
export const EMBEDDED_USER = 'postgres';
export const EMBEDDED_DATABASE = 'bubblewatch';
/** The port names the socket file (.s.PGSQL.5432) even when the server listens on no TCP port. */
export const DEFAULT_SOCKET_PORT = 5432;
/** The kernel's limit for a Unix socket path (sun_path) less its terminating NUL: 107 on Linux, 103 on macOS and the BSDs. */
export function maxSocketPath(platform: string): number {
  return platform === 'linux' ? 107 : 103;
}

export interface EmbeddedPaths {
  /** The server's own data directory (PGDATA), owned by the user the server runs as, mode 0700. */
  pgdata: string;
  /** The server's log (its stdout and stderr). */
  logFile: string;
  /** The password of the superuser for TCP connections (`--db-port`), mode 0600. */
  passwordFile: string;
  /** Present while `db start` keeps the server running with no process using it. */
  keepFile: string;
  /** A database of the PGlite release (bubblewatch 0.1): only `db upgrade` opens it. */
  pgliteDir: string;
}

export function embeddedPaths(dataDir: string): EmbeddedPaths {
  return {
    pgdata: join(dataDir, 'pg'),
    logFile: join(dataDir, 'pg', 'server.log'),
    passwordFile: join(dataDir, 'pg-password'),
    keepFile: join(dataDir, 'pg-keep'),
    pgliteDir: join(dataDir, 'pglite'),
  };
}

/** What postmaster.pid says about the server that wrote it (PostgreSQL's pidfile.h, lines 1-8). */
export interface PostmasterStatus {
  pid: number;
  port: number;
  /** The first Unix socket directory; '' when none. */
  socketDir: string;
  /** The first listen address; '' when the server listens on no TCP address. */
  listenAddress: string;
  /** 'starting', 'ready', 'stopping' or 'standby' (empty while the postmaster is writing it). */
  state: string;
}

/** Parses postmaster.pid; null when it is incomplete (being written) or not one. */
export function parsePostmasterPid(text: string): PostmasterStatus | null {
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return null;
  return {
    pid,
    port,
    socketDir: (lines[4] ?? '').trim(),
    listenAddress: (lines[5] ?? '').trim().split(/[\s,]+/)[0] ?? '',
    state: (lines[7] ?? '').trim(),
  };
}

/** How pg reaches the server: its socket directory and port, the project's role and database. */
export interface EmbeddedAddress {
  host: string;
  port: number;
  user: string;
  database: string;
}

/**
 * The libpq URI of the server's socket: `psql "$(bubblewatch db url)"`. The socket directory goes in
 * `host=` (libpq's form for a Unix socket); no password is needed there (the directory is 0700).
 */
export function socketUrl(address: EmbeddedAddress): string {
  const host = encodeURIComponent(address.host).replaceAll('%2F', '/');
  return `postgresql:///${address.database}?host=${host}&port=${address.port}&user=${address.user}`;
}

/** The URI for a TCP connection on loopback, with the data dir's generated password. */
export function tcpUrl(host: string, port: number, password: string): string {
  return `postgresql://${EMBEDDED_USER}:${encodeURIComponent(password)}@${host}:${port}/${EMBEDDED_DATABASE}`;
}

/** Server settings that suit a laptop: a small buffer pool, few connections (all are ours). */
export const EMBEDDED_SETTINGS: Readonly<Record<string, string>> = {
  shared_buffers: '32MB',
  max_connections: '40',
  // The server's log is the file in the data dir; checkpoints every few minutes are not news.
  log_checkpoints: 'off',
  // Messages in English, so the project (and its users) read the same words everywhere.
  lc_messages: "'C'",
  timezone: "'UTC'",
  log_timezone: "'UTC'",
  unix_socket_permissions: '0700',
  huge_pages: 'off',
};

/** The postgresql.conf block written at initdb (the settings above, one per line). */
export function settingsBlock(settings: Readonly<Record<string, string>> = EMBEDDED_SETTINGS): string {
  const lines = Object.entries(settings).map(([name, value]) => `${name} = ${value}`);
  return `\n# bubblewatch: the embedded server of one data dir (src/db/embedded-paths.ts)\n${lines.join('\n')}\n`;
}

/** The pg_hba.conf written at initdb: the socket (in a 0700 directory) trusted, TCP only with the password. */
export const HBA_CONF = [
  '# bubblewatch: local connections come through the socket in a 0700 directory; TCP (--db-port) needs the password',
  'local all all trust',
  'host all all 127.0.0.1/32 scram-sha-256',
  'host all all ::1/128 scram-sha-256',
  '',
].join('\n');
