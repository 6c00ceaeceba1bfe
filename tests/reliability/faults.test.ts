// Part 1, transient faults: a full backfill of the 10 watchlist symbols through the simulated feed at
// 10 %, 30 % and 50 % faults (429, 500/502/503, connection resets, hangs, truncated JSON) must end in a
// table identical to the fault-free run. Requests, retries and time per rate go to
// tests/artifacts/reliability/faults.json (quoted in docs/RELIABILITY.md).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseConfig } from '../../src/config/load.js';
import type { Clock } from '../../src/providers/yahoo/pacing.js';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { runSync } from '../../src/ingest/sync.js';
import type { SimServer } from '../../src/sim/server.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { guardNetwork, startTestSim } from '../helpers/sim-harness.js';
import { PROJECT_ROOT } from '../helpers/cli.js';
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

/**
 * The shipped settings: config/bubblewatch.json with the schema's defaults, and the client's own
 * backoff defaults (1 s, 30 s after a 429, capped at 5 min), in the one-shot CLI's mode (a run stops
 * when the circuit opens). Time is compressed only through the clock the client takes: every wait
 * (pacing, backoff, cool-down) passes at once on a virtual clock. The one exception is the request
 * timeout, which runs on real timers inside fetch: 1.5 s here instead of 15 s. A hang still costs one
 * failed attempt of kind timeout, as with 15 s; only the wall time differs.
 */
const SHIPPED = parseConfig(readFileSync(`${PROJECT_ROOT}/config/bubblewatch.json`, 'utf8'), {}).yahoo;
const SHIPPED_SEEDS = [2026, 2027, 2028, 2029, 2030] as const;
const MAX_RUNS = 3;

/** Waits pass at once and move this clock forward by their length. */
function virtualClock(): Clock & { waitedMs(): number } {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    waitedMs: () => offset,
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      offset += ms;
      await new Promise((resolve) => setImmediate(resolve));
      if (signal?.aborted) throw signal.reason;
    },
  };
}

interface ConvergenceFigures {
  faultRate: number;
  faultSeed: number;
  /** `sync` runs until the table equalled the fault-free one (MAX_RUNS + 1 = never). */
  runsNeeded: number;
  statuses: string[];
  requests: number;
  retries: number;
  breakerOpens: number;
  /** Time the client spent waiting (backoff, pacing), on the virtual clock. */
  waitedMs: number;
  wallMs: number;
}
const convergence: ConvergenceFigures[] = [];

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
  db = await createTestDb();
  // yahoo-finance2 prints the URL with console.error when a body is not JSON (the 5xx HTML pages).
  vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterAll(async () => {
  vi.restoreAllMocks();
  await db?.drop();
  await sim?.close();
  if (figures.length > 0) {
    writeFigures('faults', {
      symbols: WATCHLIST,
      historyStart: testConfig().history.start,
      simNow: SIM_NOW,
      client: CLIENT,
      byRate: byRate(figures),
      runs: figures,
      shipped: { settings: SHIPPED, timeoutMsInTest: 1500, maxRuns: MAX_RUNS, runs: convergence },
    });
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

const SHIPPED_CASES = ([0.3, 0.5] as const).flatMap((rate) => SHIPPED_SEEDS.map((seed) => [rate, seed] as const));

it.each(SHIPPED_CASES)('with the shipped settings at %s faults (seed %s), repeated one-shot syncs reach the fault-free table: in one run at 0.3, within two at 0.5', async (rate, seed) => {
  expect(cleanDump, 'the fault-free run comes first').toBeDefined();
  await resetDb(db);
  sim.setFaults({ rate, seed });
  sim.resetStats();
  const clock = virtualClock();
  const t0 = performance.now();
  const statuses: string[] = [];
  let requests = 0;
  let retries = 0;
  let breakerOpens = 0;
  let runsNeeded = MAX_RUNS + 1;
  for (let run = 1; run <= MAX_RUNS; run++) {
    // A new process each run, as with the CLI: a new client (its breaker closed), the same database.
    const deps = testDeps(sim, db, {
      config: testConfig(),
      client: {
        minIntervalMs: SHIPPED.minIntervalMs,
        concurrency: SHIPPED.concurrency,
        retries: SHIPPED.retries,
        breakerThreshold: SHIPPED.breakerThreshold,
        breakerCooldownMs: SHIPPED.breakerCooldownMs,
        backoffBaseMs: undefined,
        rateLimitBackoffMs: undefined,
        backoffMaxMs: undefined,
        timeoutMs: 1500,
        whenCircuitOpen: 'fail',
        clock,
      },
    });
    const summary = await runSync(deps);
    const stats = deps.yahoo.stats();
    statuses.push(summary.status);
    requests += stats.requests;
    retries += stats.retries;
    breakerOpens += stats.breakerOpens;
    if (summary.status === 'ok' && JSON.stringify(await dumpIngested(db)) === JSON.stringify(cleanDump)) {
      runsNeeded = run;
      break;
    }
  }
  convergence.push({ faultRate: rate, faultSeed: seed, runsNeeded, statuses, requests, retries, breakerOpens, waitedMs: clock.waitedMs(), wallMs: Math.round(performance.now() - t0) });
  expect(runsNeeded, `runs: ${statuses.join(', ')}`).toBeLessThanOrEqual(rate <= 0.3 ? 1 : 2);
});
