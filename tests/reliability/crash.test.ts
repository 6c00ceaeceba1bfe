// Part 2, crashes: `bubblewatch sync` (the compiled CLI, a child process) is killed with SIGKILL at 20
// seeded random points of a backfill and restarted each time. Every kill lands while backfill work is
// under way: a backfill request in flight, or a few milliseconds after a backfill answer arrived (the
// bars being mapped or stored, or just stored). After kills the database must hold, per symbol, either
// nothing or the complete fetched range (checked against an uninterrupted reference run); the run the
// kill left 'running' must be marked 'aborted' by the next start; and the last sync must converge to the
// reference table. The 20 kills reach a database of the test server through DATABASE_URL; one more kill
// hits a sync on the embedded default (no DATABASE_URL): the bundled server that sync started outlives
// it (a killed process cannot stop it), and the next command must use it, finish the table and, as its
// last user, stop it. Figures go to tests/artifacts/reliability/crash.json.
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { openDb, type DbHandle } from '../../src/db/connect.js';
import { runningServer } from '../../src/db/embedded-server.js';
import { runSync } from '../../src/ingest/sync.js';
import type { SimServer } from '../../src/sim/server.js';
import { CLI, PROJECT_ROOT, runCli } from '../helpers/cli.js';
import { createScratchDatabase, createTestDb, type ScratchDatabase } from '../helpers/db.js';
import { startTestSim } from '../helpers/sim-harness.js';
import { stopLeftOverServer, tempRoot } from '../e2e/daemon-harness.js';
import { SIM_NOW, WATCHLIST, dumpIngested, epochOfDate, expectedBars, testDeps, warmUp } from '../e2e/ingest/harness.js';
import { seededRandom, writeFigures } from './figures.js';
import { startRelay, type ChartEvent, type Relay } from './relay.js';
import { serverProcesses } from '../helpers/server-processes.js';

vi.setConfig({ testTimeout: 600_000, hookTimeout: 120_000 });

const KILLS = 20;
const KILL_SEED = 20_260_102;
/** Six years of history: ~1,500 bars per symbol, so storing a symbol takes long enough to be hit. */
const HISTORY_START = '2020-01-02';
/** Every chart answer is held this long: a slightly slow Yahoo, so requests are in flight for a while. */
const LATENCY_MS = 60;

const CONFIG = {
  watchlist: WATCHLIST.map((symbol) => ({ symbol, ...(symbol.startsWith('^') ? { kind: 'index' } : {}) })),
  history: { start: HISTORY_START, overlapSessions: 5 },
  yahoo: { minIntervalMs: 0, concurrency: 2, timeoutMs: 20_000, retries: 2, breakerThreshold: 5, breakerCooldownMs: 1000 },
};

type Dump = Awaited<ReturnType<typeof dumpIngested>>;
type Bar = Dump['bars'][number];
type Action = Dump['actions'][number];

let sim: SimServer;
let relay: Relay;
let root: string;
let configPath: string;
/** The uninterrupted run's table, per symbol. */
const reference = { bars: new Map<string, Bar[]>(), actions: new Map<string, Action[]>() };

function bySymbol<T extends { symbol: string }>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) out.set(r.symbol, [...(out.get(r.symbol) ?? []), r]);
  return out;
}

beforeAll(async () => {
  // Passable by the bundled server's user (as root it runs as postgres) for the embedded scenario.
  root = tempRoot('bw-crash-');
  configPath = join(root, 'bubblewatch.json');
  writeFileSync(configPath, JSON.stringify(CONFIG));
  sim = warmUp(await startTestSim({ now: SIM_NOW }));
  relay = await startRelay(sim.url, { latencyMs: LATENCY_MS });

  // The reference: one uninterrupted backfill with the same config, in process, on a throwaway database.
  const refDb = await createTestDb();
  try {
    const config = parseConfig(JSON.stringify(CONFIG), { BUBBLEWATCH_DATA_DIR: join(root, 'unused') }, 'crash config');
    const summary = await runSync(testDeps(sim, refDb, { config }));
    expect(summary.status).toBe('ok');
    const dump = await dumpIngested(refDb);
    for (const [symbol, rows] of bySymbol(dump.bars)) reference.bars.set(symbol, rows);
    for (const [symbol, rows] of bySymbol(dump.actions)) reference.actions.set(symbol, rows);
  } finally {
    await refDb.drop();
  }
  // The reference is the feed's ground truth, row for row.
  for (const symbol of WATCHLIST) {
    const truth = expectedBars(sim, symbol, HISTORY_START).map((b) => ({ ...b, source: 'sim' }));
    expect(reference.bars.get(symbol), symbol).toEqual(truth);
  }
});

