// Issue 21's sync scenarios end to end: the production Yahoo client over loopback HTTP against the
// simulated feed, into a database of the test server. A history the source re-bases (a split whose
// full fetch is "after" it on the clock, a reverse split, a silent re-basing, a dividend's rewrite of
// the adjusted closes) is read from the overlap and re-fetched whole in the same run; a revised recent
// bar is stored and counted, nothing more. Each scenario's requests and rows go to
// tests/artifacts/reliability/integrity-<scenario>.json for docs/RELIABILITY.md.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SyncSummary } from '../../../src/ingest/sync.js';
import { runSync } from '../../../src/ingest/sync.js';
import { sessionsAgo } from '../../../src/market/calendar.js';
import { writeReport } from '../../../src/report/write-report.js';
import type { SimServer } from '../../../src/sim/server.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { guardNetwork, startTestSim } from '../../helpers/sim-harness.js';
import { writeFigures } from '../../reliability/figures.js';
import { HISTORY_START, SIM_NOW, captureLog, epochOfDate, expectedBars, latestRun, resetDb, simClock, storedBars, testConfig, testDeps } from './harness.js';

guardNetwork();
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const CLAIMS = fileURLToPath(new URL('../../../config/claims.json', import.meta.url));

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

async function withFeed<T>(symbol: string, now: string, fn: (feed: SimServer) => Promise<T>): Promise<T> {
  const feed = await startTestSim({ now, source: { kind: 'synthetic', symbols: [symbol] } });
  try {
    return await fn(feed);
  } finally {
    await feed.close();
  }
}

/** The chart requests of the feed since its last reset, as [period1 date, period2 date]. */
function chartRanges(feed: SimServer): string[][] {
  const day = (epoch: number | null) => (epoch === null ? '' : new Date(epoch * 1000).toISOString().slice(0, 10));
  return feed.stats().chartRequests.map((r) => [day(r.period1), day(r.period2)]);
}

function figures(summary: SyncSummary, feed: SimServer) {
  const s = summary.symbols[0]!;
  return {
    requests: summary.requests,
    chartRanges: chartRanges(feed),
    reason: s.reason,
    rebase: s.rebase,
    rows: { inserted: s.inserted, updated: s.updated, unchanged: s.unchanged, revised: s.revised, deleted: s.deleted },
  };
}

