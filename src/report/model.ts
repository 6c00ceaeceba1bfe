// The report model (pure): everything the renderers show, already computed, in the shape of the
// report JSON contract (DESIGN.md): { asOf, basis, symbols, episodes, claims } plus what the views need.
// Only closes and quotes dated on or before asOf are used. Numbers keep full precision: rounding and
// percent signs are the renderers' business.
import type { ClosePoint, IsoDate, QuoteSnapshot } from '../domain.js';
import { zonedDate } from '../market/zoned-time.js';
import type { ClaimsConfig } from './claims/config.js';
import { evaluateClaims, type ClaimResult } from './claims/evaluate.js';
import { analyzeSymbol, assertCloseSeries, closesAsOf, type SymbolDrawdown } from './math/drawdown.js';
import { resolveReferenceEpisode, type ReferenceEpisode } from './claims/reference-episodes.js';
import type { ClaimContext, LatestQuote } from './claims/verdict.js';

export interface BuildReportInput {
  asOf: IsoDate;
  /** Closes by symbol, ascending by date; later points are ignored. */
  series: ReadonlyMap<string, readonly ClosePoint[]>;
  quotes?: readonly QuoteSnapshot[];
  claimsConfig: ClaimsConfig;
  /**
   * Drawdown stats already computed with symbolStats (same asOf and topPeriods) for symbols whose
   * closes are not in `series`: a large report keeps only the closes the claims and charts need.
   */
  stats?: ReadonlyMap<string, SymbolDrawdown>;
  /** Symbols to report on, in this order; default every key of `series`, then of `stats`. */
  symbols?: readonly string[];
  /** Drawdown periods listed per symbol (default 5). */
  topPeriods?: number;
  /** Zone in which a quote's timestamp becomes a session date (default America/New_York). */
  exchangeTimeZone?: string;
}

export interface SymbolReport extends SymbolDrawdown {
  symbol: string;
  quote: LatestQuote | null;
}

export interface ReportModel {
  asOf: IsoDate;
  basis: 'close';
  article: ClaimsConfig['article'];
  symbols: SymbolReport[];
  episodes: ReferenceEpisode[];
  claims: ClaimResult[];
  /** Requested symbols without a close on or before asOf. */
  missingSymbols: string[];
}

/** Latest quote per symbol whose exchange-local date is on or before asOf. */
export function latestQuotes(
  quotes: readonly QuoteSnapshot[],
  asOf: IsoDate,
  timeZone: string,
): Map<string, LatestQuote> {
  const best = new Map<string, QuoteSnapshot>();
  for (const q of quotes) {
    if (!(q.price > 0) || zonedDate(q.ts, timeZone) > asOf) continue;
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

/** One symbol's drawdown stats from its closes as of asOf (throws on unsorted or impossible closes); null without closes. */
export function symbolStats(symbol: string, points: readonly ClosePoint[], asOf: IsoDate, topPeriods = 5): SymbolDrawdown | null {
  const cut = closesAsOf(points, asOf);
  assertCloseSeries(cut, symbol);
  return cut.length > 0 ? analyzeSymbol(cut, asOf, topPeriods) : null;
}

/** The inputs of every claim evaluator, cut at asOf (throws on unsorted or impossible closes). */
export function buildClaimContext(input: BuildReportInput): ClaimContext {
  const { asOf, claimsConfig: config } = input;
  const closes = new Map<string, ClosePoint[]>();
  for (const [symbol, points] of input.series) {
    const cut = closesAsOf(points, asOf);
    assertCloseSeries(cut, symbol);
    if (cut.length > 0) closes.set(symbol, cut);
  }
  const stats = new Map<string, SymbolDrawdown>();
  for (const [symbol, points] of closes) stats.set(symbol, analyzeSymbol(points, asOf, input.topPeriods ?? 5)!);
  for (const [symbol, s] of input.stats ?? []) if (!stats.has(symbol)) stats.set(symbol, s);
  const episodes = config.referenceEpisodes.flatMap((ref) => resolveReferenceEpisode(ref, closes.get(ref.symbol), asOf) ?? []);
  return {
    asOf,
    closes,
    stats,
    episodes: new Map(episodes.map((e) => [e.id, e])),
    quotes: latestQuotes(input.quotes ?? [], asOf, input.exchangeTimeZone ?? 'America/New_York'),
    newsEvents: new Map(config.newsEvents.map((e) => [e.id, e])),
  };
}

export function buildReportModel(input: BuildReportInput): ReportModel {
  const ctx = buildClaimContext(input);
  const wanted = input.symbols ?? [...new Set([...input.series.keys(), ...(input.stats?.keys() ?? [])])];
  return {
    asOf: input.asOf,
    basis: 'close',
    article: input.claimsConfig.article,
    symbols: wanted.flatMap((symbol) => {
      const s = ctx.stats.get(symbol);
      return s ? [{ symbol, ...s, quote: ctx.quotes.get(symbol) ?? null }] : [];
    }),
    // Config order, which the ClaimContext map keeps.
    episodes: [...ctx.episodes.values()],
    claims: evaluateClaims(input.claimsConfig, ctx),
    missingSymbols: wanted.filter((symbol) => !ctx.stats.has(symbol)),
  };
}
