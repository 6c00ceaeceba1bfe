// The bundled PostgreSQL server's cluster and processes: initdb, starting it detached, stopping it,
// its postmaster.pid and its log. Its programs and the user they run as are embedded-binaries.ts's;
// who may start or stop it, and when, is embedded-server.ts's business.
//
// Why the binaries and not the package's EmbeddedPostgres class: the class ties the server to the Node
// process that started it (its child, killed when that process exits) and, on import, installs exit
// hooks that call process.exit on SIGINT/SIGTERM, which would cut the daemon's graceful shutdown short
// and lose a command's exit code. Here the server is a process of its own (its own session, so a
// Ctrl-C in the terminal does not reach it) that any bubblewatch process can use and the last one stops.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chownSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, readSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { assertReachable, EmbeddedServerError, EmbeddedSetupError, letServerThrough, serverBinaries, serverUser, type ServerUser } from './embedded-binaries.js';
import { EMBEDDED_DATABASE, EMBEDDED_USER, HBA_CONF, maxSocketPath, parsePostmasterPid, settingsBlock, type EmbeddedPaths, type PostmasterStatus } from './embedded-paths.js';

export { EmbeddedServerError, EmbeddedSetupError } from './embedded-binaries.js';

/** The TCP port asked for is taken (exit 2: the user picks another). */
export class PortInUseError extends Error {
  override name = 'PortInUseError';
}

/** What postmaster.pid says, when the process it names is this data dir's postgres (see isServerOf). */
export function readPostmaster(paths: EmbeddedPaths): PostmasterStatus | null {
  const status = readPidFile(paths);
  return status && isServerOf(status.pid, paths.pgdata) === true ? status : null;
}

function readPidFile(paths: EmbeddedPaths): PostmasterStatus | null {
  try {
    return parsePostmasterPid(readFileSync(join(paths.pgdata, 'postmaster.pid'), 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Whether `pid` is the postmaster of this PGDATA: true, false, or null when it cannot be told. After
 * a reboot or a container restart the pid in a stale postmaster.pid can belong to another process
 * (PID 1 in a container, another cluster's postgres), which PostgreSQL would take for a running
 * server and refuse to start. A postmaster works in its data directory, so its current directory
 * (/proc/<pid>/cwd) names its cluster whatever path, symlinked or not, it was started with; without
 * /proc (macOS) ps gives its command line.
 */
function isServerOf(pid: number, pgdata: string): boolean | null {
  if (!isAlive(pid)) return false;
  const ours = realpathOr(pgdata);
  if (existsSync('/proc/self')) {
    let argv0: string;
    try {
      argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    } catch {
      return isAlive(pid) ? null : false;
    }
    if (!/(^|\/)postgres$/.test(argv0)) return false;
    try {
      return readlinkSync(`/proc/${pid}/cwd`) === ours;
    } catch {
      return null; // another user's process, or gone: not ours to judge
    }
  }
  try {
    const command = execFileSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' }).trim();
    const dir = /(?:^|\s)-D\s+(\S+)/.exec(command)?.[1];
    return /(^|\/)postgres(\s|$)/.test(command) && dir !== undefined && realpathOr(dir) === ours;
  } catch {
    return null;
  }
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The server's settings for this start: the socket in PGDATA, TCP on loopback only when asked. */
function startArgs(paths: EmbeddedPaths, port: number, tcpHost: string | null): string[] {
  // A list setting: the path quoted, so a comma or space in it stays part of it.
  const socketDir = `"${paths.pgdata.replaceAll('"', '""')}"`;
  return ['-D', paths.pgdata, '-p', String(port), '-c', `unix_socket_directories=${socketDir}`, '-c', `listen_addresses=${tcpHost ?? ''}`];
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
  if (Buffer.byteLength(longest) > maxSocketPath(process.platform)) {
    throw new EmbeddedSetupError(
      `the data dir's path is too long for the database server's socket (${Buffer.byteLength(longest)} > ${maxSocketPath(process.platform)} bytes): use a shorter BUBBLEWATCH_DATA_DIR`,
    );
  }
  if (user) {
    letServerThrough(parent, user);
    assertReachable(paths.pgdata, user, 'the data dir');
    assertReachable(initdb, user, 'the bundled PostgreSQL');
  }
  log?.info({ pgdata: paths.pgdata }, 'creating the embedded database (first run on this data dir; takes a second or two)');
  removeAbandonedStaging(paths);
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

/** Staging dirs of initdbs whose process died before the rename (killed during its first run). */
function removeAbandonedStaging(paths: EmbeddedPaths): void {
  const prefix = `${basename(paths.pgdata)}.init-`;
  for (const name of readdirSync(dirname(paths.pgdata))) {
    const pid = name.startsWith(prefix) ? Number(name.slice(prefix.length).split('-')[0]) : 0;
    if (pid > 0 && !isAlive(pid)) rmSync(join(dirname(paths.pgdata), name), { recursive: true, force: true });
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
 * `graceMs` an immediate one (SIGQUIT), and SIGKILL as the last resort. Resolves when it is gone.
 */
export async function stopCluster(status: PostmasterStatus, graceMs = 10_000): Promise<void> {
  const send = (name: NodeJS.Signals) => {
    try {
      process.kill(status.pid, name);
    } catch {
      // already gone
    }
  };
  const started = Date.now();
  const steps: [afterMs: number, signal: NodeJS.Signals][] = [[0, 'SIGINT'], [graceMs, 'SIGQUIT'], [graceMs + 5_000, 'SIGKILL']];
  while (isAlive(status.pid)) {
    while (steps.length > 0 && Date.now() - started >= steps[0]![0]) send(steps.shift()![1]);
    if (steps.length === 0 && Date.now() - started > graceMs + 10_000) {
      throw new EmbeddedServerError(`the database server (pid ${status.pid}) did not stop, even after SIGKILL`);
    }
    await sleep(20);
  }
}

function isAlive(pid: number): boolean {
  return pidExists(pid) && !isZombie(pid);
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
 * Removes a postmaster.pid that names a process which is provably not this data dir's postgres but
 * that PostgreSQL would take for one (a live or unreaped pid: PID reuse, a zombie), the stale cases
 * PostgreSQL cannot see through by itself; a pid that is gone it handles on its own.
 */
export function clearStalePidFile(paths: EmbeddedPaths): void {
  const status = readPidFile(paths);
  if (status && pidExists(status.pid) && isServerOf(status.pid, paths.pgdata) === false) {
    rmSync(join(paths.pgdata, 'postmaster.pid'), { force: true });
  }
}

/** What kill(pid, 0) says: true for a zombie too, as PostgreSQL's own check sees it. */
function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
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
