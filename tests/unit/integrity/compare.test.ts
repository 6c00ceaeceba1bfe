// verify's comparison: ranges of sessions that differ the same way, with the fields, the first
// session's values and whether the range is one common factor.
import { describe, expect, it } from 'vitest';
import { compareHistories, differingFields } from '../../../src/integrity/compare.js';
import { bar, float32, history, scaled } from '../../helpers/priced-bars.js';

const stored = history('2025-03-10', 10);

describe(compareHistories.name, () => {
  it('finds nothing between a history and itself read back as floats', () => {
    expect(compareHistories(stored, scaled(stored, 1, float32))).toEqual([]);
  });

  it('names the one session whose close was changed by hand, and says it is not one common factor', () => {
    const changed = stored.map((b) => (b.tradeDate === '2025-03-14' ? { ...b, close: b.close * 1.5 } : b));
    const [range, ...more] = compareHistories(changed, stored);
    expect(more).toEqual([]);
    expect(range).toMatchObject({ kind: 'changed', firstDate: '2025-03-14', lastDate: '2025-03-14', rows: 1, fields: ['close'], factor: null, adjCloseFactor: null });
    expect(range!.stored!.close).toBeCloseTo(stored[4]!.close * 1.5, 9);
    expect(range!.source!.close).toBe(stored[4]!.close);
  });

  it('makes one range of a history re-based whole, with its common factor', () => {
    const [range, ...more] = compareHistories(stored, scaled(stored, 0.5));
    expect(more).toEqual([]);
    expect(range).toMatchObject({ kind: 'changed', firstDate: '2025-03-10', lastDate: '2025-03-19', rows: 10, fields: ['open', 'high', 'low', 'close', 'adj_close'] });
    expect(range!.factor).toBeCloseTo(0.5, 9);
    expect(range!.adjCloseFactor).toBeCloseTo(0.5, 9);
  });

  it('cuts ranges where the factor changes, and at equal sessions', () => {
    // Two splits the table never saw: x0.25 before 03-13, x0.5 from 03-13 to 03-15, then equal.
    const source = [...scaled(stored.slice(0, 3), 0.25), ...scaled(stored.slice(3, 6), 0.5), ...stored.slice(6, 8), { ...stored[8]!, volume: 7 }, stored[9]!];
    const ranges = compareHistories(stored, source);
    expect(ranges.map((r) => [r.firstDate, r.lastDate, r.rows, r.factor === null ? null : Number(r.factor.toFixed(6)), r.fields.join(',')])).toEqual([
      ['2025-03-10', '2025-03-12', 3, 0.25, 'open,high,low,close,adj_close'],
      ['2025-03-13', '2025-03-15', 3, 0.5, 'open,high,low,close,adj_close'],
      ['2025-03-18', '2025-03-18', 1, null, 'volume'],
    ]);
  });

  it('tells sessions stored only and sessions at the source only apart', () => {
    const source = [...stored.filter((b) => b.tradeDate !== '2025-03-12'), bar('2025-03-20', 1200), bar('2025-03-21', 1201)];
    const ranges = compareHistories(stored, source);
    expect(ranges.map((r) => [r.kind, r.firstDate, r.lastDate, r.rows])).toEqual([
      ['not_in_source', '2025-03-12', '2025-03-12', 1],
      ['not_stored', '2025-03-20', '2025-03-21', 2],
    ]);
    expect(ranges[0]!.stored!.close).toBe(stored[2]!.close);
    expect(ranges[0]!.source).toBeNull();
  });
});

describe(differingFields.name, () => {
  it('compares prices within rounding and volume exactly, a missing value only with a missing one', () => {
    const b = bar('2025-03-10', 100);
    expect(differingFields(b, { ...b, close: 100.0000004 })).toEqual([]);
    expect(differingFields(b, { ...b, close: 100.001, volume: b.volume! + 1, open: null })).toEqual(['open', 'close', 'volume']);
  });
});
