// upsertDailyBars: counts of inserted/updated/unchanged rows, values stored exactly
// (nulls, quality flags, symbols that need quoting inside an array literal), and batches larger
// than one statement's chunk.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertDailyBars } from '../../src/db/bars.js';
import type { DailyBar } from '../../src/domain.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

const AT = new Date('2026-01-02T21:00:00Z');

function bar(symbol: string, tradeDate: string, patch: Partial<DailyBar> = {}): DailyBar {
  return { symbol, tradeDate, open: 10, high: 11, low: 9, close: 10.5, adjClose: 10.25, volume: 1000, quality: [], ...patch };
}

describe('upsertDailyBars', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
    await db.db
      .insertInto('symbols')
      .values(['ACME', '^GSPC', 'BRK.B', 'NULL', 'BIG'].map((symbol) => ({ symbol })))
      .execute();
  });
  afterAll(() => db?.drop());

  it('inserts, then leaves identical rows alone, then updates only what changed', async () => {
    const bars = [
      bar('ACME', '2024-01-02'),
      bar('ACME', '2024-01-03', { open: null, high: null, low: null, adjClose: null, volume: null }),
      bar('ACME', '2024-01-04', { open: 12, high: 11.5, quality: ['open_outside_range'] }),
    ];
    expect(await upsertDailyBars(db.db, bars, 'sim', AT)).toEqual({ inserted: 3, updated: 0, unchanged: 0 });
    expect(await upsertDailyBars(db.db, bars, 'sim', AT)).toEqual({ inserted: 0, updated: 0, unchanged: 3 });
    const changed = [...bars.slice(0, 2), { ...bars[2]!, close: 11.25 }, bar('ACME', '2024-01-05')];
    expect(await upsertDailyBars(db.db, changed, 'yahoo', AT)).toEqual({ inserted: 1, updated: 1, unchanged: 2 });

    const rows = await db.db.selectFrom('daily_bars').selectAll().where('symbol', '=', 'ACME').orderBy('trade_date').execute();
    expect(rows.map((r) => [r.trade_date, r.open, r.high, r.low, r.close, r.adj_close, r.volume, r.quality, r.source])).toEqual([
      ['2024-01-02', 10, 11, 9, 10.5, 10.25, 1000, [], 'sim'],
      ['2024-01-03', null, null, null, 10.5, null, null, [], 'sim'],
      ['2024-01-04', 12, 11.5, 9, 11.25, 10.25, 1000, ['open_outside_range'], 'yahoo'],
      ['2024-01-05', 10, 11, 9, 10.5, 10.25, 1000, [], 'yahoo'],
    ]);
  });

  it('stores prices exactly as JavaScript prints them, and symbols that look special in array literals', async () => {
    const bars = [
      bar('^GSPC', '2024-01-02', { close: 4742.830078125, open: 0.1 + 0.2, volume: 9_007_199_254_740 }),
      bar('BRK.B', '2024-01-02', { close: 1e-7, low: 1e-7, open: 1e-7, high: 123456789.123456 }),
      bar('NULL', '2024-01-02', { quality: ['open_outside_range', 'close_outside_range'] }),
    ];
    expect(await upsertDailyBars(db.db, bars, 'import', AT)).toEqual({ inserted: 3, updated: 0, unchanged: 0 });
    const rows = await db.db
      .selectFrom('daily_bars')
      .select(['symbol', 'open', 'high', 'low', 'close', 'volume', 'quality'])
      .where('symbol', 'in', ['^GSPC', 'BRK.B', 'NULL'])
      .orderBy('symbol')
      .execute();
    expect(rows).toEqual([
      { symbol: 'BRK.B', open: 1e-7, high: 123456789.123456, low: 1e-7, close: 1e-7, volume: 1000, quality: [] },
      { symbol: 'NULL', open: 10, high: 11, low: 9, close: 10.5, volume: 1000, quality: ['open_outside_range', 'close_outside_range'] },
      { symbol: '^GSPC', open: 0.30000000000000004, high: 11, low: 9, close: 4742.830078125, volume: 9_007_199_254_740, quality: [] },
    ]);
  });

  it('rejects an impossible bar through the table constraints', async () => {
    await expect(upsertDailyBars(db.db, [bar('ACME', '2024-02-01', { close: Number.NaN })], 'sim', AT)).rejects.toThrow(/check constraint/);
  });

  it('writes batches larger than one statement', async () => {
    const start = Date.parse('1950-01-02T00:00:00Z');
    const bars = Array.from({ length: 20_003 }, (_, i) =>
      bar('BIG', new Date(start + i * 86_400_000).toISOString().slice(0, 10), { close: 1 + i / 1000 }),
    );
    expect(await upsertDailyBars(db.db, bars, 'sim', AT)).toEqual({ inserted: 20_003, updated: 0, unchanged: 0 });
    const edited = bars.map((b, i) => (i % 10_000 === 0 ? { ...b, close: b.close + 1 } : b));
    expect(await upsertDailyBars(db.db, edited, 'sim', AT)).toEqual({ inserted: 0, updated: 3, unchanged: 20_000 });
  });
});