describe('a history the source re-bases', () => {
  it('a split between two syncs whose full fetch is "after" it on the clock: re-fetched whole, the table and the report exact', async () => {
    await withFeed('NVDA', '2024-06-07', async (feed) => {
      const config = testConfig({ watchlist: ['NVDA'] });
      feed.addSplit('NVDA', { date: '2024-06-10', numerator: 10, denominator: 1 });
      // The backfill runs on Friday 06-07's data, but its clock says 06-12: by the calendar rule, the
      // full fetch came after the 06-10 split and nothing would ever be re-fetched.
      const skewed = { ...testDeps(feed, db, { config }), clock: () => new Date('2024-06-12T01:00:00Z') };
      const backfill = await runSync(skewed);
      expect(backfill.symbols[0]).toMatchObject({ status: 'ok', reason: 'backfill' });
      const before = await storedBars(db, 'NVDA');
      const lastBefore = before.at(-1)!;
      expect(lastBefore.trade_date).toBe('2024-06-07');

      feed.setNow('2024-06-11');
      feed.resetStats();
      const deps = testDeps(feed, db, { config });
      const sync = await runSync(deps);

      const nvda = sync.symbols[0]!;
      expect(nvda).toMatchObject({ status: 'ok', reason: 'refetch_split', splitRefetch: true, from: HISTORY_START, revised: 0 });
      expect(nvda.rebase).toMatchObject({ split: { date: '2024-06-10', ratio: '10:1' } });
      expect(nvda.rebase!.factor).toBeCloseTo(0.1, 6);
      // The overlap window first, where the re-basing showed, then the whole history: two requests.
      expect(chartRanges(feed)).toEqual([[sessionsAgo('2024-06-07', 5), '2024-06-12'], [HISTORY_START, '2024-06-12']]);
      expect(sync.requests).toBe(2);
      const after = await storedBars(db, 'NVDA');
      expect(after).toEqual(expectedBars(feed, 'NVDA'));
      expect(after.find((b) => b.trade_date === lastBefore.trade_date)!.close).toBeCloseTo(lastBefore.close / 10, 5);
      expect(nvda.updated).toBe(before.length);
      expect(nvda.inserted).toBe(2);

      // The run log names the factor and the split on record; so do the run record and `status`.
      const line = deps.logs.lines.find((l) => l.msg === 'history re-based at the source')!;
      expect(line).toMatchObject({ symbol: 'NVDA', split: { date: '2024-06-10', ratio: '10:1' }, detail: 'prices x0.1, the 10:1 split of 2024-06-10' });
      expect((await latestRun(db)).rebased).toEqual([{ symbol: 'NVDA', factor: nvda.rebase!.factor, adjCloseFactor: nvda.rebase!.adjCloseFactor, split: { date: '2024-06-10', ratio: '10:1' } }]);

      // The latest-day report (from the drawdown state) equals a computation from the source's history.
      const dir = await mkdtemp(join(tmpdir(), 'bubblewatch-rebase-'));
      try {
        const written = await writeReport({ handle: db, config, log: captureLog().log, clock: simClock(feed) }, { outDir: dir, formats: ['json'], claimsPath: CLAIMS });
        const report = JSON.parse(await readFile(written.files[0]!, 'utf8')) as { symbols: { symbol: string; lastClose: number; athClose: number; athDate: string; drawdown: number }[] };
        const truth = expectedBars(feed, 'NVDA');
        const ath = truth.reduce((best, b) => (b.close > best.close ? b : best));
        const last = truth.at(-1)!;
        expect(report.symbols.find((s) => s.symbol === 'NVDA')).toMatchObject({ lastClose: last.close, athClose: ath.close, athDate: ath.trade_date });
        expect(report.symbols.find((s) => s.symbol === 'NVDA')!.drawdown).toBeCloseTo(last.close / ath.close - 1, 9);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      writeFigures('integrity-split-clock-after', { ...figures(sync, feed), closeBefore: lastBefore.close, closeAfter: after.find((b) => b.trade_date === lastBefore.trade_date)!.close });
    });
  });

  it('a reverse split (1:10): re-fetched whole, the table exact', async () => {
    await withFeed('META', SIM_NOW, async (feed) => {
      const config = testConfig({ watchlist: ['META'] });
      await runSync(testDeps(feed, db, { config }));
      const before = await storedBars(db, 'META');
      const next = feed.advance();
      feed.addSplit('META', { date: next, numerator: 1, denominator: 10 });
      feed.resetStats();
      const sync = await runSync(testDeps(feed, db, { config }));

      expect(sync.symbols[0]).toMatchObject({ status: 'ok', reason: 'refetch_split', rebase: { split: { date: next, ratio: '1:10' } } });
      expect(sync.symbols[0]!.rebase!.factor).toBeCloseTo(10, 6);
      expect(sync.requests).toBe(2);
      const after = await storedBars(db, 'META');
      expect(after).toEqual(expectedBars(feed, 'META'));
      expect(after[0]!.close).toBeCloseTo(before[0]!.close * 10, 4);
      writeFigures('integrity-reverse-split', { ...figures(sync, feed), firstCloseBefore: before[0]!.close, firstCloseAfter: after[0]!.close });
    });
  });

  it('a silent re-basing (the whole history served x2, no event): re-fetched whole, the factor in the run log', async () => {
    await withFeed('ORCL', SIM_NOW, async (feed) => {
      const config = testConfig({ watchlist: ['ORCL'] });
      await runSync(testDeps(feed, db, { config }));
      const before = await storedBars(db, 'ORCL');
      feed.rebase('ORCL', { factor: 2 });
      feed.advance();
      feed.resetStats();
      const deps = testDeps(feed, db, { config });
      const sync = await runSync(deps);

      const orcl = sync.symbols[0]!;
      expect(orcl).toMatchObject({ status: 'ok', reason: 'refetch_rebased', splitRefetch: true, rebase: { split: null } });
      expect(orcl.rebase!.factor).toBeCloseTo(2, 6);
      expect(chartRanges(feed).map(([from]) => from)).toEqual([sessionsAgo(SIM_NOW, 5), HISTORY_START]);
      const after = await storedBars(db, 'ORCL');
      expect(after).toEqual(expectedBars(feed, 'ORCL'));
      expect(orcl).toMatchObject({ updated: before.length, inserted: 1 });
      const line = deps.logs.lines.find((l) => l.msg === 'history re-based at the source')!;
      expect(line).toMatchObject({ symbol: 'ORCL', split: null, detail: 'prices x2, no split on record' });
      expect(line.factor).toBeCloseTo(2, 6);
      expect((await latestRun(db)).rebased).toMatchObject([{ symbol: 'ORCL', split: null }]);
      writeFigures('integrity-silent-rebasing', { ...figures(sync, feed), firstCloseBefore: before[0]!.close, firstCloseAfter: after[0]!.close });
    });
  });

  it('a new dividend rewrites every adjusted close before it: re-fetched whole, adj_close exact', async () => {
    // META's quarterly dividends (src/sim/universe.ts): stand the feed the session before one.
    await withFeed('META', SIM_NOW, async (feed) => {
      const exDate = feed.groundTruth('META')!.dividends.at(-1)!.date;
      const config = testConfig({ watchlist: ['META'] });
      feed.setNow(sessionsAgo(exDate, 1));
      await runSync(testDeps(feed, db, { config }));
      feed.setNow(exDate);
      feed.resetStats();
      const sync = await runSync(testDeps(feed, db, { config }));
      const meta = sync.symbols[0]!;
      expect(meta).toMatchObject({ status: 'ok', reason: 'refetch_rebased', rebase: { factor: 1, split: null } });
      expect(meta.rebase!.adjCloseFactor).toBeLessThan(1);
      expect(await storedBars(db, 'META')).toEqual(expectedBars(feed, 'META'));
      writeFigures('integrity-dividend', { ...figures(sync, feed), exDate });
    });
  });
});

describe('a revised recent bar', () => {
  it('is stored and counted as revised, with no full re-fetch', async () => {
    await withFeed('INTC', SIM_NOW, async (feed) => {
      const config = testConfig({ watchlist: ['INTC'] });
      await runSync(testDeps(feed, db, { config }));
      const before = await storedBars(db, 'INTC');
      const recent = before.at(-2)!;
      // Yahoo corrects the session before the last: a close within its range, and the final volume.
      const close = Number(((recent.high! + recent.low!) / 2).toFixed(4));
      feed.revise({ symbol: 'INTC', date: recent.trade_date, close, volume: recent.volume! + 123_456 });
      feed.resetStats();
      const sync = await runSync(testDeps(feed, db, { config }));

      expect(sync.symbols[0]).toMatchObject({ status: 'ok', reason: 'incremental', splitRefetch: false, rebase: null, revised: 1, updated: 1, inserted: 0 });
      expect(sync).toMatchObject({ rowsRevised: 1, rebased: [], requests: 1 });
      expect(feed.stats().chartRequests.map((r) => r.period1)).toEqual([epochOfDate(sessionsAgo(before.at(-1)!.trade_date, 5))]);
      const after = await storedBars(db, 'INTC');
      expect(after).toEqual(expectedBars(feed, 'INTC'));
      expect(after.find((b) => b.trade_date === recent.trade_date)).toMatchObject({ close, volume: recent.volume! + 123_456 });
      expect(await latestRun(db)).toMatchObject({ rows_revised: 1, rows_updated: 1, rebased: [] });
      writeFigures('integrity-one-bar-revision', { ...figures(sync, feed), date: recent.trade_date, closeBefore: recent.close, closeAfter: close });
    });
  });
});
