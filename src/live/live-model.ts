// Pure: the live page's state from what is stored. Each symbol's price is its newest quote when that
// quote belongs to a session after the last stored close (the session is running, or closed and not
// synced yet), else the last close; the drawdown from the all-time high takes that price in. A price
// needs only the symbol's close basis (close-basis.ts), not its history. The claims are judged by the
// report's own evaluators on the whole closes with the live price appended as a provisional close, so
// the page says what the report would say if the session closed now, and never applies rules of its
// own; the caller judges them (provisionalClaims) only when claimInputsKey says their inputs changed.
import type { ClosePoint, IsoDate, QuoteSnapshot, VolumePoint } from '../domain.js';
import { isInSession, sessionDateOf } from '../market/calendar.js';
import { zonedDate } from '../market/zoned-time.js';
import type { ClaimsConfig, DrawdownReading } from '../analysis/claims/config.js';
import { evaluateClaims } from '../analysis/claims/evaluate.js';
import { summarizeSymbol, type SymbolDrawdown } from '../analysis/math/drawdown.js';
import { buildClaimContext } from '../analysis/claim-context.js';
import { distanceToNextBand, type BandDistance } from './band-distance.js';
import type { CloseBasis } from '../analysis/close-basis.js';

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
  /** Drawdown claims: each ticker's distance to the next band, per reference. */
  distances: (BandDistance & { referenceName: { en: string; 'zh-Hant': string } })[];
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
  health: LiveHealth;
  alerts: readonly LiveAlert[];
  simulated: boolean;
}

/** Closes with the live price as the session's provisional close (replacing a partial bar of that session). */
export function withLiveClose(closes: readonly ClosePoint[], live: Pick<LivePrice, 'date' | 'price'>): ClosePoint[] {
  const before = closes.at(-1)?.date === live.date ? closes.slice(0, -1) : closes;
  return [...before, { date: live.date, close: live.price }];
}

/**
 * One symbol's live price from its close basis (null: no closes) and quotes at `now`: the newest quote
 * when its session has no stored bar yet, or when that session is trading now (a bar stored for it
 * is partial: Yahoo serves one intraday, and the sim as after the close).
 */
export function livePrice(
  symbol: string,
  basis: CloseBasis | null,
  quotes: readonly QuoteSnapshot[],
  timeZone: string,
  now: Date,
): LivePrice | null {
  const last = basis?.last;
  let newest: QuoteSnapshot | null = null;
  for (const q of quotes) if (q.symbol === symbol && q.price > 0 && (!newest || q.ts > newest.ts)) newest = q;
  const quoteDate = newest ? zonedDate(newest.ts, timeZone) : null;
  const sameSessionOpen = !!last && quoteDate === last.date && isInSession(now) && sessionDateOf(now) === quoteDate;
  const useQuote = newest !== null && quoteDate !== null && (!last || quoteDate > last.date || sameSessionOpen);
  if (!useQuote && !basis) return null;
  const date = useQuote ? quoteDate! : last!.date;
  const price = useQuote ? newest!.price : last!.close;
  // The quote replaces a partial bar of its session: the close before that bar, and the high before it.
  const previous = useQuote && !sameSessionOpen ? (last ?? null) : (basis?.previous ?? null);
  const high = !useQuote ? basis!.high : sameSessionOpen ? basis!.highBefore : (basis?.high ?? null);
  // A live price at or above the high is the new high (the latest of equals, as the report's peak rule).
  const ath = useQuote && (!high || price >= high.close) ? { date, close: price } : high!;
  const intraday = quotes
    .filter((q) => q.symbol === symbol && q.price > 0 && zonedDate(q.ts, timeZone) === date)
    .sort((a, b) => a.ts.getTime() - b.ts.getTime())
    .map((q) => ({ t: q.ts.getTime(), price: q.price }));
  return {
    symbol,
    price,
    kind: useQuote ? 'quote' : 'close',
    date,
    at: useQuote ? newest!.ts.toISOString() : null,
    marketState: useQuote ? newest!.marketState : null,
    previousClose: previous?.close ?? null,
    change: previous ? price / previous.close - 1 : null,
    athClose: ath.close,
    athDate: ath.date,
    drawdown: Math.min(0, price / ath.close - 1) + 0,
    intraday,
  };
}

