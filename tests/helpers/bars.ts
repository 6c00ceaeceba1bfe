// Bar builders for DB tests.
import type { DailyBar } from '../../src/domain.js';

/** A bar whose open, high, low, close and adjusted close are all `close`. */
export const flatBar = (symbol: string, tradeDate: string, close: number): DailyBar => ({
  symbol,
  tradeDate,
  open: close,
  high: close,
  low: close,
  close,
  adjClose: close,
  volume: 100,
  quality: [],
});
