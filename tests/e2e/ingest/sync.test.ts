// runSync end to end: the production Yahoo client over loopback HTTP against the simulated feed, into
// a database of the test server. These are the ingestion issue's acceptance tests.
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runSync, type SyncSummary } from '../../../src/ingest/sync.js';
import { sessionsAgo } from '../../../src/market/calendar.js';
import type { SimServer } from '../../../src/sim/server.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { guardNetwork, startTestSim } from '../../helpers/sim-harness.js';
import {
  HISTORY_START,
  SIM_NOW,
  WATCHLIST,
  dumpIngested,
  epochOfDate,
  expectedBars,
  latestRun,
  storedBars,
  testConfig,
  testDeps,
  resetDb,
  warmUp,
  YOUNG_SYMBOLS,
} from './harness.js';

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
  // yahoo-finance2 prints the URL with console.error on non-JSON failures (the faults test).
  vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
});

function byRequestSymbol(feed: SimServer = sim) {
  const out = new Map<string, { period1: number | null; period2: number | null; outcome: string }[]>();
  for (const r of feed.stats().chartRequests) out.set(r.symbol, [...(out.get(r.symbol) ?? []), r]);
  return out;
}

describe('runSync', () => {
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

  it('a full backfill stores exactly the feed ground truth for every symbol', async () => {
    const summary = await runSync(testDeps(sim, db));

    expect(summary.status).toBe('ok');
    expect(summary.failures).toEqual([]);
    expect(summary.source).toBe('sim');
    expect(summary.symbols.map((s) => [s.symbol, s.reason, s.status])).toEqual(WATCHLIST.map((s) => [s, 'backfill', 'ok']));
    let total = 0;
    for (const symbol of WATCHLIST) {
      const expected = expectedBars(sim, symbol);
      expect(expected.length).toBeGreaterThan(150);
      expect(await storedBars(db, symbol)).toEqual(expected);
      total += expected.length;
    }
    expect(summary.rowsInserted).toBe(total);
    // One chart request per symbol, each from the history start.
    expect(sim.stats().chartRequests.map((r) => [r.symbol, r.period1])).toEqual(
      expect.arrayContaining(WATCHLIST.map((s) => [s, epochOfDate(HISTORY_START)])),
    );
    expect(summary.requests).toBe(WATCHLIST.length);

    const dump = await dumpIngested(db);
    expect(new Set(dump.bars.map((b) => b.source))).toEqual(new Set(['sim']));
    expect(dump.actions.length).toBeGreaterThan(0);
    expect(new Set(dump.actions.map((a) => a.source))).toEqual(new Set(['sim']));
    // Every symbol's history was fetched whole: the split rule relies on this timestamp.
    for (const s of dump.symbols) expect(s.last_full_fetch_at).toBeInstanceOf(Date);
    expect(dump.symbols.find((s) => s.symbol === 'CRWV')).toMatchObject({ currency: 'USD', exchange_tz: 'America/New_York', first_trade_date: '2025-03-28' });

    const run = await latestRun(db);
    expect(run).toMatchObject({
      id: summary.runId,
      job: 'sync',
      status: 'ok',
      symbols: WATCHLIST,
      rows_inserted: total,
      rows_updated: 0,
      rows_rejected: 0,
      requests: WATCHLIST.length,
      failures: [],
      error: null,
    });
    expect(run.finished_at).toBeInstanceOf(Date);
  });

  it('a second sync asks only for the overlap window and changes nothing', async () => {
    await runSync(testDeps(sim, db));
    const lastDates = new Map((await storedBars(db)).map((b) => [b.symbol, b.trade_date]));
    sim.resetStats();

    const again = await runSync(testDeps(sim, db));

    expect(again.status).toBe('ok');
    expect(again.rowsInserted).toBe(0);
    expect(again.rowsUpdated).toBe(0);
    expect(again.symbols.every((s) => s.reason === 'incremental' && s.inserted === 0 && s.updated === 0)).toBe(true);
    const requests = byRequestSymbol();
    expect([...requests.keys()].sort()).toEqual([...WATCHLIST].sort());
    for (const symbol of WATCHLIST) {
      const [request, ...more] = requests.get(symbol)!;
      expect(more).toEqual([]);
      // Exactly `overlapSessions` sessions before the last stored date, up to today.
      expect(request!.period1).toBe(epochOfDate(sessionsAgo(lastDates.get(symbol)!, 5)));
      expect(request!.period2).toBe(epochOfDate('2026-01-03'));
    }
    const run = await latestRun(db);
    expect(run).toMatchObject({ status: 'ok', rows_inserted: 0, rows_updated: 0, requests: WATCHLIST.length });
  });

  it('with 30% transient faults the database ends identical to a fault-free one, nothing duplicated', async () => {
    const clean = await createTestDb();
    try {
      await runSync(testDeps(sim, clean));
      const cleanDump = await dumpIngested(clean);

      sim.resetStats();
      sim.setFaults({ rate: 0.3, seed: 11 });
      const deps = testDeps(sim, db, { config: testConfig({ timeoutMs: 1000 }), client: { timeoutMs: 1000 } });
      const faulty = await runSync(deps);

      const stats = sim.stats();
      expect(stats.faults.total).toBeGreaterThan(0);
      expect(faulty.status).toBe('ok');
      expect(faulty.requests).toBe(stats.requests);
      expect(faulty.requests).toBeGreaterThan(WATCHLIST.length);
      expect(await dumpIngested(db)).toEqual(cleanDump);
      expect(faulty.rowsInserted).toBe(cleanDump.bars.length);

      // And a faulty incremental pass on top: still nothing new, nothing rewritten.
      const again = await runSync(deps);
      expect(again.status).toBe('ok');
      expect([again.rowsInserted, again.rowsUpdated]).toEqual([0, 0]);
      expect(await dumpIngested(db)).toEqual(cleanDump);
    } finally {
      await clean.drop();
    }
  });

  it("a refused connection to Yahoo fails that symbol, not the run: it is not the database's connection", async () => {
    // A port that was just free: nothing listens there.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const config = testConfig({ watchlist: ['NVDA'] });
    const summary = await runSync(testDeps(sim, db, { config, client: { baseUrl: `http://127.0.0.1:${port}`, retries: 1, breakerThreshold: 50 } }));

    expect(summary.status).toBe('failed');
    expect(summary.failures).toEqual([{ symbol: 'NVDA', kind: 'network', reason: expect.stringMatching(/NVDA/) }]);
    expect(await latestRun(db)).toMatchObject({ status: 'failed' });
  });

  it('an unknown symbol fails alone, with a clear reason in the run record', async () => {
    const config = testConfig({ watchlist: ['NVDA', 'NOPE', 'ORCL'] });
    const summary = await runSync(testDeps(sim, db, { config }));

    expect(summary.status).toBe('partial');
    expect(summary.failures).toEqual([{ symbol: 'NOPE', kind: 'not_found', reason: expect.stringMatching(/NOPE.*No data found/) }]);
    expect(summary.symbols.map((s) => [s.symbol, s.status])).toEqual([['NVDA', 'ok'], ['NOPE', 'failed'], ['ORCL', 'ok']]);
    expect(await storedBars(db, 'NVDA')).toEqual(expectedBars(sim, 'NVDA'));
    expect(await storedBars(db, 'ORCL')).toEqual(expectedBars(sim, 'ORCL'));
    expect(await storedBars(db, 'NOPE')).toEqual([]);
    // A permanent error is not retried.
    expect(sim.stats().chartRequests.filter((r) => r.symbol === 'NOPE')).toHaveLength(1);

    const run = await latestRun(db);
    expect(run.status).toBe('partial');
    expect(run.failures).toEqual(summary.failures);
    expect(run.rows_inserted).toBe(summary.rowsInserted);
  });

  it('a --from on or before the first trade date is a full fetch: the next plain sync is incremental', async () => {
    // CRWV lists on 2025-03-28; the configured start is 2024-01-02. The plan cannot know the listing
    // date on an empty database; the chart's meta tells it.
    const forced = await runSync(testDeps(sim, db), { symbols: ['CRWV'], from: '2024-06-03' });
    expect(forced.symbols[0]).toMatchObject({ status: 'ok', reason: 'forced' });
    const mark = await db.db.selectFrom('symbols').select(['last_full_fetch_at', 'first_trade_date']).where('symbol', '=', 'CRWV').executeTakeFirstOrThrow();
    expect(mark).toMatchObject({ first_trade_date: '2025-03-28', last_full_fetch_at: expect.any(Date) });

    const plain = await runSync(testDeps(sim, db), { symbols: ['CRWV'] });
    expect(plain.symbols[0]).toMatchObject({ status: 'ok', reason: 'incremental', inserted: 0 });
  });

  it('syncs a symbol outside the watchlist when asked for by name, and only the symbols asked for', async () => {
    const summary = await runSync(testDeps(sim, db, { config: testConfig({ watchlist: ['NVDA', 'ORCL'] }) }), { symbols: ['ORCL', 'META', 'ZZZZ'] });

    expect(summary.symbols.map((s) => [s.symbol, s.status])).toEqual([['ORCL', 'ok'], ['META', 'ok'], ['ZZZZ', 'failed']]);
    expect(summary.failures).toEqual([{ symbol: 'ZZZZ', kind: 'not_found', reason: expect.stringContaining('ZZZZ') }]);
    expect(await storedBars(db, 'META')).toEqual(expectedBars(sim, 'META'));
    expect(await storedBars(db, 'NVDA')).toEqual([]);
    const symbols = await db.db.selectFrom('symbols').select('symbol').orderBy('symbol').execute();
    expect(symbols.map((s) => s.symbol)).toEqual(['META', 'NVDA', 'ORCL', 'ZZZZ']);
    expect((await latestRun(db)).symbols).toEqual(['ORCL', 'META', 'ZZZZ']);
  });

  it('keeps bad rows out, stores odd rows flagged, and re-fetches the whole history after a new split', async () => {
    // Planted rows and splits stay in a feed for good: this test gets a feed of its own.
    const feed = await startTestSim({ now: SIM_NOW, source: { kind: 'synthetic', symbols: YOUNG_SYMBOLS } });
    const config = testConfig({ watchlist: YOUNG_SYMBOLS });
    try {
      const at = (symbol: string, i: number) => feed.groundTruth(symbol)!.bars.filter((b) => b.tradeDate >= HISTORY_START && b.close !== null)[i]!.tradeDate;
      const odd = { symbol: 'NVDA', date: at('NVDA', 100), kind: 'odd_open' as const };
      const negative = { symbol: 'AMZN', date: at('AMZN', 120), kind: 'negative_close' as const };
      const inverted = { symbol: 'ORCL', date: at('ORCL', 140), kind: 'high_below_low' as const };
      const empty = { symbol: 'GOOGL', date: at('GOOGL', 160), kind: 'all_null' as const };
      for (const a of [odd, negative, inverted, empty]) feed.addAnomaly(a);

      const deps = testDeps(feed, db, { config });
      const first = await runSync(deps);

      expect(first.status).toBe('ok');
      for (const symbol of YOUNG_SYMBOLS) expect(await storedBars(db, symbol)).toEqual(expectedBars(feed, symbol));
      const dates = async (symbol: string) => (await storedBars(db, symbol)).map((b) => b.trade_date);
      expect(await dates('AMZN')).not.toContain(negative.date);
      expect(await dates('ORCL')).not.toContain(inverted.date);
      expect(await dates('GOOGL')).not.toContain(empty.date);
      const oddRow = (await storedBars(db, 'NVDA')).find((b) => b.trade_date === odd.date)!;
      expect(oddRow.quality).toEqual(['open_outside_range']);
      expect(oddRow.open).toBeGreaterThan(oddRow.high!);

      // Rejected rows are counted and logged with symbol, date and reason; the empty one is neither.
      expect(first.rowsRejected).toBe(2);
      expect((await latestRun(db)).rows_rejected).toBe(2);
      const rejectedLines = deps.logs.lines.filter((l) => l.msg === 'row rejected');
      expect(rejectedLines.map((l) => [l.symbol, l.tradeDate])).toEqual(
        expect.arrayContaining([['AMZN', negative.date], ['ORCL', inverted.date]]),
      );
      expect(rejectedLines).toHaveLength(2);
      expect(rejectedLines.find((l) => l.symbol === 'AMZN')!.reason).toMatch(/close must be > 0/);
      expect(rejectedLines.find((l) => l.symbol === 'ORCL')!.reason).toMatch(/high .* is below low/);
      expect(first.symbols.find((s) => s.symbol === 'GOOGL')!.skippedEmpty).toBeGreaterThanOrEqual(1);

      // A 4:1 split on the next session: Yahoo rewrites META's whole split-adjusted past.
      const metaBefore = await storedBars(db, 'META');
      feed.addSplit('META', { date: '2026-01-05', numerator: 4, denominator: 1 });
      expect(feed.advance()).toBe('2026-01-05');
      feed.resetStats();

      const second = await runSync(testDeps(feed, db, { config }));

      expect(second.status).toBe('ok');
      const meta = second.symbols.find((s) => s.symbol === 'META')!;
      expect(meta).toMatchObject({ status: 'ok', splitRefetch: true, reason: 'refetch_split', from: HISTORY_START });
      // Incremental first (where the split showed up), then the whole history, in the same run.
      const metaRequests = byRequestSymbol(feed).get('META')!;
      expect(metaRequests.map((r) => r.period1)).toEqual([epochOfDate(sessionsAgo('2026-01-02', 5)), epochOfDate(HISTORY_START)]);
      for (const symbol of YOUNG_SYMBOLS.filter((s) => s !== 'META')) {
        expect(second.symbols.find((s) => s.symbol === symbol)).toMatchObject({ reason: 'incremental', splitRefetch: false });
        expect(byRequestSymbol(feed).get(symbol)).toHaveLength(1);
      }
      const metaAfter = await storedBars(db, 'META');
      expect(metaAfter).toEqual(expectedBars(feed, 'META'));
      expect(metaAfter).toHaveLength(metaBefore.length + 1);
      expect(metaAfter[0]!.close).toBeCloseTo(metaBefore[0]!.close / 4, 5);
      expect(meta.updated).toBe(metaBefore.length);
      expect(meta.inserted).toBe(1);
      const split = await db.db.selectFrom('corporate_actions').selectAll().where('symbol', '=', 'META').where('kind', '=', 'split').execute();
      expect(split.map((s) => [s.trade_date, s.numerator, s.denominator])).toContainEqual(['2026-01-05', 4, 1]);

      // The next session: the split is on record and the full fetch came after it, so META is back to
      // one overlap request.
      feed.advance();
      feed.resetStats();
      const third = await runSync(testDeps(feed, db, { config }));
      expect(third.symbols.find((s) => s.symbol === 'META')).toMatchObject({ reason: 'incremental', splitRefetch: false, updated: 0 });
      expect(byRequestSymbol(feed).get('META')).toHaveLength(1);
      expect(await storedBars(db, 'META')).toEqual(expectedBars(feed, 'META'));
    } finally {
      await feed.close();
    }
  });

  it('when the re-fetch after a new split fails, keeps the old history untouched and the split on record for the next run', async () => {
    const feed = await startTestSim({ now: SIM_NOW, source: { kind: 'synthetic', symbols: ['META', 'NVDA'] } });
    try {
      const config = testConfig({ watchlist: ['META', 'NVDA'] });
      await runSync(testDeps(feed, db, { config }));
      const before = await storedBars(db, 'META');
      feed.addSplit('META', { date: '2026-01-05', numerator: 4, denominator: 1 });
      feed.advance();

      // Full-history requests for META fail (500) however often they are retried.
      const isFullMeta = (url: URL) => url.pathname.endsWith('/chart/META') && url.searchParams.get('period1') === String(epochOfDate(HISTORY_START));
      const failing: typeof fetch = async (input, init) =>
        isFullMeta(new URL(input instanceof Request ? input.url : String(input))) ? new Response('boom', { status: 500 }) : fetch(input, init);
      const broken = await runSync(testDeps(feed, db, { config, client: { transport: failing, retries: 2 } }));

      expect(broken.status).toBe('partial');
      expect(broken.failures).toEqual([
        {
          symbol: 'META',
          kind: 'server',
          reason: expect.stringMatching(/^history on another basis \(prices x0\.25, the 4:1 split of 2026-01-05\); the full re-fetch failed: .*500/),
        },
      ]);
      expect(await storedBars(db, 'META')).toEqual(before);
      const splits = await db.db.selectFrom('corporate_actions').select('trade_date').where('symbol', '=', 'META').where('kind', '=', 'split').execute();
      expect(splits.map((s) => s.trade_date)).toContain('2026-01-05');

      // The next run plans the full re-fetch from what is on record.
      const healed = await runSync(testDeps(feed, db, { config }));
      expect(healed.status).toBe('ok');
      expect(healed.symbols.find((s) => s.symbol === 'META')).toMatchObject({ reason: 'refetch_split', splitRefetch: false });
      expect(await storedBars(db, 'META')).toEqual(expectedBars(feed, 'META'));
    } finally {
      await feed.close();
    }
  });

  it('stops cleanly when aborted: the symbol in flight is cut off, what was stored stays whole', async () => {
    const controller = new AbortController();
    const config = testConfig({ concurrency: 1, timeoutMs: 20_000 });
    const deps = testDeps(sim, db, { config, signal: controller.signal });
    const started = Date.now();
    const summary: SyncSummary = await runSync(deps, {
      onProgress: (event) => {
        if (event.type !== 'symbol' || event.result.symbol !== 'AMZN') return;
        // The next chart request never gets an answer; abort while it hangs.
        sim.queueFaults(['hang'], 'chart');
        setTimeout(() => controller.abort(new Error('test stop')), 200);
      },
    });

    // Far below the 20 s request timeout: the abort, not the timeout, ended the hung request.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(summary.status).toBe('aborted');
    expect(summary.symbols.map((s) => [s.symbol, s.status])).toEqual(WATCHLIST.map((s) => [s, s === 'AMZN' ? 'ok' : 'aborted']));
    expect(summary.failures).toEqual([]);
    expect(await storedBars(db, 'AMZN')).toEqual(expectedBars(sim, 'AMZN'));
    expect(await storedBars(db, 'ORCL')).toEqual([]);
    const run = await latestRun(db);
    expect(run).toMatchObject({ status: 'aborted', rows_inserted: summary.rowsInserted, error: 'aborted: test stop' });

    // The next run picks up where this one stopped.
    const next = await runSync(testDeps(sim, db));
    expect(next.status).toBe('ok');
    expect(next.symbols.find((s) => s.symbol === 'AMZN')!.reason).toBe('incremental');
    expect(next.symbols.find((s) => s.symbol === 'ORCL')!.reason).toBe('backfill');
  });
});
