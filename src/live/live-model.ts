// Pure: the live page's state from what is stored. Each symbol's price is its newest quote when that
// quote stands as its session's close (src/analysis/provisional.ts's one rule: the session has no
// stored close yet, or it is trading now), else the last close; the drawdown from the all-time high
// takes that price in. A price needs only the symbol's close basis (analysis/close-basis.ts), not its
// history. The claims are the provisional judgement's (analysis/provisional.ts, the report's own
// evaluators on the closes with the provisional closes spliced in), the same one the alerts get, so the
// page says what the report would say if the session closed now and never applies rules of its own.
import type { IsoDate, QuoteSnapshot } from '../domain.js';
import { zonedDate } from '../market/zoned-time.js';
import type { CloseBasis } from '../analysis/close-basis.js';
import type { ClaimsConfig, DrawdownReading } from '../analysis/claims/config.js';
import type { ProvisionalClose, ProvisionalJudgement } from '../analysis/provisional.js';
import { distanceToNextBand, type BandDistance } from './band-distance.js';

export interface LivePrice {
  symbol: string;
  price: number;
  /** 'quote': a quote of a session not closed in the stored bars yet; 'close': the last stored close. */
  kind: 'quote' | 'close';
  /** The session the price belongs to (exchange-local). */
  date: IsoDate;
  /** The quote's instant (ISO), for a quote. */
  at: string | null;
  marketState: string | null;
  previousClose: number | null;
  /** price / previousClose - 1. */
  change: number | null;
  athClose: number;
  athDate: IsoDate;
  /** price / athClose - 1 with the live price counted as a close (0 at a new high). */
  drawdown: number;
  /** That session's stored quotes, oldest first: the intraday line. */
  intraday: { t: number; price: number }[];
}

export interface LiveSymbol extends LivePrice {
  name: string | null;
}

export interface LiveClaim {
  id: string;
  kind: string;
  text: { en: string; 'zh-Hant': string };
  verdict: string;
  /** True when a claim ticker's price is an intraday quote: the verdict holds only if the session closed now. */
  provisional: boolean;
  asOf: IsoDate;
  /**
   * Drawdown claims: each ticker's distance to the next band, per reference: the reference's name
   * (config) and the reading the verdict follows (the index's fall, the stock's own, the cohort's median).
   */
  distances: (BandDistance & { reading: DrawdownReading; referenceName: { en: string; 'zh-Hant': string } })[];
}

export interface LiveAlert {
  id: number;
  rule: string;
  symbol: string | null;
  claimId?: string | null;
  /** The stored English sentence: shown when the payload lacks a part (rows of older versions). */
  message: string;
  /** The parts the alert was stored with, which the page writes in its own language. */
  payload?: Readonly<Record<string, unknown>>;
  status: 'provisional' | 'confirmed';
  firedAt: string;
}

/** A failed health check, for words in the page's language (`reasons` keep /healthz's English). */
export type LiveHealthProblem =
  | { kind: 'db'; error: string }
  | { kind: 'no_data' }
  | { kind: 'stale'; newest: IsoDate; expected: IsoDate }
  | { kind: 'yahoo' }
  | { kind: 'lock'; error: string };

export interface LiveHealth {
  status: 'ok' | 'fail';
  reasons: string[];
  problems?: LiveHealthProblem[];
}

export interface LiveSnapshot {
  generatedAt: string;
  /** The newest session any price belongs to; null when nothing is stored. */
  asOf: IsoDate | null;
  timeZone: string;
  symbols: LiveSymbol[];
  /** Watchlist symbols with no stored price. */
  missing: string[];
  claims: LiveClaim[];
  freshness: { lastQuoteAt: string | null; lastBarDate: IsoDate | null };
  health: LiveHealth;
  alerts: LiveAlert[];
  simulated: boolean;
}

export interface LiveInput {
  now: Date;
  timeZone: string;
  watchlist: readonly { symbol: string; name: string | null }[];
  /** Each stored symbol's close basis (the watchlist and what the claims read). */
  bases: ReadonlyMap<string, CloseBasis>;
  /** Recent stored quotes (at least the newest session's), any order. */
  quotes: readonly QuoteSnapshot[];
  /** The quotes that stand as their session's close (analysis/provisional.ts, provisionalCloses). */
  provisional: ReadonlyMap<string, ProvisionalClose>;
  health: LiveHealth;
  alerts: readonly LiveAlert[];
  simulated: boolean;
}

/**
 * One symbol's live price from its close basis (null: no closes), its provisional close (its newest
 * quote, when that stands as its session's close) and its quotes (the intraday line); null when it has
 * neither.
 */
