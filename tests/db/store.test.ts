// The units of work in src/db/store.ts: what each one writes, and that a failure
// anywhere in one leaves nothing of it behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMigrations, schemaVersion } from '../../src/db/migrate.js';
import { storeBars, storeCorporateActions, storeImport, storeQuoteSnapshot, storeSymbolHistory } from '../../src/db/store.js';
import { abortDeadRuns, finishRun, startRun } from '../../src/db/runs.js';
import { upsertSymbols } from '../../src/db/symbols.js';
import type { CorporateAction, QuoteSnapshot } from '../../src/domain.js';
import { flatBar } from '../helpers/bars.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

const bar = flatBar;
const split = (symbol: string, tradeDate: string): CorporateAction => ({ symbol, tradeDate, kind: 'split', numerator: 4, denominator: 1, amount: null });

describe('units of work', () => {
  let db: TestDb;
  const at = new Date('2026-01-02T23:00:00Z');
  beforeAll(async () => {
    db = await createTestDb();
    await upsertSymbols(db.db, [{ symbol: 'NVDA', name: 'NVIDIA' }, { symbol: 'ORCL' }, { symbol: 'AMD' }, { symbol: 'INTC' }]);
  });
  afterAll(() => db?.drop());

  const barsOf = (symbol: string) => db.db.selectFrom('daily_bars').select(['trade_date', 'close', 'source']).where('symbol', '=', symbol).orderBy('trade_date').execute();
  const symbolRow = (symbol: string) => db.db.selectFrom('symbols').selectAll().where('symbol', '=', symbol).executeTakeFirst();

  it('stores a symbol’s bars, actions and metadata, and the full fetch only for a full history', async () => {
    const history = {
      symbol: 'NVDA',
      bars: [bar('NVDA', '2025-12-30', 10), bar('NVDA', '2025-12-31', 11)],
      actions: [split('NVDA', '2024-06-10')],
      meta: { currency: 'CAD', exchangeTz: 'America/Toronto', firstTradeDate: '1999-01-22' },
      source: 'sim' as const,
      fetchedAt: at,
    };
    expect(await storeSymbolHistory(db.db, { ...history, fullHistory: false })).toEqual({ inserted: 2, updated: 0, unchanged: 0, deleted: 0, jumps: 0 });
    let row = await symbolRow('NVDA');
    expect(row).toMatchObject({ name: 'NVIDIA', currency: 'CAD', exchange_tz: 'America/Toronto', first_trade_date: '1999-01-22', last_full_fetch_at: null });

    const later = new Date('2026-01-03T23:00:00Z');
    expect(await storeSymbolHistory(db.db, { ...history, fullHistory: true, fetchedAt: later, meta: {} })).toEqual({ inserted: 0, updated: 0, unchanged: 2, deleted: 0, jumps: 0 });
    row = await symbolRow('NVDA');
    // Absent metadata keeps what is stored; the full fetch is recorded at the fetch time.
    expect(row).toMatchObject({ currency: 'CAD', first_trade_date: '1999-01-22', last_full_fetch_at: later });
    const actions = await db.db.selectFrom('corporate_actions').select(['trade_date', 'kind']).where('symbol', '=', 'NVDA').execute();
    expect(actions).toEqual([{ trade_date: '2024-06-10', kind: 'split' }]);
  });

  it('replaces the stored rows of a range with a history on its new basis: the rows the source no longer has go, the state is rebuilt', async () => {
    const base = { symbol: 'AMD', actions: [], meta: {}, fullHistory: true, source: 'sim' as const, fetchedAt: at };
    await storeSymbolHistory(db.db, { ...base, bars: ['2025-06-02', '2025-06-03', '2025-06-04', '2025-06-05'].map((d, i) => bar('AMD', d, 100 + i)) });
    // The source's new basis halves every price and no longer has 06-04.
    const rebased = ['2025-06-02', '2025-06-03', '2025-06-05', '2025-06-06'].map((d, i) => bar('AMD', d, 50 + i / 2));
    const counts = await storeSymbolHistory(db.db, { ...base, bars: rebased, replace: { from: '2025-06-02', to: '2025-06-06' } });
    expect(counts).toEqual({ inserted: 1, updated: 3, unchanged: 0, deleted: 1, jumps: 0 });
    expect((await barsOf('AMD')).map((b) => [b.trade_date, b.close])).toEqual(rebased.map((b) => [b.tradeDate, b.close]));
    const state = await db.db.selectFrom('symbol_state').select(['last_change', 'sessions']).where('symbol', '=', 'AMD').executeTakeFirstOrThrow();
    expect(state).toEqual({ last_change: 'rebuilt', sessions: 4 });
  });

  it('records the jumps over the dates a unit of work wrote, and forgets them when a later write removes them', async () => {
    const base = { symbol: 'INTC', actions: [], meta: {}, fullHistory: false, source: 'sim' as const, fetchedAt: at };
    const jumps = () => db.db.selectFrom('bar_jumps').select(['trade_date', 'previous_date', 'previous_close', 'close']).where('symbol', '=', 'INTC').orderBy('trade_date').execute();
    await storeSymbolHistory(db.db, { ...base, bars: [bar('INTC', '2025-06-02', 200), bar('INTC', '2025-06-03', 201)] });
    // Two bases side by side: the next sessions at a tenth, with no split on record.
    const counts = await storeSymbolHistory(db.db, { ...base, bars: [bar('INTC', '2025-06-04', 20.1), bar('INTC', '2025-06-05', 20.2)] });
    expect(counts.jumps).toBe(1);
    expect(await jumps()).toEqual([{ trade_date: '2025-06-04', previous_date: '2025-06-03', previous_close: 201, close: 20.1 }]);
    // Older rows stored again on the new basis: the seam is gone, and so is the jump.
    await storeSymbolHistory(db.db, { ...base, bars: [bar('INTC', '2025-06-02', 20), bar('INTC', '2025-06-03', 20.1)] });
    expect(await jumps()).toEqual([]);
    // A split on record explains a fall to a tenth in unadjusted prices.
    await storeSymbolHistory(db.db, {
      ...base,
      bars: [bar('INTC', '2025-06-06', 2.02)],
      actions: [{ symbol: 'INTC', tradeDate: '2025-06-06', kind: 'split', numerator: 10, denominator: 1, amount: null }],
    });
    expect(await jumps()).toEqual([]);
  });

  it('stores nothing of a symbol when one of its writes fails', async () => {
    // Valid bars, then an action for a symbol with no row (foreign key): the bars must go too.
    await expect(
      storeSymbolHistory(db.db, {
        symbol: 'ORCL',
        bars: [bar('ORCL', '2025-12-31', 20)],
        actions: [split('NOPE', '2024-06-10')],
        meta: { currency: 'EUR', firstTradeDate: '1986-03-12' },
        fullHistory: true,
        source: 'sim',
        fetchedAt: at,
      }),
    ).rejects.toThrow(/foreign key/);
    expect(await barsOf('ORCL')).toEqual([]);
    expect(await symbolRow('ORCL')).toMatchObject({ currency: 'USD', first_trade_date: null, last_full_fetch_at: null });
  });

  it("adds a symbol's rows to its run in the same transaction, so a run that dies half-way counts what it stored", async () => {
    await upsertSymbols(db.db, [{ symbol: 'RUNX' }]);
    const runId = await startRun(db.db, 'sync', ['RUNX', 'ORCL'], at);
    const history = { actions: [], meta: {}, fullHistory: false, source: 'sim' as const, fetchedAt: at };
    await storeSymbolHistory(db.db, { ...history, symbol: 'RUNX', bars: [bar('RUNX', '2025-12-30', 5), bar('RUNX', '2025-12-31', 6)], run: { id: runId, rejected: 1 } });
    await storeSymbolHistory(db.db, { ...history, symbol: 'RUNX', bars: [bar('RUNX', '2025-12-31', 7)], run: { id: runId, rejected: 0 } });
    // A symbol whose transaction fails adds nothing.
    await expect(
      storeSymbolHistory(db.db, { ...history, symbol: 'ORCL', bars: [bar('ORCL', '2025-12-31', 20)], actions: [split('NOPE', '2024-06-10')], run: { id: runId, rejected: 0 } }),
    ).rejects.toThrow(/foreign key/);
    const run = () => db.db.selectFrom('ingest_runs').select(['status', 'rows_inserted', 'rows_updated', 'rows_rejected']).where('id', '=', runId).executeTakeFirstOrThrow();
    // Still 'running' (never finished), yet counted.
    expect(await run()).toEqual({ status: 'running', rows_inserted: 2, rows_updated: 1, rows_rejected: 1 });
    // Marking it dead (as if another process had started it and been killed) keeps the counts; so does
    // finishing it without counts (a run that failed half-way).
    await db.db.updateTable('ingest_runs').set({ pid: process.pid + 1 }).where('id', '=', runId).execute();
    await abortDeadRuns(db.db, (pid) => pid !== process.pid + 1, at);
    expect(await run()).toEqual({ status: 'aborted', rows_inserted: 2, rows_updated: 1, rows_rejected: 1 });
    await finishRun(db.db, runId, { status: 'failed', finishedAt: at, error: 'x' });
    expect(await run()).toMatchObject({ rows_inserted: 2, rows_updated: 1 });
  });

  it('stores corporate actions alone', async () => {
    expect(await storeCorporateActions(db.db, [split('AMD', '2000-08-22')], 'sim', at)).toBe(1);
    expect(await storeCorporateActions(db.db, [], 'sim', at)).toBe(0);
  });

  it('stores a quote snapshot once per quote time', async () => {
    const q = (ts: string, price: number): QuoteSnapshot => ({ symbol: 'NVDA', ts: new Date(ts), price, marketCap: null, volume: 1, marketState: 'REGULAR', currency: 'USD' });
    expect(await storeQuoteSnapshot(db.db, [q('2026-01-02T15:00:00Z', 180)], 'sim', at)).toBe(1);
    expect(await storeQuoteSnapshot(db.db, [q('2026-01-02T15:00:00Z', 180), q('2026-01-02T15:01:00Z', 181)], 'sim', at)).toBe(1);
  });

  it('imports a file’s bars with its symbol row, never renaming a known symbol, all or nothing', async () => {
    expect(await storeImport(db.db, 'CRWV', [[bar('CRWV', '2025-12-31', 90)]], at)).toEqual({ inserted: 1, updated: 0, unchanged: 0, jumps: 0 });
    expect(await symbolRow('CRWV')).toMatchObject({ kind: 'equity' });
    expect(await barsOf('CRWV')).toEqual([{ trade_date: '2025-12-31', close: 90, source: 'import' }]);
    await storeImport(db.db, 'NVDA', [[bar('NVDA', '2025-12-29', 9)]], at);
    expect(await symbolRow('NVDA')).toMatchObject({ name: 'NVIDIA' });

    await expect(storeImport(db.db, 'TSM', [[bar('TSM', '2025-12-31', Number.NaN)]], at)).rejects.toThrow(/check constraint/);
    expect(await symbolRow('TSM')).toBeUndefined();
  });

  it('stores bars alone', async () => {
    expect(await storeBars(db.db, [bar('AMD', '2025-12-31', 120)], 'sim', at)).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
  });

  it('reads the schema version: the newest migration applied', async () => {
    expect(await schemaVersion(db.db)).toBe(readMigrations().at(-1)!.id);
  });
});
