// The default synthetic universe: the article's tickers plus the two reference indexes, with listing
// dates and starting prices close to the real ones, and price moves shaped like the real episodes
// (dot-com, 2008, covid, 2022, the 2025 ORCL/CRWV pullbacks). Plausible, not historical: the paths
// are random walks around these shapes, and splits and dividends follow simple rules.
import type { IsoDate } from '../domain.js';
import type { SimSymbolInfo } from './types.js';

/** A deterministic move in log-price: spread linearly over [from, to], then undone by `revertBy` (or kept). */
export interface PriceMove {
  id: string;
  from: IsoDate;
  to: IsoDate;
  /** Fractional change over the move: -0.78 for the Nasdaq from 2000-03-10 to 2002-10-09. */
  change: number;
  revertBy: IsoDate | null;
}

export interface SymbolSpec {
  symbol: string;
  name: string;
  kind: 'equity' | 'index';
  exchange: string;
  fullExchangeName: string;
  /** First session served (IPO for stocks). */
  listed: IsoDate;
  /** Traded price on the first session, before any later split. */
  startPrice: number;
  /** Annual growth of the log-price trend (the median path), and the daily noise as annual volatility. */
  drift: number;
  volatility: number;
  /** Multiplies the log size of the market-wide moves (a high-beta tech stock falls further). */
  beta: number;
  /** Per-move overrides of beta, by move id (the S&P fell less than the Nasdaq in 2000-2002). */
  betas?: Partial<Record<string, number>>;
  /** A split is announced when the traded close goes above this (equities only). */
  splitAbove?: number;
  /** Quarterly dividends from this date at roughly this annual yield. */
  dividend?: { from: IsoDate; yield: number };
  /** Shares outstanding today, for quote marketCap. */
  sharesOutstanding?: number;
  /** Typical daily volume on the first session, in shares of that time. */
  baseVolume: number;
  /** Moves of this symbol alone, on top of the market's. */
  moves?: PriceMove[];
}

/** What a source serves as a spec's symbol info (prices in USD). */
export function symbolInfo(spec: SymbolSpec): SimSymbolInfo {
  return {
    symbol: spec.symbol,
    name: spec.name,
    kind: spec.kind,
    currency: 'USD',
    exchange: spec.exchange,
    fullExchangeName: spec.fullExchangeName,
    ...(spec.sharesOutstanding !== undefined ? { sharesOutstanding: spec.sharesOutstanding } : {}),
  };
}

export const MARKET_MOVES: readonly PriceMove[] = [
  { id: 'dotcom', from: '2000-03-10', to: '2002-10-09', change: -0.78, revertBy: '2015-04-23' },
  { id: 'gfc', from: '2007-10-09', to: '2009-03-09', change: -0.55, revertBy: '2013-03-28' },
  { id: 'covid', from: '2020-02-19', to: '2020-03-23', change: -0.34, revertBy: '2020-08-18' },
  { id: 'rates-2022', from: '2021-11-19', to: '2022-10-12', change: -0.33, revertBy: '2023-12-14' },
];

const nasdaq = { exchange: 'NMS', fullExchangeName: 'NasdaqGS' } as const;

export const DEFAULT_UNIVERSE: readonly SymbolSpec[] = [
  { symbol: 'AMZN', name: 'Amazon.com, Inc.', kind: 'equity', ...nasdaq, listed: '1997-05-15', startPrice: 23.5,
    drift: 0.27, volatility: 0.5, beta: 1.3, splitAbove: 300, sharesOutstanding: 10.7e9, baseVolume: 6e6 },
  { symbol: 'ORCL', name: 'Oracle Corporation', kind: 'equity', exchange: 'NYQ', fullExchangeName: 'NYSE',
    listed: '1986-03-12', startPrice: 15, drift: 0.2, volatility: 0.42, beta: 1.1, splitAbove: 250,
    dividend: { from: '2009-04-13', yield: 0.012 }, sharesOutstanding: 2.8e9, baseVolume: 1e6,
    moves: [
      { id: 'orcl-ai-rally', from: '2025-04-21', to: '2025-09-10', change: 1.1, revertBy: null },
      { id: 'orcl-pullback', from: '2025-09-10', to: '2025-12-17', change: -0.42, revertBy: null },
    ] },
  { symbol: 'CRWV', name: 'CoreWeave, Inc.', kind: 'equity', ...nasdaq, listed: '2025-03-28', startPrice: 40,
    drift: 0, volatility: 0.9, beta: 1.5, splitAbove: 1000, sharesOutstanding: 0.49e9, baseVolume: 30e6,
    moves: [
      { id: 'crwv-rally', from: '2025-03-28', to: '2025-06-20', change: 3.5, revertBy: null },
      { id: 'crwv-pullback', from: '2025-06-20', to: '2025-12-31', change: -0.6, revertBy: null },
    ] },
  { symbol: 'GOOGL', name: 'Alphabet Inc.', kind: 'equity', ...nasdaq, listed: '2004-08-19', startPrice: 50,
    drift: 0.22, volatility: 0.33, beta: 1.0, splitAbove: 2500, dividend: { from: '2024-06-10', yield: 0.005 },
    sharesOutstanding: 12.1e9, baseVolume: 44e6 },
  { symbol: 'QCOM', name: 'QUALCOMM Incorporated', kind: 'equity', ...nasdaq, listed: '1991-12-13', startPrice: 16,
    drift: 0.17, volatility: 0.48, beta: 1.2, splitAbove: 150, dividend: { from: '2003-03-03', yield: 0.02 },
    sharesOutstanding: 1.1e9, baseVolume: 2e6 },
  { symbol: 'INTC', name: 'Intel Corporation', kind: 'equity', ...nasdaq, listed: '1980-03-17', startPrice: 24,
    drift: 0.113, volatility: 0.4, beta: 1.1, splitAbove: 120, dividend: { from: '1992-06-01', yield: 0.018 },
    sharesOutstanding: 4.4e9, baseVolume: 1.2e6 },
  { symbol: 'NVDA', name: 'NVIDIA Corporation', kind: 'equity', ...nasdaq, listed: '1999-01-22', startPrice: 19.69,
    drift: 0.31, volatility: 0.6, beta: 1.4, splitAbove: 400, dividend: { from: '2012-11-20', yield: 0.003 },
    sharesOutstanding: 24.3e9, baseVolume: 5e6 },
  { symbol: 'META', name: 'Meta Platforms, Inc.', kind: 'equity', ...nasdaq, listed: '2012-05-18', startPrice: 38.23,
    drift: 0.21, volatility: 0.4, beta: 1.0, splitAbove: 2500, dividend: { from: '2024-02-21', yield: 0.004 },
    sharesOutstanding: 2.5e9, baseVolume: 570e6 },
  { symbol: '^IXIC', name: 'NASDAQ Composite', kind: 'index', exchange: 'NIM', fullExchangeName: 'Nasdaq GIDS',
    listed: '1971-02-05', startPrice: 100, drift: 0.099, volatility: 0.2, beta: 1.0, baseVolume: 10e6 },
  { symbol: '^GSPC', name: 'S&P 500', kind: 'index', exchange: 'SNP', fullExchangeName: 'SNP',
    listed: '1927-12-30', startPrice: 17.66, drift: 0.061, volatility: 0.17, beta: 1,
    betas: { dotcom: 0.45, 'rates-2022': 0.65 }, baseVolume: 1e6 },
];
