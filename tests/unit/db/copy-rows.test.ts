// COPY's text format for daily_bars, and which statements the drivers take for a COPY with data.
import { describe, expect, it } from 'vitest';
import { copyData } from '../../../src/db/copy-statement.js';
import { copyRows } from '../../../src/db/copy-rows.js';
import type { DailyBar } from '../../../src/domain.js';

const AT = new Date('2026-01-02T21:00:00Z');
const bar = (patch: Partial<DailyBar> = {}): DailyBar => ({
  symbol: 'ACME', tradeDate: '2024-01-02', open: 10, high: 11, low: 9, close: 10.5, adjClose: 10.25, volume: 1000, quality: [], ...patch,
});

describe(copyRows.name, () => {
  it('writes one tab-separated line per bar, \\N for null, numbers as String() writes them', () => {
    const text = [...copyRows([bar(), bar({ tradeDate: '2024-01-03', open: null, adjClose: null, volume: null, close: 0.1 + 0.2 })], 'sim', AT)].join('');
    expect(text).toBe(
      'ACME\t2024-01-02\t10\t11\t9\t10.5\t10.25\t1000\t{}\tsim\t2026-01-02T21:00:00.000Z\n' +
        'ACME\t2024-01-03\t\\N\t11\t9\t0.30000000000000004\t\\N\t\\N\t{}\tsim\t2026-01-02T21:00:00.000Z\n',
    );
  });

  it('writes flags as a quoted array literal and escapes what COPY would read as a separator', () => {
    const [text] = [...copyRows([bar({ symbol: 'A\\B\tC\nD\rE', quality: ['open_outside_range', 'close_outside_range'] })], 'sim', AT)];
    expect(text).toBe('A\\\\B\\tC\\nD\\rE\t2024-01-02\t10\t11\t9\t10.5\t10.25\t1000\t{"open_outside_range","close_outside_range"}\tsim\t2026-01-02T21:00:00.000Z\n');
  });

  it('comes in pieces of whole lines, made as they are asked for', () => {
    const bars = Array.from({ length: 2_500 }, (_, i) => bar({ close: i + 1 }));
    const pieces = [...copyRows(bars, 'sim', AT)];
    expect(pieces.map((p) => p.split('\n').length - 1)).toEqual([1_000, 1_000, 500]);
    expect(pieces.every((p) => p.endsWith('\n'))).toBe(true);
  });
});

describe(copyData.name, () => {
  it('takes COPY ... FROM STDIN with exactly one string or iterable parameter, nothing else', () => {
    expect(copyData('copy daily_bars (symbol) from stdin', ['x\n'])).toBe('x\n');
    const pieces = ['a\n', 'b\n'];
    expect(copyData('  COPY t FROM STDIN ', [pieces])).toBe(pieces);
    expect(copyData('copy t from stdin', [])).toBeNull();
    expect(copyData('copy t from stdin', ['a', 'b'])).toBeNull();
    expect(copyData('copy t from stdin', [42])).toBeNull();
    expect(copyData('copy t from stdin with (format csv)', ['a'])).toBeNull();
    expect(copyData("copy t from '/tmp/x'", ['a'])).toBeNull();
    expect(copyData('select $1', ['copy t from stdin'])).toBeNull();
    expect(copyData('copy t from stdin; drop table t', ['a'])).toBeNull();
  });
});
