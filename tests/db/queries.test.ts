// Every query of the library (sql/queries) against a dataset whose answers were worked out by hand
// (tests/db/queries-fixture.ts), with its header defaults and with parameters.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerParams, placeholderNames } from '../../src/db/named-params.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { bySymbol, daysBetween, near, QUERIES_DIR, runLibraryQuery, seedLibrary, todayInNewYork } from './queries-fixture.js';

const FILES = readdirSync(QUERIES_DIR).filter((f) => f.endsWith('.sql')).sort();
// Each query must have a `describe` below (event-study.sql has its own file, event-study-query.test.ts);
// this list is checked against the folder.
const TESTED = [
  'big-moves.sql',
  'crash-compare.sql',
  'crash-scoreboard.sql',
  'drawdown-now.sql',
  'episode-recoveries.sql',
  'event-study.sql',
  'event-window.sql',
  'freshness.sql',
  'market-value-lost.sql',
  'monthly-returns.sql',
  'near-52w-extremes.sql',
  'returns-as-of.sql',
  'swing-days.sql',
  'worst-drawdowns.sql',
];

describe('the query library', () => {
  it('has at least 10 queries, each tested here', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(10);
    expect(FILES).toEqual(TESTED);
  });

  it.each(FILES)('%s starts with its question and declares each parameter with a default', (file) => {
    const text = readFileSync(join(QUERIES_DIR, file), 'utf8');
    expect(text.split('\n')[0]).toMatch(/^-- .+\?$/);
    expect(text).toMatch(/^-- params: /m);
    expect(text).toMatch(/^-- Run: bubblewatch sql --file sql\/queries\//m);
    const declared = headerParams(text);
    expect(declared.map((p) => p.name).sort()).toEqual(placeholderNames(text).sort());
    for (const p of declared) expect(p.default, `${file}: ${p.name}`).not.toBeNull();
  });
});

