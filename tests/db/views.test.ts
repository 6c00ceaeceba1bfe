// The analysis views of sql/migrations/0002 against hand-made histories with known answers, checked
// against the report's pure drawdown engine on a long random series, and planned the way large
// histories need: one symbol reads one range of the (symbol, trade_date) primary key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/market/iso-date.js';
import { scanEpisodes, toEpisode } from '../../src/analysis/math/episodes.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { daysBetween, insertCloses, insertQuote, near, onWeekdays, todayInNewYork, type Closes } from './queries-fixture.js';

/** A deterministic random walk in cents, on dates with random gaps of 1-4 days. */
function randomWalk(seed: number, n: number, start: string): Closes {
  // mulberry32: small, and exact in 32-bit integer arithmetic.
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const out: [string, number][] = [];
  let cents = 10_000;
  let date = start;
  for (let i = 0; i < n; i++) {
    out.push([date, cents / 100]);
    // A slight upward drift, so that most falls recover and the series has many episodes.
    cents = Math.max(100, Math.round(cents * (1 + (next() - 0.47) * 0.08)));
    // Repeat the close now and then: ties with the running max must move the peak on.
    if (next() < 0.05) cents = Math.round(out[out.length - 1]![1] * 100);
    date = addDays(date, 1 + Math.floor(next() * 4));
  }
  return out;
}

/** date - months, clamped to the month's last day, as Postgres computes date - interval 'n months'. */
function minusMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) - months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** The close of the last point on or before `date`, or null. */
function closeOnOrBefore(points: Closes, date: string): number | null {
  let found: number | null = null;
  for (const [d, c] of points) if (d <= date) found = c;
  return found;
}