afterAll(async () => {
  await relay?.close();
  await sim?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

interface KillPoint {
  /** Counted on backfill chart requests (full history) of this run only. */
  at: 'request' | 'response';
  nth: number;
  delayMs: number;
}

/**
 * Where to kill, drawn from the seeded generator: while the first backfill request is in flight, or
 * after the first or second backfill answer was delivered plus a delay that spans the time it takes
 * to map and store a symbol (so some kills land inside the store transaction, some just after it).
 */
function pickKillPoint(random: () => number, storeWindowMs: number): KillPoint {
  const r = random();
  if (r < 0.25) return { at: 'request', nth: 1, delayMs: Math.round(random() * (LATENCY_MS - 10)) };
  return { at: 'response', nth: r < 0.75 ? 1 : 2, delayMs: Math.round(random() * storeWindowMs) };
}

interface Cycle {
  point: KillPoint;
  outcome: 'killed' | 'completed';
  code: number | null;
  signal: NodeJS.Signals | null;
  pid: number;
  ms: number;
}

/** One `sync` child; SIGKILL at the kill point unless it finishes first. */
function syncUntilKilled(env: NodeJS.ProcessEnv, point: KillPoint): Promise<Cycle> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [CLI, 'sync'], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const backfillStart = epochOfDate(HISTORY_START);
  let seen = 0;
  let timer: NodeJS.Timeout | undefined;
  const onChart = (event: ChartEvent) => {
    if (event.phase !== point.at || event.period1 !== backfillStart) return;
    if (++seen === point.nth) {
      relay.events.off('chart', onChart);
      timer = setTimeout(() => child.kill('SIGKILL'), point.delayMs);
    }
  };
  relay.events.on('chart', onChart);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      relay.events.off('chart', onChart);
      clearTimeout(timer);
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`sync exited ${code} (${signal}):\n${stderr}`));
      resolve({ point, outcome: signal === 'SIGKILL' ? 'killed' : 'completed', code, signal, pid: child.pid!, ms: Math.round(performance.now() - t0) });
    });
  });
}

/** Per symbol: nothing, or exactly the reference (bars, actions and the full-fetch mark together). */
async function expectNoPartialSymbol(handle: DbHandle): Promise<string[]> {
  const dump = await dumpIngested(handle);
  const bars = bySymbol(dump.bars);
  const actions = bySymbol(dump.actions);
  const complete: string[] = [];
  for (const symbol of WATCHLIST) {
    const stored = bars.get(symbol) ?? [];
    const storedActions = actions.get(symbol) ?? [];
    const fullFetch = dump.symbols.find((s) => s.symbol === symbol)?.last_full_fetch_at ?? null;
    if (stored.length === 0) {
      expect(storedActions, `${symbol}: actions without bars`).toEqual([]);
      expect(fullFetch, `${symbol}: full fetch recorded without bars`).toBeNull();
    } else {
      expect(stored, `${symbol}: partial or wrong bars`).toEqual(reference.bars.get(symbol));
      expect(storedActions, `${symbol}: actions`).toEqual(reference.actions.get(symbol) ?? []);
      expect(fullFetch, `${symbol}: full fetch mark`).toBeInstanceOf(Date);
      complete.push(symbol);
    }
  }
  return complete;
}

/** The whole table, as the uninterrupted run left it. */
async function expectReferenceTable(handle: DbHandle): Promise<void> {
  const dump = await dumpIngested(handle);
  expect(bySymbol(dump.bars)).toEqual(reference.bars);
  expect(bySymbol(dump.actions)).toEqual(reference.actions);
  expect(dump.symbols.every((s) => s.last_full_fetch_at instanceof Date)).toBe(true);
}

