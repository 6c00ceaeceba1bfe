import { describe, expect, it } from 'vitest';
import { evaluateRules, type AlertStateMap, type PriceFact, type RuleFacts, type RuleSettings } from '../../../src/alerts/rules.js';

const settings: RuleSettings = { levels: [-0.1, -0.2, -0.3, -0.4, -0.5], hysteresis: 0.02 };

/** A close on date `at` (the high is `athClose` on `athDate` unless this close is higher). Dates compare as text. */
function close(price: number, at: string, athClose = 100, athDate = '2025-09-10'): PriceFact {
  return { symbol: 'ORCL', price, athClose: Math.max(athClose, price), athDate: price > athClose ? at : athDate, closeDate: at, basis: 'confirmed', at };
}

/** Runs the rules over a series of facts, carrying the state along; returns what fired at each step. */
function walk(steps: RuleFacts[], initial: AlertStateMap = new Map()) {
  const state = new Map(initial);
  const fired = steps.map((facts) => {
    const result = evaluateRules(settings, state, facts);
    for (const [k, v] of result.state) state.set(k, v);
    return result.alerts;
  });
  return { fired, state };
}

const summary = (alerts: ReturnType<typeof evaluateRules>['alerts']) =>
  alerts.map((a) => `${a.rule}:${String(a.payload.level ?? a.payload.to ?? a.payload.stale ?? '')}:${String(a.payload.direction ?? '')}`);

describe('drawdown levels', () => {
  it('first evaluation only records state, however deep the drawdown (a backfill)', () => {
    const { fired, state } = walk([{ prices: [close(55, '2025-12-31')] }]);
    expect(fired[0]).toEqual([]);
    expect(state.get('drawdown:ORCL')).toMatchObject({ crossed: [-0.1, -0.2, -0.3, -0.4] });
  });

  it('fires each level crossed downwards once, several in one evaluation after a gap', () => {
    const { fired } = walk([{ prices: [close(100, '2025-09-10')] }, { prices: [close(59.5, '2025-12-31')] }, { prices: [close(58, '2026-01-02')] }]);
    expect(summary(fired[1]!)).toEqual(['drawdown_level:-0.1:down', 'drawdown_level:-0.2:down', 'drawdown_level:-0.3:down', 'drawdown_level:-0.4:down']);
    expect(fired[2]).toEqual([]);
    expect(fired[1]![0]!.dedupeKey).toBe('drawdown_level:ORCL:-0.1:down:2025-12-31');
    expect(fired[1]![0]!.basis).toBe('confirmed');
  });

  it('fires at exactly the level despite floating-point noise', () => {
    const { fired } = walk([{ prices: [close(100, 'd1')] }, { prices: [close(90, 'd2')] }]);
    expect(summary(fired[1]!)).toEqual(['drawdown_level:-0.1:down']);
  });

  it('fires upwards only once the drawdown is back 2 points above the level (hysteresis), then downwards again at the level', () => {
    const prices = [100, 89.5, 90.5, 89.2, 91.5, 92.1, 90.5, 89.9];
    const { fired } = walk(prices.map((p, i) => ({ prices: [close(p, `d${i}`)] })));
    expect(fired.map(summary)).toEqual([
      [],
      ['drawdown_level:-0.1:down'],
      [], // -9.5 %: inside the band, no chatter
      [], // -10.8 %: still crossed, not again
      [], // -8.5 %: not yet 2 points back
      ['drawdown_level:-0.1:up'], // -7.9 %
      [], // -9.5 %: re-armed, above the level
      ['drawdown_level:-0.1:down'], // -10.1 %
    ]);
  });

  it('fires every level recovered in one evaluation', () => {
    const { fired } = walk([{ prices: [close(100, 'a')] }, { prices: [close(65, 'b')] }, { prices: [close(95, 'c')] }]);
    expect(summary(fired[2]!)).toEqual(['drawdown_level:-0.3:up', 'drawdown_level:-0.2:up', 'drawdown_level:-0.1:up']);
  });

  it('a re-fetch of the same data fires nothing', () => {
    const { fired } = walk([{ prices: [close(100, 'a')] }, { prices: [close(75, 'b')] }, { prices: [close(75, 'b')] }]);
    expect(fired[2]).toEqual([]);
  });

  it('an intraday quote fires a provisional crossing, and the close after it does not fire again', () => {
    const quote: PriceFact = { ...close(88, '2025-10-01T15:00:00.000Z'), basis: 'provisional' };
    const { fired } = walk([{ prices: [close(100, 'a')] }, { prices: [quote] }, { prices: [close(87, 'b')] }]);
    expect(fired[1]!.map((a) => [a.rule, a.basis])).toEqual([['drawdown_level', 'provisional']]);
    expect(fired[2]).toEqual([]);
  });
});

