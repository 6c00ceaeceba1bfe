// The inputs every claim evaluator reads (pure), built once from what the caller read: the report (as
// of a date), its verdict history (at each session) and the live judgement (with provisional closes)
// all go through buildClaimContext, so the three judge from the same context. Only closes and quotes
// dated on or before asOf come in: the database cuts them, this checks.
import type { ClosePoint, IsoDate, QuoteSnapshot, VolumePoint } from '../domain.js';
import { zonedDate } from '../market/zoned-time.js';
import type { ClaimsConfig } from './claims/config.js';
import { resolveReferenceEpisode } from './claims/reference-episodes.js';
import type { ClaimContext, LatestQuote } from './claims/verdict.js';
import type { SymbolDrawdown } from './math/drawdown.js';
import { assertCloseSeries } from './math/series.js';

export interface ClaimContextInput {
  asOf: IsoDate;
  /**
   * summarizeSymbol of every symbol with closes on or before asOf: the report reduces each symbol to
   * its summary as it streams in.
   */
  summaries: ReadonlyMap<string, SymbolDrawdown>;
  /** The whole closes (on or before asOf, ascending) of the few symbols the claims and charts read. */
  series: ReadonlyMap<string, readonly ClosePoint[]>;
  /** Volumes (on or before asOf, ascending) of the symbols whose claims read volume (volumeSubjects). */
  volumes?: ReadonlyMap<string, readonly VolumePoint[]>;
  /** Quotes stamped (exchange-local) on or before asOf. */
  quotes?: readonly QuoteSnapshot[];
  claimsConfig: ClaimsConfig;
  /** Zone in which a quote's timestamp becomes a session date (default America/New_York). */
  exchangeTimeZone?: string;
}

/** A quote stamped after asOf is an upstream bug: the database reads only the quotes before it. */
export function assertQuotesAsOf(quotes: readonly QuoteSnapshot[], asOf: IsoDate, timeZone: string): void {
  for (const q of quotes) {
    const date = zonedDate(q.ts, timeZone);
    if (date > asOf) throw new RangeError(`${q.symbol}: a quote stamped ${q.ts.toISOString()} (${date}) is after the report date ${asOf}`);
  }
}

/** Latest quote with a price per symbol (quotes on or before asOf only). */
export function latestQuotes(
  quotes: readonly QuoteSnapshot[],
  asOf: IsoDate,
  timeZone: string,
): Map<string, LatestQuote> {
  assertQuotesAsOf(quotes, asOf, timeZone);
  const best = new Map<string, QuoteSnapshot>();
  for (const q of quotes) {
    if (!(q.price > 0)) continue;
    const seen = best.get(q.symbol);
    if (!seen || q.ts.getTime() > seen.ts.getTime()) best.set(q.symbol, q);
  }
  return new Map(
    [...best].map(([symbol, q]) => [
      symbol,
      { date: zonedDate(q.ts, timeZone), price: q.price, marketCap: q.marketCap, currency: q.currency },
    ]),
  );
}

/**
 * The inputs of every claim evaluator. Checks, rather than cuts, that nothing is dated after asOf
 * (throws on a later, unsorted or impossible close, or a summary past asOf).
 */
export function buildClaimContext(input: ClaimContextInput): ClaimContext {
  const { asOf, claimsConfig: config } = input;
  for (const [symbol, points] of input.series) assertCloseSeries(points, symbol, asOf);
  for (const [symbol, s] of input.summaries) {
    if (s.lastDate > asOf) throw new RangeError(`${symbol}: its summary ends on ${s.lastDate}, after the report date ${asOf}`);
  }
  for (const [symbol, points] of input.volumes ?? []) {
    const last = points.at(-1);
    if (last && last.date > asOf) throw new RangeError(`${symbol}: a volume dated ${last.date} is after the report date ${asOf}`);
  }
  const closes = new Map([...input.series].filter(([, points]) => points.length > 0));
  const episodes = config.referenceEpisodes.flatMap((ref) => resolveReferenceEpisode(ref, closes.get(ref.symbol), asOf) ?? []);
  return {
    asOf,
    closes,
    volumes: input.volumes ?? new Map(),
    stats: input.summaries,
    episodes: new Map(episodes.map((e) => [e.id, e])),
    quotes: latestQuotes(input.quotes ?? [], asOf, input.exchangeTimeZone ?? 'America/New_York'),
    newsEvents: new Map(config.newsEvents.map((e) => [e.id, e])),
  };
}
