// runQuotes end to end: one batched quote request (after the cookie/crumb handshake) through the real
// client against the simulated feed, snapshots stored in `quotes`, missing symbols reported.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runQuotes } from '../../../src/ingest/quotes.js';
import { SIMULATED_HEADER } from '../../../src/providers/yahoo/fetch.js';
import type { SimServer } from '../../../src/sim/server.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { guardNetwork, startTestSim } from '../../helpers/sim-harness.js';
import { SIM_NOW, WATCHLIST, latestRun, testConfig, testDeps, resetDb, warmUp } from './harness.js';

guardNetwork();
// Every case opens a fresh database and runs whole syncs over HTTP: generous on a busy machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let sim: SimServer;

beforeAll(async () => {
  sim = warmUp(await startTestSim({ now: SIM_NOW }));
});
afterAll(() => sim.close());

beforeEach(() => {
  sim.setNow(SIM_NOW);
  sim.setFaults(0);
  sim.resetStats();
  vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function quotesDeps(db: TestDb, options: Parameters<typeof testDeps>[2] = {}) {
  const deps = testDeps(sim, db, options);
  // yahoo-finance2 keeps the crumb in a module-level variable: start without one.
  await deps.yahoo.clearCrumb();
  return deps;
}

describe('runQuotes', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => {
    await db?.drop();
  });
  beforeEach(async () => {
    await resetDb(db);
  });

  it('stores one snapshot per symbol from a single request for all of them', async () => {
    const summary = await runQuotes(await quotesDeps(db));

    expect(summary.status).toBe('ok');
    expect(summary.source).toBe('sim');
    expect(summary.missing).toEqual([]);
    const stats = sim.stats();
    expect(stats.quoteRequests).toEqual([{ symbols: WATCHLIST, outcome: '200' }]);
    // The handshake (cookie page, crumb) and the quote itself.
    expect(summary.requests).toBe(3);

    const rows = await db.db.selectFrom('quotes').selectAll().orderBy('symbol').execute();
    expect(rows.map((r) => r.symbol).sort()).toEqual([...WATCHLIST].sort());
    for (const row of rows) {
      const truth = sim.groundTruth(row.symbol)!;
      const last = truth.bars.filter((b) => b.close !== null).at(-1)!;
      expect(row.price).toBe(last.close);
      expect(row.ts).toEqual(new Date('2026-01-02T21:00:00Z'));
      expect(row).toMatchObject({ source: 'sim', currency: 'USD', market_state: 'CLOSED' });
    }
    expect(rows.find((r) => r.symbol === 'NVDA')!.market_cap).toBeGreaterThan(0);
    expect(rows.find((r) => r.symbol === '^GSPC')!.market_cap).toBeNull();

    const run = await latestRun(db);
    expect(run).toMatchObject({ id: summary.runId, job: 'quotes', status: 'ok', rows_inserted: WATCHLIST.length, requests: 3, failures: [] });

    // The same quote time again: nothing new is stored.
    const again = await runQuotes(testDeps(sim, db));
    expect(again.stored).toBe(0);
    expect(again.received).toBe(WATCHLIST.length);
    expect(await db.db.selectFrom('quotes').select('symbol').execute()).toHaveLength(WATCHLIST.length);
  });

  it('reports symbols Yahoo left out as failures and stores the rest', async () => {
    const config = testConfig({ watchlist: ['NVDA', 'NOPE', 'ORCL', 'ZZZZ'] });
    const summary = await runQuotes(await quotesDeps(db, { config }));

    expect(summary.status).toBe('partial');
    expect(summary.missing).toEqual(['NOPE', 'ZZZZ']);
    expect(summary.failures).toEqual([
      { symbol: 'NOPE', kind: 'not_found', reason: expect.stringContaining('NOPE') },
      { symbol: 'ZZZZ', kind: 'not_found', reason: expect.stringContaining('ZZZZ') },
    ]);
    expect(sim.stats().quoteRequests).toHaveLength(1);
    const rows = await db.db.selectFrom('quotes').select('symbol').orderBy('symbol').execute();
    expect(rows.map((r) => r.symbol)).toEqual(['NVDA', 'ORCL']);
    expect(await latestRun(db)).toMatchObject({ status: 'partial', failures: summary.failures, rows_inserted: 2 });
  });

  it('fails every symbol, and stores nothing, when the one request fails for good', async () => {
    sim.setFaults({ rate: 1, kinds: ['500'], endpoints: ['quote'] });
    const summary = await runQuotes(await quotesDeps(db, { client: { retries: 1 } }));

    expect(summary.status).toBe('failed');
    expect(summary.failures.map((f) => [f.symbol, f.kind])).toEqual(WATCHLIST.map((s) => [s, 'server']));
    expect(await db.db.selectFrom('quotes').select('symbol').execute()).toEqual([]);
    expect(await latestRun(db)).toMatchObject({ status: 'failed', error: expect.stringContaining('500') });
  });

  it("labels data 'yahoo' only when the answers don't carry the simulated feed's mark", async () => {
    // A transport that strips the mark stands in for the real Yahoo.
    const unmarked: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const headers = new Headers(res.headers);
      headers.delete(SIMULATED_HEADER);
      return new Response(await res.arrayBuffer(), { status: res.status, statusText: res.statusText, headers });
    };
    const summary = await runQuotes(await quotesDeps(db, { client: { transport: unmarked } }));

    expect(summary.status).toBe('ok');
    expect(summary.source).toBe('yahoo');
    const sources = await db.db.selectFrom('quotes').select('source').distinct().execute();
    expect(sources).toEqual([{ source: 'yahoo' }]);
  });
});
