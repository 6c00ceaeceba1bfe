// `bubblewatch db serve` through the compiled CLI (built by `npm test` before vitest): psql and pg reach
// the embedded database over loopback, the other commands work through it (the data dir's socket), a
// daemon is kept out, and SIGTERM closes it cleanly.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, PROJECT_ROOT, runCli } from '../helpers/cli.js';

const HAS_PSQL = spawnSync('psql', ['--version']).status === 0;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function psql(url: string, sql: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('psql', [url, '-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
      env: { PATH: process.env.PATH },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('bubblewatch db serve', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let server: ChildProcessWithoutNullStreams | undefined;
  let stdout = '';
  let stderr = '';
  let url = '';
  let exited: Promise<number | null>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bw-serve-'));
    env = { BUBBLEWATCH_DATA_DIR: join(dir, 'data'), BUBBLEWATCH_CONFIG: join(PROJECT_ROOT, 'config/bubblewatch.json') };
    // Six bars through the normal CLI first: what psql counts must be this very database.
    const csv = join(dir, 'TEST.csv');
    writeFileSync(csv, ['Date,Open,High,Low,Close,Adj Close,Volume', ...[100, 120, 90, 130, 65, 70].map((c, i) => `2024-01-0${i + 2},${c},${c},${c},${c},${c},1`)].join('\n'));
    const imported = await runCli(['import', csv], { env });
    expect(imported.code, imported.stderr).toBe(0);

    const port = await freePort();
    server = spawn(process.execPath, [CLI, 'db', 'serve', '--port', String(port)], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const child = server;
    exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no connection string within 60 s; stdout: ${stdout}; stderr: ${stderr}`)), 60_000);
      child.stderr.on('data', (d) => (stderr += d));
      child.stdout.on('data', (d) => {
        stdout += d;
        const m = /postgresql:\/\/\S+sslmode=disable/.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve(m[0]);
        }
      });
      child.on('exit', (code) => reject(new Error(`db serve exited early (${code}): ${stderr}`)));
    });
    expect(url).toBe(`postgresql://postgres@127.0.0.1:${port}/postgres?sslmode=disable`);
  }, 90_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGKILL');
      await exited;
    }
  });

  it.runIf(HAS_PSQL)('serves psql with the printed connection string', async () => {
    const count = await psql(url, 'select count(*) from daily_bars');
    expect(count.stderr).toBe('');
    expect(count.code).toBe(0);
    expect(count.stdout.trim()).toBe('6');
    // The views of the latest migration are there too.
    const latest = await psql(url, "select ath_close, drawdown_52w is not null from v_latest where symbol = 'TEST'");
    expect(latest.stdout.trim()).toBe('130|t');
  });

  it('serves node-postgres too', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query("select count(*)::int as n from daily_bars where symbol = $1", ['TEST']);
      expect(rows).toEqual([{ n: 6 }]);
    } finally {
      await client.end();
    }
  });

  it('serves the other commands too (through the data dir socket), and keeps a daemon out', async () => {
    const sql = await runCli(['sql', 'select count(*)::int as n from daily_bars', '--format', 'json'], { env });
    expect(sql.code, sql.stderr).toBe(0);
    expect(JSON.parse(sql.stdout)).toEqual([{ n: 6 }]);

    const daemon = await runCli(['run'], { env });
    expect(daemon.code).toBe(2);
    expect(daemon.stderr).toMatch(/the embedded database is in use by another process \(pid \d+ .*"db serve --port \d+"/);
  });

  it('closes the database and releases the lock on SIGTERM', async () => {
    server!.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/Stopped; the embedded database is closed\./);
    expect(existsSync(join(dir, 'data', 'pglite.lock'))).toBe(false);
    const after = await runCli(['sql', 'select count(*) as n from daily_bars', '--format', 'json'], { env });
    expect(after.code, after.stderr).toBe(0);
    expect(JSON.parse(after.stdout)).toEqual([{ n: 6 }]);
  });
});

describe('bubblewatch db serve, refusing', () => {
  it('points at Postgres when DATABASE_URL is set (exit 2)', async () => {
    const result = await runCli(['db', 'serve'], { env: { DATABASE_URL: 'postgres://me:secret@127.0.0.1:1/nowhere' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('DATABASE_URL is set, so the data is in Postgres, which psql reaches directly: psql "postgres://me:***@127.0.0.1:1/nowhere"');
    expect(result.stderr).not.toContain('secret');
  });

  it('names a port that is taken (exit 2) and leaves nothing locked', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    const data = join(mkdtempSync(join(tmpdir(), 'bw-serve-busy-')), 'data');
    try {
      const result = await runCli(['db', 'serve', '--port', String(port)], { env: { BUBBLEWATCH_DATA_DIR: data } });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`cannot listen on 127.0.0.1:${port} (EADDRINUSE): choose another port with --port`);
      expect(existsSync(join(data, 'pglite.lock'))).toBe(false);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  }, 60_000);
});
