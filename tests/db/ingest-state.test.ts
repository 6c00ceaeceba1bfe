// The queries the ingest adds: what a sync reads before planning, and quote snapshots.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertCorporateActions, upsertDailyBars } from '../../src/db/bars.js';
import { readSyncState } from '../../src/db/ingest-state.js';
import { insertQuotes } from '../../src/db/quotes.js';
import { recordSymbolMeta, upsertSymbols } from '../../src/db/symbols.js';
import type { QuoteSnapshot } from '../../src/domain.js';
import { flatBar } from '../helpers/bars.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

const bar = flatBar;

describe('ingest queries', () => {
  let db: TestDb;
  const fetchedAt = new Date('2026-01-02T23:00:00Z');
  beforeAll(async () => {
    db = await createTestDb();
    await upsertSymbols(db.db, [{ symbol: 'NVDA' }, { symbol: 'ORCL' }, { symbol: 'CRWV' }, { symbol: '^GSPC', kind: 'index' }]);
    await upsertDailyBars(db.db, [bar('NVDA', '2025-12-30', 10), bar('NVDA', '2024-01-02', 5), bar('NVDA', '2025-06-02', 7), bar('ORCL', '2025-12-31', 20)], 'sim', fetchedAt);
    await upsertCorporateActions(
      db.db,
      [
        { symbol: 'NVDA', tradeDate: '2021-07-20', kind: 'split', numerator: 4, denominator: 1, amount: null },
        { symbol: 'NVDA', tradeDate: '2024-06-10', kind: 'split', numerator: 10, denominator: 1, amount: null },
        { symbol: 'NVDA', tradeDate: '2025-09-01', kind: 'dividend', numerator: null, denominator: null, amount: 0.01 },
        { symbol: 'ORCL', tradeDate: '2025-10-01', kind: 'dividend', numerator: null, denominator: null, amount: 0.5 },
      ],
      'sim',
      fetchedAt,
    );
    await recordSymbolMeta(db.db, 'NVDA', { fullFetchAt: fetchedAt, firstTradeDate: '1999-01-22' });
  });
  afterAll(() => db?.drop());

  it('reads each symbol’s stored range, last full fetch, first trade date and newest split', async () => {
    const state = await readSyncState(db.db, ['NVDA', 'ORCL', 'CRWV', 'NOPE']);
    expect([...state.stored.entries()].sort()).toEqual([
      ['CRWV', { firstDate: null, lastDate: null, lastFullFetchAt: null, firstTradeDate: null }],
      ['NVDA', { firstDate: '2024-01-02', lastDate: '2025-12-30', lastFullFetchAt: fetchedAt, firstTradeDate: '1999-01-22' }],
      ['ORCL', { firstDate: '2025-12-31', lastDate: '2025-12-31', lastFullFetchAt: null, firstTradeDate: null }],
    ]);
    // Dividends are not splits; a symbol without splits has no entry.
    expect([...state.latestSplits.entries()]).toEqual([['NVDA', '2024-06-10']]);
  });

  it('reads nothing for no symbols', async () => {
    const state = await readSyncState(db.db, []);
    expect(state.stored.size + state.latestSplits.size).toBe(0);
  });

  it('stores a quote snapshot once per quote time', async () => {
    const q = (symbol: string, ts: string, price: number): QuoteSnapshot => ({
      symbol,
      ts: new Date(ts),
      price,
      marketCap: symbol.startsWith('^') ? null : price * 1e9,
      volume: 1000,
      marketState: 'REGULAR',
      currency: 'USD',
    });
    const first = [q('NVDA', '2026-01-02T15:00:00Z', 180.5), q('^GSPC', '2026-01-02T15:00:00Z', 6900.25)];
    expect(await insertQuotes(db.db, first, 'sim', fetchedAt)).toBe(2);
    expect(await insertQuotes(db.db, [...first, q('NVDA', '2026-01-02T15:01:00Z', 181)], 'sim', fetchedAt)).toBe(1);
    expect(await insertQuotes(db.db, [], 'sim', fetchedAt)).toBe(0);
    const rows = await db.db.selectFrom('quotes').select(['symbol', 'ts', 'price', 'market_cap', 'source']).orderBy('symbol').orderBy('ts').execute();
    expect(rows).toEqual([
      { symbol: 'NVDA', ts: new Date('2026-01-02T15:00:00Z'), price: 180.5, market_cap: 180.5e9, source: 'sim' },
      { symbol: 'NVDA', ts: new Date('2026-01-02T15:01:00Z'), price: 181, market_cap: 181e9, source: 'sim' },
      { symbol: '^GSPC', ts: new Date('2026-01-02T15:00:00Z'), price: 6900.25, market_cap: null, source: 'sim' },
    ]);
  });
});