describe('analysis views', () => {
  let db: TestDb;
  const query = async (text: string, params: unknown[] = []) => (await db.withSession((s) => s.query(text, params))).rows;

  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(() => db?.drop());

  describe('v_returns', () => {
    // Month ends, a leap day and a gap of six months: every lookback lands on "the last close on or
    // before date - interval", which is often not date - interval itself.
    const RET: Closes = [
      ['2022-12-30', 50],
      ['2023-06-30', 80],
      ['2023-12-29', 100],
      ['2024-01-02', 110],
      ['2024-01-31', 120],
      ['2024-02-07', 126],
      ['2024-02-29', 130],
      ['2024-03-07', 104],
      ['2024-03-29', 117],
    ];
    beforeAll(() => insertCloses(db, 'RET', RET));

    it('looks back by the calendar to the last close on or before date - interval', async () => {
      const rows = await query(`select * from v_returns where symbol = 'RET' order by trade_date`);
      const at = (date: string) => rows.find((r) => r.trade_date === date);
      expect(at('2024-03-29')).toEqual({
        symbol: 'RET',
        trade_date: '2024-03-29',
        close: 117,
        prev_close: 104,
        return_1d: near(117 / 104 - 1),
        return_1w: near(117 / 104 - 1), // 2024-03-22 -> 2024-03-07
        return_1m: near(117 / 130 - 1), // 2024-02-29 itself: "on or before" includes the day
        return_3m: near(117 / 100 - 1), // 2023-12-29
        return_1y: near(117 / 50 - 1), // 2023-03-29 -> 2022-12-30
        return_ytd: near(117 / 100 - 1), // last close of 2023
      });
      expect(at('2024-02-07')).toMatchObject({ return_1w: near(126 / 120 - 1), return_1m: near(126 / 110 - 1) });
      // 2024-02-29 - 1 month = 2024-01-29 -> 2024-01-02 (110).
      expect(at('2024-02-29')).toMatchObject({ return_1m: near(130 / 110 - 1), return_1y: near(130 / 50 - 1) });
    });

    it('is empty where the history does not reach back, and YTD starts from the prior year close', async () => {
      const rows = await query(`select * from v_returns where symbol = 'RET' order by trade_date`);
      expect(rows[0]).toMatchObject({ prev_close: null, return_1d: null, return_1w: null, return_1y: null, return_ytd: null });
      // 2023-06-30: a gap of six months before it; the previous year's last close is 2022-12-30.
      expect(rows[1]).toMatchObject({ return_1d: near(0.6), return_1w: near(0.6), return_3m: near(0.6), return_1y: null, return_ytd: near(0.6) });
      // The first bar of 2024 compares with 2023's last close for both 1d and YTD.
      expect(rows[3]).toMatchObject({ trade_date: '2024-01-02', return_1d: near(0.1), return_ytd: near(0.1) });
    });

    it('agrees with a direct computation on a long series with gaps', async () => {
      const walk = randomWalk(7, 700, '2019-01-01');
      await insertCloses(db, 'WALKR', walk);
      const rows = await query(`select * from v_returns where symbol = 'WALKR' order by trade_date`);
      expect(rows).toHaveLength(walk.length);
      const ret = (close: number, base: number | null) => (base === null ? null : near(close / base - 1));
      walk.forEach(([date, close], i) => {
        const priorYearEnd = closeOnOrBefore(walk, `${Number(date.slice(0, 4)) - 1}-12-31`);
        expect(rows[i], date).toEqual({
          symbol: 'WALKR',
          trade_date: date,
          close: near(close),
          prev_close: i === 0 ? null : near(walk[i - 1]![1]),
          return_1d: i === 0 ? null : near(close / walk[i - 1]![1] - 1),
          return_1w: ret(close, closeOnOrBefore(walk, addDays(date, -7))),
          return_1m: ret(close, closeOnOrBefore(walk, minusMonths(date, 1))),
          return_3m: ret(close, closeOnOrBefore(walk, minusMonths(date, 3))),
          return_1y: ret(close, closeOnOrBefore(walk, minusMonths(date, 12))),
          return_ytd: ret(close, priorYearEnd),
        });
      });
    });
  });

  describe('v_episodes', () => {
    // Ties with the running max move the peak on; equal lows keep the first; a close equal to the
    // peak is a recovery.
    const EPI = onWeekdays('2025-03-03', [10, 12, 12, 9, 8, 8, 11, 12, 13, 13, 10, 13.5, 7, 7.5]);
    const d = (i: number) => EPI[i]![0];
    beforeAll(() => insertCloses(db, 'EPI', EPI));

    it('finds non-overlapping episodes with pyfolio peaks, troughs and recoveries', async () => {
      const rows = await query(`select * from v_episodes where symbol = 'EPI' order by peak_date`);
      expect(rows).toEqual([
        {
          symbol: 'EPI', peak_date: d(2), peak_close: 12, trough_date: d(4), trough_close: 8, recovery_date: d(7),
          depth: near(8 / 12 - 1), sessions_to_trough: 2, sessions_to_recovery: 5, depth_rank: 2,
        },
        {
          symbol: 'EPI', peak_date: d(9), peak_close: 13, trough_date: d(10), trough_close: 10, recovery_date: d(11),
          depth: near(10 / 13 - 1), sessions_to_trough: 1, sessions_to_recovery: 2, depth_rank: 3,
        },
        {
          symbol: 'EPI', peak_date: d(11), peak_close: 13.5, trough_date: d(12), trough_close: 7, recovery_date: null,
          depth: near(7 / 13.5 - 1), sessions_to_trough: 1, sessions_to_recovery: null, depth_rank: 1,
        },
      ]);
    });

    it("matches pyfolio's golden vector (test_timeseries.py px_list_1)", async () => {
      const px: Closes = [100, 120, 100, 80, 70, 110, 180, 150].map((p, i) => [addDays('2000-01-03', i), p / 100] as const);
      await insertCloses(db, 'PYF', px);
      const rows = await query(`select peak_date, trough_date, recovery_date, depth from v_episodes where symbol = 'PYF' and depth_rank = 1`);
      expect(rows).toEqual([{ peak_date: '2000-01-04', trough_date: '2000-01-07', recovery_date: '2000-01-09', depth: near(0.7 / 1.2 - 1) }]);
    });

    it('has no rows for a history that never fell', async () => {
      await insertCloses(db, 'UP', onWeekdays('2025-01-06', [1, 2, 2, 3]));
      expect(await query(`select * from v_episodes where symbol = 'UP'`)).toEqual([]);
    });

    it('agrees with the report engine (src/analysis/math/episodes.ts) on a long random series', async () => {
      const walk = randomWalk(42, 3000, '2010-01-04');
      await insertCloses(db, 'WALK', walk);
      const points = walk.map(([date, close]) => ({ date, close }));
      const scan = scanEpisodes(points.map((p) => p.close), points.length);
      const expected = scan.top.map((e, i) => {
        const ep = toEpisode(points, e);
        return {
          peak_date: ep.peakDate, peak_close: near(ep.peakClose), trough_date: ep.troughDate, trough_close: near(ep.troughClose),
          recovery_date: ep.recoveryDate, depth: near(ep.depth), sessions_to_trough: ep.sessionsToTrough,
          sessions_to_recovery: ep.sessionsToRecovery, depth_rank: i + 1,
        };
      });
      expect(expected.length).toBeGreaterThan(50);
      const rows = await query(
        `select peak_date, peak_close, trough_date, trough_close, recovery_date, depth, sessions_to_trough, sessions_to_recovery, depth_rank
           from v_episodes where symbol = 'WALK' order by depth_rank`,
      );
      expect(rows).toEqual(expected);
    });
  });

  describe('v_latest', () => {
    it('keeps its columns and adds freshness and the distance from the 52-week high', async () => {
      const today = todayInNewYork();
      const lastDate = addDays(today, -10);
      // 400 days back: the oldest bar (200) falls outside the 52-week window.
      await insertCloses(db, 'LAT', [[addDays(today, -400), 200], [addDays(today, -300), 120], [addDays(today, -100), 150], [lastDate, 90]]);
      await insertQuote(db, 'LAT', '2026-01-02T15:00:00Z', 91, 9.1e9);
      const [row] = await query(`select * from v_latest where symbol = 'LAT'`);
      expect(row).toEqual({
        symbol: 'LAT', name: null, kind: 'equity', last_date: lastDate, last_close: 90, ath_date: addDays(today, -400), ath_close: 200,
        drawdown: near(90 / 200 - 1), high_52w: 150, low_52w: 90, quote_price: 91, quote_ts: new Date('2026-01-02T15:00:00Z'),
        quote_market_cap: 9.1e9, days_since_last_bar: 10, last_fetched_at: new Date('2026-01-01T00:00:00Z'), drawdown_52w: near(90 / 150 - 1),
      });
      expect(daysBetween(lastDate, today)).toBe(10);
    });

    it('still lists a symbol without bars, with empty figures', async () => {
      await db.db.insertInto('symbols').values({ symbol: 'NOBARS' }).execute();
      const [row] = await query(`select last_date, days_since_last_bar, drawdown_52w from v_latest where symbol = 'NOBARS'`);
      expect(row).toEqual({ last_date: null, days_since_last_bar: null, drawdown_52w: null });
    });
  });

  describe('reference episodes and v_crash_alignment', () => {
    it('seeds the two reference crashes of config/claims.json', async () => {
      const rows = await query(`select * from reference_episodes order by id`);
      expect(rows).toEqual([
        { id: 'dotcom', symbol: '^IXIC', peak_date: '2000-03-10', trough_date: '2002-10-09', label: '2000 dot-com bubble (NASDAQ Composite)', peak_close: 5048.62, trough_close: 1114.11 },
        { id: 'gfc2008', symbol: '^GSPC', peak_date: '2007-10-09', trough_date: '2009-03-09', label: '2008 financial crisis (S&P 500)', peak_close: 1565.15, trough_close: 676.53 },
      ]);
    });

    it("lines a symbol's fall since its all-time high up with the reference by sessions", async () => {
      // The reference starts at its first bar on or after peak_date (2000-03-10 here is 5000).
      await insertCloses(db, '^IXIC', [['2000-03-09', 4900], ['2000-03-10', 5000], ['2000-03-13', 4500], ['2000-03-14', 4000], ['2000-03-15', 4750], ['2000-03-16', 3000]]);
      await insertCloses(db, 'FALL', [['2025-06-18', 100], ['2025-06-20', 150], ['2025-06-23', 120], ['2025-06-24', 90], ['2025-06-25', 105]]);
      const rows = await query(`select * from v_crash_alignment where symbol = 'FALL' order by reference_id, session`);
      const base = { symbol: 'FALL', symbol_peak_date: '2025-06-20' };
      const dotcom = { ...base, reference_id: 'dotcom', reference_symbol: '^IXIC' };
      // ^GSPC is not stored: the 2008 rows are there, with empty reference columns.
      const gfc = { ...base, reference_id: 'gfc2008', reference_symbol: '^GSPC', reference_date: null, reference_drawdown: null };
      expect(rows).toEqual([
        { ...dotcom, session: 0, symbol_date: '2025-06-20', symbol_drawdown: 0, reference_date: '2000-03-10', reference_drawdown: 0 },
        { ...dotcom, session: 1, symbol_date: '2025-06-23', symbol_drawdown: near(-0.2), reference_date: '2000-03-13', reference_drawdown: near(-0.1) },
        { ...dotcom, session: 2, symbol_date: '2025-06-24', symbol_drawdown: near(-0.4), reference_date: '2000-03-14', reference_drawdown: near(-0.2) },
        { ...dotcom, session: 3, symbol_date: '2025-06-25', symbol_drawdown: near(-0.3), reference_date: '2000-03-15', reference_drawdown: near(-0.05) },
        { ...gfc, session: 0, symbol_date: '2025-06-20', symbol_drawdown: 0 },
        { ...gfc, session: 1, symbol_date: '2025-06-23', symbol_drawdown: near(-0.2) },
        { ...gfc, session: 2, symbol_date: '2025-06-24', symbol_drawdown: near(-0.4) },
        { ...gfc, session: 3, symbol_date: '2025-06-25', symbol_drawdown: near(-0.3) },
      ]);
    });

    it('has one row per reference, session 0, for a symbol at its high', async () => {
      await insertCloses(db, 'HIGH', [['2025-01-02', 1], ['2025-01-03', 2]]);
      const rows = await query(`select reference_id, session, symbol_drawdown from v_crash_alignment where symbol = 'HIGH' order by reference_id`);
      expect(rows).toEqual([
        { reference_id: 'dotcom', session: 0, symbol_drawdown: 0 },
        { reference_id: 'gfc2008', session: 0, symbol_drawdown: 0 },
      ]);
    });
  });

  describe('plans for one symbol', () => {
    // With sequential scans priced out, a filter that reaches daily_bars shows up as an Index Cond on
    // symbol; one stuck above a window function would leave a full scan (or an index scan with no
    // condition). This checks the views' shape on any engine, whatever the table statistics say.
    async function plan(sql: string): Promise<string> {
      return db.withSession(async (s) => {
        await s.exec('begin');
        try {
          await s.exec('set local enable_seqscan = off');
          const r = await s.query(`explain ${sql}`);
          return r.rows.map((row) => String(row['QUERY PLAN'])).join('\n');
        } finally {
          await s.exec('rollback');
        }
      });
    }

    it.each([
      ['v_returns', `select * from v_returns where symbol = 'WALK'`],
      ['v_episodes', `select * from v_episodes where symbol = 'WALK'`],
      ['v_drawdowns', `select * from v_drawdowns where symbol = 'WALK'`],
      ['v_latest', `select * from v_latest where symbol = 'WALK'`],
      ['v_crash_alignment', `select * from v_crash_alignment where symbol = 'WALK'`],
    ])('%s reads daily_bars through an index on symbol', async (_view, sql) => {
      const text = await plan(sql);
      expect(text).not.toMatch(/Seq Scan on daily_bars/);
      // Table scans only: a bitmap scan is a Bitmap Heap Scan on the table over a Bitmap Index Scan
      // on the index (which carries the condition).
      const scans = text.split('\n').filter((l) => /(Index Scan|Index Only Scan|Bitmap Heap Scan)( Backward)?( using \S+)? on daily_bars\b/.test(l));
      expect(scans.length).toBeGreaterThan(0);
      // Every scan of daily_bars is bounded by a symbol condition (the constant or a joined symbol).
      const conds = [...text.matchAll(/Index Cond: \(\(?symbol = [^)]*\)/g)];
      expect(conds.length).toBeGreaterThanOrEqual(scans.length);
    });
  });
});
