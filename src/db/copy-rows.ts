// daily_bars rows in COPY's text format (pure): one line per bar, columns tab-separated, \N for NULL.
import type { BarSource, DailyBar } from '../domain.js';

export const COPY_COLUMNS = 'symbol, trade_date, open, high, low, close, adj_close, volume, quality, source, fetched_at';

// COPY text format: a backslash starts an escape, and tab, newline and carriage return end a field or
// a row, so each is written as its escape. Symbols and sources never hold them (checked by the
// schema), but an escape missing here would shift columns rather than fail.
const escape = (value: string): string => value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
const num = (value: number | null): string => (value === null ? '\\N' : String(value));
// quality is text[]: an array literal of double-quoted elements, then escaped for COPY like any text.
const textArray = (values: readonly string[]): string => escape(`{${values.map((v) => `"${v.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`);

/** The bars as COPY input for COPY_COLUMNS. Numbers are written as String() writes them, as the upsert sends them. */
export function copyRows(bars: readonly DailyBar[], source: BarSource, fetchedAt: Date): string {
  const tail = `\t${escape(source)}\t${fetchedAt.toISOString()}\n`;
  let out = '';
  for (const b of bars) {
    out += `${escape(b.symbol)}\t${escape(b.tradeDate)}\t${num(b.open)}\t${num(b.high)}\t${num(b.low)}\t${num(b.close)}\t${num(b.adjClose)}\t${num(b.volume)}\t${textArray(b.quality)}${tail}`;
  }
  return out;
}