async function runsOf(handle: DbHandle) {
  return handle.db.selectFrom('ingest_runs').select(['id', 'job', 'status', 'pid', 'error', 'started_at', 'finished_at', 'rows_inserted']).orderBy('id').execute();
}

describe('kill -9 during a backfill (DATABASE_URL)', () => {
  let env: NodeJS.ProcessEnv;
  let scratch: ScratchDatabase | undefined;
  let handle: DbHandle | undefined;

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    env = { DATABASE_URL: scratch.url, BUBBLEWATCH_DATA_DIR: join(root, 'data'), BUBBLEWATCH_CONFIG: configPath, YAHOO_BASE_URL: relay.url };
    handle = await openDb({ kind: 'postgres', url: scratch.url }, { maxConnections: 1 });
    // The schema first, so every kill lands in a sync (not in the migration a new database gets).
    const migrated = await runCli(['migrate'], { env, timeoutMs: 120_000 });
    expect(migrated.code, migrated.stderr).toBe(0);
  });
  afterAll(async () => {
    await handle?.close();
    await scratch?.drop();
  });

  it(`converges after ${KILLS} kills: no partial symbol, dead runs marked aborted`, async () => {
    const random = seededRandom(KILL_SEED);
    // Mapping and storing ~1,500 bars takes a few hundred ms (yahoo-finance2's validation and the
    // mapping dominate): the delays span that, and a bit more.
    const storeWindowMs = 500;
    const cycles: (Cycle & { completeAfter: string[] | null })[] = [];
    let kills = 0;
    let rounds = 0;
    const t0 = performance.now();

    while (kills < KILLS) {
      expect(cycles.length, 'too many runs without reaching the kill count').toBeLessThan(KILLS * 3);
      const cycle = await syncUntilKilled(env, pickKillPoint(random, storeWindowMs));
      if (cycle.outcome === 'completed') {
        // The backfill ran to the end before the kill point: the table is whole. Start another round
        // from an empty table so the remaining kills land in a backfill too (runs are kept).
        rounds++;
        const complete = await expectNoPartialSymbol(handle!);
        await handle!.db.deleteFrom('corporate_actions').execute();
        await handle!.db.deleteFrom('daily_bars').execute();
        await handle!.db.updateTable('symbols').set({ last_full_fetch_at: null }).execute();
        expect(complete).toEqual(WATCHLIST);
        cycles.push({ ...cycle, completeAfter: complete });
        continue;
      }
      kills++;
      const completeAfter = await expectNoPartialSymbol(handle!);
      const runs = await runsOf(handle!);
      // Only the run just killed is still 'running': every earlier one was marked by a later start.
      const mine = runs.filter((r) => r.pid === cycle.pid);
      expect(mine).toHaveLength(1);
      if (mine[0]!.status !== 'ok') expect(runs.filter((r) => r.status === 'running').map((r) => r.pid)).toEqual([cycle.pid]);
      cycles.push({ ...cycle, completeAfter });
    }

    // The last start: marks the last dead run, finishes the backfill.
    const final = await runCli(['sync'], { env, timeoutMs: 120_000 });
    expect(final.code, final.stderr).toBe(0);
    expect(final.stdout).toMatch(/^sync #\d+ ok: 10 symbol\(s\)/);
    const totalMs = Math.round(performance.now() - t0);

    await expectReferenceTable(handle!);
    const runs = await runsOf(handle!);
    expect(runs.filter((r) => r.status === 'running')).toEqual([]);
    const killedPids = new Set(cycles.filter((c) => c.outcome === 'killed').map((c) => c.pid));
    // A kill can land after its run finished (recorded 'ok') while the process was closing down.
    const killedAfterFinish = runs.filter((r) => killedPids.has(r.pid!) && r.status === 'ok').length;
    const aborted = runs.filter((r) => r.status === 'aborted');
    // Every kill that came before its run finished left a run that the next start marked aborted.
    expect(aborted).toHaveLength(KILLS - killedAfterFinish);
    for (const r of aborted) {
      expect(r.error).toBe('the process died before the run finished');
      expect(r.finished_at).toBeInstanceOf(Date);
    }
    for (const r of aborted) expect(killedPids.has(r.pid!), `aborted run of pid ${r.pid} was killed by the test`).toBe(true);
    expect(runs.filter((r) => r.status === 'ok')).toHaveLength(rounds + 1 + killedAfterFinish);
    expect(runs).toHaveLength(KILLS + rounds + 1);
    // Each round fills the table from empty once, across killed runs and the one that completes it, and
    // each run records its rows as each symbol commits: killed runs count exactly what they stored, so
    // the runs' rows_inserted add up to one whole table per round.
    const tableRows = [...reference.bars.values()].reduce((n, rows) => n + rows.length, 0);
    expect(runs.reduce((n, r) => n + r.rows_inserted, 0)).toBe((rounds + 1) * tableRows);

    const killed = cycles.filter((c) => c.outcome === 'killed');
    writeFigures('crash', {
      kills: KILLS,
      killSeed: KILL_SEED,
      historyStart: HISTORY_START,
      latencyMs: LATENCY_MS,
      storeWindowMs,
      barsPerRun: [...reference.bars.values()].reduce((n, b) => n + b.length, 0),
      roundsCompleted: rounds,
      killedAfterRunFinished: killedAfterFinish,
      abortedRuns: aborted.length,
      totalMs,
      meanKilledRunMs: Math.round(killed.reduce((n, c) => n + c.ms, 0) / killed.length),
      killPoints: {
        requestInFlight: killed.filter((c) => c.point.at === 'request').length,
        afterFirstAnswer: killed.filter((c) => c.point.at === 'response' && c.point.nth === 1).length,
        afterSecondAnswer: killed.filter((c) => c.point.at === 'response' && c.point.nth === 2).length,
      },
      cycles,
    });
  });
});

