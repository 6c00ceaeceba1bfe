// Shared vocabulary of the product. Types only: this file imports nothing and does nothing.

/** A calendar date as 'YYYY-MM-DD' (a trading date is the exchange-local session date). */
export type IsoDate = string;

/** Where a stored price came from. */
export type BarSource = 'yahoo' | 'import' | 'sim';

/** Flags for rows that are odd but kept as they came (the close is what matters most). */
export type BarQualityFlag = 'open_outside_range' | 'close_outside_range';

/** One daily bar as stored. Prices are split-adjusted (Yahoo's "close"); adjClose also adjusts dividends. */
export interface DailyBar {
  symbol: string;
  tradeDate: IsoDate;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number;
  adjClose: number | null;
  volume: number | null;
  quality: BarQualityFlag[];
}

/** A bar as it arrives from a source, before validation. Any field may be missing or absurd. */
export interface RawBar {
  tradeDate: IsoDate;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number | null;
  adjClose: number | null;
  volume: number | null;
}

export interface CorporateAction {
  symbol: string;
  tradeDate: IsoDate;
  kind: 'split' | 'dividend';
  /** Split ratio numerator/denominator (4:1 -> 4, 1); null for dividends. */
  numerator: number | null;
  denominator: number | null;
  /** Dividend per share in the currency of the symbol; null for splits. */
  amount: number | null;
}

/** A live quote snapshot. */
export interface QuoteSnapshot {
  symbol: string;
  ts: Date;
  price: number;
  marketCap: number | null;
  volume: number | null;
  marketState: string | null;
  currency: string | null;
}

/** A closing price on a trading date: the input of every drawdown computation. */
export interface ClosePoint {
  date: IsoDate;
  close: number;
}

/** A session's traded volume (shares; for an index, Yahoo's sum), kept only where one was stored. */
export interface VolumePoint {
  date: IsoDate;
  volume: number;
}