describe('all-time high', () => {
  it('fires on a new high, not again for each higher close until the price has fallen 2 % from the high', () => {
    const { fired } = walk([
      { prices: [close(95, 'a')] }, // first: recorded (armed: 5 % below)
      { prices: [close(101, 'b')] },
      { prices: [close(102, 'c', 101, 'b')] }, // a rally: no chatter
      { prices: [close(99.5, 'd', 102, 'c')] }, // -2.5 %: re-armed
      { prices: [close(103, 'e', 102, 'c')] },
    ]);
    expect(fired.map((a) => a.map((x) => x.rule))).toEqual([[], ['all_time_high'], [], [], ['all_time_high']]);
    expect(fired[1]![0]!.payload).toMatchObject({ price: 101, previousHigh: 100 });
  });

  it('an older, higher close brought in by a backfill or import re-baselines silently (no high, no crossing)', () => {
    // Evaluated at 100 (high 100 on 2025-09-10, last close 2025-12-31); then history from 2000 arrives with a high of 150.
    const { fired, state } = walk([{ prices: [close(100, '2025-12-31')] }, { prices: [close(100, '2025-12-31', 150, '2000-03-10')] }]);
    expect(fired[1]).toEqual([]);
    expect(state.get('drawdown:ORCL')).toMatchObject({ athClose: 150, athDate: '2000-03-10', crossed: [-0.1, -0.2, -0.3] });
  });

  it("a revised close of the high's own day is no new high", () => {
    const { fired } = walk([{ prices: [close(90, '2025-12-30')] }, { prices: [close(90, '2025-12-31', 100.5, '2025-09-10')] }]);
    expect(fired[1]).toEqual([]);
  });

  it('a quote above the high fires a provisional new high; the close of that day does not fire it again', () => {
    const quote: PriceFact = { symbol: 'ORCL', price: 104, athClose: 100, athDate: '2025-09-10', closeDate: '2025-12-30', basis: 'provisional', at: '2025-12-31T15:00:00.000Z' };
    const { fired } = walk([{ prices: [close(95, '2025-12-30')] }, { prices: [quote] }, { prices: [close(103, '2025-12-31')] }]);
    expect(fired.map((a) => a.map((x) => `${x.rule}:${x.basis}`))).toEqual([[], ['all_time_high:provisional'], []]);
  });

  it('a lower stored high (history rewritten by a split) is a new basis, not an alert', () => {
    const { fired, state } = walk([{ prices: [close(90, 'a')] }, { prices: [close(45, 'b', 50, 'x')] }]);
    expect(fired[1]).toEqual([]);
    expect(state.get('drawdown:ORCL')).toMatchObject({ athClose: 50, crossed: [-0.1] });
  });
});

