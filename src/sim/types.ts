// Shapes shared by the simulated feed's sources, payload builders and server.
import type { IsoDate, RawBar } from '../domain.js';

/** One daily bar as the sim serves it: split-adjusted like Yahoo's, stamped at the session open. */
export interface SimBar extends RawBar {
  /** Session open in epoch seconds (Yahoo's `timestamp[i]`). */
  timestamp: number;
}

export interface SimSplit {
  /** First session traded on the new share count (Yahoo stamps the event at that session's open). */
  date: IsoDate;
  numerator: number;
  denominator: number;
}

export interface SimDividend {
  /** Ex-dividend session. */
  date: IsoDate;
  /** Per share, split-adjusted to the share count as of `now`. */
  amount: number;
}

export interface SimSymbolInfo {
  symbol: string;
  name: string;
  kind: 'equity' | 'index';
  currency: string;
  /** Yahoo exchange code: NMS (Nasdaq GS), NYQ (NYSE), NIM (Nasdaq indexes), SNP (S&P indexes). */
  exchange: string;
  fullExchangeName: string;
  /** Shares outstanding as of `now`, for quote marketCap; indexes have none. */
  sharesOutstanding?: number;
}

/** Everything the sim knows about a symbol as of a date: what Yahoo would serve that evening. */
export interface SimSeries {
  info: SimSymbolInfo;
  /** Ascending by date; only sessions on or before `now`. May contain all-null and injected rows. */
  bars: SimBar[];
  splits: SimSplit[];
  dividends: SimDividend[];
}

/** Where the sim's data comes from (synthetic generator or CSV replay). */
export interface SimSource {
  symbols(): string[];
  /** The series as of `now` (inclusive), or undefined for an unknown symbol or one not yet listed. */
  series(symbol: string, now: IsoDate): SimSeries | undefined;
}
