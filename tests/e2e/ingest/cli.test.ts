// `bubblewatch sync` and `bubblewatch quotes` as users run them: the compiled CLI in a child process,
// pointed at the simulated feed with YAHOO_BASE_URL: offline on a new data dir (the embedded server a
// fresh install gets), the rest on a migrated database of the test server.
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SimServer } from '../../../src/sim/server.js';
import { CLI, PROJECT_ROOT, runCli } from '../../helpers/cli.js';
import { createScratchDatabase, type ScratchDatabase } from '../../helpers/db.js';
import { startTestSim } from '../../helpers/sim-harness.js';
import { closedPort, stopLeftOverServer, tempRoot } from '../daemon-harness.js';
import { SIM_NOW, WATCHLIST, testConfigJson, warmUp } from './harness.js';

// Each case spawns the CLI a few times, and the first command on a new data dir runs initdb: on a busy
// machine that takes longer than the default budget.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let sim: SimServer;
let dir: string;
let configPath: string;
let configWithUnknown: string;

beforeAll(async () => {
  sim = warmUp(await startTestSim({ now: SIM_NOW }));
  dir = tempRoot('bw-ingest-cli-');
  configPath = join(dir, 'config.json');
  // timeoutMs stays long: the interrupt test shows that a signal, not the timeout, ends a hung request.
  writeFileSync(configPath, JSON.stringify(testConfigJson({ timeoutMs: 15_000 })));
  configWithUnknown = join(dir, 'config-unknown.json');
  writeFileSync(configWithUnknown, JSON.stringify(testConfigJson({ watchlist: [...WATCHLIST.slice(0, 3), 'NOPE'] })));
});
afterAll(async () => {
  await sim?.close();
  if (dir) await stopLeftOverServer(join(dir, 'offline'));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('refuses a --symbols value that is not a symbol, before touching anything', async () => {
  const r = await runCli(['sync', '--symbols', 'ORCL,A$B'], { env: { BUBBLEWATCH_DATA_DIR: join(dir, 'unused'), BUBBLEWATCH_CONFIG: configPath, YAHOO_BASE_URL: sim.url } });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('"A$B" is not a Yahoo symbol');
  expect(r.stdout).toBe('');
});

it('offline (a closed port), sync and quotes with the shipped config stop without waiting out the breaker: exit 1, one line saying why', async () => {
  // The shipped config/bubblewatch.json (the default BUBBLEWATCH_CONFIG): its retries, backoff and
  // breaker, not test timings. Without the fail-fast the sync would wait a 5-minute cool-down per
  // symbol and this test would time out.
  const env = { BUBBLEWATCH_DATA_DIR: join(dir, 'offline'), YAHOO_BASE_URL: `http://127.0.0.1:${await closedPort()}` };
  // At info level: a first run on a new data dir also says it is creating the database (initdb takes seconds).
  const sync = await runCli(['sync'], { env: { ...env, LOG_LEVEL: 'info' }, timeoutMs: 100_000 });
  expect(sync.code).toBe(1);
  const [headline, ...lines] = sync.stdout.trim().split('\n');
  expect(headline).toMatch(/^sync #1 failed: 10 symbol\(s\), 0 new row\(s\)/);
  expect(lines).toHaveLength(10);
  for (const line of lines) expect(line).toMatch(/^ {2}\S+\s+not synced: Yahoo unreachable$/);
  // stderr (LOG_LEVEL=warn): the one line saying why, naming the refused connection, and no stack trace.
  const said = sync.stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const why = said.filter((l) => String(l.msg).startsWith('cannot reach Yahoo Finance'));
  expect(why).toHaveLength(1);
  expect(why[0]).toMatchObject({ level: 50, cause: expect.stringContaining('ECONNREFUSED'), yahoo: env.YAHOO_BASE_URL, failed: 10, of: 10 });
  // Nothing else above info: no per-symbol warning, no circuit warning.
  expect(said.filter((l) => Number(l.level) >= 40).map((l) => l.msg)).toEqual(['sync finished', why[0]!.msg]);
  expect(said.filter((l) => String(l.msg).startsWith('creating the embedded database'))).toHaveLength(1);
  expect(sync.stderr).not.toMatch(/\n\s+at |"stack"/);

  const quotes = await runCli(['quotes'], { env: { ...env, LOG_LEVEL: 'info' }, timeoutMs: 100_000 });
  expect(quotes.code).toBe(1);
  expect(quotes.stderr).not.toContain('creating the embedded database');
  const [qHead, ...qLines] = quotes.stdout.trim().split('\n');
  expect(qHead).toMatch(/^quotes #2 failed: 0 of 10 symbol\(s\) quoted/);
  expect(qLines).toHaveLength(10);
  // Its one request gives up after two refused connects (the circuit opens at once, not after the
  // whole backoff) and reads like the sync: one short line per symbol saying why, never the whole
  // symbol list again, never "FAILED network".
  for (const line of qLines) expect(line).toMatch(/^ {2}\S+\s+not quoted: Yahoo unreachable$/);
  const qSaid = quotes.stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const qWhy = qSaid.filter((l) => String(l.msg).startsWith('cannot reach Yahoo Finance'));
  expect(qWhy).toHaveLength(1);
  expect(qWhy[0]).toMatchObject({ level: 50, job: 'quotes', cause: expect.stringContaining('ECONNREFUSED'), failed: 10, of: 10 });
  // Above info, the run's end (with the request's error) and the one line saying why; nothing per symbol.
  expect(qSaid.filter((l) => Number(l.level) >= 40).map((l) => l.msg)).toEqual(['quotes finished', qWhy[0]!.msg]);
  expect(qSaid.find((l) => l.msg === 'quotes finished')).toMatchObject({ status: 'failed', error: expect.stringMatching(/^yahoo unreachable: .*circuit open after 2 consecutive failures; last: fetch failed: connect ECONNREFUSED/) });
  expect(quotes.stderr).not.toMatch(/\n\s+at |"stack"/);
});

describe('sync and quotes commands', () => {
  let env: NodeJS.ProcessEnv;
  let scratch: ScratchDatabase | undefined;

  beforeAll(async () => {
    scratch = await createScratchDatabase({ migrated: true });
    env = { DATABASE_URL: scratch.url, BUBBLEWATCH_DATA_DIR: join(dir, 'data'), BUBBLEWATCH_CONFIG: configPath, YAHOO_BASE_URL: sim.url };
  });
  afterAll(async () => {
    await scratch?.drop();
  });

  const sqlJson = async (query: string) => {
    const r = await runCli(['sql', query, '--format', 'json'], { env, timeoutMs: 100_000 });
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout) as Record<string, unknown>[];
  };

  it('syncs and snapshots every symbol, exit 0, rows marked as simulated', async () => {
    sim.setFaults(0);
    const sync = await runCli(['sync'], { env, timeoutMs: 100_000 });
    expect(sync.stderr).toBe('');
    expect(sync.code).toBe(0);
    const [headline, ...lines] = sync.stdout.trim().split('\n');
    expect(headline).toMatch(/^sync #\d+ ok: 10 symbol\(s\), \d+ new row\(s\), 0 changed \(0 revised\), 0 rejected, 10 request\(s\) in [\d.]+ s \(source: sim\)$/);
    expect(lines.map((l) => l.trim().split(/\s+/).slice(0, 2))).toEqual(WATCHLIST.map((s) => [s, 'backfill']));

    const quotes = await runCli(['quotes'], { env, timeoutMs: 100_000 });
    expect(quotes.code).toBe(0);
    expect(quotes.stdout).toMatch(/^quotes #\d+ ok: 10 of 10 symbol\(s\) quoted, 10 new snapshot\(s\), 3 request\(s\)/);

    const sources = await sqlJson(`select 'bars' as t, source, count(*)::int as n from daily_bars group by source
                                    union all select 'quotes', source, count(*)::int from quotes group by source
                                    union all select 'actions', source, count(*)::int from corporate_actions group by source
                                    order by 1`);
    expect(sources.map((r) => [r.t, r.source])).toEqual([['actions', 'sim'], ['bars', 'sim'], ['quotes', 'sim']]);
    expect(sources.find((r) => r.t === 'quotes')!.n).toBe(10);
    const runs = await sqlJson('select job, status, requests from ingest_runs order by id');
    expect(runs).toEqual([{ job: 'sync', status: 'ok', requests: 10 }, { job: 'quotes', status: 'ok', requests: 3 }]);
  });

  it('exits 1 when a symbol fails, naming it and why; the others are synced', async () => {
    const r = await runCli(['sync'], { env: { ...env, BUBBLEWATCH_CONFIG: configWithUnknown }, timeoutMs: 100_000 });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^sync #\d+ partial: 4 symbol\(s\)/);
    expect(r.stdout).toMatch(/NOPE\s+FAILED not_found: .*No data found/);
    expect(r.stdout).toMatch(/AMZN\s+incremental/);

    const extra = await runCli(['sync', '--symbols', 'NVDA,ZZZZ'], { env, timeoutMs: 100_000 });
    expect(extra.code).toBe(1);
    expect(extra.stdout).toMatch(/ZZZZ\s+FAILED not_found: .*\(not in the watchlist\)/);
    expect(extra.stdout).toMatch(/NVDA\s+incremental/);
    const failures = await sqlJson(`select failures from ingest_runs where job = 'sync' order by id desc limit 1`);
    expect(failures[0]!.failures).toEqual([{ symbol: 'ZZZZ', kind: 'not_found', reason: expect.stringContaining('No data found') }]);
  });

  it('stops promptly on SIGINT, exit 130, and records the run as aborted', async () => {
    // Every chart request hangs: only the interrupt can end this sync.
    sim.setFaults({ rate: 1, kinds: ['hang'], endpoints: ['chart'] });
    try {
      const child = spawn(process.execPath, [CLI, 'sync'], {
        cwd: PROJECT_ROOT,
        env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));

      const deadline = Date.now() + 60_000;
      while (sim.stats().openHangs === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(sim.stats().openHangs).toBeGreaterThan(0);
      const signalled = Date.now();
      child.kill('SIGINT');
      const code = await exited;

      // Far below the 15 s request timeout: the signal, not the timeout, ended the hung request.
      expect(Date.now() - signalled).toBeLessThan(10_000);
      expect(code).toBe(130);
      expect(stderr).toContain('SIGINT received, stopping');
      expect(stdout).toMatch(/^sync #\d+ aborted:/);
      expect(stdout).toMatch(/not synced \(run stopped\)/);
    } finally {
      sim.setFaults(0);
    }
    const last = await sqlJson('select status, error from ingest_runs order by id desc limit 1');
    expect(last).toEqual([{ status: 'aborted', error: 'aborted: interrupted by SIGINT' }]);
  });
});
