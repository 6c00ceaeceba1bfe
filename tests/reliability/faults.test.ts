// Part 1, transient faults: a full backfill of the 10 watchlist symbols through the simulated feed at
// 10 %, 30 % and 50 % faults (429, 500/502/503, connection resets, hangs, truncated JSON) must end in a
// table identical to the fault-free run. Requests, retries and time per rate go to
// tests/artifacts/reliability/faults.json (quoted in docs/RELIABILITY.md).
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { runSync } from '../../src/ingest/run.js';
import type { SimServer } from '../../src/sim/server.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { guardNetwork, startTestSim } from '../helpers/sim-harness.js';
import { SIM_NOW, WATCHLIST, dumpIngested, expectedBars, resetDb, storedBars, testConfig, testDeps, warmUp } from '../e2e/ingest/harness.js';
import { writeFigures } from './figures.js';

guardNetwork();
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

/**
 * Fault rolls are seeded: a seed replays the same faults for the same requests. A backfill is only ten
 * chart requests, so each rate runs under five seeds to give the figures more than a handful of faults.
 */
const FAULT_SEEDS = [2026, 2027, 2028, 2029, 2030] as const;
const RATES = [0.1, 0.3, 0.5] as const;

// Test-speed resilience: a hung request is given up after 1.5 s (enough for a busy 2-core machine to
// answer a healthy request), backoffs are milliseconds, and there are enough retries that a 50 % fault
// rate cannot exhaust them for these seeds. The logic is the production client's; only the timings shrink.
const CLIENT = {
  timeoutMs: 1500,
  retries: 10,
  backoffBaseMs: 5,
  rateLimitBackoffMs: 10,
  backoffMaxMs: 100,
  breakerThreshold: 5,
  breakerCooldownMs: 50,
} as const;

let sim: SimServer;
let db: TestDb;
let cleanDump: Awaited<ReturnType<typeof dumpIngested>>;

interface RunFigures {
  faultRate: number;
  faultSeed: number | null;
  status: string;
  durationMs: number;
  rowsStored: number;
  /** HTTP requests the client sent (as counted by the client, and by the feed). */
  requests: number;
  feedRequests: number;
  /** chart() attempts and the retries among them. */
  attempts: number;
  retries: number;
  breakerOpens: number;
  faultsInjected: number;
  faultsByKind: Record<string, number>;
  clientFailuresByKind: Record<string, number>;
  identicalToFaultFree: boolean;
}
const figures: RunFigures[] = [];

