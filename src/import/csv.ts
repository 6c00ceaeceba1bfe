// Pure parsing of Yahoo-format CSV (Date,Open,High,Low,Close,Adj Close,Volume) into checked bars.
// A file is all or nothing: the caller stores nothing from it if any row has a problem, so every
// problem is collected with its line number rather than stopping at the first.
import { parse } from 'csv-parse/sync';
import { checkBar, isEmptyBar } from '../bar-checks.js';
import type { DailyBar, IsoDate, RawBar } from '../domain.js';
import { toDayNumber } from '../market/iso-date.js';

export interface CsvProblem {
  line: number;
  reason: string;
}

export interface ParsedCsv {
  bars: DailyBar[];
  /** Rows that are "null" all across, as Yahoo writes holidays: skipped, not errors. */
  skippedEmpty: number;
  problems: CsvProblem[];
}

const REQUIRED = ['Date', 'Open', 'High', 'Low', 'Close', 'Volume'] as const;
/** A Yahoo row is under 100 bytes; anything far larger is not a price row. */
const MAX_RECORD_BYTES = 64 * 1024;

function toNumber(text: string | undefined): number | null | 'invalid' {
  if (text === undefined) return null;
  const t = text.trim();
  if (t === '' || t === 'null') return null;
  // Number('') is 0 and Number('0x10') is 16: accept only plain decimal notation.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return 'invalid';
  return Number(t);
}

/** csv-parse's options for a Yahoo file: the same for the whole-text parse and the file stream. */
export const CSV_OPTIONS = {
  columns: (header: string[]) => header.map((h) => h.trim()),
  skip_empty_lines: true,
  bom: true,
  info: true,
  max_record_size: MAX_RECORD_BYTES,
  relax_column_count: false,
} as const;

export interface CsvRecord {
  record: Record<string, string>;
  info: { lines: number };
}

/** A csv-parse error as the problem of the line it stopped at. */
export function parseErrorProblem(err: unknown): CsvProblem {
  const e = err as Error & { lines?: number; code?: string };
  const reason = e.code === 'CSV_MAX_RECORD_SIZE' ? `a record is longer than ${MAX_RECORD_BYTES} bytes: not a Yahoo price file` : e.message;
  return { line: e.lines ?? 1, reason };
}

/** The problem with the header (the first record's keys), or null. */
export function checkHeader(columns: readonly string[]): CsvProblem | null {
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  return missing.length
    ? { line: 1, reason: `missing column(s) ${missing.join(', ')}; expected Date,Open,High,Low,Close,Adj Close,Volume` }
    : null;
}

export const NO_ROWS: CsvProblem = { line: 1, reason: 'no rows' };

/**
 * Checks a file's rows one at a time, in order, keeping only what the duplicate-date rule needs (the
 * line of each date seen, by day number), so a file of any size is checked in bounded memory.
 */
export function createRowChecker(symbol: string, today: IsoDate): (row: CsvRecord) => DailyBar | 'empty' | CsvProblem {
  // Day numbers, not date strings, as keys: a third of the memory for a file of a million rows.
  const seen = new Map<number, number>();
  return ({ record, info }) => {
    const line = info.lines;
    const values = {
      open: toNumber(record.Open),
      high: toNumber(record.High),
      low: toNumber(record.Low),
      close: toNumber(record.Close),
      adjClose: toNumber(record['Adj Close']),
      volume: toNumber(record.Volume),
    };
    const invalid = Object.entries(values).filter(([, v]) => v === 'invalid').map(([k]) => k);
    if (invalid.length) return { line, reason: `not a number in ${invalid.join(', ')}` };
    const raw = { tradeDate: (record.Date ?? '').trim(), ...values } as RawBar;
    if (isEmptyBar(raw)) return 'empty';
    const checked = checkBar(raw, { symbol, maxDate: today });
    if (!checked.ok) return { line, reason: checked.reason };
    const day = toDayNumber(checked.bar.tradeDate);
    const firstLine = seen.get(day);
    if (firstLine !== undefined) return { line, reason: `date ${raw.tradeDate} already appears on line ${firstLine}` };
    seen.set(day, line);
    return checked.bar;
  };
}

/** A whole file's text at once (tests, small inputs); the import streams files through the same checks. */
export function parseYahooCsv(text: string, symbol: string, today: IsoDate): ParsedCsv {
  let records: CsvRecord[];
  try {
    records = parse(text, CSV_OPTIONS);
  } catch (err) {
    return { bars: [], skippedEmpty: 0, problems: [parseErrorProblem(err)] };
  }
  if (records.length === 0) return { bars: [], skippedEmpty: 0, problems: [NO_ROWS] };
  const headerProblem = checkHeader(Object.keys(records[0]!.record));
  if (headerProblem) return { bars: [], skippedEmpty: 0, problems: [headerProblem] };

  const check = createRowChecker(symbol, today);
  const bars: DailyBar[] = [];
  const problems: CsvProblem[] = [];
  let skippedEmpty = 0;
  for (const row of records) {
    const result = check(row);
    if (result === 'empty') skippedEmpty++;
    else if ('reason' in result) problems.push(result);
    else bars.push(result);
  }
  return { bars, skippedEmpty, problems };
}
