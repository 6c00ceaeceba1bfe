import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCsvSource, parseBarsCsv } from '../../../src/sim/csv-source.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bw-sim-csv-'));
  writeFileSync(
    join(dir, 'ABC.csv'),
    [
      'Date,Open,High,Low,Close,Adj Close,Volume',
      '2024-01-02,10,11,9,10,9,1000',
      '2024-01-03,null,null,null,null,null,null',
      '2024-01-04,10,12,10,11,10,2000',
      '2024-01-05,11,12,10.5,12,12,3000',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, '^IDX.csv'), 'Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-02,1,1,1,1,1,0\n');
  mkdirSync(join(dir, 'dividends'));
  writeFileSync(join(dir, 'dividends', 'ABC_dividends.csv'), 'Date,Dividend\n2024-01-05,1.0\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe(createCsvSource.name, () => {
  it('serves each file as a symbol, stamped at the New York open', () => {
    const src = createCsvSource(dir);
    expect(src.symbols().sort()).toEqual(['ABC', '^IDX']);
    const series = src.series('ABC', '2024-12-31')!;
    expect(series.bars.map((b) => b.tradeDate)).toEqual(['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05']);
    expect(series.bars[0]!.timestamp).toBe(Date.parse('2024-01-02T14:30:00Z') / 1000);
    expect(series.bars[1]).toMatchObject({ open: null, close: null, volume: null });
    expect(series.dividends).toEqual([{ date: '2024-01-05', amount: 1 }]);
    expect(series.info).toMatchObject({ symbol: 'ABC', kind: 'equity' });
    expect(src.series('^IDX', '2024-12-31')!.info.kind).toBe('index');
  });

  it('serves only sessions up to `now`, with adj close re-based so later dividends do not leak', () => {
    const series = createCsvSource(dir).series('ABC', '2024-01-04')!;
    expect(series.bars.map((b) => b.tradeDate)).toEqual(['2024-01-02', '2024-01-03', '2024-01-04']);
    expect(series.dividends).toEqual([]);
    // adj/close was 0.9 and 10/11 before; re-based on the last bar (10/11), so the last bar is unadjusted.
    expect(series.bars[2]!.adjClose).toBe(11);
    expect(series.bars[0]!.adjClose).toBeCloseTo(10 * (0.9 / (10 / 11)), 6);
  });

  it('keeps the file values when served through its last row', () => {
    const series = createCsvSource(dir).series('ABC', '2030-01-01')!;
    expect(series.bars.map((b) => b.adjClose)).toEqual([9, null, 10, 12]);
  });

  it('returns nothing before the first row or for unknown symbols', () => {
    const src = createCsvSource(dir);
    expect(src.series('ABC', '2023-12-31')).toBeUndefined();
    expect(src.series('XYZ', '2024-12-31')).toBeUndefined();
  });

  it('rejects a file with another header', () => {
    expect(() => parseBarsCsv('Date,Close\n2024-01-02,1\n', 'x.csv')).toThrow(/x.csv: expected header/);
  });
});