describe('verdicts', () => {
  const v = (basis: 'confirmed' | 'provisional', at: string, verdict: string): RuleFacts => ({ verdicts: { basis, at, byClaim: new Map([['orcl-crash', verdict]]) } });

  it('records the first verdict, fires on a change, provisional intraday then confirmed at the close', () => {
    const { fired } = walk([
      v('confirmed', 'd1', 'not_comparable'),
      v('provisional', 't1', 'comparable_2008'),
      v('provisional', 't2', 'comparable_2008'), // same provisional: once
      v('confirmed', 'd2', 'comparable_2008'),
      v('confirmed', 'd3', 'comparable_2008'),
    ]);
    expect(fired.map((a) => a.map((x) => `${x.basis}:${String(x.payload.from)}->${String(x.payload.to)}`))).toEqual([
      [],
      ['provisional:not_comparable->comparable_2008'],
      [],
      ['confirmed:not_comparable->comparable_2008'],
      [],
    ]);
  });

  it('an intraday flip that reverts by the close confirms nothing', () => {
    const { fired } = walk([v('confirmed', 'd1', 'a'), v('provisional', 't1', 'b'), v('provisional', 't2', 'a'), v('confirmed', 'd2', 'a')]);
    expect(fired.map((x) => x.length)).toEqual([0, 1, 1, 0]);
  });
});

describe('stale data and failed syncs', () => {
  const fresh = (expected: string, last: string | null): RuleFacts => ({ freshness: { expected, lastBars: new Map([['ORCL', last]]) } });

  it('stale: first evaluation records, then fires when it goes stale and when it is fresh again', () => {
    const { fired } = walk([fresh('2025-12-30', '2025-12-30'), fresh('2025-12-31', '2025-12-30'), fresh('2026-01-02', '2025-12-30'), fresh('2026-01-02', '2026-01-02')]);
    expect(fired.map(summary)).toEqual([[], ['stale_data:true:'], [], ['stale_data:false:']]);
  });

  it('sync failed: fires on the first failing run (also the very first), not for each retry; an ok run re-arms', () => {
    const run = (runId: number, status: 'ok' | 'partial' | 'failed' | 'aborted'): RuleFacts => ({
      sync: { runId, status, failures: status === 'ok' ? [] : [{ symbol: 'ORCL', reason: 'yahoo timeout' }] },
    });
    const { fired } = walk([run(1, 'failed'), run(2, 'partial'), run(3, 'ok'), run(4, 'aborted'), run(5, 'failed')]);
    expect(fired.map((a) => a.map((x) => x.dedupeKey))).toEqual([['sync_failed:run:1'], [], [], [], ['sync_failed:run:5']]);
    expect(fired[0]![0]!.message).toContain('yahoo timeout');
  });
});

describe('verify differences', () => {
  const range = (symbol: string, firstDate: string, fields = ['close'], repaired = false) => ({ symbol, kind: 'changed', firstDate, lastDate: firstDate, fields, repaired });
  const run = (runId: number, ranges: ReturnType<typeof range>[]): RuleFacts => ({ verify: { runId, ranges } });

  it('fires when a verify finds differences, once for the same ones week after week, again once they change or come back', () => {
    const intc = range('INTC', '2025-03-14');
    const { fired } = walk([run(1, []), run(2, [intc]), run(3, [intc]), run(4, [intc, range('ORCL', '2024-01-02')]), run(5, []), run(6, [intc])]);
    expect(fired.map((a) => a.map((x) => x.dedupeKey))).toEqual([[], ['verify_difference:run:2'], [], ['verify_difference:run:4'], [], ['verify_difference:run:6']]);
    expect(fired[1]![0]).toMatchObject({ rule: 'verify_difference', symbol: 'INTC', basis: 'confirmed' });
    expect(fired[1]![0]!.message).toBe('verify #2: the stored history differs from the source for INTC: INTC 2025-03-14 close');
    expect(fired[3]![0]).toMatchObject({ symbol: null, message: 'verify #4: the stored history differs from the source for INTC, ORCL: INTC 2025-03-14 close; ORCL 2024-01-02 close' });
  });

  it('says when the differences were repaired', () => {
    const { fired } = walk([run(7, [range('INTC', '2025-03-14', ['close'], true)])]);
    expect(fired[0]![0]!.message).toContain('INTC 2025-03-14 close (repaired)');
  });
});
