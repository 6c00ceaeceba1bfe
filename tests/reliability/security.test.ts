// The checks behind the security review in docs/RELIABILITY.md that a test can make: no database
// password in any output when the connection fails (debug logging and stack traces included), HTTP
// servers and the bundled database server on loopback by default, no shell, eval or dynamic code
// anywhere in src/, and a docker-compose.yml with no default password and no public port.
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { embeddedPaths, parsePostmasterPid } from '../../src/db/embedded-paths.js';
import { startSimServer } from '../../src/sim/server.js';
import { PROJECT_ROOT, runCli } from '../helpers/cli.js';
import { closedPort, daemonUrl, spawnDaemon, stopLeftOverServer, tempRoot, writeTestConfig } from '../e2e/daemon-harness.js';
import { serverProcesses } from '../helpers/server-processes.js';

vi.setConfig({ testTimeout: 60_000 });

const PASSWORD = 'Sup3r-Secret-Pw';

describe('no database password in any output when the connection fails', () => {
  let root: string;
  let url: string;
  let port: number;
  let configPath: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'bw-secrets-'));
    // Nothing listens there: every command fails to connect, and says why.
    port = await closedPort();
    url = `postgres://bubblewatch:${PASSWORD}@127.0.0.1:${port}/bubblewatch`;
    configPath = writeTestConfig(join(root, 'config'));
  });
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it.each([['status'], ['migrate'], ['sync'], ['quotes'], ['report'], ['sql', 'select 1'], ['run']])(
    '%s (LOG_LEVEL=debug): fails naming the cause, the password never printed',
    async (...args) => {
      const r = await runCli(args, {
        env: { DATABASE_URL: url, LOG_LEVEL: 'debug', BUBBLEWATCH_CONFIG: configPath, BUBBLEWATCH_DATA_DIR: join(root, 'data'), YAHOO_BASE_URL: 'http://127.0.0.1:9' },
      });
      expect(r.code).not.toBe(0);
      // Where, which variable, and why: not pg's bare "connect ECONNREFUSED 127.0.0.1:port".
      expect(r.stderr).toContain(`cannot connect to the database at 127.0.0.1:${port} (DATABASE_URL): connection refused`);
      expect(r.stderr + r.stdout).not.toContain(PASSWORD);
    },
  );
});

/** TCP sockets in LISTEN state, from the kernel's tables: all of them, or those owned by one process. */
function listeningSockets(pid?: number): { address: string; port: number }[] {
  let inodes: Set<string> | null = null;
  if (pid !== undefined) {
    inodes = new Set();
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      let target = '';
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue; // closed meanwhile
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode) inodes.add(inode);
    }
  }
  const out: { address: string; port: number }[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').trim().split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      const [hexAddress, hexPort] = f[1]!.split(':') as [string, string];
      if (f[3] !== '0A' || (inodes && !inodes.has(f[9]!))) continue;
      // Each 32-bit word of the address is in host (little-endian) byte order.
      const bytes = hexAddress.match(/.{8}/g)!.flatMap((word) => word.match(/../g)!.reverse().map((b) => Number.parseInt(b, 16)));
      const address =
        bytes.length === 4
          ? bytes.join('.')
          : new URL(`http://[${Array.from({ length: 8 }, (_, i) => ((bytes[2 * i]! << 8) | bytes[2 * i + 1]!).toString(16)).join(':')}]`).hostname.slice(1, -1);
      out.push({ address, port: Number.parseInt(hexPort, 16) });
    }
  }
  return out.sort((a, b) => a.port - b.port);
}

