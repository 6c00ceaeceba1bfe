// The live page's per-symbol close basis as the daemon reads it (src/db/live-data.ts storedCloseBases:
// the drawdown state, the last two bars and, when the last close is the high, the highest before it)
// against the basis of every stored close: random histories written through the
// real units of work, the all-time high at the last bar or not; and the fallbacks that read the bars
// (states distrusted after a write around them, a state that does not end on the last bar).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertDailyBars } from '../../src/db/bars.js';
import { storedCloseBases } from '../../src/db/live-data.js';
import { storeBars, storeImport } from '../../src/db/store.js';
import { upsertSymbols } from '../../src/db/symbols.js';
import type { BarSource, ClosePoint } from '../../src/domain.js';
import { basisOf, closeBasis } from '../../src/analysis/close-basis.js';
import { advancePeakState } from '../../src/peak-state.js';
import { flatBar } from '../helpers/bars.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { intBetween, randomChunks, randomHistory, seeded } from '../helpers/random-history.js';

const at = new Date('2026-01-02T23:00:00Z');

describe('live close bases', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(() => db?.drop());

  async function storedCloses(symbol: string): Promise<{ closes: ClosePoint[]; sources: BarSource[] }> {
    const rows = await db.db.selectFrom('daily_bars').select(['trade_date', 'close', 'source']).where('symbol', '=', symbol).orderBy('trade_date').execute();
    return { closes: rows.map((r) => ({ date: r.trade_date, close: Number(r.close) })), sources: [...new Set(rows.map((r) => r.source))].sort() };
  }

  it('equals the basis of every stored close for 24 random histories, read from their states', async () => {
    const symbols = Array.from({ length: 24 }, (_, k) => `R${k}`);
    await upsertSymbols(db.db, symbols.map((symbol) => ({ symbol })));
    for (const [k, symbol] of symbols.entries()) {
      const rng = seeded(100 + k);
      const history = randomHistory(rng, intBetween(rng, 1, 200));
      // A third end at a new all-time high: the basis then needs the high before the last bar.
      if (k % 3 === 0) history.push({ date: '2026-01-02', close: Math.max(...history.map((p) => p.close)) + 1 });
      const bars = history.map((p) => flatBar(symbol, p.date, p.close));
      for (const chunk of randomChunks(rng, bars, 50)) await storeBars(db.db, chunk, k % 2 === 0 ? 'yahoo' : 'sim', at);
    }
    const bases = await storedCloseBases(db.db, [...symbols, 'NONE']);
    expect(bases.has('NONE')).toBe(false);
    for (const symbol of symbols) {
      const { closes, sources } = await storedCloses(symbol);
      expect(basisOf(bases.get(symbol)!.source), symbol).toEqual(closeBasis(closes));
      expect(bases.get(symbol)!.sources, symbol).toEqual(sources);
    }
    // Read from the states, not the bars: a high written into a state behind its back comes back.
    const row = await db.db.selectFrom('symbol_state').select('state').where('symbol', '=', 'R1').executeTakeFirstOrThrow();
    const state = row.state as ReturnType<typeof advancePeakState> & object;
    const fake = { ...state.first, close: 1e6 };
    await db.db.updateTable('symbol_state').set({ state: JSON.stringify({ ...state, peak: fake }) }).where('symbol', '=', 'R1').execute();
    expect(basisOf((await storedCloseBases(db.db, ['R1'])).get('R1')!.source)!.high).toEqual({ date: fake.date, close: 1e6 });
  });

  it('reads the bars of a symbol whose state does not end on its last bar, or when a write bypassed the states', async () => {
    await upsertSymbols(db.db, [{ symbol: 'LAG' }, { symbol: 'HAND' }]);
    const lag = [10, 14, 12, 15].map((c, i) => flatBar('LAG', `2025-01-0${i + 2}`, c));
    await storeImport(db.db, 'LAG', [lag], at);
    // The state as it was before the last bar (what a read racing a write's commit could see).
    const older = advancePeakState(null, lag.slice(0, 3).map((b) => ({ date: b.tradeDate, close: b.close })));
    await db.db.updateTable('symbol_state').set({ state: JSON.stringify(older), last_date: '2025-01-04', sessions: 3 }).where('symbol', '=', 'LAG').execute();
    const lagging = (await storedCloseBases(db.db, ['LAG'])).get('LAG')!;
    expect(lagging.source.from).toBe('closes');
    expect(basisOf(lagging.source)).toEqual(closeBasis((await storedCloses('LAG')).closes));
    expect(lagging.sources).toEqual(['import']);

    await storeBars(db.db, [flatBar('HAND', '2025-01-02', 10), flatBar('HAND', '2025-01-03', 12)], 'yahoo', at);
    // A write outside the units of work (what psql or `sql --write` does): no state is trusted.
    await upsertDailyBars(db.db, [flatBar('HAND', '2025-01-02', 20)], 'import', at);
    const bases = await storedCloseBases(db.db, ['HAND', 'LAG']);
    expect(bases.get('HAND')!.source.from).toBe('closes');
    expect(basisOf(bases.get('HAND')!.source)).toEqual({
      last: { date: '2025-01-03', close: 12 },
      previous: { date: '2025-01-02', close: 20 },
      high: { date: '2025-01-02', close: 20 },
      highBefore: { date: '2025-01-02', close: 20 },
    });
    expect(bases.get('HAND')!.sources).toEqual(['import', 'yahoo']);
    expect(basisOf(bases.get('LAG')!.source)).toEqual(closeBasis((await storedCloses('LAG')).closes));
  });
});
