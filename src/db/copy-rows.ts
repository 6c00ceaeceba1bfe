// daily_bars rows in COPY's text format (pure): one line per bar, columns tab-separated, \N for NULL.
import type { BarSource, DailyBar } from '../domain.js';

export const COPY_COLUMNS = 'symbol, trade_date, open, high, low, close, adj_close, volume, quality, source, fetched_at';

// COPY text format: a backslash starts an escape, and tab, newline and carriage return end a field or
// a row, so each is written as its escape. Symbols and sources never hold them (checked by the
// schema), but an escape missing here would shift columns rather than fail.
// Tested first: replace() with a callback costs more than the rest of a row, and almost never applies.
const SPECIAL = /[\\\t\n\r]/;
const escape = (value: string): string =>
  SPECIAL.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : value;
const num = (value: number | null): string => (value === null ? '\\N' : String(value));
// quality is text[]: an array literal of double-quoted elements, then escaped for COPY like any text.
const textArray = (values: readonly string[]): string =>
  values.length === 0 ? '{}' : escape(`{${values.map((v) => `"${v.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`);

/** Rows per piece of copyRows: big enough to keep the per-write cost small, small enough to overlap. */
const ROWS_PER_PIECE = 1_000;

/**
 * The bars as COPY input for COPY_COLUMNS, in pieces made as they are asked for: on pg each piece is
 * on its way to the server while the next is formatted (number formatting is most of the client's
 * work). Numbers are written as String() writes them, as the upsert sends them.
 */
export function* copyRows(bars: readonly DailyBar[], source: BarSource, fetchedAt: Date): Generator<string> {
  const tail = `\t${escape(source)}\t${fetchedAt.toISOString()}\n`;
  for (let start = 0; start < bars.length; start += ROWS_PER_PIECE) {
    let out = '';
    for (let i = start; i < Math.min(start + ROWS_PER_PIECE, bars.length); i++) {
      const b = bars[i]!;
      out += `${escape(b.symbol)}\t${escape(b.tradeDate)}\t${num(b.open)}\t${num(b.high)}\t${num(b.low)}\t${num(b.close)}\t${num(b.adjClose)}\t${num(b.volume)}\t${textArray(b.quality)}${tail}`;
    }
    yield out;
  }
}