/** Every symbol's live price: the watchlist's and every symbol with closes. */
export function livePrices(input: Pick<LiveInput, 'now' | 'timeZone' | 'watchlist' | 'bases' | 'quotes'>): Map<string, LivePrice> {
  const prices = new Map<string, LivePrice>();
  const symbols = new Set([...input.watchlist.map((w) => w.symbol), ...input.bases.keys()]);
  for (const symbol of symbols) {
    const live = livePrice(symbol, input.bases.get(symbol) ?? null, input.quotes, input.timeZone, input.now);
    if (live) prices.set(symbol, live);
  }
  return prices;
}

/**
 * What provisionalClaims' result depends on besides the stored closes and volumes (`barsVersion`: the
 * caller's count of the times they changed): each live price's kind, session and value, which become
 * the provisional closes and the distances. Quotes reach the claims only as the market value, which a
 * LiveClaim does not carry.
 */
export function claimInputsKey(barsVersion: number, prices: ReadonlyMap<string, LivePrice>): string {
  return JSON.stringify([barsVersion, [...prices.values()].map((p) => [p.symbol, p.kind, p.date, p.price])]);
}

/** The claims as they would read if the session closed at the live prices. */
export function provisionalClaims(
  config: ClaimsConfig,
  closes: ReadonlyMap<string, readonly ClosePoint[]>,
  prices: ReadonlyMap<string, LivePrice>,
  quotes: readonly QuoteSnapshot[],
  timeZone: string,
  volumes: ReadonlyMap<string, readonly VolumePoint[]> = new Map(),
): LiveClaim[] {
  const series = new Map<string, readonly ClosePoint[]>();
  for (const [symbol, points] of closes) {
    const live = prices.get(symbol);
    series.set(symbol, live?.kind === 'quote' ? withLiveClose(points, live) : points);
  }
  for (const [symbol, live] of prices) if (!series.has(symbol) && live.kind === 'quote') series.set(symbol, [{ date: live.date, close: live.price }]);
  let asOf: IsoDate | null = null;
  for (const points of series.values()) {
    const end = points.at(-1)?.date;
    if (end && (asOf === null || end > asOf)) asOf = end;
  }
  if (asOf === null) return [];
  const summaries = new Map<string, SymbolDrawdown>();
  for (const [symbol, points] of series) {
    const s = summarizeSymbol(points, asOf, { label: symbol });
    if (s) summaries.set(symbol, s);
  }
  const ctx = buildClaimContext({ asOf, summaries, series, volumes, quotes, claimsConfig: config, exchangeTimeZone: timeZone });
  const results = evaluateClaims(config, ctx);
  return config.claims.map((claim, i) => {
    const distances: LiveClaim['distances'] = [];
    const result = results[i]!;
    if (claim.kind === 'drawdown_vs_reference' && result.kind === 'drawdown_vs_reference') {
      // The distances follow the reading the verdict follows (index fall, the stock's own, or the
      // cohort median), so the band they point to is the verdict's next band.
      const chosen = result.readings.find((r) => r.reading === result.verdictReading);
      for (const c of chosen?.comparisons ?? []) {
        const live = prices.get(c.ticker);
        const stats = summaries.get(c.ticker);
        const ref = ctx.episodes.get(c.referenceId);
        if (!live || !stats || !ref) continue;
        const peak = claim.metric === 'drawdown_from_ath' ? stats.athClose : stats.high52w?.close;
        if (peak === undefined) continue;
        const d = distanceToNextBand(
          { ticker: c.ticker, referenceId: c.referenceId, price: live.price, athClose: peak, referenceDepth: c.referenceDepth },
          claim.bands,
          claim.below,
        );
        if (d) distances.push({ ...d, referenceName: readingReferenceName(result.verdictReading, ref.name) });
      }
    }
    return {
      id: claim.id,
      kind: claim.kind,
      text: { en: claim.text.en, 'zh-Hant': claim.text['zh-Hant'] },
      verdict: results[i]!.verdict,
      provisional: claim.tickers.some((t) => prices.get(t)?.kind === 'quote'),
      asOf: asOf!,
      distances,
    };
  });
}

/** What a distance is measured against, in words: the reference fall of the verdict's reading. */
function readingReferenceName(reading: DrawdownReading, name: { en: string; 'zh-Hant': string }): { en: string; 'zh-Hant': string } {
  if (reading === 'own_history') return { en: `its own fall in the ${name.en}`, 'zh-Hant': `自身在${name['zh-Hant']}期間的跌幅` };
  if (reading === 'cohort') return { en: `the cohort's median fall in the ${name.en}`, 'zh-Hant': `同期股票在${name['zh-Hant']}期間跌幅的中位數` };
  return { en: name.en, 'zh-Hant': name['zh-Hant'] };
}

/** `claims`: provisionalClaims' verdicts for these prices (none without a claims file or a price). */
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
