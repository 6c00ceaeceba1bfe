// Pure: the adjustments Yahoo applies to history. OHLC are split-adjusted (every bar before a split is
// divided by its ratio and volume multiplied), adjclose is additionally dividend-adjusted (each ex-date
// multiplies all earlier closes by 1 - amount / previous close). Both rewrite the past, which is the
// behaviour the ingest has to survive.
import type { SimBar, SimDividend, SimSplit } from './types.js';

/** Six decimals: enough for 1990s prices after 240:1 of splits, and stable through JSON and NUMERIC. */
export function roundPrice(value: number): number {
  const rounded = Math.round(value * 1e6) / 1e6;
  // A tiny positive price must not become 0, which would turn a real bar into an impossible one.
  return rounded === 0 && value > 0 ? 1e-6 : rounded;
}

function scale(value: number | null, by: number): number | null {
  return value === null ? null : value / by;
}

/** Divides every price dated before each split by its ratio; dividends before it too. */
export function applySplits(
  bars: readonly SimBar[],
  dividends: readonly SimDividend[],
  splits: readonly SimSplit[],
): { bars: SimBar[]; dividends: SimDividend[] } {
  const factorBefore = (date: string): number => {
    let f = 1;
    for (const s of splits) if (date < s.date) f *= s.numerator / s.denominator;
    return f;
  };
  const outBars = bars.map((bar) => {
    const f = factorBefore(bar.tradeDate);
    if (f === 1) return { ...bar };
    return {
      ...bar,
      open: scale(bar.open, f),
      high: scale(bar.high, f),
      low: scale(bar.low, f),
      close: scale(bar.close, f),
      adjClose: scale(bar.adjClose, f),
      volume: bar.volume === null ? null : Math.round(bar.volume * f),
    };
  });
  const outDividends = dividends.map((d) => ({ ...d, amount: d.amount / factorBefore(d.date) }));
  return { bars: outBars, dividends: outDividends };
}

/** Sets adjClose from close and the dividends (all prices must share one split basis). */
export function withDividendAdjClose(bars: readonly SimBar[], dividends: readonly SimDividend[]): SimBar[] {
  // Factor of each dividend: 1 - amount / close of the last real bar before the ex-date.
  const sorted = [...dividends].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const factors: { date: string; factor: number }[] = [];
  let prev: number | null = null;
  let i = 0;
  for (const d of sorted) {
    for (; i < bars.length && bars[i]!.tradeDate < d.date; i++) {
      const close = bars[i]!.close;
      if (close !== null) prev = close;
    }
    if (prev !== null && prev > d.amount) factors.push({ date: d.date, factor: 1 - d.amount / prev });
  }
  // Walk backwards so each bar multiplies in every dividend after it in one pass.
  const out = bars.map((b) => ({ ...b }));
  let cumulative = 1;
  let next = factors.length - 1;
  for (let j = out.length - 1; j >= 0; j--) {
    const bar = out[j]!;
    while (next >= 0 && factors[next]!.date > bar.tradeDate) {
      cumulative *= factors[next]!.factor;
      next--;
    }
    bar.adjClose = bar.close === null ? null : bar.close * cumulative;
  }
  return out;
}

export function roundBar(bar: SimBar): SimBar {
  const r = (v: number | null) => (v === null ? null : roundPrice(v));
  return { ...bar, open: r(bar.open), high: r(bar.high), low: r(bar.low), close: r(bar.close), adjClose: r(bar.adjClose) };
}
