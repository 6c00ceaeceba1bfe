// sql/migrations/0003_perf.sql: v_latest reads the 52-week range from the symbol's last 366 bars, which
// must give exactly what max/min over "trade_date > last_date - 1 year" gives, even for a symbol with
// a bar on every calendar day (the most bars a year can hold) and across a leap day; and the covering
// index exists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/market/iso-date.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { insertCloses, type Closes } from './queries-fixture.js';

/** A bar on every calendar day from `start`, closes 1, 2, 3, ... then falling after `peakAt`. */
function everyDay(start: string, days: number, peakAt: number): Closes {
  return Array.from({ length: days }, (_, i) => [addDays(start, i), i <= peakAt ? 1 + i : 1 + 2 * peakAt - i] as const);
}

describe('0003_perf', () => {
  let db: TestDb;
  const query = async (text: string, params: unknown[] = []) => (await db.withSession((s) => s.query(text, params))).rows;

  beforeAll(async () => {
    db = await createTestDb();
    // Ends on a leap day: the window (2023-02-28, 2024-02-29] holds 366 dates. Always rising, so the
    // window's low is its oldest bar, the 366th newest.
    await insertCloses(db, 'LEAP', everyDay('2022-01-01', 790, 790));
    // Ends on 2025-03-01: the window (2024-03-01, 2025-03-01] holds 365 dates.
    await insertCloses(db, 'PLAIN', everyDay('2023-06-01', 640, 600));
    await insertCloses(db, 'ONE', [['2024-05-06', 42]]);
    await db.db.insertInto('symbols').values({ symbol: 'NONE' }).execute();
  });
  afterAll(() => db?.drop());

  it('gives the same 52-week range as max/min over the whole window', async () => {
    const view = await query(`select symbol, last_date, high_52w, low_52w from v_latest order by symbol`);
    const brute = await query(
      `select s.symbol, l.last_date, r.high_52w, r.low_52w
         from symbols s
         left join lateral (select max(trade_date) as last_date from daily_bars b where b.symbol = s.symbol) l on true
         left join lateral (select max(close + 0) as high_52w, min(close + 0) as low_52w from daily_bars b
                             where b.symbol = s.symbol and b.trade_date > l.last_date - interval '1 year') r on true
        order by s.symbol`,
    );
    expect(view).toEqual(brute);
    expect(view.find((r) => r.symbol === 'LEAP')).toMatchObject({ last_date: addDays('2022-01-01', 789) });
    // The LEAP window's oldest bar is the 366th newest; a 365-bar read would miss its lower close.
    const [oldest] = await query(
      `select min(close) as low from (select close from daily_bars where symbol = 'LEAP' order by trade_date desc limit 366) x`,
    );
    const [shorter] = await query(
      `select min(close) as low from (select close from daily_bars where symbol = 'LEAP' order by trade_date desc limit 365) x`,
    );
    expect(view.find((r) => r.symbol === 'LEAP')!.low_52w).toBe(oldest!.low);
    expect(oldest!.low).toBeLessThan(shorter!.low as number);
  });

  it('keeps the comments 0002 put on v_latest', async () => {
    const [row] = await query(`select col_description('v_latest'::regclass, 10) as c`);
    expect(row!.c).toMatch(/Lowest close/);
  });

  it('has the covering (symbol, trade_date) include (close) index', async () => {
    const rows = await query(`select indexdef from pg_indexes where indexname = 'daily_bars_symbol_date_close_idx'`);
    expect(String(rows[0]?.indexdef)).toMatch(/\(symbol, trade_date\) INCLUDE \(close\)/);
  });
});
