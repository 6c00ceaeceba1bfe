// Part 2, crashes: `bubblewatch sync` (the compiled CLI, a child process) is killed with SIGKILL at 20
// seeded random points of a backfill and restarted each time. Every kill lands while backfill work is
// under way: a backfill request in flight, or a few milliseconds after a backfill answer arrived (the
// bars being mapped or stored, or just stored). After kills the database must hold, per symbol, either
// nothing or the complete fetched range (checked against an uninterrupted reference run); the run the
// kill left 'running' must be marked 'aborted' by the next start; and the last sync must converge to the
// reference table. On PGlite a kill also leaves the data dir's lock file behind: the next start has to
// take it over. Runs on PGlite always and on Postgres when TEST_DATABASE_URL is set.
// Figures go to tests/artifacts/reliability/crash-<target>.json.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { openDb, type DbHandle } from '../../src/db/connect.js';
import { runSync } from '../../src/ingest/run.js';
import type { SimServer } from '../../src/sim/server.js';
import { CLI, PROJECT_ROOT, runCli } from '../helpers/cli.js';
import { createScratchSchema, createTestDb, dbTargetNames } from '../helpers/db.js';
import { startTestSim } from '../helpers/sim-harness.js';
import { SIM_NOW, WATCHLIST, dumpIngested, epochOfDate, expectedBars, testDeps, warmUp } from '../e2e/ingest/harness.js';
import { seededRandom, writeFigures } from './figures.js';
import { startRelay, type ChartEvent, type Relay } from './relay.js';

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
  root = mkdtempSync(join(tmpdir(), 'bw-crash-'));
  configPath = join(root, 'bubblewatch.json');
  writeFileSync(configPath, JSON.stringify(CONFIG));
  sim = warmUp(await startTestSim({ now: SIM_NOW }));
  relay = await startRelay(sim.url, { latencyMs: LATENCY_MS });

  // The reference: one uninterrupted backfill with the same config, in process, on a throwaway database.
  const refDb = await createTestDb('pglite');
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

async function runsOf(handle: DbHandle) {
  return handle.db.selectFrom('ingest_runs').select(['id', 'job', 'status', 'pid', 'error', 'started_at', 'finished_at', 'rows_inserted']).orderBy('id').execute();
}

describe.each(dbTargetNames())('kill -9 during a backfill, on %s', (target) => {
  const pglite = target === 'pglite';
  let env: NodeJS.ProcessEnv;
  let dataDir: string;
  let scratch: Awaited<ReturnType<typeof createScratchSchema>> | undefined;
  let pgHandle: DbHandle | undefined;

  beforeAll(async () => {
    dataDir = join(root, `${target}-data`);
    env = { BUBBLEWATCH_DATA_DIR: dataDir, BUBBLEWATCH_CONFIG: configPath, YAHOO_BASE_URL: relay.url };
    if (!pglite) {
      scratch = await createScratchSchema();
      env.DATABASE_URL = scratch.url;
      pgHandle = await openDb({ kind: 'postgres', url: scratch.url }, { maxConnections: 1 });
    }
    // The schema first, so no kill lands in PGlite's initdb (a fresh data dir's first open).
    const migrated = await runCli(['migrate'], { env, timeoutMs: 120_000 });
    expect(migrated.code, migrated.stderr).toBe(0);
  });
  afterAll(async () => {
    await pgHandle?.close();
    await scratch?.drop();
  });

  /** The database as the test sees it between runs; on PGlite this takes (and so tests) the dir lock. */
  async function withDb<T>(fn: (handle: DbHandle) => Promise<T>): Promise<T> {
    if (pgHandle) return fn(pgHandle);
    const handle = await openDb({ kind: 'pglite', dataDir });
    try {
      return await fn(handle);
    } finally {
      await handle.close();
    }
  }

  it(`converges after ${KILLS} kills: no partial symbol, dead runs marked aborted, stale lock taken over`, async () => {
    const random = seededRandom(KILL_SEED);
    // Mapping and storing ~1,500 bars takes a few hundred ms on PGlite and somewhat less on Postgres
    // (yahoo-finance2's validation and the mapping dominate): the delays span that, and a bit more.
    const storeWindowMs = pglite ? 600 : 500;
    const cycles: (Cycle & { completeAfter: string[] | null; lockLeft: boolean | null })[] = [];
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
        const complete = await withDb(async (handle) => {
          const done = await expectNoPartialSymbol(handle);
          await handle.db.deleteFrom('corporate_actions').execute();
          await handle.db.deleteFrom('daily_bars').execute();
          await handle.db.updateTable('symbols').set({ last_full_fetch_at: null }).execute();
          return done;
        });
        expect(complete).toEqual(WATCHLIST);
        cycles.push({ ...cycle, completeAfter: complete, lockLeft: null });
        continue;
      }
      kills++;
      let lockLeft: boolean | null = null;
      if (pglite) {
        // kill -9 leaves the lock file naming the dead process.
        const lockFile = join(dataDir, 'pglite.lock');
        lockLeft = existsSync(lockFile) && (JSON.parse(readFileSync(lockFile, 'utf8')) as { pid: number }).pid === cycle.pid;
        if (!lockLeft) {
          // The only way the lock can be gone: the kill landed after the sync had finished and closed
          // the database (which releases the lock), while the process was exiting.
          const mine = await withDb(async (handle) => (await runsOf(handle)).filter((r) => r.pid === cycle.pid));
          expect(mine.map((r) => r.status), 'lock file of the killed process, unless its run had finished').toEqual(['ok']);
        }
      }
      // On PGlite every other kill is checked (opening the data dir here takes the stale lock over);
      // after the others the next `sync` itself has to take the stale lock over.
      let completeAfter: string[] | null = null;
      if (!pglite || kills % 2 === 1) {
        completeAfter = await withDb(async (handle) => {
          const done = await expectNoPartialSymbol(handle);
          const running = (await runsOf(handle)).filter((r) => r.status === 'running');
          // Only the run just killed is still 'running': every earlier one was marked by a later start.
          const mine = (await runsOf(handle)).filter((r) => r.pid === cycle.pid);
          expect(mine).toHaveLength(1);
          if (mine[0]!.status !== 'ok') expect(running.map((r) => r.pid)).toEqual([cycle.pid]);
          return done;
        });
      }
      cycles.push({ ...cycle, completeAfter, lockLeft });
    }

    // The last start: takes over the stale lock (PGlite), marks the last dead run, finishes the backfill.
    const final = await runCli(['sync'], { env, timeoutMs: 120_000 });
    expect(final.code, final.stderr).toBe(0);
    expect(final.stdout).toMatch(/^sync #\d+ ok: 10 symbol\(s\)/);
    const totalMs = Math.round(performance.now() - t0);

    const runs = await withDb(async (handle) => {
      const dump = await dumpIngested(handle);
      expect(bySymbol(dump.bars)).toEqual(reference.bars);
      expect(bySymbol(dump.actions)).toEqual(reference.actions);
      expect(dump.symbols.every((s) => s.last_full_fetch_at instanceof Date)).toBe(true);
      return runsOf(handle);
    });
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
    writeFigures(`crash-${target}`, {
      target,
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
