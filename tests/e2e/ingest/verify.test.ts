// runVerify end to end: the stored history against the simulated feed's over loopback HTTP, after
// rows were changed behind bubblewatch's back (SQL, as psql would), with and without --repair; the
// differences it keeps, the jumps it finds again, and the drawdown states after a repair.
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createIngestJobs } from '../../../src/daemon/ingest-jobs.js';
import type { IsoDate } from '../../../src/domain.js';
import { latestVerify, storedJumps } from '../../../src/db/data-checks.js';
import { loadSymbolStates } from '../../../src/db/symbol-state.js';
import { runSync } from '../../../src/ingest/sync.js';
import { runVerify } from '../../../src/ingest/verify.js';
import { writeReport } from '../../../src/report/write-report.js';
import type { SimServer } from '../../../src/sim/server.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { guardNetwork, startTestSim } from '../../helpers/sim-harness.js';
import { writeFigures } from '../../reliability/figures.js';
import { HISTORY_START, SIM_NOW, expectedBars, latestRun, resetDb, storedBars, testConfig, testDeps } from './harness.js';

guardNetwork();
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const SYMBOLS = ['INTC', 'ORCL', 'NVDA'];
const config = testConfig({ watchlist: SYMBOLS });

let db: TestDb;
let feed: SimServer;
beforeAll(async () => {
  db = await createTestDb();
  feed = await startTestSim({ now: SIM_NOW, source: { kind: 'synthetic', symbols: SYMBOLS } });
});
afterAll(async () => {
  await feed?.close();
  await db?.drop();
});
beforeEach(async () => {
  await resetDb(db);
  feed.rebase('ORCL', { factor: 1 });
  await runSync(testDeps(feed, db, { config }));
  feed.resetStats();
});

const rowOn = async (symbol: string, date: string) => (await storedBars(db, symbol)).find((b) => b.trade_date === date)!;

