// The daemon serves its embedded database (issue 12): started while a command holds the database it
// waits for it, saying so; then every other command works through its Unix socket with pg, with the
// same output, exit codes and read-only rule, and a manual sync waits for the daemon's (the ingest
// lock file). Real processes against the simulated feed; the sql latency is measured by `npm run bench`
// and reported in docs/RELIABILITY.md, never asserted here.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootId, processStartTime } from '../../src/db/dir-lock.js';
import { lastClosedSession } from '../../src/market/calendar.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { CLI, PROJECT_ROOT, runCli } from '../helpers/cli.js';
import { spawnDaemon, writeTestConfig, type DaemonProcess } from './daemon-harness.js';

let sim: SimServer;
let root: string;
let dataDir: string;
let env: NodeJS.ProcessEnv;
let daemon: DaemonProcess;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'bw-daemon-serve-'));
  dataDir = join(root, 'data');
  mkdirSync(dataDir, { recursive: true });
  sim = await startSimServer({ now: lastClosedSession(new Date()), seed: 12 });
  const configPath = writeTestConfig(join(root, 'config'), { history: { start: '2025-06-02', overlapSessions: 5 } });
  env = { BUBBLEWATCH_CONFIG: configPath, BUBBLEWATCH_DATA_DIR: dataDir, YAHOO_BASE_URL: sim.url };

  // A one-shot command has the database open (this very process, as the lock says): the daemon waits.
  const lockPath = join(dataDir, 'pglite.lock');
  const me = { pid: process.pid, host: hostname(), command: 'sql select 1', since: new Date().toISOString(), role: 'command', bootId: bootId(), startTime: processStartTime(process.pid) };
  writeFileSync(lockPath, JSON.stringify(me));
  daemon = spawnDaemon(['run'], env);
  const waiting = await daemon.waitForMsg('waiting for the embedded database: a command has it open', 60_000);
  expect(waiting.holder).toMatchObject({ pid: process.pid, command: 'sql select 1' });
  expect(daemon.alive()).toBe(true);
  rmSync(lockPath);
  await daemon.waitForMsg('serving the embedded database to other commands', 120_000);
}, 180_000);

afterAll(async () => {
  if (daemon?.alive()) daemon.child.kill('SIGKILL');
  await sim?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('with the daemon running on the embedded database', () => {
  it('serves it on an owner-only Unix socket in the data dir', () => {
    const socket = join(dataDir, '.s.PGSQL.5432');
    expect(statSync(socket).isSocket()).toBe(true);
    expect(statSync(socket).mode & 0o777).toBe(0o600);
  });

  it('sql, status and report work through it, with the usual output', async () => {
    await daemon.waitForMsg('daemon scheduled', 120_000);
    const count = await runCli(['sql', 'select count(*)::int as n from daily_bars', '--format', 'json'], { env });
    expect(count.code, count.stderr).toBe(0);
    expect(JSON.parse(count.stdout)[0].n).toBeGreaterThanOrEqual(0);

    const status = await runCli(['status'], { env });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`database: pglite (${join(dataDir, 'pglite')})`);

    const out = join(root, 'reports');
    const report = await runCli(['report', '--out', out, '--format', 'json'], { env });
    expect(report.code, report.stderr).toBe(0);
    expect(existsSync(out)).toBe(true);
  }, 180_000);

  it('keeps sql read-only (exit 2) and binds parameters', async () => {
    const write = await runCli(['sql', 'delete from daily_bars'], { env });
    expect(write.code).toBe(2);
    expect(write.stderr).toContain('the session is read-only: nothing was changed');
    const bound = await runCli(['sql', 'select :x::int + 1 as y', '--param', 'x=41', '--format', 'csv'], { env });
    expect(bound.code, bound.stderr).toBe(0);
    expect(bound.stdout.trim().split('\n')).toEqual(['y', '42']);
  });

  it('a manual sync runs through it once the daemon is not syncing, and import writes through it', async () => {
    const sync = await runCli(['sync', '--symbols', 'ORCL'], { env, timeoutMs: 180_000 });
    expect(sync.code, sync.stderr).toBe(0);
    const csv = join(root, 'ZZZT.csv');
    writeFileSync(csv, ['Date,Open,High,Low,Close,Adj Close,Volume', '2024-01-02,10,11,9,10,10,100', '2024-01-03,10,12,9,11,11,100'].join('\n'));
    const imported = await runCli(['import', csv, '--symbol', 'ZZZT'], { env });
    expect(imported.code, imported.stderr).toBe(0);
    const rows = await runCli(['sql', "select count(*)::int as n from daily_bars where symbol = 'ZZZT'", '--format', 'json'], { env });
    expect(JSON.parse(rows.stdout)).toEqual([{ n: 2 }]);
    const runs = await runCli(['sql', "select pid from ingest_runs where job = 'sync' order by id desc limit 1", '--format', 'json'], { env });
    expect(JSON.parse(runs.stdout)[0].pid).not.toBe(daemon.pid); // the manual one, recorded by its own process
  }, 240_000);

  it('db serve relays a loopback port to it', async () => {
    const child = spawn(process.execPath, [CLI, 'db', 'serve', '--port', '0'], { cwd: PROJECT_ROOT, env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', ...env } });
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        const m = /postgresql:\/\/\S+sslmode=disable/.exec(stdout);
        if (m) resolve(m[0]);
      });
      child.on('exit', (code) => reject(new Error(`db serve exited (${code})`)));
    });
    expect(stdout).toContain('through the daemon that has it open');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query("select count(*)::int as n from daily_bars where symbol = 'ZZZT'");
      expect(rows).toEqual([{ n: 2 }]);
    } finally {
      await client.end();
    }
    child.kill('SIGTERM');
    expect(await new Promise((r) => child.on('exit', r))).toBe(0);
    expect(daemon.alive()).toBe(true);
  }, 60_000);

  it('stops cleanly, removing its socket and lock; commands then open the database themselves', async () => {
    expect((await daemon.stop('SIGTERM')).code).toBe(0);
    expect(existsSync(join(dataDir, '.s.PGSQL.5432'))).toBe(false);
    expect(existsSync(join(dataDir, 'pglite.lock'))).toBe(false);
    const after = await runCli(['sql', "select count(*)::int as n from daily_bars where symbol = 'ZZZT'", '--format', 'json'], { env });
    expect(after.code, after.stderr).toBe(0);
    expect(JSON.parse(after.stdout)).toEqual([{ n: 2 }]);
    expect(existsSync(join(dataDir, 'pglite.lock'))).toBe(false);
  }, 60_000);
});
