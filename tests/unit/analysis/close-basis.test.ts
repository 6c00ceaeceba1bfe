// The live page's prices from the stored running peak (what the daemon reads) against the same from
// every close, on seeded random histories (ties, plateaus, new highs at the end): the basis is the
// same either way, and so is every figure of the live price, also when a quote replaces a partial
// bar of the session trading now that was itself the all-time high. The figures are checked against
// their definition too: the drawdown from the highest close with the live price counted as its
// session's close.
import { describe, expect, it } from 'vitest';
import type { ClosePoint, QuoteSnapshot } from '../../../src/domain.js';
import { basisFromState, closeBasis } from '../../../src/analysis/close-basis.js';
import { livePrice } from '../../../src/live/live-model.js';
import { provisionalClose } from '../../../src/analysis/provisional.js';
import type { CloseBasis } from '../../../src/analysis/close-basis.js';
import { advancePeakState, peakIsLast } from '../../../src/peak-state.js';
import { intBetween, randomChunks, randomHistory, seeded, type Rng } from '../../helpers/random-history.js';

const TZ = 'America/New_York';
/** A Monday session; the random histories end years before it. */
const SESSION = '2026-01-05';
const IN_SESSION = new Date('2026-01-05T15:00:30Z');
const EVENING = new Date('2026-01-05T23:00:00Z');

/** The highest close, the latest of equals: what the SQL read for peakIsLast returns. */
function highest(points: readonly ClosePoint[]): ClosePoint | null {
  let best: ClosePoint | null = null;
  for (const p of points) if (!best || p.close >= best.close) best = p;
  return best;
}

/** The basis as the daemon builds it: the state advanced write by write, the last two bars, and the high before the last when the state lacks it. */
function basisViaState(rng: Rng, closes: readonly ClosePoint[]) {
  let state = null;
  for (const chunk of randomChunks(rng, closes, 40)) state = advancePeakState(state, chunk, 'T');
  return basisFromState(state!, closes.at(-2) ?? null, peakIsLast(state!) ? highest(closes.slice(0, -1)) : null);
}

const quote = (price: number): QuoteSnapshot => ({
  symbol: 'T',
  ts: new Date('2026-01-05T15:00:00Z'),
  price,
  marketCap: null,
  volume: null,
  marketState: 'REGULAR',
  currency: 'USD',
});

/** T's live price as the daemon makes it (its newest quote as its session's close where the rule says so). */
const priceAt = (basis: CloseBasis, quotes: QuoteSnapshot[], now: Date) => livePrice('T', basis, provisionalClose('T', basis, quotes, TZ, now), quotes, TZ);

describe('close basis from the running peak', () => {
  it('equals the basis of every close, and gives the same live price, on 300 random histories', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rng = seeded(seed);
      const history = randomHistory(rng, intBetween(rng, 1, 300));
      const high = highest(history)!.close;
      // Half of them end with a bar of the session trading now (partial), often at a new high.
      const closes = rng() < 0.5 ? history : [...history, { date: SESSION, close: rng() < 0.5 ? high * (1 + rng() * 0.1) : high * rng() }];
      const fromBars = closeBasis(closes)!;
      const fromState = basisViaState(rng, closes);
      expect(fromState, `seed ${seed}`).toEqual(fromBars);

      const scenarios: [string, QuoteSnapshot[], Date][] = [
        ['no quote', [], EVENING],
        ['a quote above the high', [quote(high * 1.05)], IN_SESSION],
        ['a quote below it', [quote(high * 0.7)], IN_SESSION],
        ['a quote after the close', [quote(high * 0.9)], EVENING],
      ];
      for (const [name, quotes, now] of scenarios) {
        const context = `seed ${seed}, ${name}`;
        const p = priceAt(fromBars, quotes, now)!;
        expect(priceAt(fromState, quotes, now), context).toEqual(p);
        // The definition: a quote's session replaces any bar of it; the high counts the live price.
        const before = p.kind === 'quote' ? closes.filter((c) => c.date < p.date) : closes;
        const series = p.kind === 'quote' ? [...before, { date: p.date, close: p.price }] : closes;
        const ath = highest(series)!;
        expect([p.athDate, p.athClose], context).toEqual([ath.date, ath.close]);
        expect(p.previousClose, context).toBe((p.kind === 'quote' ? before.at(-1) : closes.at(-2))?.close ?? null);
        expect(p.drawdown, context).toBe(Math.min(0, p.price / ath.close - 1) + 0);
      }
    }
  });

  it('keeps a partial bar at a new high out of the high the quote is measured against', () => {
    const closes = [
      { date: '2025-12-31', close: 120 },
      { date: '2026-01-02', close: 100 },
      { date: SESSION, close: 130 }, // partial: the session is trading
    ];
    const rng = seeded(1);
    for (const basis of [closeBasis(closes)!, basisViaState(rng, closes)]) {
      expect(basis).toEqual({ last: closes[2], previous: closes[1], high: closes[2], highBefore: closes[0] });
      expect(priceAt(basis, [quote(110)], IN_SESSION)).toMatchObject({ kind: 'quote', previousClose: 100, athClose: 120, athDate: '2025-12-31' });
      expect(priceAt(basis, [quote(125)], IN_SESSION)).toMatchObject({ kind: 'quote', athClose: 125, athDate: SESSION, drawdown: 0 });
      expect(priceAt(basis, [quote(110)], EVENING)).toMatchObject({ kind: 'close', price: 130, previousClose: 100, athClose: 130 });
    }
    expect(closeBasis([])).toBeNull();
    expect(closeBasis([closes[0]!])).toEqual({ last: closes[0], previous: null, high: closes[0], highBefore: null });
  });
});
