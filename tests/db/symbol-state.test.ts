// The stored drawdown state (migration 0007, src/db/symbol-state.ts) against a full recomputation from
// the stored bars: random histories written through the real units of work in random
// ways (appends, overlapping re-sends, splits that rescale the whole history, imports of older rows,
// changed old rows, several symbols at once, writers racing each other), checked after every write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertDailyBars } from '../../src/db/bars.js';
import { storeBars, storeImport, storeSymbolHistory } from '../../src/db/store.js';
import { loadSymbolStates, rebuildAllSymbolStates } from '../../src/db/symbol-state.js';
import { upsertSymbols } from '../../src/db/symbols.js';
import type { BarSource, ClosePoint, DailyBar } from '../../src/domain.js';
import { advancePeakState, PEAK_STATE_VERSION } from '../../src/peak-state.js';
import { flatBar } from '../helpers/bars.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { intBetween, pick, randomHistory, seeded, type Rng } from '../helpers/random-history.js';

const at = new Date('2026-01-02T23:00:00Z');
const SOURCES: BarSource[] = ['yahoo', 'sim', 'import'];

describe('drawdown state', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(() => db?.drop());

  const storedBars = (symbol: string) =>
    db.db.selectFrom('daily_bars').select(['trade_date', 'close', 'source']).where('symbol', '=', symbol).orderBy('trade_date').execute();
  const stateRow = (symbol: string) => db.db.selectFrom('symbol_state').selectAll().where('symbol', '=', symbol).executeTakeFirst();

  /** The stored state equals the state of every stored close, and its sources the stored ones. */
  async function expectStateMatchesBars(symbol: string, context: string): Promise<'rebuilt' | 'advanced' | null> {
    const bars = await storedBars(symbol);
    const row = await stateRow(symbol);
    if (bars.length === 0) {
      expect(row, context).toBeUndefined();
      return null;
    }
    const closes: ClosePoint[] = bars.map((b) => ({ date: b.trade_date, close: b.close }));
    expect(row, context).toBeDefined();
    expect(row!.state, context).toEqual(advancePeakState(null, closes));
    expect(row!.sources, context).toEqual([...new Set(bars.map((b) => b.source))].sort());
    expect([row!.version, row!.last_date, row!.sessions], context).toEqual([PEAK_STATE_VERSION, bars.at(-1)!.trade_date, bars.length]);
    return row!.last_change;
  }

  /** One write of `bars` (all of `symbol`) through a randomly chosen unit of work. */
  async function write(rng: Rng, symbol: string, bars: DailyBar[]): Promise<void> {
    const source = pick(rng, SOURCES);
    const way = intBetween(rng, 0, 2);
    if (way === 0) await storeBars(db.db, bars, source, at);
    else if (way === 1) await storeSymbolHistory(db.db, { symbol, bars, actions: [], meta: {}, fullHistory: rng() < 0.5, source, fetchedAt: at });
    else {
      // An import streams its file in chunks, all in one transaction.
      const chunks: DailyBar[][] = [];
      for (let i = 0; i < bars.length; i += 7) chunks.push(bars.slice(i, i + 7));
      await storeImport(db.db, symbol, chunks, at);
    }
  }

  it('equals a full recomputation after every write of 30 random write sequences', async () => {
    const seen = { rebuilt: 0, advanced: 0 };
    for (let seed = 1; seed <= 30; seed++) {
      const rng = seeded(1000 + seed);
      const symbol = `P${seed}`;
      await upsertSymbols(db.db, [{ symbol }]);
      const history = randomHistory(rng, intBetween(rng, 20, 250), pick(rng, ['2003-12-01', '2019-11-20', '2024-02-01']));
      // scale[i]: the history as the feed tells it now (a split divides everything before it).
      let scale = 1;
      const barAt = (i: number) => flatBar(symbol, history[i]!.date, Number((history[i]!.close * scale).toFixed(6)));
      // The stored range [lo, hi): starts anywhere, so older rows can be imported later.
      let lo = intBetween(rng, 0, history.length - 1);
      let hi = lo;
      for (let step = 0; step < 10 && (lo > 0 || hi < history.length || step < 3); step++) {
        const kind = hi === lo ? 'append' : pick(rng, ['append', 'append', 'overlap', 'older', 'split', 'change']);
        let bars: DailyBar[] = [];
        if (kind === 'append' || kind === 'overlap') {
          const from = kind === 'overlap' ? Math.max(lo, hi - intBetween(rng, 1, 5)) : hi;
          hi = Math.min(history.length, hi + intBetween(rng, 0, 40));
          bars = Array.from({ length: hi - from }, (_, k) => barAt(from + k));
        } else if (kind === 'older') {
          const from = Math.max(0, lo - intBetween(rng, 1, 40));
          bars = Array.from({ length: lo - from }, (_, k) => barAt(from + k));
          lo = from;
        } else if (kind === 'split' && scale > 1e-3) {
          scale /= pick(rng, [2, 3, 4, 10]);
          bars = Array.from({ length: hi - lo }, (_, k) => barAt(lo + k));
        } else {
          // A corrected old close (`sync --from` with changed values).
          const i = intBetween(rng, lo, hi - 1);
          history[i] = { ...history[i]!, close: Number((history[i]!.close * 1.013).toFixed(6)) };
          bars = [barAt(i)];
        }
        await write(rng, symbol, bars);
        const change = await expectStateMatchesBars(symbol, `seed ${seed}, step ${step} (${kind})`);
        if (change) seen[change]++;
      }
    }
    // Both ways of keeping the state were exercised, not only the rebuild.
    expect(seen.advanced).toBeGreaterThan(30);
    expect(seen.rebuilt).toBeGreaterThan(30);
  });

  it('keeps several symbols written in one transaction, and writers of one symbol racing each other', async () => {
    const rng = seeded(77);
    const symbols = ['MA', 'MB', 'MC'];
    await upsertSymbols(db.db, symbols.map((symbol) => ({ symbol })));
    const histories = symbols.map((symbol) => randomHistory(rng, 120).map((p) => flatBar(symbol, p.date, p.close)));
    // Interleaved appends of the three symbols, one storeBars each.
    for (let i = 0; i < 120; i += 30) await storeBars(db.db, histories.flatMap((h) => h.slice(i, i + 30)), 'sim', at);
    for (const symbol of symbols) expect(await expectStateMatchesBars(symbol, symbol)).toBe('advanced');

    // Ten writers of one symbol at once, in random order: older ranges, newer ranges, overlaps.
    await upsertSymbols(db.db, [{ symbol: 'RACE' }]);
    const race = randomHistory(rng, 300).map((p) => flatBar('RACE', p.date, p.close));
    const ranges = Array.from({ length: 10 }, (_, k) => race.slice(k * 30, k * 30 + 30 + intBetween(rng, 0, 10)));
    ranges.sort(() => rng() - 0.5);
    await Promise.all(ranges.map((bars) => storeBars(db.db, bars, 'yahoo', at)));
    await expectStateMatchesBars('RACE', 'racing writers');
  });

  it('distrusts every state after a write that bypassed them, until db rebuild-state', async () => {
    await upsertSymbols(db.db, [{ symbol: 'HAND' }]);
    await storeBars(db.db, [flatBar('HAND', '2025-01-02', 10), flatBar('HAND', '2025-01-03', 12)], 'yahoo', at);
    expect((await loadSymbolStates(db.db, ['HAND'])).trusted).toBe(true);
    // A write outside the units of work (what psql or `sql --write` does).
    await upsertDailyBars(db.db, [flatBar('HAND', '2025-01-02', 20)], 'import', at);
    expect(await loadSymbolStates(db.db, ['HAND'])).toEqual({ trusted: false, states: new Map() });
    // A later write of another symbol through the units of work does not make the state trustworthy.
    await storeBars(db.db, [flatBar('MA', '2030-01-02', 10)], 'yahoo', at);
    expect((await loadSymbolStates(db.db, ['HAND'])).trusted).toBe(false);

    await db.db.deleteFrom('daily_bars').where('symbol', '=', 'MB').execute();
    const rebuilt = await rebuildAllSymbolStates(db.db);
    expect(rebuilt).toBeGreaterThan(30);
    const loaded = await loadSymbolStates(db.db, ['HAND', 'MB']);
    expect(loaded.trusted).toBe(true);
    expect(loaded.states.get('HAND')!.state.peak.close).toBe(20);
    expect(loaded.states.has('MB')).toBe(false);
    for (const symbol of ['HAND', 'MA', 'MB', 'RACE']) await expectStateMatchesBars(symbol, `after rebuild: ${symbol}`);
  });
});