beforeAll(async () => {
  sim = warmUp(await startTestSim({ now: SIM_NOW }));
  db = await createTestDb('pglite');
  // yahoo-finance2 prints the URL with console.error when a body is not JSON (the 5xx HTML pages).
  vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterAll(async () => {
  vi.restoreAllMocks();
  await db?.drop();
  await sim?.close();
  if (figures.length > 0) {
    writeFigures('faults', { symbols: WATCHLIST, historyStart: testConfig().history.start, simNow: SIM_NOW, client: CLIENT, byRate: byRate(figures), runs: figures });
  }
});

/** Totals per fault rate over its seeds: what docs/RELIABILITY.md tabulates. */
function byRate(runs: readonly RunFigures[]) {
  const rates = [...new Set(runs.map((r) => r.faultRate))];
  return rates.map((faultRate) => {
    const of = runs.filter((r) => r.faultRate === faultRate);
    const total = (key: 'requests' | 'retries' | 'faultsInjected' | 'breakerOpens' | 'durationMs') => of.reduce((n, r) => n + r[key], 0);
    const kinds: Record<string, number> = {};
    for (const r of of) for (const [k, n] of Object.entries(r.faultsByKind)) kinds[k] = (kinds[k] ?? 0) + n;
    return {
      faultRate,
      backfills: of.length,
      allIdentical: of.every((r) => r.identicalToFaultFree && r.status === 'ok'),
      requestsPerBackfill: total('requests') / of.length,
      retriesPerBackfill: total('retries') / of.length,
      faultsInjected: total('faultsInjected'),
      faultsByKind: kinds,
      breakerOpens: total('breakerOpens'),
      meanMs: Math.round(total('durationMs') / of.length),
      maxMs: Math.max(...of.map((r) => r.durationMs)),
    };
  });
}

async function backfill(rate: number, seed: number | null): Promise<RunFigures> {
  await resetDb(db);
  sim.setFaults(seed === null ? 0 : { rate, seed });
  sim.resetStats();
  const deps = testDeps(sim, db, { config: testConfig({ timeoutMs: 1000 }), client: CLIENT });
  const t0 = performance.now();
  const summary = await runSync(deps);
  const durationMs = Math.round(performance.now() - t0);
  const client = deps.yahoo.stats();
  const feed = sim.stats();
  const dump = await dumpIngested(db);
  return {
    faultRate: rate,
    faultSeed: seed,
    status: summary.status,
    durationMs,
    rowsStored: dump.bars.length,
    requests: client.requests,
    feedRequests: feed.requests,
    attempts: client.attempts,
    retries: client.retries,
    breakerOpens: client.breakerOpens,
    faultsInjected: feed.faults.total,
    faultsByKind: feed.faults.byKind,
    clientFailuresByKind: client.failures,
    identicalToFaultFree: cleanDump === undefined ? true : JSON.stringify(dump) === JSON.stringify(cleanDump),
  };
}

it('fault-free backfill: the reference table equals the feed ground truth', async () => {
  // Twice: the first run also pays for the JIT warming up; the second is the time reference.
  await backfill(0, null);
  const run = await backfill(0, null);
  cleanDump = await dumpIngested(db);
  figures.push(run);
  expect(run.status).toBe('ok');
  expect(run.requests).toBe(WATCHLIST.length);
  for (const symbol of WATCHLIST) expect(await storedBars(db, symbol)).toEqual(expectedBars(sim, symbol));
});

const CASES = RATES.flatMap((rate) => FAULT_SEEDS.map((seed) => [rate, seed] as const));

it.each(CASES)('at %s faults (seed %s) the backfill ends with a table identical to the fault-free one', async (rate, seed) => {
  expect(cleanDump, 'the fault-free run comes first').toBeDefined();
  const run = await backfill(rate, seed);
  figures.push(run);

  expect(run.status).toBe('ok');
  // Every fault the feed injected cost the client one failed attempt of the matching kind, each failed
  // attempt was retried, and every request was counted. (A healthy answer slower than the timeout on a
  // busy machine adds a timeout of its own: timeouts >= hangs.)
  expect(run.requests).toBe(run.feedRequests);
  const injected = (...kinds: string[]) => kinds.reduce((n, k) => n + (run.faultsByKind[k] ?? 0), 0);
  const failed = (kind: string) => run.clientFailuresByKind[kind] ?? 0;
  expect(failed('rate_limited')).toBe(injected('429'));
  expect(failed('server')).toBe(injected('500', '502', '503'));
  expect(failed('network')).toBe(injected('reset'));
  expect(failed('bad_payload')).toBe(injected('truncated'));
  expect(failed('timeout')).toBeGreaterThanOrEqual(injected('hang'));
  const failures = Object.values(run.clientFailuresByKind).reduce((n, k) => n + k, 0);
  expect(run.retries).toBe(failures);
  expect(run.attempts).toBe(WATCHLIST.length + failures);
  expect(await dumpIngested(db)).toEqual(cleanDump);
  // Nothing duplicated, nothing missing: the primary key would forbid the first, the dump the second.
  expect(run.rowsStored).toBe(cleanDump.bars.length);
});

it('went through faults at every rate, and every kind of fault the feed can inject', () => {
  for (const rate of RATES) {
    const injected = figures.filter((r) => r.faultRate === rate).reduce((n, r) => n + r.faultsInjected, 0);
    expect(injected, `faults injected at ${rate}`).toBeGreaterThan(0);
  }
  const kinds = new Set(figures.flatMap((r) => Object.keys(r.faultsByKind)));
  expect([...kinds].sort()).toEqual(['429', '500', '502', '503', 'hang', 'reset', 'truncated']);
});
