// The checks behind the security review in docs/RELIABILITY.md that a test can make: no database
// password in any output when the connection fails (debug logging and stack traces included), HTTP
// servers on loopback by default, no shell, eval or dynamic code anywhere in src/, and a
// docker-compose.yml with no default password and no public port.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { SERVE_HOST } from '../../src/db/serve.js';
import { PROJECT_ROOT, runCli } from '../helpers/cli.js';
import { closedPort, writeTestConfig } from '../e2e/daemon-harness.js';

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

describe('network exposure by default', () => {
  it('the daemon HTTP server, the sim and db serve listen on loopback unless told otherwise', () => {
    const config = parseConfig(JSON.stringify({ watchlist: [{ symbol: 'ORCL' }] }), {});
    expect(config.http.host).toBe('127.0.0.1');
    expect(SERVE_HOST).toBe('127.0.0.1');
    const sim = readFileSync(join(PROJECT_ROOT, 'src/sim/server.ts'), 'utf8');
    expect(sim).toContain("options.host ?? '127.0.0.1'");
    expect(readFileSync(join(PROJECT_ROOT, 'src/cli.ts'), 'utf8')).toMatch(/--host <host>', 'address to listen on', '127\.0\.0\.1'/);
  });

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

  it('child processes only in the benchmark harness (src/bench), as argument arrays, never through a shell', () => {
    const users = files.filter((f) => /['"](node:)?child_process['"]/.test(readFileSync(f, 'utf8'))).map((f) => relative(PROJECT_ROOT, f));
    expect(users.every((f) => f.startsWith('src/bench/'))).toBe(true);
    for (const f of users) {
      const text = readFileSync(join(PROJECT_ROOT, f), 'utf8');
      // exec/execSync/execFile run through a shell or take a command line; RegExp#exec is fine.
      expect(text, f).not.toMatch(/(?<![.\w])exec(Sync|File|FileSync)?\s*\(|shell\s*:\s*true/);
      expect(text, f).toMatch(/import \{ spawn \} from 'node:child_process'/);
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
