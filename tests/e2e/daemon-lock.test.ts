// One daemon per database: an advisory lock. On a database of the test server (DATABASE_URL) the
// second daemon exits 2 naming the holder, exactly one ingests, and a --standby daemon takes over when
// the first stops. On the embedded server of one data dir (the shipped default) the same lock keeps the
// second out, and its exit does not stop the server under the first.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runningServer } from '../../src/db/embedded-server.js';
import { lastClosedSession } from '../../src/market/calendar.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/db.js';
import { spawnDaemon, stopLeftOverServer, tempRoot, writeTestConfig, type DaemonProcess } from './daemon-harness.js';

let sim: SimServer;
let root: string;
let configPath: string;
const started: DaemonProcess[] = [];

beforeAll(async () => {
  root = tempRoot('bw-daemon-lock-');
  sim = await startSimServer({ now: lastClosedSession(new Date()), seed: 5 });
  configPath = writeTestConfig(join(root, 'config'), {
    history: { start: '2025-06-02', overlapSessions: 5 },
  });
});

afterAll(async () => {
  for (const d of started) if (d.alive()) d.child.kill('SIGKILL');
  await Promise.all(started.map((d) => d.exited));
  await sim?.close();
  if (root) await stopLeftOverServer(join(root, 'embedded-data'));
  rmSync(root, { recursive: true, force: true });
});

function daemon(env: NodeJS.ProcessEnv, args: string[] = []): DaemonProcess {
  const d = spawnDaemon(['run', ...args], { BUBBLEWATCH_CONFIG: configPath, YAHOO_BASE_URL: sim.url, ...env });
  started.push(d);
  return d;
}

describe('two daemons on one Postgres database', () => {
  let scratch: ScratchDatabase;
  beforeAll(async () => {
    scratch = await createScratchDatabase();
  });
  afterAll(() => scratch?.drop());

  it('exactly one ingests; the other exits 2 naming the holder; --standby takes over', async () => {
    const env = { DATABASE_URL: scratch.url, BUBBLEWATCH_DATA_DIR: join(root, 'pg-data') };
    const first = daemon(env);
    await first.waitForMsg('daemon scheduled', 120_000);

    const second = daemon(env);
    const exit = await second.exited;
    expect(exit.code, second.stderr()).toBe(2);
    const message = second.stderr().trim().split('\n').at(-1)!;
    expect(message).toMatch(/^bubblewatch: the daemon lock on postgres(ql)?:\/\/.* is in use by another process/);
    expect(message).toContain(`pid ${first.pid} on `);
    expect(message).toContain(`"bubblewatch daemon pid=${first.pid} host=`);
    expect(message).toContain('--standby');
    expect(second.lines.some((l) => l.msg === 'sync started')).toBe(false);

    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    try {
      const runs = await client.query<{ pid: number; job: string }>('select pid, job from ingest_runs');
      expect(runs.rows.length).toBeGreaterThan(0);
      expect(new Set(runs.rows.map((r) => r.pid))).toEqual(new Set([first.pid]));
      const bars = await client.query<{ n: string }>('select count(*) as n from daily_bars');
      expect(Number(bars.rows[0]!.n)).toBeGreaterThan(1000);
    } finally {
      await client.end();
    }

    const standby = daemon(env, ['--standby']);
    await standby.waitForMsg(/^standby: another daemon holds the instance lock/, 60_000);
    expect(standby.lines.some((l) => l.msg === 'daemon scheduled')).toBe(false);
    expect((await first.stop('SIGTERM')).code).toBe(0);
    await standby.waitForMsg('standby over: the instance lock is ours', 30_000);
    await standby.waitForMsg('daemon scheduled', 60_000);
    expect((await standby.stop('SIGTERM')).code).toBe(0);
  }, 240_000);
});

describe('two daemons on one embedded data dir', () => {
  it('the second exits 2 naming the holder; the first keeps its server until it stops', async () => {
    const dataDir = join(root, 'embedded-data');
    const env = { BUBBLEWATCH_DATA_DIR: dataDir };
    const first = daemon(env);
    await first.waitForMsg('daemon scheduled', 120_000);
    const second = daemon(env);
    const exit = await second.exited;
    expect(exit.code, second.stderr()).toBe(2);
    expect(second.stderr()).toMatch(new RegExp(`the daemon lock on ${join(dataDir, 'pg')} is in use by another process \\(pid ${first.pid} on `));
    // The second let go of the server without stopping it: the first still uses it.
    expect(runningServer(dataDir)).not.toBeNull();
    const status = await fetch(`${String((await first.waitForMsg('http listening')).url)}/healthz`);
    expect((await status.json()).checks.db).toMatchObject({ ok: true });
    expect((await first.stop('SIGTERM')).code).toBe(0);
    expect(runningServer(dataDir)).toBeNull();
  }, 180_000);
});