describe('kill -9 of a sync on the embedded database (the default: no DATABASE_URL)', () => {
  let env: NodeJS.ProcessEnv;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = join(root, 'embedded-data');
    env = { BUBBLEWATCH_DATA_DIR: dataDir, BUBBLEWATCH_CONFIG: configPath, YAHOO_BASE_URL: relay.url };
    // The cluster and the schema first, so the kill lands in the sync, not in initdb.
    const migrated = await runCli(['migrate'], { env, timeoutMs: 120_000 });
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(serverProcesses(dataDir), 'the server migrate started outlived it').toEqual([]);
  });
  // Should a check fail with the killed sync's server still up, it must not outlive the test run.
  afterAll(() => stopLeftOverServer(dataDir));

  it('the server the killed sync started stays up; the next sync uses it, finishes the table, and stops it', async () => {
    // A fixed point well inside the backfill: 150 ms after the first of ten answers (two at a time).
    const cycle = await syncUntilKilled(env, { at: 'response', nth: 1, delayMs: 150 });
    expect(cycle.outcome).toBe('killed');
    // No process let go of the server: it keeps running, with no user.
    const left = serverProcesses(dataDir);
    expect(left).toHaveLength(1);
    // Looked at through its socket without a lease (a lease's end would stop it): nothing partial, the
    // killed run still 'running'.
    const peek = await openDb({ kind: 'postgres', url: runningServer(dataDir)!.url }, { maxConnections: 1 });
    try {
      await expectNoPartialSymbol(peek);
      expect((await runsOf(peek)).map((r) => [r.pid, r.status])).toEqual([[cycle.pid, 'running']]);
    } finally {
      await peek.close();
    }

    const next = await runCli(['sync'], { env, timeoutMs: 120_000 });
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toMatch(/^sync #\d+ ok: 10 symbol\(s\)/);
    // The next sync was the server's last user: the server the kill left behind is gone with it.
    expect(serverProcesses(dataDir)).toEqual([]);

    // The data whole, through the embedded target as any command opens it (this starts the server
    // again; closing, the last user stops it).
    const handle = await openDb({ kind: 'embedded', dataDir }, { maxConnections: 1 });
    try {
      await expectReferenceTable(handle);
      const runs = await runsOf(handle);
      expect(runs.map((r) => r.status)).toEqual(['aborted', 'ok']);
      expect(runs[0]).toMatchObject({ pid: cycle.pid, error: 'the process died before the run finished' });
    } finally {
      await handle.close();
    }
    expect(serverProcesses(dataDir)).toEqual([]);
  });
});