// The real processes with their defaults (no host given anywhere), asked what they listen on: the
// kernel's socket tables, not the source text. Linux only (/proc); CI runs on Linux.
describe.skipIf(process.platform !== 'linux')('network exposure by default', () => {
  let root: string;
  beforeAll(() => {
    root = tempRoot('bw-exposure-');
  });
  afterAll(async () => {
    if (!root) return;
    await stopLeftOverServer(join(root, 'data'));
    rmSync(root, { recursive: true, force: true });
  });

  /** The bundled server's postmaster as its postmaster.pid names it: its pid and port. */
  function postmaster(dataDir: string): { pid: number; port: number } {
    const status = parsePostmasterPid(readFileSync(join(embeddedPaths(dataDir).pgdata, 'postmaster.pid'), 'utf8'));
    expect(status).not.toBeNull();
    return status!;
  }

  it('the daemon (its HTTP server, and the database server --db-port starts) and db serve listen on 127.0.0.1 only', async () => {
    // A config with no http.host at all, so the built-in default decides; port 0 so tests never collide.
    const configPath = writeTestConfig(join(root, 'config'), { watchlist: [{ symbol: 'ORCL' }] });
    const config = JSON.parse(readFileSync(configPath, 'utf8'));
    delete config.http.host;
    writeFileSync(configPath, JSON.stringify(config));
    const dataDir = join(root, 'data');
    const env = { BUBBLEWATCH_CONFIG: configPath, BUBBLEWATCH_DATA_DIR: dataDir, YAHOO_BASE_URL: `http://127.0.0.1:${await closedPort()}` };
    const daemon = spawnDaemon(['run', '--db-port', '0'], env);
    try {
      const httpPort = Number(new URL(await daemonUrl(daemon)).port);
      await daemon.waitForMsg('daemon started');
      // The daemon itself listens on its HTTP port only, on loopback.
      expect(listeningSockets(daemon.pid)).toEqual([{ address: '127.0.0.1', port: httpPort }]);
      // The database port is the bundled PostgreSQL server's, a process of its own: loopback only too.
      const server = postmaster(dataDir);
      expect(listeningSockets(server.pid)).toEqual([{ address: '127.0.0.1', port: server.port }]);
    } finally {
      expect((await daemon.stop('SIGTERM')).code, daemon.stderr().slice(-3000)).toBe(0);
    }
    // The daemon was the server's last user: it stopped it. `db serve` with no host starts it again.
    expect(serverProcesses(dataDir)).toEqual([]);
    const serve = spawnDaemon(['db', 'serve', '--port', '0'], env);
    try {
      const port = Number((await serve.waitForMsg('serving the embedded database on TCP')).port);
      const server = postmaster(dataDir);
      expect(server.port).toBe(port);
      expect(listeningSockets(server.pid)).toEqual([{ address: '127.0.0.1', port }]);
    } finally {
      expect((await serve.stop('SIGTERM')).code, serve.stderr().slice(-3000)).toBe(0);
    }
    expect(serverProcesses(dataDir)).toEqual([]);
  });

  it('the sim with no host (bubblewatch sim, and the server the demo starts) listens on 127.0.0.1 only', async () => {
    const sim = spawnDaemon(['sim', '--port', '0'], {});
    try {
      const port = Number(new URL(String((await sim.waitForMsg('simulated Yahoo feed listening')).url)).port);
      expect(listeningSockets(sim.pid)).toEqual([{ address: '127.0.0.1', port }]);
    } finally {
      await sim.stop('SIGTERM');
    }
    // In process, as `bubblewatch demo` starts it (no host option).
    const server = await startSimServer({ now: '2026-01-02' });
    try {
      expect(listeningSockets().filter((s) => s.port === server.port)).toEqual([{ address: '127.0.0.1', port: server.port }]);
    } finally {
      await server.close();
    }
  });
});

describe('the shipped files', () => {
  it('docker-compose.yml: no default password, Postgres unpublished, the worker port on host loopback only', () => {
    const compose = readFileSync(join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8');
    const services = compose.split(/\n(?= {2}\w+:\n)/);
    const db = services.find((s) => /^ {2}db:/m.test(s))!;
    const worker = services.find((s) => /^ {2}worker:/m.test(s))!;
    expect(compose).toMatch(/POSTGRES_PASSWORD: \$\{POSTGRES_PASSWORD:\?/);
    expect(compose).not.toMatch(/POSTGRES_PASSWORD:-/);
    expect(db).not.toMatch(/^\s+ports:/m);
    const published = [...worker.matchAll(/^\s+- "([^"]+)"$/gm)].map((m) => m[1]);
    expect(published).toEqual(['127.0.0.1:9464:9464']);
  });
});

describe('no shell, eval or dynamic code in src/', () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts')) files.push(path);
    }
  };
  walk(join(PROJECT_ROOT, 'src'));

  it('child processes only in the benchmark harness (src/bench) and the bundled server (src/db/embedded-binaries.ts, embedded-cluster.ts), as argument arrays, never through a shell', () => {
    const users = files.filter((f) => /['"](node:)?child_process['"]/.test(readFileSync(f, 'utf8'))).map((f) => relative(PROJECT_ROOT, f));
    expect(users.filter((f) => !f.startsWith('src/bench/'))).toEqual(['src/db/embedded-binaries.ts', 'src/db/embedded-cluster.ts']);
    for (const f of users) {
      const text = readFileSync(join(PROJECT_ROOT, f), 'utf8');
      // exec/execSync run a command line through a shell; spawn and execFile take an argument array
      // and use no shell unless told to (shell: true). RegExp#exec is fine.
      expect(text, f).not.toMatch(/(?<![.\w])exec(Sync)?\s*\(|shell\s*:\s*true/);
      const imported = /import \{([^}]*)\} from 'node:child_process'/.exec(text)?.[1]?.split(',').map((n) => n.trim()).filter(Boolean);
      expect(imported, f).toBeDefined();
      expect(imported!.filter((n) => !['spawn', 'execFile', 'execFileSync'].includes(n) && !n.startsWith('type ')), f).toEqual([]);
    }
  });

  it.each([
    ['eval', /(^|[^\w.])eval\s*\(/],
    ['new Function', /new\s+Function\s*\(/],
    ['node:vm', /['"](node:)?vm['"]/],
    ['string timers', /set(Timeout|Interval)\(\s*['"`]/],
  ])('%s: used nowhere', (_name, pattern) => {
    const hits = files.filter((f) => pattern.test(readFileSync(f, 'utf8'))).map((f) => relative(PROJECT_ROOT, f));
    expect(hits).toEqual([]);
  });
});
