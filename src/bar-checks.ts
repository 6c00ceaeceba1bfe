// Pure checks that decide whether a bar may be stored, shared by every way bars come in
// (Yahoo chart, CSV import, the simulated feed). Impossible rows are rejected with a reason;
// odd-but-possible rows are kept as they came and flagged.
import type { BarQualityFlag, DailyBar, IsoDate, RawBar } from './domain.js';

export type BarCheck =
  | { ok: true; bar: DailyBar }
  | { ok: false; reason: string };

/** Bounds of a symbol's life: a bar outside them cannot be real. */
export interface BarContext {
  symbol: string;
  /** Earliest date a bar may carry (e.g. the first trade date), inclusive. */
  minDate?: IsoDate;
  /** Latest date a bar may carry (usually today in the exchange zone), inclusive. */
  maxDate?: IsoDate;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date written as YYYY-MM-DD (rejects 2025-02-30). */
export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** True when every value of the row is missing: Yahoo sends these for holidays and halts. */
export function isEmptyBar(raw: RawBar): boolean {
  return raw.open == null && raw.high == null && raw.low == null && raw.close == null && raw.adjClose == null;
}

function badPrice(name: string, value: number | null): string | null {
  if (value == null) return null;
  if (!Number.isFinite(value)) return `${name} is not a finite number (${value})`;
  if (value <= 0) return `${name} must be > 0 (got ${value})`;
  return null;
}

/** Validates one raw bar. The caller decides what to do with empty rows (see isEmptyBar). */
export function checkBar(raw: RawBar, ctx: BarContext): BarCheck {
  const { tradeDate } = raw;
  if (!isIsoDate(tradeDate)) return { ok: false, reason: `invalid date "${tradeDate}"` };
  if (ctx.minDate && tradeDate < ctx.minDate) {
    return { ok: false, reason: `date ${tradeDate} is before ${ctx.symbol}'s first trade date ${ctx.minDate}` };
  }
  if (ctx.maxDate && tradeDate > ctx.maxDate) {
    return { ok: false, reason: `date ${tradeDate} is in the future (after ${ctx.maxDate})` };
  }
  if (raw.close == null) return { ok: false, reason: 'close is missing' };
  for (const [name, value] of [
    ['open', raw.open],
    ['high', raw.high],
    ['low', raw.low],
    ['close', raw.close],
    ['adj close', raw.adjClose],
  ] as const) {
    const problem = badPrice(name, value);
    if (problem) return { ok: false, reason: problem };
  }
  if (raw.high != null && raw.low != null && raw.high < raw.low) {
    return { ok: false, reason: `high ${raw.high} is below low ${raw.low}` };
  }
  if (raw.volume != null && !(Number.isSafeInteger(raw.volume) && raw.volume >= 0)) {
    return { ok: false, reason: `volume must be a whole number >= 0 (got ${raw.volume})` };
  }

  const quality: BarQualityFlag[] = [];
  const outside = (v: number | null) => v != null && raw.high != null && raw.low != null && (v > raw.high || v < raw.low);
  if (outside(raw.open)) quality.push('open_outside_range');
  if (outside(raw.close)) quality.push('close_outside_range');

  return {
    ok: true,
    bar: {
      symbol: ctx.symbol,
      tradeDate,
      open: raw.open,
      high: raw.high,
      low: raw.low,
      close: raw.close,
      adjClose: raw.adjClose,
      volume: raw.volume,
      quality,
    },
  };
}

/** Yahoo symbols: letters, digits and ^ . - = (e.g. ^GSPC, BRK-B, EURUSD=X), at most 20 characters. */
export const SYMBOL_PATTERN = /^[A-Z0-9^][A-Z0-9.\-=^]{0,19}$/;

export function isValidSymbol(symbol: string): boolean {
  return SYMBOL_PATTERN.test(symbol);
}
