// Synthetic source: a seeded random walk per symbol around the shapes in universe.ts. The path is
// generated as traded (unadjusted, with splits as they happened), then adjusted as of `now` the way
// Yahoo serves it, so moving `now` past a split rewrites every earlier bar. A symbol's path depends
// only on (seed, symbol, trading-day rule), never on `now`, so a later `now` only appends sessions.
import type { IsoDate } from '../domain.js';
import { addDays } from '../market/iso-date.js';
import { applySplits, roundBar, withDividendAdjClose } from './adjust.js';
import { createRng, hashString, normal, uniformFor } from './rng.js';
import { openEpoch } from './session-time.js';
import type { SimBar, SimDividend, SimSeries, SimSource, SimSplit } from './types.js';
import { DEFAULT_UNIVERSE, MARKET_MOVES, symbolInfo, type PriceMove, type SymbolSpec } from './universe.js';

export interface GeneratorOptions {
  seed?: number;
  /** Symbols to serve: specs, or symbols of the default universe. Default: the whole default universe. */
  symbols?: readonly (SymbolSpec | string)[];
  /** Chance that a session comes as an all-null row, as Yahoo sometimes sends (default 0.002). */
  nullRowRate?: number;
  isTradingDay: (date: IsoDate) => boolean;
}

interface TradedPath {
  through: IsoDate;
  bars: SimBar[];
  splits: SimSplit[];
  dividends: SimDividend[];
}

const TRADING_DAYS = 252;
// The noise is mean-reverting (about a 4-year horizon), so paths wander like a random walk over
// weeks and months but land near the trend decades later instead of anywhere within 5x of it.
const REVERSION_PER_DAY = 1 / (4 * TRADING_DAYS);
const SPLIT_DELAY_SESSIONS = 20;
const DIVIDEND_EVERY_DAYS = 91;

const days = (from: IsoDate, to: IsoDate) => (Date.parse(to) - Date.parse(from)) / 86_400_000;

/** Log-price offset of one move on a date. */
function moveAt(move: PriceMove, date: IsoDate, beta: number): number {
  const size = beta * Math.log(1 + move.change);
  if (date <= move.from) return 0;
  if (date <= move.to) return (size * days(move.from, date)) / days(move.from, move.to);
  if (move.revertBy === null) return size;
  if (date >= move.revertBy) return 0;
  return size * (1 - days(move.to, date) / days(move.to, move.revertBy));
}

// Drawn from a key rather than the price stream so adding this choice never shifts the prices.
function splitRatio(key: string): number {
  const ratios = [2, 3, 4, 10, 20];
  return ratios[Math.floor(uniformFor(key) * ratios.length)] ?? 2;
}

function nextSessionOnOrAfter(date: IsoDate, isTradingDay: (d: IsoDate) => boolean): IsoDate {
  let d = date;
  while (!isTradingDay(d)) d = addDays(d, 1);
  return d;
}

