// What must hold for a stored history: no unexplained jump between consecutive closes, dates in order.
import { describe, expect, it } from 'vitest';
import { dateOrderProblems, unexplainedJumps } from '../../../src/integrity/invariants.js';
import { splitExplaining, splitFactor } from '../../../src/integrity/splits.js';

const closes = (...pairs: [string, number][]) => pairs.map(([date, close]) => ({ date, close }));
const split = (tradeDate: string, numerator: number, denominator: number) => ({ tradeDate, numerator, denominator });

describe(unexplainedJumps.name, () => {
  it('names a move beyond the factor either way, and not one within it', () => {
    const history = closes(['2024-06-05', 1200], ['2024-06-06', 1150], ['2024-06-07', 120], ['2024-06-10', 119], ['2024-06-11', 400]);
    expect(unexplainedJumps(history, [], 3)).toEqual([
      { date: '2024-06-07', previousDate: '2024-06-06', previousClose: 1150, close: 120 },
      { date: '2024-06-11', previousDate: '2024-06-10', previousClose: 119, close: 400 },
    ]);
    expect(unexplainedJumps(history, [], 11)).toEqual([]);
  });

  it('lets a split on record explain the jump of unadjusted prices on its day', () => {
    const unadjusted = closes(['2024-06-07', 1208.88], ['2024-06-10', 121.79]);
    expect(unexplainedJumps(unadjusted, [split('2024-06-10', 10, 1)])).toEqual([]);
    // ...but not a split of another ratio, nor one on another day.
    expect(unexplainedJumps(unadjusted, [split('2024-06-10', 2, 1)])).toHaveLength(1);
    expect(unexplainedJumps(unadjusted, [split('2024-06-12', 10, 1)])).toHaveLength(1);
  });

  it('finds no jump across a split in split-adjusted prices (which do not move there)', () => {
    expect(unexplainedJumps(closes(['2024-06-07', 120.89], ['2024-06-10', 121.79]), [split('2024-06-10', 10, 1)])).toEqual([]);
  });

  it('refuses a factor that cannot be a jump', () => {
    expect(() => unexplainedJumps([], [], 1)).toThrow(RangeError);
  });
});

describe(dateOrderProblems.name, () => {
  it('names duplicate and out-of-order dates, and nothing in a clean sequence', () => {
    expect(dateOrderProblems(['2024-01-02', '2024-01-03', '2024-01-03', '2024-01-01', '2024-01-04'])).toEqual([
      { date: '2024-01-03', problem: 'duplicate' },
      { date: '2024-01-01', problem: 'out_of_order' },
    ]);
    expect(dateOrderProblems(['2024-01-02', '2024-01-03'])).toEqual([]);
  });
});

describe(splitExplaining.name, () => {
  it('matches a re-basing factor with the newest split of that ratio', () => {
    const splits = [split('2021-07-20', 4, 1), split('2024-06-10', 10, 1), split('2000-06-27', 2, 1)];
    expect(splitExplaining(0.1000001, splits)).toEqual(split('2024-06-10', 10, 1));
    expect(splitExplaining(0.25, splits)).toEqual(split('2021-07-20', 4, 1));
    expect(splitExplaining(2, splits)).toBeNull();
    expect(splitFactor(split('2025-01-02', 1, 10))).toBe(10);
  });
});