describe('runVerify', () => {
  it('finds a freshly synced history equal to the source: one full request per symbol, nothing kept', async () => {
    const summary = await runVerify(testDeps(feed, db, { config }));
    expect(summary).toMatchObject({ status: 'ok', differences: 0, repaired: 0, failures: [], requests: SYMBOLS.length });
    expect(summary.symbols.map((s) => [s.symbol, s.status, s.from, s.to])).toEqual(SYMBOLS.map((s) => [s, 'equal', HISTORY_START, SIM_NOW]));
    expect(feed.stats().chartRequests.every((r) => r.period1 === Date.parse(`${HISTORY_START}T00:00:00Z`) / 1000)).toBe(true);
    expect(await latestRun(db)).toMatchObject({ job: 'verify', status: 'ok', symbols: SYMBOLS, requests: SYMBOLS.length, rows_updated: 0 });
    expect(await latestVerify(db.db)).toMatchObject({ runId: summary.runId, differences: [] });
  });

  it('names the row changed by SQL; --repair restores it exactly and rebuilds the drawdown states the write left untrusted', async () => {
    const date = (await storedBars(db, 'INTC'))[100]!.trade_date;
    const original = await rowOn('INTC', date);
    await sql`update daily_bars set close = close * 1.5 where symbol = 'INTC' and trade_date = ${date}`.execute(db.db);

    const found = await runVerify(testDeps(feed, db, { config }), { symbols: ['INTC'] });
    expect(found.symbols).toHaveLength(1);
    expect(found.symbols[0]!.ranges).toMatchObject([{ kind: 'changed', firstDate: date, lastDate: date, rows: 1, fields: ['close'], factor: null }]);
    expect(found.symbols[0]!.ranges[0]!.stored!.close).toBeCloseTo(original.close * 1.5, 6);
    expect(found.symbols[0]!.ranges[0]!.source!.close).toBe(original.close);
    expect(found).toMatchObject({ differences: 1, repaired: 0, untrackedWrites: true, statesRebuilt: null });
    expect((await rowOn('INTC', date)).close).toBeCloseTo(original.close * 1.5, 6);
    expect((await latestVerify(db.db))!.differences).toEqual([{ symbol: 'INTC', kind: 'changed', firstDate: date, lastDate: date, rows: 1, fields: ['close'], factor: null, repaired: false }]);

    const repaired = await runVerify(testDeps(feed, db, { config }), { symbols: ['INTC'], repair: true });
    expect(repaired.symbols[0]!.repaired).toMatchObject({ inserted: 0, updated: 1, deleted: 0 });
    expect(repaired).toMatchObject({ differences: 1, repaired: 1, statesRebuilt: SYMBOLS.length, untrackedWrites: false });
    expect(await storedBars(db, 'INTC')).toEqual(expectedBars(feed, 'INTC'));
    expect((await loadSymbolStates(db.db, SYMBOLS)).trusted).toBe(true);
    expect(await latestRun(db)).toMatchObject({ job: 'verify', rows_updated: 1 });

    const after = await runVerify(testDeps(feed, db, { config }));
    expect(after).toMatchObject({ status: 'ok', differences: 0 });
    writeFigures('integrity-verify-sql-change', {
      date,
      closeSource: original.close,
      closeChanged: found.symbols[0]!.ranges[0]!.stored!.close,
      requests: { verifyIntc: found.requests, repair: repaired.requests, verifyAll: after.requests },
      repaired: repaired.symbols[0]!.repaired,
    });
  });

  it('tells a row the source does not have from a row missing; --repair removes the one and adds the other', async () => {
    const bars = await storedBars(db, 'NVDA');
    const gone = bars[50]!.trade_date;
    // A Saturday the source has no session on, stored as if it had one.
    const stray = '2025-06-07';
    await sql`delete from daily_bars where symbol = 'NVDA' and trade_date = ${gone}`.execute(db.db);
    await sql`insert into daily_bars (symbol, trade_date, open, high, low, close, adj_close, volume, source)
              values ('NVDA', ${stray}, 10, 11, 9, 10, 10, 100, 'import')`.execute(db.db);

    const summary = await runVerify(testDeps(feed, db, { config }), { symbols: ['NVDA'], repair: true });
    expect(summary.symbols[0]!.ranges.map((r) => [r.kind, r.firstDate, r.lastDate, r.rows])).toEqual([
      ['not_stored', gone, gone, 1],
      ['not_in_source', stray, stray, 1],
    ]);
    expect(summary.symbols[0]!.repaired).toMatchObject({ inserted: 1, updated: 0, deleted: 1 });
    expect(await storedBars(db, 'NVDA')).toEqual(expectedBars(feed, 'NVDA'));
  });

  it('reads a history the source re-based whole as one range with its common factor', async () => {
    feed.rebase('ORCL', { factor: 2 });
    const summary = await runVerify(testDeps(feed, db, { config }), { symbols: ['ORCL'] });
    const [range, ...more] = summary.symbols[0]!.ranges;
    expect(more).toEqual([]);
    expect(range).toMatchObject({ kind: 'changed', firstDate: HISTORY_START, lastDate: SIM_NOW, fields: ['open', 'high', 'low', 'close', 'adj_close'] });
    expect(range!.rows).toBe((await storedBars(db, 'ORCL')).length);
    expect(range!.factor).toBeCloseTo(2, 6);
  });

  it('finds the jump a change by hand made, and forgets it once repaired', async () => {
    const date = (await storedBars(db, 'INTC'))[200]!.trade_date;
    await sql`update daily_bars set open = open * 5, high = high * 5, low = low * 5, close = close * 5 where symbol = 'INTC' and trade_date = ${date}`.execute(db.db);
    const summary = await runVerify(testDeps(feed, db, { config }), { symbols: ['INTC'] });
    // Into the changed session and out of it again: two jumps, both kept for status and /healthz.
    expect(summary.symbols[0]!.jumps.map((j) => j.date)).toEqual([date, expect.any(String)]);
    expect((await storedJumps(db.db)).map((j) => [j.symbol, j.date])).toEqual(summary.symbols[0]!.jumps.map((j) => ['INTC', j.date]));
    // Four prices of one session by one factor: for verify that session is one common factor (source = stored x 0.2).
    expect(summary.symbols[0]!.ranges[0]!.factor).toBeCloseTo(0.2, 6);

    await runVerify(testDeps(feed, db, { config }), { symbols: ['INTC'], repair: true });
    expect(await storedJumps(db.db)).toEqual([]);
  });

  it("the daemon's verify job tells a difference and repairs it only when verify.repair is set", async () => {
    const date = (await storedBars(db, 'INTC'))[30]!.trade_date;
    await sql`update daily_bars set close = close * 1.5 where symbol = 'INTC' and trade_date = ${date}`.execute(db.db);
    const ingest = testDeps(feed, db, { config });
    // The jobs' report writer, as `bubblewatch report` writes (the verify job does not report).
    const deps = { ...ingest, writeReport: (date: IsoDate) => writeReport(ingest, { date }) };
    const signal = new AbortController().signal;

    const told = await createIngestJobs(deps).verify!({ signal });
    expect(told).toMatchObject({ status: 'ok', differences: { INTC: 1, ORCL: 0, NVDA: 0 }, repaired: [] });
    expect((await rowOn('INTC', date)).close).not.toBe((expectedBars(feed, 'INTC').find((b) => b.trade_date === date))!.close);

    const repairing = await createIngestJobs({ ...deps, config: { ...config, verify: { repair: true } } }).verify!({ signal });
    expect(repairing).toMatchObject({ differences: { INTC: 1 }, repaired: ['INTC'] });
    expect(await storedBars(db, 'INTC')).toEqual(expectedBars(feed, 'INTC'));
    // One alert: the second run found the same range (now repaired) and told nothing new.
    const alerts = await db.db.selectFrom('alerts').select(['rule', 'message']).where('rule', '=', 'verify_difference').execute();
    expect(alerts).toEqual([{ rule: 'verify_difference', message: expect.stringContaining(`INTC ${date} close`) }]);
  });
});