export function livePrice(
  symbol: string,
  basis: CloseBasis | null,
  provisional: ProvisionalClose | null,
  quotes: readonly QuoteSnapshot[],
  timeZone: string,
): LivePrice | null {
  if (!provisional && !basis) return null;
  const date = provisional ? provisional.date : basis!.last.date;
  const price = provisional ? provisional.close : basis!.last.close;
  const previous = provisional ? provisional.previous : basis!.previous;
  const high = provisional ? provisional.storedHigh : basis!.high;
  // A live price at or above the high is the new high (the latest of equals, as the report's peak rule).
  const ath = provisional && (!high || price >= high.close) ? { date, close: price } : high!;
  const intraday = quotes
    .filter((q) => q.symbol === symbol && q.price > 0 && zonedDate(q.ts, timeZone) === date)
    .sort((a, b) => a.ts.getTime() - b.ts.getTime())
    .map((q) => ({ t: q.ts.getTime(), price: q.price }));
  return {
    symbol,
    price,
    kind: provisional ? 'quote' : 'close',
    date,
    at: provisional ? provisional.quotedAt.toISOString() : null,
    marketState: provisional ? provisional.marketState : null,
    previousClose: previous?.close ?? null,
    change: previous ? price / previous.close - 1 : null,
    athClose: ath.close,
    athDate: ath.date,
    drawdown: Math.min(0, price / ath.close - 1) + 0,
    intraday,
  };
}

/** The symbols the page prices: the watchlist's and every symbol with closes. */
export function pricedSymbols(input: Pick<LiveInput, 'watchlist' | 'bases'>): string[] {
  return [...new Set([...input.watchlist.map((w) => w.symbol), ...input.bases.keys()])];
}

/** Every priced symbol's live price. */
export function livePrices(input: Pick<LiveInput, 'timeZone' | 'watchlist' | 'bases' | 'quotes' | 'provisional'>): Map<string, LivePrice> {
  const prices = new Map<string, LivePrice>();
  for (const symbol of pricedSymbols(input)) {
    const live = livePrice(symbol, input.bases.get(symbol) ?? null, input.provisional.get(symbol) ?? null, input.quotes, input.timeZone);
    if (live) prices.set(symbol, live);
  }
  return prices;
}

/** The page's claims from a provisional judgement at these prices, with the drawdown claims' distances to their next band. */
export function liveClaims(config: ClaimsConfig, judgement: ProvisionalJudgement, prices: ReadonlyMap<string, LivePrice>): LiveClaim[] {
  const { results, context: ctx, asOf } = judgement;
  return config.claims.map((claim, i) => {
    const distances: LiveClaim['distances'] = [];
    const result = results[i]!;
    if (claim.kind === 'drawdown_vs_reference' && result.kind === 'drawdown_vs_reference') {
      // The distances follow the reading the verdict follows (index fall, the stock's own, or the
      // cohort median), so the band they point to is the verdict's next band.
      const chosen = result.readings.find((r) => r.reading === result.verdictReading);
      for (const c of chosen?.comparisons ?? []) {
        const live = prices.get(c.ticker);
        const stats = ctx.stats.get(c.ticker);
        const ref = ctx.episodes.get(c.referenceId);
        if (!live || !stats || !ref) continue;
        const peak = claim.metric === 'drawdown_from_ath' ? stats.athClose : stats.high52w?.close;
        if (peak === undefined) continue;
        const d = distanceToNextBand(
          { ticker: c.ticker, referenceId: c.referenceId, price: live.price, athClose: peak, referenceDepth: c.referenceDepth },
          claim.bands,
          claim.below,
        );
        if (d) distances.push({ ...d, reading: result.verdictReading, referenceName: { en: ref.name.en, 'zh-Hant': ref.name['zh-Hant'] } });
      }
    }
    return {
      id: claim.id,
      kind: claim.kind,
      text: { en: claim.text.en, 'zh-Hant': claim.text['zh-Hant'] },
      verdict: result.verdict,
      provisional: claim.tickers.some((t) => prices.get(t)?.kind === 'quote'),
      asOf,
      distances,
    };
  });
}

/** `claims`: liveClaims of the judgement at these prices (none without a claims file or a price). */
export function buildLiveSnapshot(input: LiveInput, claims: readonly LiveClaim[] = []): LiveSnapshot {
  const { timeZone } = input;
  const prices = livePrices(input);
  let lastQuote: Date | null = null;
  for (const q of input.quotes) if (!lastQuote || q.ts > lastQuote) lastQuote = q.ts;
  let lastBarDate: IsoDate | null = null;
  for (const b of input.bases.values()) if (lastBarDate === null || b.last.date > lastBarDate) lastBarDate = b.last.date;
  const shown = input.watchlist.flatMap((w) => {
    const live = prices.get(w.symbol);
    return live ? [{ ...live, name: w.name }] : [];
  });
  let asOf: IsoDate | null = null;
  for (const p of prices.values()) if (asOf === null || p.date > asOf) asOf = p.date;
  return {
    generatedAt: input.now.toISOString(),
    asOf,
    timeZone,
    symbols: shown,
    missing: input.watchlist.filter((w) => !prices.has(w.symbol)).map((w) => w.symbol),
    claims: [...claims],
    freshness: { lastQuoteAt: lastQuote?.toISOString() ?? null, lastBarDate },
    health: input.health,
    alerts: [...input.alerts],
    simulated: input.simulated,
  };
}
