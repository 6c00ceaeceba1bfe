// A quote judged as its session's close (pure). One rule says when a quote stands as the close of its
// session (quoteStanding), one function splices it into the closes (withProvisionalClose), and one
// function judges the claims on them (judgeProvisionally) with the report's own evaluators, so a
// provisional verdict is what the report would say if the session closed now. The live page and the
// alerts both take their provisional prices and verdicts from here, from one judgement per quote
// snapshot (the daemon's live feed makes it and hands it to the alerts; a one-shot `quotes` makes its
// own with the same functions).
import type { ClosePoint, IsoDate, QuoteSnapshot, VolumePoint } from '../domain.js';
import { isInSession, sessionDateOf } from '../market/calendar.js';
import { zonedDate } from '../market/zoned-time.js';
import { buildClaimContext } from './claim-context.js';
import type { CloseBasis } from './close-basis.js';
import type { ClaimsConfig } from './claims/config.js';
import { evaluateClaims, type ClaimResult } from './claims/evaluate.js';
import type { ClaimContext } from './claims/verdict.js';
import { summarizeSymbol, type SymbolDrawdown } from './math/drawdown.js';

/**
 * How a quote stands to the stored closes: as the close of a session that has none stored yet (it is
 * trading, or closed and not synced yet), as the close of the session trading now in place of its
 * stored bar (that bar is partial: Yahoo serves one intraday), or not at all (null: its session's
 * close is stored, or it is older).
 */
export type QuoteStanding = 'new_session' | 'replaces_partial_bar' | null;

/** The rule: whether a quote of `quoteSession` stands as its session's close, at `now`. */
export function quoteStanding(quoteSession: IsoDate, lastClose: IsoDate | null, now: Date): QuoteStanding {
  if (lastClose === null || quoteSession > lastClose) return 'new_session';
  if (quoteSession === lastClose && isInSession(now) && sessionDateOf(now) === quoteSession) return 'replaces_partial_bar';
  return null;
}

/** A symbol's newest quote, standing as its session's provisional close. */
export interface ProvisionalClose extends ClosePoint {
  symbol: string;
  quotedAt: Date;
  marketState: string | null;
  standing: Exclude<QuoteStanding, null>;
  /** The stored close before it (the last one, or the one before the partial bar it replaces). */
  previous: ClosePoint | null;
  /** The highest stored close it is measured against (a partial bar it replaces excluded); null without one. */
  storedHigh: ClosePoint | null;
}

/** The newest quote with a price of a symbol; null when it has none. */
export function newestQuote(symbol: string, quotes: readonly QuoteSnapshot[]): QuoteSnapshot | null {
  let newest: QuoteSnapshot | null = null;
  for (const q of quotes) if (q.symbol === symbol && q.price > 0 && (!newest || q.ts > newest.ts)) newest = q;
  return newest;
}

/** The symbol's newest quote as its session's close, when the rule says it stands as one. */
export function provisionalClose(symbol: string, basis: CloseBasis | null, quotes: readonly QuoteSnapshot[], timeZone: string, now: Date): ProvisionalClose | null {
  const quote = newestQuote(symbol, quotes);
  if (!quote) return null;
  const date = zonedDate(quote.ts, timeZone);
  const standing = quoteStanding(date, basis?.last.date ?? null, now);
  if (standing === null) return null;
  // In place of a partial bar: the close before that bar, and the high before it.
  const replaces = standing === 'replaces_partial_bar';
  return {
    symbol,
    date,
    close: quote.price,
    quotedAt: quote.ts,
    marketState: quote.marketState,
    standing,
    previous: (replaces ? basis?.previous : basis?.last) ?? null,
    storedHigh: (replaces ? basis?.highBefore : basis?.high) ?? null,
  };
}

/** Every symbol's provisional close at `now` (symbols whose newest quote does not stand as one are absent). */
export function provisionalCloses(
  symbols: Iterable<string>,
  bases: ReadonlyMap<string, CloseBasis>,
  quotes: readonly QuoteSnapshot[],
  timeZone: string,
  now: Date,
): Map<string, ProvisionalClose> {
  const out = new Map<string, ProvisionalClose>();
  for (const symbol of new Set(symbols)) {
    const p = provisionalClose(symbol, bases.get(symbol) ?? null, quotes, timeZone, now);
    if (p) out.set(symbol, p);
  }
  return out;
}

