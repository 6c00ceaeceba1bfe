// What the live feed reads again after each stored change (src/daemon/stale-bases.ts).
import { describe, expect, it } from 'vitest';
import { afterChange, ALL_STALE, NONE_STALE, staleAmong, union } from '../../../src/daemon/stale-bases.js';

const SYMBOLS = ['AMZN', 'ORCL', 'CRWV'];

describe('stale close bases', () => {
  it('reads everything at start, then nothing until bars change', () => {
    expect(staleAmong(ALL_STALE, SYMBOLS)).toEqual(SYMBOLS);
    expect(staleAmong(NONE_STALE, SYMBOLS)).toBeNull();
    // Quotes and alerts are read at every refresh: they make no basis stale.
    expect(staleAmong(afterChange(afterChange(NONE_STALE, { kind: 'quotes', symbols: ['ORCL'] }), { kind: 'alerts', symbols: [] }), SYMBOLS)).toBeNull();
  });

  it('reads only the symbols whose bars a sync or an import wrote, in the feed’s order', () => {
    let stale = afterChange(NONE_STALE, { kind: 'bars', symbols: ['CRWV'] });
    stale = afterChange(stale, { kind: 'import', symbols: ['AMZN', 'CRWV'] });
    expect(staleAmong(stale, SYMBOLS)).toEqual(['AMZN', 'CRWV']);
    // A symbol the page does not read is stale too, but nothing of it is read.
    expect(staleAmong(afterChange(NONE_STALE, { kind: 'bars', symbols: ['XYZ'] }), SYMBOLS)).toEqual([]);
  });

  it('reads everything after a change that names no symbol or a lost listener', () => {
    expect(afterChange(NONE_STALE, { kind: 'bars', symbols: [] })).toEqual(ALL_STALE);
    expect(afterChange(afterChange(NONE_STALE, { kind: 'bars', symbols: ['ORCL'] }), { kind: 'reconnect', symbols: [] })).toEqual(ALL_STALE);
    // Once everything is stale, a named change keeps it so.
    expect(afterChange(ALL_STALE, { kind: 'bars', symbols: ['ORCL'] })).toEqual(ALL_STALE);
  });

  it('puts a failed read back together with what went stale meanwhile', () => {
    const pending = afterChange(NONE_STALE, { kind: 'bars', symbols: ['ORCL'] });
    const meanwhile = afterChange(NONE_STALE, { kind: 'bars', symbols: ['AMZN'] });
    expect(staleAmong(union(pending, meanwhile), SYMBOLS)).toEqual(['AMZN', 'ORCL']);
    expect(union(pending, ALL_STALE)).toEqual(ALL_STALE);
    expect(union(ALL_STALE, NONE_STALE)).toEqual(ALL_STALE);
  });
});
