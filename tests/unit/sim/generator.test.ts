import { describe, expect, it } from 'vitest';
import { isTradingDay, sessionsBetween } from '../../../src/market/calendar.js';
import { zonedDate } from '../../../src/market/zoned-time.js';
import { createGeneratedSource } from '../../../src/sim/generator.js';
import type { SimBar } from '../../../src/sim/types.js';
import { DEFAULT_UNIVERSE } from '../../../src/sim/universe.js';

const NOW = '2026-01-02';
const source = (seed = 7, nullRowRate?: number) =>
  createGeneratedSource({ seed, isTradingDay, ...(nullRowRate !== undefined ? { nullRowRate } : {}) });

const real = (bars: SimBar[]) => bars.filter((b) => b.close !== null);

describe(createGeneratedSource.name, () => {
  it('serves the default universe', () => {
    expect(source().symbols()).toEqual(['AMZN', 'ORCL', 'CRWV', 'GOOGL', 'QCOM', 'INTC', 'NVDA', 'META', '^IXIC', '^GSPC']);
  });

  it('is deterministic per seed', () => {
    expect(source(7).series('NVDA', NOW)).toEqual(source(7).series('NVDA', NOW));
    expect(source(8).series('NVDA', NOW)!.bars.at(-1)!.close).not.toEqual(source(7).series('NVDA', NOW)!.bars.at(-1)!.close);
  });

  it('has one bar per NYSE session from the listing date, stamped at the 09:30 New York open', () => {
    const series = source().series('META', NOW)!;
    const dates = series.bars.map((b) => b.tradeDate);
    expect(dates).toEqual(sessionsBetween('2012-05-18', NOW));
    for (const bar of series.bars) {
      const open = new Date(bar.timestamp * 1000);
      expect(zonedDate(open, 'America/New_York')).toBe(bar.tradeDate);
      expect(open.toLocaleTimeString('en-US', { timeZone: 'America/New_York', hour12: false })).toBe('09:30:00');
    }
  });

  it('stamps sessions exactly as Yahoo does (recorded AMZN 2020-01-02 and NVDA split day)', () => {
    const amzn = source().series('AMZN', NOW)!;
    expect(amzn.bars.find((b) => b.tradeDate === '2020-01-02')!.timestamp).toBe(1577975400);
    const nvda = source().series('NVDA', NOW)!;
    expect(nvda.bars.find((b) => b.tradeDate === '2021-07-20')!.timestamp).toBe(1626787800);
  });

  it('returns nothing for unknown symbols and before the listing date', () => {
    expect(source().series('NOPE', NOW)).toBeUndefined();
    expect(source().series('CRWV', '2025-03-27')).toBeUndefined();
    expect(source().series('CRWV', '2025-03-28')!.bars).toHaveLength(1);
  });

  it('produces sane rows: low <= open, close <= high, prices > 0, whole volumes', () => {
    const src = source();
    const bad: string[] = [];
    for (const symbol of src.symbols()) {
      for (const b of real(src.series(symbol, NOW)!.bars)) {
        const ok =
          b.low! > 0 &&
          b.low! <= Math.min(b.open!, b.close!) &&
          b.high! >= Math.max(b.open!, b.close!) &&
          Number.isSafeInteger(b.volume);
        if (!ok) bad.push(`${symbol} ${b.tradeDate}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('sends occasional all-null rows, and none when the rate is 0', () => {
    const withNulls = source(7).series('INTC', NOW)!.bars;
    expect(withNulls.filter((b) => b.close === null).length).toBeGreaterThan(3);
    for (const b of withNulls.filter((x) => x.close === null)) {
      expect([b.open, b.high, b.low, b.adjClose, b.volume]).toEqual([null, null, null, null, null]);
    }
    expect(source(7, 0).series('INTC', NOW)!.bars.every((b) => b.close !== null)).toBe(true);
  });

  it('rewrites earlier prices when `now` passes a split, like Yahoo', () => {
    const src = source();
    const split = src.series('AMZN', NOW)!.splits[0]!;
    const before = src.series('AMZN', sessionsBetween('2000-01-01', split.date).at(-2)!)!;
    const after = src.series('AMZN', split.date)!;
    expect(before.splits).toEqual([]);
    expect(after.splits).toEqual([split]);
    const ratio = split.numerator / split.denominator;
    const last = real(before.bars).at(-1)!;
    const same = after.bars.find((b) => b.tradeDate === last.tradeDate)!;
    expect(same.close!).toBeCloseTo(last.close! / ratio, 5);
    expect(same.volume!).toBe(last.volume! * ratio);
  });

  it('only appends sessions as `now` moves on when no event happens in between', () => {
    const src = source();
    const early = src.series('AMZN', '2025-12-01')!;
    const late = src.series('AMZN', NOW)!;
    expect(late.splits.filter((s) => s.date > '2025-12-01')).toEqual([]);
    expect(late.bars.slice(0, early.bars.length)).toEqual(early.bars);
  });

  it('adjusts adjclose for dividends: lower before an ex-date, equal to close after the last one', () => {
    const series = source(7, 0).series('INTC', NOW)!;
    const last = series.dividends.at(-1)!;
    const prev = real(series.bars.filter((b) => b.tradeDate < last.date)).at(-1)!;
    expect(prev.adjClose!).toBeCloseTo(prev.close! * (1 - last.amount / prev.close!), 5);
    for (const b of series.bars.filter((x) => x.tradeDate >= last.date)) expect(b.adjClose).toBe(b.close);
    expect(real(series.bars)[0]!.adjClose!).toBeLessThan(real(series.bars)[0]!.close!);
  });

  it('shapes the drawdowns the report checks (ORCL and CRWV 2025 pullbacks, Nasdaq 2000-2002)', () => {
    const drawdown = (symbol: string, from: string, to: string) => {
      const bars = real(source().series(symbol, to)!.bars).filter((b) => b.tradeDate >= from);
      const peak = Math.max(...bars.map((b) => b.close!));
      return bars.at(-1)!.close! / peak - 1;
    };
    expect(drawdown('ORCL', '2025-01-01', '2025-12-31')).toBeLessThan(-0.25);
    expect(drawdown('CRWV', '2025-03-28', '2025-12-31')).toBeLessThan(-0.4);
    expect(drawdown('^IXIC', '2000-01-01', '2002-10-09')).toBeLessThan(-0.5);
  });

  it('accepts custom specs', () => {
    const spec = { ...DEFAULT_UNIVERSE[0]!, symbol: 'TEST', listed: '2024-01-02' };
    const src = createGeneratedSource({ seed: 1, isTradingDay, symbols: [spec] });
    expect(src.symbols()).toEqual(['TEST']);
    expect(src.series('TEST', '2024-01-05')!.bars.map((b) => b.tradeDate)).toEqual(['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05']);
  });
});
