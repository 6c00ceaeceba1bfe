// The demo's scripted session: whichever date is replayed, the chosen symbol's previous close is far
// enough below its high for the new-high rule to be armed, and every intraday price of the session's
// last quarter hour is above that high, so the new-high rule fires once, on the first quote snapshot.
import { describe, expect, it } from 'vitest';
import { evaluateRules, stateKeys } from '../../../src/alerts/rules.js';
import { isTradingDay, lastClosedSession, previousSession } from '../../../src/market/calendar.js';
import { addDays } from '../../../src/market/iso-date.js';
import { createGeneratedSource } from '../../../src/sim/generator.js';
import { intradayPrice } from '../../../src/sim/payloads.js';
import { newHighScenario } from '../../../src/sim/scenario.js';
import { DEFAULT_UNIVERSE } from '../../../src/sim/universe.js';

const equities = DEFAULT_UNIVERSE.filter((s) => s.kind === 'equity');

function sessions(count: number, every: number): string[] {
  const out: string[] = [];
  let date = lastClosedSession(new Date('2026-11-30T23:00:00Z'));
  while (out.length < count) {
    out.push(date);
    for (let i = 0; i < every; i++) date = previousSession(date);
  }
  return out;
}

describe('newHighScenario', () => {
  it.each(sessions(12, 29))('takes a symbol to a new high in the session of %s, the rules armed the evening before', (session) => {
    const historyStart = addDays(session, -365 * 3);
    const scenario = newHighScenario({
      candidates: equities.map((spec) => ({ spec, historyStart })),
      seed: 1,
      session,
      isTradingDay,
      nullRowRate: 0,
      dipBelowHigh: 0.05,
      closeAboveHigh: 0.03,
    });
    expect(scenario).not.toBeNull();
    const { spec, symbol } = scenario!;
    const bars = createGeneratedSource({ seed: 1, isTradingDay, symbols: [spec], nullRowRate: 0 }).series(symbol, session)!.bars;
    const last = bars.at(-1)!;
    const previous = bars.at(-2)!;
    expect(last.tradeDate).toBe(session);
    const stored = bars.filter((b) => b.tradeDate >= historyStart && b.tradeDate < session);
    const high = Math.max(...stored.map((b) => b.close!));
    expect(high).toBeCloseTo(scenario!.previousHigh, 4);
    expect(previous.close! / high).toBeLessThanOrEqual(0.951);
    expect(last.close! / high).toBeCloseTo(1.03, 4);

    // The evening before: the state is recorded (armed); then the last quarter hour's quotes.
    const highBar = stored.find((b) => b.close === high)!;
    const fact = { symbol, athClose: high, athDate: highBar.tradeDate, closeDate: previous.tradeDate };
    const settings = { levels: [-0.1, -0.2, -0.3, -0.4, -0.5], hysteresis: 0.02 };
    const evening = evaluateRules(settings, new Map(), { prices: [{ ...fact, price: previous.close!, basis: 'confirmed', at: previous.tradeDate }] });
    let state = new Map(evening.state);
    const fired: string[] = [];
    for (let minute = 45; minute < 60; minute++) {
      const price = intradayPrice(symbol, last.open!, last.close!, (6 * 60 + 15 + minute - 45) / 390);
      expect(price).toBeGreaterThan(high);
      const result = evaluateRules(settings, state, { prices: [{ ...fact, price, basis: 'provisional', at: `${session}T15:${minute}` }] });
      fired.push(...result.alerts.map((a) => a.rule));
      state = new Map([...state, ...result.state]);
    }
    // Once: a drawdown level the dip had crossed may also be recovered, nothing else fires.
    expect(fired.filter((r) => r === 'all_time_high')).toHaveLength(1);
    expect(fired.every((r) => r === 'all_time_high' || r === 'drawdown_level')).toBe(true);
    expect(state.get(stateKeys.drawdown(symbol))).toMatchObject({ athArmed: false });
  });
});
