// Bars for the integrity tests (src/integrity): realistic OHLC around a close, and a history scaled
// or noised the ways a feed re-serves it.
import type { DailyBar } from '../../src/domain.js';
import { addDays } from '../../src/market/iso-date.js';

const six = (v: number) => Math.round(v * 1e6) / 1e6;

/** A bar whose open, high, low and adjusted close sit around `close` (as a real day's do). */
export function bar(tradeDate: string, close: number, volume = 1_000_000): DailyBar {
  return {
    symbol: 'NVDA',
    tradeDate,
    open: six(close * 0.99),
    high: six(close * 1.02),
    low: six(close * 0.97),
    close,
    adjClose: six(close * 0.98),
    volume,
    quality: [],
  };
}

/** `n` bars on consecutive days from `start`, closes from `first` moving by `step` a day. */
export function history(start: string, n: number, first = 1100.37, step = 3.11): DailyBar[] {
  return Array.from({ length: n }, (_, i) => bar(addDays(start, i), six(first + i * step), 1_000_000 + i));
}

/** Every price times `factor`, written as `round` writes numbers (six decimals by default). */
export function scaled(bars: readonly DailyBar[], factor: number, round: (v: number) => number = six): DailyBar[] {
  const s = (v: number | null) => (v === null ? null : round(v * factor));
  return bars.map((b) => ({ ...b, open: s(b.open), high: s(b.high), low: s(b.low), close: s(b.close)!, adjClose: s(b.adjClose) }));
}

/** Single-precision floats, as Yahoo's JSON carries prices (114.825 -> 114.82499694824219). */
export const float32 = (v: number) => Math.fround(v);
