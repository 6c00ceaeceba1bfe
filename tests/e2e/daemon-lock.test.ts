// One daemon per database. On Postgres (when TEST_DATABASE_URL is set) an advisory lock: the second
// daemon exits 2 naming the holder, exactly one ingests, and a --standby daemon takes over when the
// first stops. On PGlite the data dir lock does the same job.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastClosedSession } from '../../src/market/calendar.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { createScratchSchema } from '../helpers/db.js';
import { spawnDaemon, writeTestConfig, type DaemonProcess } from './daemon-harness.js';

let sim: SimServer;
let root: string;
let configPath: string;
const started: DaemonProcess[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'bw-daemon-lock-'));
  sim = await startSimServer({ now: lastClosedSession(new Date()), seed: 5 });
  configPath = writeTestConfig(join(root, 'config'), {
    history: { start: '2025-06-02', overlapSessions: 5 },
  });
});

afterAll(async () => {
  for (const d of started) if (d.alive()) d.child.kill('SIGKILL');
  await sim?.close();
  rmSync(root, { recursive: true, force: true });
});

function daemon(env: NodeJS.ProcessEnv, args: string[] = []): DaemonProcess {
  const d = spawnDaemon(['run', ...args], { BUBBLEWATCH_CONFIG: configPath, YAHOO_BASE_URL: sim.url, ...env });
  started.push(d);
  return d;
}

describe.skipIf(!process.env.TEST_DATABASE_URL)('two daemons on one Postgres', () => {
  let scratch: Awaited<ReturnType<typeof createScratchSchema>>;
  beforeAll(async () => {
    scratch = await createScratchSchema();
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
    expect(message).toMatch(/^bubblewatch: the daemon lock on postgres:\/\/.* is in use by another process/);
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

describe('two daemons on one PGlite data dir', () => {
  it('the second exits 2 naming the holder', async () => {
    const env = { BUBBLEWATCH_DATA_DIR: join(root, 'pglite-data') };
    const first = daemon(env);
    await first.waitForMsg('daemon scheduled', 120_000);
    const second = daemon(env);
    const exit = await second.exited;
    expect(exit.code, second.stderr()).toBe(2);
    expect(second.stderr()).toMatch(new RegExp(`the embedded database is in use by another process \\(pid ${first.pid} on `));
    expect((await first.stop('SIGTERM')).code).toBe(0);
  }, 180_000);
});