/** Closes with a provisional close as its session's (in place of a stored bar of that session). */
export function withProvisionalClose(closes: readonly ClosePoint[], p: ClosePoint): ClosePoint[] {
  const before = closes.at(-1)?.date === p.date ? closes.slice(0, -1) : closes;
  return [...before, { date: p.date, close: p.close }];
}

/** The claims judged as if the session closed at the provisional closes. */
export interface ProvisionalJudgement {
  /** The newest session of any series judged. */
  asOf: IsoDate;
  /** One per claim of the config, in its order. */
  results: ClaimResult[];
  /** What they were judged from (the series' summaries and reference episodes, for the page's distances). */
  context: ClaimContext;
}

/**
 * The claims on the stored closes with each provisional close spliced in (a symbol with only a quote
 * gets a one-close series); null when there is nothing to judge.
 */
export function judgeProvisionally(
  config: ClaimsConfig,
  closes: ReadonlyMap<string, readonly ClosePoint[]>,
  provisional: ReadonlyMap<string, ProvisionalClose>,
  quotes: readonly QuoteSnapshot[],
  timeZone: string,
  volumes: ReadonlyMap<string, readonly VolumePoint[]> = new Map(),
): ProvisionalJudgement | null {
  const series = new Map<string, readonly ClosePoint[]>();
  for (const [symbol, points] of closes) {
    const p = provisional.get(symbol);
    series.set(symbol, p ? withProvisionalClose(points, p) : points);
  }
  for (const [symbol, p] of provisional) if (!series.has(symbol)) series.set(symbol, withProvisionalClose([], p));
  let asOf: IsoDate | null = null;
  for (const points of series.values()) {
    const end = points.at(-1)?.date;
    if (end && (asOf === null || end > asOf)) asOf = end;
  }
  if (asOf === null) return null;
  const summaries = new Map<string, SymbolDrawdown>();
  for (const [symbol, points] of series) {
    const s = summarizeSymbol(points, asOf, { label: symbol });
    if (s) summaries.set(symbol, s);
  }
  const context = buildClaimContext({ asOf, summaries, series, volumes, quotes, claimsConfig: config, exchangeTimeZone: timeZone });
  return { asOf, results: evaluateClaims(config, context), context };
}

/**
 * What a provisional judgement's inputs are besides the stored closes and volumes (`barsVersion`: the
 * caller's count of the times they changed): each provisional close's session and value. Quotes reach
 * the claims otherwise only as the market value, which neither the page nor the alerts read from it.
 */
export function judgementKey(barsVersion: number, provisional: ReadonlyMap<string, ProvisionalClose>): string {
  return JSON.stringify([barsVersion, [...provisional.values()].map((p) => [p.symbol, p.date, p.close, p.standing])]);
}

/**
 * One quote snapshot judged: the provisional closes and the claims on them, what both the live page
 * and the alerts take (the page's prices and verdicts, the alerts' provisional price and verdict facts).
 */
export interface QuoteJudgement {
  provisional: ReadonlyMap<string, ProvisionalClose>;
  /** Null without a claims file or anything stored to judge. */
  claims: ProvisionalJudgement | null;
}

/**
 * The verdicts a quote judgement gives, as of its newest provisional close; null when no quote stood
 * as a close (the verdicts are then the stored closes', which the close's own evaluation confirms).
 */
export function provisionalVerdicts(judgement: QuoteJudgement): { at: string; byClaim: Map<string, string> } | null {
  if (!judgement.claims || judgement.provisional.size === 0) return null;
  let newest: Date | null = null;
  for (const p of judgement.provisional.values()) if (!newest || p.quotedAt > newest) newest = p.quotedAt;
  return { at: newest!.toISOString(), byClaim: new Map(judgement.claims.results.map((r) => [r.id, r.verdict])) };
}
