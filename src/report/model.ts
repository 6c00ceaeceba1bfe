// The report model (pure): everything the renderers show, already computed, in the shape of the
// report JSON contract (DESIGN.md): { asOf, basis, symbols, episodes, claims } plus what the views need.
// Only closes and quotes dated on or before asOf come in: the database cuts them, the model checks.
// Numbers keep full precision: rounding and percent signs are the renderers' business.
import type { ClosePoint, IsoDate, QuoteSnapshot, VolumePoint } from '../domain.js';
import { zonedDate } from '../market/zoned-time.js';
import type { ClaimsConfig } from './claims/config.js';
import { evaluateClaims, type ClaimResult } from './claims/evaluate.js';
import type { SymbolDrawdown } from './math/drawdown.js';
import { assertCloseSeries } from './math/series.js';
import { resolveReferenceEpisode, type ReferenceEpisode } from './claims/reference-episodes.js';
import type { ClaimContext, LatestQuote } from './claims/verdict.js';
import { buildVerdictHistory, type VerdictHistory } from './claims/verdict-history.js';
import { claimSymbols } from './claims/claim-symbols.js';
import { claimSensitivity, type Sensitivity } from './claims/sensitivity.js';
import { staleInputs, type StaleInput } from './claims/stale-inputs.js';

export interface BuildReportInput {
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
  /** Symbols to report on, in this order; default every key of `summaries`. */
  symbols?: readonly string[];
  /** Zone in which a quote's timestamp becomes a session date (default America/New_York). */
  exchangeTimeZone?: string;
}

export interface SymbolReport extends SymbolDrawdown {
  symbol: string;
  quote: LatestQuote | null;
}

/**
 * A claim's result as the report shows it: with how far its verdict leans on its threshold, and the
 * inputs it reads that stopped updating.
 */
export type ReportClaim = ClaimResult & { sensitivity: Sensitivity | null; staleInputs: StaleInput[] };

export interface ReportModel {
  asOf: IsoDate;
  basis: 'close';
  article: ClaimsConfig['article'];
  symbols: SymbolReport[];
  episodes: ReferenceEpisode[];
  claims: ReportClaim[];
  /** Every symbol a claim reads whose last close is more than two sessions before asOf. */
  staleInputs: StaleInput[];
  /** Each claim judged again at every session since the article's date; null before that date. */
  verdictHistory: VerdictHistory | null;
  /** Requested symbols without a close on or before asOf. */
  missingSymbols: string[];
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
export function buildClaimContext(input: BuildReportInput): ClaimContext {
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

/** Each claim's result with its sensitivity and stale inputs (config order). */
function reportClaims(config: ClaimsConfig, ctx: ClaimContext): ReportClaim[] {
  const results = evaluateClaims(config, ctx);
  return results.map((result, i) => {
    const claim = config.claims[i]!;
    return { ...result, sensitivity: claimSensitivity(claim, ctx, result), staleInputs: staleInputs(ctx.closes, claimSymbols(claim), ctx.asOf) };
  });
}

export function buildReportModel(input: BuildReportInput): ReportModel {
  const ctx = buildClaimContext(input);
  const wanted = input.symbols ?? [...input.summaries.keys()];
  const config = input.claimsConfig;
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
    claims: reportClaims(config, ctx),
    staleInputs: staleInputs(ctx.closes, config.claims.flatMap(claimSymbols), ctx.asOf),
    // The same context builder at every session, so the history judges exactly as the report does.
    verdictHistory: buildVerdictHistory(input, (asOf, parts) => buildClaimContext({ ...input, ...parts, asOf })),
    missingSymbols: wanted.filter((symbol) => !ctx.stats.has(symbol)),
  };
}
