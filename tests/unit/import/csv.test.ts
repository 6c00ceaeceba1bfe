import { describe, expect, it } from 'vitest';
import { parseYahooCsv } from '../../../src/import/csv.js';

const HEADER = 'Date,Open,High,Low,Close,Adj Close,Volume';
const csv = (...rows: string[]) => [HEADER, ...rows].join('\n');

describe(parseYahooCsv.name, () => {
  it('parses Yahoo rows into bars, skipping all-null rows and flagging odd ones', () => {
    const parsed = parseYahooCsv(
      csv(
        '2024-01-02,10,11,9,10.5,10.4,1000',
        '2024-01-03,null,null,null,null,null,null',
        '2024-01-04,12.5,12,10,11,11,0',
      ),
      'TEST',
      '2024-12-31',
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.skippedEmpty).toBe(1);
    expect(parsed.bars).toEqual([
      { symbol: 'TEST', tradeDate: '2024-01-02', open: 10, high: 11, low: 9, close: 10.5, adjClose: 10.4, volume: 1000, quality: [] },
      { symbol: 'TEST', tradeDate: '2024-01-04', open: 12.5, high: 12, low: 10, close: 11, adjClose: 11, volume: 0, quality: ['open_outside_range'] },
    ]);
  });

  it('reports every bad row with its line number', () => {
    const parsed = parseYahooCsv(
      csv(
        '2024-01-02,10,11,9,10.5,10.4,1000',
        '2024-02-30,10,11,9,10.5,10.4,1000',
        '2024-01-03,10,11,9,-1,10.4,1000',
        '2024-01-04,10,9,11,10,10,1000',
        '2024-01-02,10,11,9,10.5,10.4,1000',
        '2024-01-05,ten,11,9,10,10,1',
        '2024-01-08,10,11,9,10,10,-3',
        '2099-01-02,10,11,9,10,10,1',
      ),
      'TEST',
      '2024-12-31',
    );
    expect(parsed.problems).toEqual([
      { line: 3, reason: 'invalid date "2024-02-30"' },
      { line: 4, reason: 'close must be > 0 (got -1)' },
      { line: 5, reason: 'high 9 is below low 11' },
      { line: 6, reason: 'date 2024-01-02 already appears on line 2' },
      { line: 7, reason: 'not a number in open' },
      { line: 8, reason: 'volume must be a whole number >= 0 (got -3)' },
      { line: 9, reason: 'date 2099-01-02 is in the future (after 2024-12-31)' },
    ]);
  });

  it('names missing columns', () => {
    const parsed = parseYahooCsv('Date,Close\n2024-01-02,10', 'TEST', '2024-12-31');
    expect(parsed.problems).toEqual([{ line: 1, reason: expect.stringContaining('missing column(s) Open, High, Low, Volume') }]);
  });

  it('refuses a 10 MB line without reading it as a price row', () => {
    const parsed = parseYahooCsv(csv(`2024-01-02,${'9'.repeat(10 * 1024 * 1024)},11,9,10,10,1`), 'TEST', '2024-12-31');
    expect(parsed.bars).toEqual([]);
    expect(parsed.problems).toEqual([{ line: 2, reason: expect.stringContaining('longer than') }]);
  });

  it('rejects a row with the wrong number of fields', () => {
    const parsed = parseYahooCsv(csv('2024-01-02,10,11,9,10.5'), 'TEST', '2024-12-31');
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.problems[0]!.line).toBe(2);
  });
});
