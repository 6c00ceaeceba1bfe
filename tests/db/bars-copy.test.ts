// The COPY path of upsertDailyBars (inside a transaction, new keys COPYed straight into daily_bars,
// stored keys upserted): that it is the path taken, and that it gives the same counts, stored values
// and all-or-nothing as the upsert alone; and two writers of one symbol at once.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { upsertDailyBars } from '../../src/db/bars.js';
import { storeBars } from '../../src/db/store.js';
import type { DailyBar } from '../../src/domain.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const AT = new Date('2026-01-02T21:00:00Z');

function bar(symbol: string, tradeDate: string, patch: Partial<DailyBar> = {}): DailyBar {
  return { symbol, tradeDate, open: 10, high: 11, low: 9, close: 10.5, adjClose: 10.25, volume: 1000, quality: [], ...patch };
}

const days = (symbol: string, from: string, count: number, close = (i: number) => 1 + i / 1000): DailyBar[] => {
  const start = Date.parse(`${from}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => bar(symbol, new Date(start + i * 86_400_000).toISOString().slice(0, 10), { close: close(i) }));
};

async function storedRows(db: TestDb, symbols: string[]) {
  return db.db
    .selectFrom('daily_bars')
    .select(['symbol', 'trade_date', 'open', 'high', 'low', 'close', 'adj_close', 'volume', 'quality', 'source', 'fetched_at'])
    .where('symbol', 'in', symbols)
    .orderBy('symbol')
    .orderBy('trade_date')
    .execute();
}

describe('upsertDailyBars in a transaction (COPY of new keys)', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
    await db.db
      .insertInto('symbols')
      .values(['ACME', '^GSPC', 'BRK.B', 'NULL', 'BIG', 'BAD', 'MIX', 'SEEN'].map((symbol) => ({ symbol })))
      .execute();
  });
  afterAll(() => db?.drop());

  it('COPYs the keys not stored yet and upserts only the stored ones; outside a transaction, upserts all', async () => {
    // The statements that wrote to daily_bars, as the server ran them: a statement-level trigger
    // records the statement that fired it (a COPY fires INSERT triggers too). Dropped at the end.
    await sql`create table seen_writes (n serial primary key, query text not null)`.execute(db.db);
    await sql`create function record_write() returns trigger language plpgsql as $$
                begin insert into seen_writes (query) values (current_query()); return null; end $$`.execute(db.db);
    await sql`create trigger record_write after insert on daily_bars for each statement execute function record_write()`.execute(db.db);
    const writes = async () => {
      const { rows } = await sql<{ n: number; query: string }>`delete from seen_writes returning n, query`.execute(db.db);
      const kind = (query: string) =>
        /^\s*copy daily_bars \(/i.test(query) ? 'copy' : /insert into daily_bars[\s\S]*on conflict/i.test(query) ? 'upsert' : query;
      return rows.sort((a, b) => a.n - b.n).map((r) => kind(r.query));
    };
    try {
      const stored = [bar('SEEN', '2024-01-02'), bar('SEEN', '2024-01-03')];
      expect(await storeBars(db.db, stored, 'sim', AT)).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
      expect(await writes()).toEqual(['copy']);
      // One stored key as it is, one changed, one new.
      const next = [stored[0]!, { ...stored[1]!, close: 10.75 }, bar('SEEN', '2024-01-04')];
      expect(await storeBars(db.db, next, 'sim', AT)).toEqual({ inserted: 1, updated: 1, unchanged: 1 });
      expect(await writes()).toEqual(['copy', 'upsert']);
      expect(await upsertDailyBars(db.db, [bar('SEEN', '2024-01-05')], 'sim', AT)).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
      expect(await writes()).toEqual(['upsert']);
    } finally {
      await sql`drop trigger record_write on daily_bars`.execute(db.db);
      await sql`drop function record_write()`.execute(db.db);
      await sql`drop table seen_writes`.execute(db.db);
    }
  });

  it('inserts, then leaves identical rows alone, then updates only what changed, as the upsert does', async () => {
    const bars = [
      bar('ACME', '2024-01-02'),
      bar('ACME', '2024-01-03', { open: null, high: null, low: null, adjClose: null, volume: null }),
      bar('ACME', '2024-01-04', { open: 12, high: 11.5, quality: ['open_outside_range'] }),
    ];
    expect(await storeBars(db.db, bars, 'sim', AT)).toEqual({ inserted: 3, updated: 0, unchanged: 0 });
    expect(await storeBars(db.db, bars, 'sim', AT)).toEqual({ inserted: 0, updated: 0, unchanged: 3 });
    const changed = [...bars.slice(0, 2), { ...bars[2]!, close: 11.25 }, bar('ACME', '2024-01-05')];
    expect(await storeBars(db.db, changed, 'yahoo', AT)).toEqual({ inserted: 1, updated: 1, unchanged: 2 });

    const rows = await storedRows(db, ['ACME']);
    expect(rows.map((r) => [r.trade_date, r.open, r.high, r.low, r.close, r.adj_close, r.volume, r.quality, r.source])).toEqual([
      ['2024-01-02', 10, 11, 9, 10.5, 10.25, 1000, [], 'sim'],
      ['2024-01-03', null, null, null, 10.5, null, null, [], 'sim'],
      ['2024-01-04', 12, 11.5, 9, 11.25, 10.25, 1000, ['open_outside_range'], 'yahoo'],
      ['2024-01-05', 10, 11, 9, 10.5, 10.25, 1000, [], 'yahoo'],
    ]);
    expect(rows.map((r) => r.fetched_at.toISOString())).toEqual(Array(4).fill(AT.toISOString()));
  });

  it('stores prices exactly as JavaScript prints them, and symbols and flags that need escaping', async () => {
    const bars = [
      bar('^GSPC', '2024-01-02', { close: 4742.830078125, open: 0.1 + 0.2, volume: 9_007_199_254_740 }),
      bar('BRK.B', '2024-01-02', { close: 1e-7, low: 1e-7, open: 1e-7, high: 123456789.123456 }),
      bar('NULL', '2024-01-02', { quality: ['open_outside_range', 'close_outside_range'] }),
    ];
    expect(await storeBars(db.db, bars, 'import', AT)).toEqual({ inserted: 3, updated: 0, unchanged: 0 });
    const rows = await storedRows(db, ['^GSPC', 'BRK.B', 'NULL']);
    expect(rows.map(({ symbol, open, high, low, close, volume, quality }) => ({ symbol, open, high, low, close, volume, quality }))).toEqual([
      { symbol: 'BRK.B', open: 1e-7, high: 123456789.123456, low: 1e-7, close: 1e-7, volume: 1000, quality: [] },
      { symbol: 'NULL', open: 10, high: 11, low: 9, close: 10.5, volume: 1000, quality: ['open_outside_range', 'close_outside_range'] },
      { symbol: '^GSPC', open: 0.30000000000000004, high: 11, low: 9, close: 4742.830078125, volume: 9_007_199_254_740, quality: [] },
    ]);
  });

  it('stores nothing of a batch with one impossible new bar, through the same table constraints', async () => {
    // The bad bar is last, after several pieces of COPY input are already on their way.
    const good = days('BAD', '2000-01-01', 5_000);
    await expect(storeBars(db.db, [...good, bar('BAD', '2024-02-01', { high: 1, low: 2 })], 'sim', AT)).rejects.toThrow(/check constraint/);
    expect(await storedRows(db, ['BAD'])).toEqual([]);
    // The connection it failed on is fit for the next transaction.
    expect(await storeBars(db.db, good, 'sim', AT)).toEqual({ inserted: 5_000, updated: 0, unchanged: 0 });
  });

  it('writes new and stored keys mixed, across chunks, and counts each once', async () => {
    const first = days('MIX', '1950-01-02', 15_000);
    expect(await storeBars(db.db, first.filter((_, i) => i % 3 === 0), 'sim', AT)).toEqual({ inserted: 5_000, updated: 0, unchanged: 0 });
    // 25,000 bars: the first 15,000 dates, a third stored (one in ten of those changed), then 10,000 new ones.
    const all = days('MIX', '1950-01-02', 25_000).map((b, i) => (i % 3 === 0 && i % 10 === 0 ? { ...b, close: b.close + 1 } : b));
    const changed = all.filter((_, i) => i < 15_000 && i % 3 === 0 && i % 10 === 0).length;
    expect(await storeBars(db.db, all, 'sim', AT)).toEqual({ inserted: 20_000, updated: changed, unchanged: 5_000 - changed });
    expect(await storeBars(db.db, all, 'sim', AT)).toEqual({ inserted: 0, updated: 0, unchanged: 25_000 });
    const rows = await storedRows(db, ['MIX']);
    expect(rows.map((r) => [r.trade_date, r.close])).toEqual(all.map((b) => [b.tradeDate, b.close]));
  });

  it('stores the same through the upsert alone (outside a transaction) as through COPY', async () => {
    const viaCopy = days('BIG', '2000-01-03', 500);
    await storeBars(db.db, viaCopy, 'sim', AT);
    const copied = await storedRows(db, ['BIG']);
    await db.db.deleteFrom('daily_bars').where('symbol', '=', 'BIG').execute();
    expect(await upsertDailyBars(db.db, viaCopy, 'sim', AT)).toEqual({ inserted: 500, updated: 0, unchanged: 0 });
    expect(await storedRows(db, ['BIG'])).toEqual(copied);
  });
});

describe('two writers of one symbol at once', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
    await db.db.insertInto('symbols').values({ symbol: 'RACE' }).execute();
  });
  afterAll(() => db?.drop());

  it('takes turns: the second sees the first one\'s rows as stored and neither fails', async () => {
    const a = days('RACE', '2024-01-01', 3_000);
    const b = days('RACE', '2025-01-01', 3_000).map((x, i) => ({ ...x, close: x.close + 2 * (i % 2) })); // overlaps a by 2,635 days
    const [ca, cb] = await Promise.all([storeBars(db.db, a, 'sim', AT), storeBars(db.db, b, 'yahoo', AT)]);
    expect(ca.inserted + cb.inserted).toBe(new Set([...a, ...b].map((x) => x.tradeDate)).size);
    expect(ca.inserted + ca.updated + ca.unchanged).toBe(3_000);
    expect(cb.inserted + cb.updated + cb.unchanged).toBe(3_000);
  });
});