describe('the query library', () => {
  let db: TestDb;
  const today = todayInNewYork();
  const run = (file: string, params?: Record<string, string>) => runLibraryQuery(db, file, params);

  beforeAll(async () => {
    db = await createTestDb();
    await seedLibrary(db, today);
  });
  afterAll(() => db?.drop());

  describe('drawdown-now.sql', () => {
    it('lists every symbol with bars, deepest below its all-time high first', async () => {
      const rows = await run('drawdown-now.sql');
      expect(rows.slice(0, 2)).toEqual([
        { symbol: 'CRWV', last_date: '2025-06-25', last_close: 105, ath_date: '2025-06-20', ath_close: 150, drawdown: near(-0.3), drawdown_pct: -30 },
        { symbol: 'ORCL', last_date: '2025-03-31', last_close: 90, ath_date: '2025-01-31', ath_close: 121, drawdown: near(90 / 121 - 1), drawdown_pct: -25.62 },
      ]);
      // The rest are at their high; META has no bars and is left out.
      expect(bySymbol(rows.slice(2)).map((r) => [r.symbol, r.drawdown])).toEqual([
        ['AMZN', 0], ['FRESH', 0], ['NVDA', 0], ['^IXIC', 0],
      ]);
    });
  });

  describe('big-moves.sql', () => {
    it('finds the days ORCL moved more than 10% (exactly 10% is not more)', async () => {
      expect(await run('big-moves.sql')).toEqual([
        { trade_date: '2025-01-02', prev_close: 100, close: 112, return_1d: near(0.12), return_pct: 12 },
        { trade_date: '2025-02-03', prev_close: 121, close: 96.8, return_1d: near(-0.2), return_pct: -20 },
        { trade_date: '2025-03-31', prev_close: 108.9, close: 90, return_1d: near(90 / 108.9 - 1), return_pct: -17.36 },
      ]);
    });

    it('takes another symbol and threshold', async () => {
      const rows = await run('big-moves.sql', { symbol: 'NVDA', threshold: '0.15' });
      expect(rows.map((r) => r.trade_date)).toEqual([
        '2025-01-07', '2025-01-08', '2025-01-13', '2025-01-14', '2025-01-15', '2025-01-20', '2025-01-21', '2025-01-22', '2025-01-23',
      ]);
    });
  });

  describe('market-value-lost.sql', () => {
    it("estimates the value lost from the latest quote's market cap at the all-time high price", async () => {
      expect(await run('market-value-lost.sql')).toEqual([
        {
          symbol: 'ORCL', quote_ts: new Date('2025-03-31T19:59:00Z'), quote_price: 90, market_cap: 252e9, ath_date: '2025-01-31', ath_close: 121,
          market_cap_at_peak: near(338.8e9), value_lost: near(86.8e9), value_lost_bn: 86.8, drawdown: near(90 / 121 - 1),
        },
        {
          symbol: 'CRWV', quote_ts: new Date('2025-06-25T19:59:00Z'), quote_price: 105, market_cap: 50e9, ath_date: '2025-06-20', ath_close: 150,
          market_cap_at_peak: near((50e9 * 150) / 105), value_lost: near((50e9 * 150) / 105 - 50e9), value_lost_bn: 21.4, drawdown: near(-0.3),
        },
        {
          symbol: 'NVDA', quote_ts: new Date('2025-01-27T20:00:00Z'), quote_price: 126, market_cap: 3e12, ath_date: '2025-01-27', ath_close: 126,
          market_cap_at_peak: 3e12, value_lost: 0, value_lost_bn: 0, drawdown: 0,
        },
      ]);
    });
  });

  describe('worst-drawdowns.sql', () => {
    it("gives NVDA's 5 deepest episodes, ties broken by the earlier peak", async () => {
      const rows = await run('worst-drawdowns.sql');
      expect(rows).toEqual([
        { depth_rank: 1, peak_date: '2025-01-10', peak_close: 100, trough_date: '2025-01-13', trough_close: 50, recovery_date: '2025-01-15', depth: near(-0.5), depth_pct: -50, sessions_to_trough: 1, sessions_to_recovery: 3 },
        { depth_rank: 2, peak_date: '2025-01-20', peak_close: 120, trough_date: '2025-01-21', trough_close: 60, recovery_date: '2025-01-23', depth: near(-0.5), depth_pct: -50, sessions_to_trough: 1, sessions_to_recovery: 3 },
        { depth_rank: 3, peak_date: '2025-01-06', peak_close: 100, trough_date: '2025-01-07', trough_close: 80, recovery_date: '2025-01-08', depth: near(-0.2), depth_pct: -20, sessions_to_trough: 1, sessions_to_recovery: 2 },
        { depth_rank: 4, peak_date: '2025-01-16', peak_close: 110, trough_date: '2025-01-17', trough_close: 99, recovery_date: '2025-01-20', depth: near(-0.1), depth_pct: -10, sessions_to_trough: 1, sessions_to_recovery: 2 },
        { depth_rank: 5, peak_date: '2025-01-08', peak_close: 100, trough_date: '2025-01-09', trough_close: 95, recovery_date: '2025-01-10', depth: near(-0.05), depth_pct: -5, sessions_to_trough: 1, sessions_to_recovery: 2 },
      ]);
    });

    it('takes another symbol and a larger top, open episodes included', async () => {
      expect((await run('worst-drawdowns.sql', { top: '10' })).map((r) => r.peak_date)).toHaveLength(6);
      const orcl = await run('worst-drawdowns.sql', { symbol: 'ORCL' });
      expect(orcl).toEqual([
        { depth_rank: 1, peak_date: '2025-01-31', peak_close: 121, trough_date: '2025-03-31', trough_close: 90, recovery_date: null, depth: near(90 / 121 - 1), depth_pct: -25.62, sessions_to_trough: 4, sessions_to_recovery: null },
        { depth_rank: 2, peak_date: '2025-01-02', peak_close: 112, trough_date: '2025-01-03', trough_close: 110, recovery_date: '2025-01-31', depth: near(110 / 112 - 1), depth_pct: -1.79, sessions_to_trough: 1, sessions_to_recovery: 2 },
      ]);
    });
  });

  describe('episode-recoveries.sql', () => {
    it('lists the falls of 20% or more (20% included) with their recovery times', async () => {
      expect(await run('episode-recoveries.sql')).toEqual([
        { peak_date: '2025-01-06', trough_date: '2025-01-07', recovery_date: '2025-01-08', depth: near(-0.2), sessions_to_trough: 1, sessions_to_recovery: 2, days_to_recovery: 2 },
        { peak_date: '2025-01-10', trough_date: '2025-01-13', recovery_date: '2025-01-15', depth: near(-0.5), sessions_to_trough: 1, sessions_to_recovery: 3, days_to_recovery: 5 },
        { peak_date: '2025-01-20', trough_date: '2025-01-21', recovery_date: '2025-01-23', depth: near(-0.5), sessions_to_trough: 1, sessions_to_recovery: 3, days_to_recovery: 3 },
      ]);
    });

    it('shows an unrecovered fall with empty recovery columns', async () => {
      expect(await run('episode-recoveries.sql', { symbol: 'ORCL', min_depth: '0.1' })).toEqual([
        { peak_date: '2025-01-31', trough_date: '2025-03-31', recovery_date: null, depth: near(90 / 121 - 1), sessions_to_trough: 4, sessions_to_recovery: null, days_to_recovery: null },
      ]);
    });
  });

  describe('crash-compare.sql', () => {
    it("lines CRWV's fall up with the NASDAQ from 2000-03-10, session by session", async () => {
      expect(await run('crash-compare.sql')).toEqual([
        { session: 0, symbol_date: '2025-06-20', symbol_drawdown: 0, reference_date: '2000-03-10', reference_drawdown: 0, gap: 0 },
        { session: 1, symbol_date: '2025-06-23', symbol_drawdown: near(-0.2), reference_date: '2000-03-13', reference_drawdown: near(-0.1), gap: near(-0.1) },
        { session: 2, symbol_date: '2025-06-24', symbol_drawdown: near(-0.4), reference_date: '2000-03-14', reference_drawdown: near(-0.2), gap: near(-0.2) },
        { session: 3, symbol_date: '2025-06-25', symbol_drawdown: near(-0.3), reference_date: '2000-03-15', reference_drawdown: near(-0.05), gap: near(-0.25) },
      ]);
    });

    it('thins the rows but keeps the latest session; a reference without stored bars gives empty columns', async () => {
      expect((await run('crash-compare.sql', { every: '2' })).map((r) => r.session)).toEqual([0, 2, 3]);
      const gfc = await run('crash-compare.sql', { reference: 'gfc2008', symbol: 'ORCL' });
      expect(gfc.map((r) => [r.session, r.symbol_date, r.reference_drawdown, r.gap])).toEqual([
        [0, '2025-01-31', null, null], [1, '2025-02-03', null, null], [2, '2025-02-28', null, null], [3, '2025-03-03', null, null], [4, '2025-03-31', null, null],
      ]);
    });
  });

  describe('crash-scoreboard.sql', () => {
    it('puts every symbol next to both crashes at its current session count', async () => {
      const rows = await run('crash-scoreboard.sql');
      expect(rows).toHaveLength(12); // 6 symbols with bars x 2 references
      const dotcomDepth = 1114.11 / 5048.62 - 1;
      const gfcDepth = 676.53 / 1565.15 - 1;
      const crwv = rows.filter((r) => r.symbol === 'CRWV');
      expect(crwv).toEqual([
        { symbol: 'CRWV', reference_id: 'dotcom', symbol_peak_date: '2025-06-20', sessions_since_peak: 3, last_date: '2025-06-25', symbol_drawdown: near(-0.3), reference_drawdown_same_session: near(-0.05), reference_full_depth: near(dotcomDepth), share_of_crash: near(-0.3 / dotcomDepth) },
        { symbol: 'CRWV', reference_id: 'gfc2008', symbol_peak_date: '2025-06-20', sessions_since_peak: 3, last_date: '2025-06-25', symbol_drawdown: near(-0.3), reference_drawdown_same_session: null, reference_full_depth: near(gfcDepth), share_of_crash: near(-0.3 / gfcDepth) },
      ]);
      expect(rows.find((r) => r.symbol === 'ORCL' && r.reference_id === 'dotcom')).toMatchObject({ sessions_since_peak: 4, reference_drawdown_same_session: near(-0.4) });
      expect(rows.find((r) => r.symbol === 'NVDA' && r.reference_id === 'dotcom')).toMatchObject({ sessions_since_peak: 0, symbol_drawdown: 0, reference_drawdown_same_session: 0 });
    });
  });

  describe('queries that shortcut a view give what the view gives', () => {
    const viewRows = (sql: string) => db.withSession(async (session) => (await session.query(sql)).rows);

    it('returns-as-of.sql = the last row of v_returns per symbol', async () => {
      for (const asOf of ['9999-12-31', '2025-02-10', '2025-12-16', '2000-03-14']) {
        const fromView = await viewRows(
          `select distinct on (symbol) symbol, trade_date, close, return_1d, return_1w, return_1m, return_3m, return_1y, return_ytd
             from v_returns where trade_date <= '${asOf}' order by symbol, trade_date desc`,
        );
        expect(bySymbol(await run('returns-as-of.sql', { as_of: asOf })), asOf).toEqual(bySymbol(fromView));
      }
    });

    it('crash-scoreboard.sql = the last session of v_crash_alignment per symbol and reference', async () => {
      const fromView = await viewRows(
        `select distinct on (symbol, reference_id) symbol, reference_id, session, symbol_drawdown, reference_drawdown
           from v_crash_alignment order by symbol, reference_id, session desc`,
      );
      const rows = await run('crash-scoreboard.sql');
      const key = (r: Record<string, unknown>) => `${r.symbol}/${r.reference_id}`;
      expect(rows.map((r) => [key(r), r.sessions_since_peak, r.symbol_drawdown, r.reference_drawdown_same_session]).sort()).toEqual(
        fromView.map((r) => [key(r), r.session, r.symbol_drawdown, r.reference_drawdown]).sort(),
      );
    });

    it('swing-days.sql counts the v_returns daily returns of the period', async () => {
      const fromView = await viewRows(
        `select symbol, count(*) as sessions, count(*) filter (where abs(return_1d) > 0.05) as swings, max(return_1d) as biggest_gain
           from v_returns where trade_date between '2025-01-01' and '2025-12-31' group by symbol`,
      );
      const rows = await run('swing-days.sql');
      expect(bySymbol(rows.map((r) => ({ symbol: r.symbol, sessions: r.sessions, swings: Number(r.up_days) + Number(r.down_days), biggest_gain: r.biggest_gain })))).toEqual(
        bySymbol(fromView),
      );
    });
  });

  describe('returns-as-of.sql', () => {
    it("gives each symbol's returns at its latest bar by default", async () => {
      const rows = bySymbol(await run('returns-as-of.sql'));
      expect(rows.map((r) => r.symbol)).toEqual(['AMZN', 'CRWV', 'FRESH', 'NVDA', 'ORCL', '^IXIC']);
      expect(rows.find((r) => r.symbol === 'ORCL')).toEqual({
        symbol: 'ORCL', trade_date: '2025-03-31', close: 90, return_1d: near(90 / 108.9 - 1), return_1w: near(90 / 108.9 - 1),
        return_1m: near(90 / 99 - 1), return_3m: near(-0.1), return_1y: null, return_ytd: near(-0.1),
      });
      // A 25-year gap: every lookback of 2025-12-22 lands on the last close of 2000.
      expect(rows.find((r) => r.symbol === '^IXIC')).toEqual({
        symbol: '^IXIC', trade_date: '2025-12-22', close: 20600, return_1d: near(0.03), return_1w: near(0.03),
        return_1m: near(20600 / 3000 - 1), return_3m: near(20600 / 3000 - 1), return_1y: near(20600 / 3000 - 1), return_ytd: near(20600 / 3000 - 1),
      });
    });

    it('answers as of an earlier date with the last bar on or before it', async () => {
      const rows = bySymbol(await run('returns-as-of.sql', { as_of: '2025-02-10' }));
      expect(rows.map((r) => [r.symbol, r.trade_date])).toEqual([['NVDA', '2025-01-27'], ['ORCL', '2025-02-03'], ['^IXIC', '2000-03-16']]);
      expect(rows[1]).toEqual({
        symbol: 'ORCL', trade_date: '2025-02-03', close: 96.8, return_1d: near(-0.2), return_1w: near(96.8 / 110 - 1),
        return_1m: near(96.8 / 110 - 1), return_3m: null, return_1y: null, return_ytd: near(-0.032),
      });
    });
  });

  describe('near-52w-extremes.sql', () => {
    it('flags the symbols within 5% of their 52-week high or low', async () => {
      expect(bySymbol(await run('near-52w-extremes.sql'))).toEqual([
        { symbol: 'AMZN', last_date: '2025-12-23', last_close: 240, high_52w: 240, low_52w: 199.5, below_high: 0, above_low: near(240 / 199.5 - 1), near: 'high' },
        { symbol: 'FRESH', last_date: today, last_close: 10, high_52w: 10, low_52w: 10, below_high: 0, above_low: 0, near: 'both' },
        { symbol: 'NVDA', last_date: '2025-01-27', last_close: 126, high_52w: 126, low_52w: 50, below_high: 0, above_low: near(126 / 50 - 1), near: 'high' },
        { symbol: 'ORCL', last_date: '2025-03-31', last_close: 90, high_52w: 121, low_52w: 90, below_high: near(90 / 121 - 1), above_low: 0, near: 'low' },
        // The 2000 bars are outside the window: the low is December 2025's 19800, 4% below.
        { symbol: '^IXIC', last_date: '2025-12-22', last_close: 20600, high_52w: 20600, low_52w: 19800, below_high: 0, above_low: near(20600 / 19800 - 1), near: 'both' },
      ]);
    });

    it('widens the band with `within`', async () => {
      const rows = bySymbol(await run('near-52w-extremes.sql', { within: '0.25' }));
      expect(rows.map((r) => [r.symbol, r.near])).toEqual([['AMZN', 'both'], ['CRWV', 'low'], ['FRESH', 'both'], ['NVDA', 'high'], ['ORCL', 'low'], ['^IXIC', 'both']]);
    });
  });

  describe('freshness.sql', () => {
    it("says how old each symbol's last bar is and which are stale", async () => {
      const rows = await run('freshness.sql');
      const fetched = new Date('2026-01-01T00:00:00Z');
      const age = (date: string) => daysBetween(date, today);
      const stale = bySymbol(rows.slice(0, 6));
      expect(stale).toEqual([
        { symbol: 'AMZN', last_date: '2025-12-23', days_since_last_bar: age('2025-12-23'), last_fetched_at: fetched, stale: true },
        { symbol: 'CRWV', last_date: '2025-06-25', days_since_last_bar: age('2025-06-25'), last_fetched_at: fetched, stale: true },
        { symbol: 'META', last_date: null, days_since_last_bar: null, last_fetched_at: null, stale: true },
        { symbol: 'NVDA', last_date: '2025-01-27', days_since_last_bar: age('2025-01-27'), last_fetched_at: fetched, stale: true },
        { symbol: 'ORCL', last_date: '2025-03-31', days_since_last_bar: age('2025-03-31'), last_fetched_at: fetched, stale: true },
        { symbol: '^IXIC', last_date: '2025-12-22', days_since_last_bar: age('2025-12-22'), last_fetched_at: fetched, stale: true },
      ]);
      expect(rows[6]).toEqual({ symbol: 'FRESH', last_date: today, days_since_last_bar: 0, last_fetched_at: fetched, stale: false });
    });

    it('uses max_days as the limit', async () => {
      const everything = (await run('freshness.sql', { max_days: '100000' })).filter((r) => r.stale);
      expect(everything.map((r) => r.symbol)).toEqual(['META']);
    });
  });

  describe('monthly-returns.sql', () => {
    it("gives ORCL's month-end closes and returns", async () => {
      expect(await run('monthly-returns.sql')).toEqual([
        { month: '2024-12', trade_date: '2024-12-31', close: 100, monthly_return: null },
        { month: '2025-01', trade_date: '2025-01-31', close: 121, monthly_return: near(0.21) },
        { month: '2025-02', trade_date: '2025-02-28', close: 99, monthly_return: near(99 / 121 - 1) },
        { month: '2025-03', trade_date: '2025-03-31', close: 90, monthly_return: near(90 / 99 - 1) },
      ]);
    });

    it('starts at `from` and still gives the first shown month its return', async () => {
      const rows = await run('monthly-returns.sql', { symbol: 'NVDA', from: '2025-01-01' });
      expect(rows).toEqual([{ month: '2025-01', trade_date: '2025-01-27', close: 126, monthly_return: null }]);
      const orcl = await run('monthly-returns.sql', { from: '2025-02-01' });
      expect(orcl.map((r) => [r.month, r.monthly_return])).toEqual([['2025-02', near(99 / 121 - 1)], ['2025-03', near(90 / 99 - 1)]]);
    });
  });

  describe('event-window.sql', () => {
    it('measures AMZN over the 5 sessions after 2025-12-16 against the NASDAQ', async () => {
      expect(await run('event-window.sql')).toEqual([
        { session: 1, trade_date: '2025-12-16', close: 220, symbol_return: near(220 / 210 - 1), benchmark_return: near(0.01), excess: near(220 / 210 - 1.01) },
        { session: 2, trade_date: '2025-12-17', close: 199.5, symbol_return: near(-0.05), benchmark_return: near(-0.01), excess: near(-0.04) },
        { session: 3, trade_date: '2025-12-18', close: 231, symbol_return: near(0.1), benchmark_return: near(0.02), excess: near(0.08) },
        { session: 4, trade_date: '2025-12-19', close: 205, symbol_return: near(205 / 210 - 1), benchmark_return: 0, excess: near(205 / 210 - 1) },
        { session: 5, trade_date: '2025-12-22', close: 210, symbol_return: 0, benchmark_return: near(0.03), excess: near(-0.03) },
      ]);
    });

    it('takes another symbol, date and length; a benchmark without that date gives empty columns', async () => {
      expect(await run('event-window.sql', { symbol: 'ORCL', event_date: '2025-02-01', sessions: '2' })).toEqual([
        { session: 1, trade_date: '2025-02-03', close: 96.8, symbol_return: near(-0.2), benchmark_return: null, excess: null },
        { session: 2, trade_date: '2025-02-28', close: 99, symbol_return: near(99 / 121 - 1), benchmark_return: null, excess: null },
      ]);
    });
  });

  describe('swing-days.sql', () => {
    it('counts the days each symbol moved more than 5% in 2025', async () => {
      const rows = bySymbol(await run('swing-days.sql'));
      expect(rows.map((r) => r.symbol)).toEqual(['AMZN', 'CRWV', 'NVDA', 'ORCL', '^IXIC']);
      // Exactly +-5 % (NVDA 95/100, 118.75/125; AMZN 210/200) is not more than 5 %.
      expect(rows.find((r) => r.symbol === 'NVDA')).toEqual({ symbol: 'NVDA', sessions: 16, up_days: 9, down_days: 4, biggest_gain: near(100 / 60 - 1), biggest_loss: near(-0.5) });
      expect(rows.find((r) => r.symbol === 'ORCL')).toEqual({ symbol: 'ORCL', sessions: 7, up_days: 3, down_days: 2, biggest_gain: near(0.12), biggest_loss: near(-0.2) });
      expect(rows.find((r) => r.symbol === 'AMZN')).toEqual({ symbol: 'AMZN', sessions: 8, up_days: 2, down_days: 2, biggest_gain: near(231 / 199.5 - 1), biggest_loss: near(205 / 231 - 1) });
    });

    it('takes a threshold and a date range', async () => {
      const rows = bySymbol(await run('swing-days.sql', { threshold: '0.3', from: '2025-01-01', to: '2025-06-30' }));
      expect(rows.map((r) => [r.symbol, r.sessions, r.up_days, r.down_days])).toEqual([['CRWV', 5, 1, 0], ['NVDA', 16, 3, 2], ['ORCL', 7, 0, 0]]);
    });
  });
});
