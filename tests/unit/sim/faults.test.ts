import { describe, expect, it } from 'vitest';
import { normalizeFaults, rollFault } from '../../../src/sim/faults.js';

describe(rollFault.name, () => {
  it('is deterministic per seed, request and occurrence', () => {
    const plan = normalizeFaults(0.5, 42);
    const run = () => Array.from({ length: 50 }, (_, i) => rollFault(plan, 'chart', '/v8/finance/chart/AMZN?x', i));
    expect(run()).toEqual(run());
    const other = normalizeFaults(0.5, 43);
    expect(Array.from({ length: 50 }, (_, i) => rollFault(other, 'chart', '/v8/finance/chart/AMZN?x', i))).not.toEqual(run());
  });

  it('fails about `rate` of the requests, drawing from the allowed kinds', () => {
    const plan = normalizeFaults({ rate: 0.3, kinds: ['429', 'reset'] }, 1);
    const rolls = Array.from({ length: 2000 }, (_, i) => rollFault(plan, 'quote', `/v7/finance/quote?${i}`, 0));
    const failed = rolls.filter((r) => r !== null);
    expect(failed.length / rolls.length).toBeGreaterThan(0.25);
    expect(failed.length / rolls.length).toBeLessThan(0.35);
    expect(new Set(failed)).toEqual(new Set(['429', 'reset']));
  });

  it('leaves endpoints outside the plan alone, and everything at rate 0', () => {
    const plan = normalizeFaults({ rate: 1, endpoints: ['chart'] }, 1);
    expect(rollFault(plan, 'chart', '/x', 0)).not.toBeNull();
    expect(rollFault(plan, 'crumb', '/x', 0)).toBeNull();
    expect(rollFault(normalizeFaults(0, 1), 'chart', '/x', 0)).toBeNull();
  });

  it('rejects rates outside 0..1', () => {
    expect(() => normalizeFaults(1.5, 1)).toThrow(RangeError);
  });
});