export function generatePath(spec: SymbolSpec, seed: number, through: IsoDate, opts: GeneratorOptions): TradedPath {
  const rng = createRng(hashString(`${seed}:${spec.symbol}`));
  const nullRowRate = opts.nullRowRate ?? 0.002;
  const sigma = spec.volatility / Math.sqrt(TRADING_DAYS);
  const mu = spec.drift / TRADING_DAYS;
  const moves = [
    ...MARKET_MOVES.map((m) => ({ m, beta: spec.betas?.[m.id] ?? spec.beta })),
    ...(spec.moves ?? []).map((m) => ({ m, beta: 1 })),
  ];
  const shape = (d: IsoDate) => moves.reduce((sum, { m, beta }) => sum + moveAt(m, d, beta), 0);

  const first = nextSessionOnOrAfter(spec.listed, opts.isTradingDay);
  const shape0 = shape(first);
  const bars: SimBar[] = [];
  const splits: SimSplit[] = [];
  const dividends: SimDividend[] = [];
  let trend = Math.log(spec.startPrice);
  let noise = 0;
  let factor = 1; // splits so far: traded price = value / factor
  let prevClose: number | null = null;
  let pendingSplit: { sessionsLeft: number; ratio: number } | null = null;
  let nextDividend = spec.dividend ? nextSessionOnOrAfter(spec.dividend.from, opts.isTradingDay) : null;
  let dividendAmount = 0;
  let dividendCount = 0;

  for (let date = first; date <= through; date = addDays(date, 1)) {
    if (!opts.isTradingDay(date)) continue;
    // Always draw the same number of values per session so every symbol's stream stays aligned.
    const z = normal(rng);
    const gapZ = normal(rng);
    const highZ = normal(rng);
    const lowZ = normal(rng);
    const volumeZ = normal(rng);
    const nullDraw = rng();

    if (pendingSplit && pendingSplit.sessionsLeft-- === 0) {
      factor *= pendingSplit.ratio;
      splits.push({ date, numerator: pendingSplit.ratio, denominator: 1 });
      if (prevClose !== null) prevClose /= pendingSplit.ratio;
      pendingSplit = null;
    }
    if (bars.length > 0) {
      trend += mu;
      noise = noise * (1 - REVERSION_PER_DAY) + sigma * z;
    }
    const close = Math.exp(trend + noise + shape(date) - shape0) / factor;
    const open = (prevClose ?? close) * Math.exp(0.3 * sigma * gapZ);
    const high = Math.max(open, close) * Math.exp(0.5 * sigma * Math.abs(highZ));
    const low = Math.min(open, close) * Math.exp(-0.5 * sigma * Math.abs(lowZ));
    const volume = Math.round(spec.baseVolume * factor * Math.exp(0.35 * volumeZ));

    if (nextDividend !== null && date >= nextDividend && prevClose !== null) {
      // Companies reset the payout once a year and hold it for four quarters.
      if (dividendCount++ % 4 === 0) dividendAmount = Math.max(0.01, Math.round((spec.dividend!.yield / 4) * prevClose * 100) / 100);
      dividends.push({ date, amount: dividendAmount });
      nextDividend = nextSessionOnOrAfter(addDays(date, DIVIDEND_EVERY_DAYS), opts.isTradingDay);
    }
    const isNull = bars.length > 0 && nullDraw < nullRowRate;
    bars.push({
      tradeDate: date,
      timestamp: openEpoch(date),
      open: isNull ? null : open,
      high: isNull ? null : high,
      low: isNull ? null : low,
      close: isNull ? null : close,
      adjClose: null,
      volume: isNull ? null : volume,
    });
    prevClose = close;
    if (spec.splitAbove !== undefined && !pendingSplit && close > spec.splitAbove) {
      pendingSplit = { sessionsLeft: SPLIT_DELAY_SESSIONS, ratio: splitRatio(`${seed}:${spec.symbol}:${date}:split`) };
    }
  }
  return { through, bars, splits, dividends };
}

export function createGeneratedSource(opts: GeneratorOptions): SimSource {
  const seed = opts.seed ?? 1;
  const specs = new Map<string, SymbolSpec>();
  for (const item of opts.symbols ?? DEFAULT_UNIVERSE) {
    const spec = typeof item === 'string' ? DEFAULT_UNIVERSE.find((s) => s.symbol === item) : item;
    if (!spec) throw new Error(`sim: no default spec for symbol ${item as string}; pass a SymbolSpec`);
    specs.set(spec.symbol, spec);
  }
  const paths = new Map<string, TradedPath>();

  return {
    symbols: () => [...specs.keys()],
    series(symbol, now): SimSeries | undefined {
      const spec = specs.get(symbol);
      if (!spec || now < spec.listed) return undefined;
      let path = paths.get(symbol);
      if (!path || path.through < now) {
        path = generatePath(spec, seed, now, opts);
        paths.set(symbol, path);
      }
      const bars = path.bars.filter((b) => b.tradeDate <= now);
      if (bars.length === 0) return undefined;
      const splits = path.splits.filter((s) => s.date <= now);
      const adjusted = applySplits(bars, path.dividends.filter((d) => d.date <= now), splits);
      return {
        info: symbolInfo(spec),
        bars: withDividendAdjClose(adjusted.bars, adjusted.dividends).map(roundBar),
        splits,
        dividends: adjusted.dividends.map((d) => ({ ...d, amount: Math.round(d.amount * 1e6) / 1e6 })),
      };
    },
  };
}
