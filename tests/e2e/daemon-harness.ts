// Spawns the compiled CLI (`node bin/bubblewatch.js run ...`, built by `npm run build`) as a long-running
// process and follows its JSON log lines on stderr, so tests can wait for "daemon scheduled", send
// signals and time the exit. Nothing here reaches beyond loopback: every daemon gets YAHOO_BASE_URL.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newEmbeddedClient } from '../../src/db/connect.js';
import { stopIfUnused } from '../../src/db/embedded-server.js';
import { CLI, PROJECT_ROOT } from '../helpers/cli.js';

export type LogLine = Record<string, unknown> & { msg?: string; level?: number };

export interface DaemonProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly lines: LogLine[];
  stdout(): string;
  stderr(): string;
  /** Resolves with the first log line (past or future) that matches. */
  waitFor(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  waitForMsg(msg: string | RegExp, timeoutMs?: number): Promise<LogLine>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  alive(): boolean;
  /** Sends the signal and resolves with the exit and how long it took. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; ms: number }>;
}

export function spawnDaemon(args: string[], env: NodeJS.ProcessEnv): DaemonProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: PROJECT_ROOT,
    // A clean environment: nothing from the developer's shell (DATABASE_URL...) leaks in.
    env: { PATH: process.env.PATH, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  const waiters: { match: (l: LogLine) => boolean; resolve: (l: LogLine) => void }[] = [];
  let stdout = '';
  let stderr = '';
  let partial = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d;
    partial += d;
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    for (const text of parts) {
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        line = { msg: text, raw: true };
      }
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.match(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => {
    // 'close' comes after stdout and stderr are drained, so every log line is in `lines` by then.
    child.on('close', (code, signal) => {
      done = true;
      resolve({ code, signal, at: Date.now() });
    });
  });
  const waitFor = (match: (l: LogLine) => boolean, timeoutMs = 60_000) => {
    const seen = lines.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise<LogLine>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching log line within ${timeoutMs} ms; stderr:\n${stderr.slice(-4000)}`)), timeoutMs);
      waiters.push({ match, resolve: (l) => (clearTimeout(timer), resolve(l)) });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`process exited before the log line; stderr:\n${stderr.slice(-4000)}`));
      });
    });
  };
  return {
    child,
    pid: child.pid!,
    lines,
    stdout: () => stdout,
    stderr: () => stderr,
    waitFor,
    waitForMsg: (msg, timeoutMs) => waitFor((l) => (typeof msg === 'string' ? l.msg === msg : msg.test(String(l.msg ?? ''))), timeoutMs),
    exited,
    alive: () => !done,
    async stop(signal = 'SIGTERM') {
      const t0 = Date.now();
      if (done) return { code: (await exited).code, ms: 0 };
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const exit = await exited;
      clearTimeout(timer);
      return { code: exit.code, ms: exit.at - t0 };
    },
  };
}

/** What every test daemon wants: an ephemeral loopback port, no tick jitter, no request spacing. */
const TEST_CONFIG: Record<string, Record<string, unknown>> = {
  http: { host: '127.0.0.1', port: 0 },
  schedules: { jitterSeconds: 0 },
  yahoo: { minIntervalMs: 0 },
};

/**
 * The shipped config with TEST_CONFIG and then `patch` laid over it, section by section (a patched
 * section keeps the keys it doesn't name), plus claims.json beside it.
 */
export function writeTestConfig(dir: string, patch: Record<string, unknown> = {}): string {
  mkdirSync(dir, { recursive: true });
  const merged = JSON.parse(readFileSync(join(PROJECT_ROOT, 'config/bubblewatch.json'), 'utf8')) as Record<string, unknown>;
  for (const layer of [TEST_CONFIG, patch]) {
    for (const [key, value] of Object.entries(layer)) {
      const old = merged[key];
      const bothObjects = [old, value].every((v) => v && typeof v === 'object' && !Array.isArray(v));
      merged[key] = bothObjects ? { ...(old as object), ...(value as object) } : value;
    }
  }
  const path = join(dir, 'bubblewatch.json');
  writeFileSync(path, JSON.stringify(merged, null, 2));
  copyFileSync(join(PROJECT_ROOT, 'config/claims.json'), join(dir, 'claims.json'));
  return path;
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The URL the daemon's HTTP server listens on, from its log. */
export async function daemonUrl(daemon: DaemonProcess, timeoutMs?: number): Promise<string> {
  const line = await daemon.waitForMsg('http listening', timeoutMs);
  return String(line.url);
}

/**
 * A temp dir to hold data dirs of the bundled PostgreSQL. As root the server runs as the `postgres`
 * user, which must pass through every directory above its files: the CLI opens up the data dir itself,
 * not its parents, and mkdtemp makes this one 0700.
 */
export function tempRoot(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o711);
  return dir;
}

/**
 * Stops the embedded server of a data dir if one still runs, as its last user: a daemon killed with -9
 * (a failed test's clean-up) holds no lease but leaves the server running, and the next bubblewatch
 * process to let go stops it. Call before removing the data dir.
 */
export async function stopLeftOverServer(dataDir: string): Promise<void> {
  await stopIfUnused(dataDir, await newEmbeddedClient());
}
