// Pure parsing of Yahoo-format CSV (Date,Open,High,Low,Close,Adj Close,Volume) into checked bars.
// A file is all or nothing: the caller stores nothing from it if any row has a problem, so every
// problem is collected with its line number rather than stopping at the first.
import { parse } from 'csv-parse/sync';
import { checkBar, isEmptyBar } from '../bar-checks.js';
import type { DailyBar, IsoDate, RawBar } from '../domain.js';

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

export function parseYahooCsv(text: string, symbol: string, today: IsoDate): ParsedCsv {
  const problems: CsvProblem[] = [];
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, {
      columns: (header: string[]) => header.map((h) => h.trim()),
      skip_empty_lines: true,
      bom: true,
      info: true,
      max_record_size: MAX_RECORD_BYTES,
      relax_column_count: false,
    });
  } catch (err) {
    const e = err as Error & { lines?: number; code?: string };
    const reason =
      e.code === 'CSV_MAX_RECORD_SIZE' ? `a record is longer than ${MAX_RECORD_BYTES} bytes: not a Yahoo price file` : e.message;
    return { bars: [], skippedEmpty: 0, problems: [{ line: e.lines ?? 1, reason }] };
  }
  if (records.length === 0) return { bars: [], skippedEmpty: 0, problems: [{ line: 1, reason: 'no rows' }] };

  const header = Object.keys(records[0]!.record);
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length) {
    return {
      bars: [],
      skippedEmpty: 0,
      problems: [{ line: 1, reason: `missing column(s) ${missing.join(', ')}; expected Date,Open,High,Low,Close,Adj Close,Volume` }],
    };
  }

  const bars: DailyBar[] = [];
  const seen = new Map<IsoDate, number>();
  let skippedEmpty = 0;
  for (const { record, info } of records) {
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
    if (invalid.length) {
      problems.push({ line, reason: `not a number in ${invalid.join(', ')}` });
      continue;
    }
    const raw = { tradeDate: (record.Date ?? '').trim(), ...values } as RawBar;
    if (isEmptyBar(raw)) {
      skippedEmpty++;
      continue;
    }
    const checked = checkBar(raw, { symbol, maxDate: today });
    if (!checked.ok) {
      problems.push({ line, reason: checked.reason });
      continue;
    }
    const firstLine = seen.get(raw.tradeDate);
    if (firstLine !== undefined) {
      problems.push({ line, reason: `date ${raw.tradeDate} already appears on line ${firstLine}` });
      continue;
    }
    seen.set(raw.tradeDate, line);
    bars.push(checked.bar);
  }
  return { bars, skippedEmpty, problems };
}
