// Reading the overlap: a split, a reverse split or a silent re-basing is one common factor over the
// overlapping bars; rounding is nothing; a revised bar is a revision. Pure, plain values.
import { describe, expect, it } from 'vitest';
import { MIN_REBASED_BARS, readOverlap } from '../../../src/integrity/overlap.js';
import { bar, float32, history, scaled } from '../../helpers/priced-bars.js';

// The sync's usual overlap: five sessions before the last stored one, and that one.
const stored = history('2024-06-03', 6);

describe(readOverlap.name, () => {
  it('finds the exact factor of a 10:1 split over every overlapping bar', () => {
    const reading = readOverlap(stored, scaled(stored, 0.1));
    expect(reading.compared).toBe(6);
    expect(reading.revised).toEqual([]);
    expect(reading.rebased).not.toBeNull();
    expect(reading.rebased!.factor).toBeCloseTo(0.1, 9);
    expect(reading.rebased!.adjCloseFactor).toBeCloseTo(0.1, 9);
    expect(reading.rebased!.agreeing).toBe(6);
  });

  it('finds a reverse split (1:10) and a silent re-basing (x2) alike', () => {
    expect(readOverlap(stored, scaled(stored, 10)).rebased!.factor).toBeCloseTo(10, 9);
    expect(readOverlap(stored, scaled(stored, 2)).rebased!.factor).toBeCloseTo(2, 9);
  });

  it('sees through the single-precision floats Yahoo writes a re-based history in', () => {
    const reading = readOverlap(stored, scaled(stored, 0.1, float32));
    expect(reading.rebased!.factor).toBeCloseTo(0.1, 7);
  });

  it('calls rounding noise nothing: the same bars read back as floats are neither re-based nor revised', () => {
    const noisy = scaled(stored, 1, float32);
    expect(noisy.some((b, i) => b.close !== stored[i]!.close)).toBe(true); // the noise is there
    expect(readOverlap(stored, noisy)).toEqual({ compared: 6, rebased: null, revised: [] });
  });

  it('calls a single revised bar a revision, not a re-basing', () => {
    const fetched = history('2024-06-03', 6);
    const last = fetched[5]!;
    fetched[5] = { ...last, close: last.close * 1.013, high: last.high! * 1.013, volume: last.volume! + 51_000 };
    expect(readOverlap(stored, fetched)).toEqual({ compared: 6, rebased: null, revised: ['2024-06-08'] });
  });

  it('still calls it a revision when that one bar changed all its prices by one factor', () => {
    const fetched = [...stored.slice(0, 5), ...scaled(stored.slice(5), 1.5)];
    expect(readOverlap(stored, fetched)).toEqual({ compared: 6, rebased: null, revised: ['2024-06-08'] });
  });

  it('finds the factor hidden behind one missing bar on either side: bars are matched by date', () => {
    const fetched = scaled(stored, 0.5).filter((b) => b.tradeDate !== '2024-06-05');
    const fewerStored = stored.filter((b) => b.tradeDate !== '2024-06-07');
    const reading = readOverlap(fewerStored, fetched);
    expect(reading.compared).toBe(4);
    expect(reading.rebased!.factor).toBeCloseTo(0.5, 9);
  });

  it('reads factor 1 as the same basis: nothing re-based, nothing revised', () => {
    expect(readOverlap(stored, history('2024-06-03', 6))).toEqual({ compared: 6, rebased: null, revised: [] });
  });

  it('keeps the re-basing when the source also revised the newest bar on the new basis', () => {
    const fetched = scaled(stored, 0.1);
    fetched[5] = { ...fetched[5]!, close: fetched[5]!.close * 1.02 };
    const reading = readOverlap(stored, fetched);
    expect(reading.rebased!.factor).toBeCloseTo(0.1, 9);
    expect(reading.rebased!.agreeing).toBe(5);
  });

  it('reads a split a provider applied a day late: the older bars re-based, the split day already on the new basis', () => {
    // Stored: five sessions before the split as served then, and the split day at its new price.
    const before = history('2024-06-03', 5);
    const splitDay = bar('2024-06-10', 121.79);
    const fetched = [...scaled(before, 0.1), splitDay];
    const reading = readOverlap([...before, splitDay], fetched);
    expect(reading.rebased!.factor).toBeCloseTo(0.1, 9);
    expect(reading.rebased!.agreeing).toBe(5);
  });

  it(`needs at least ${MIN_REBASED_BARS} bars and half of the overlap to agree`, () => {
    const two = [...scaled(stored.slice(0, 2), 0.5), ...stored.slice(2)];
    expect(readOverlap(stored, two).rebased).toBeNull();
    expect(readOverlap(stored, two).revised).toEqual(['2024-06-03', '2024-06-04']);
    const three = [...scaled(stored.slice(0, 3), 0.5), ...stored.slice(3)];
    expect(readOverlap(stored, three).rebased!.factor).toBeCloseTo(0.5, 9);
    expect(readOverlap(stored.slice(0, 1), scaled(stored.slice(0, 1), 0.5)).rebased).toBeNull();
  });

  it('finds a dividend re-adjustment: prices unchanged, every adjusted close by one factor', () => {
    const fetched = stored.map((b) => ({ ...b, adjClose: Math.round(b.adjClose! * 0.99317 * 1e6) / 1e6 }));
    const reading = readOverlap(stored, fetched);
    expect(reading.rebased!.factor).toBe(1);
    expect(reading.rebased!.adjCloseFactor).toBeCloseTo(0.99317, 6);
  });

  it('ignores fetched bars with nothing stored (the new sessions) and stored ones the fetch lacks', () => {
    const fetched = [...stored.slice(2), bar('2024-06-10', 1120), bar('2024-06-11', 1130)];
    expect(readOverlap(stored, fetched)).toEqual({ compared: 4, rebased: null, revised: [] });
    expect(readOverlap([], fetched)).toEqual({ compared: 0, rebased: null, revised: [] });
  });
});
