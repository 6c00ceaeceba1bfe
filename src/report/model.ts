// The report model (pure): everything the renderers show, already computed, in the shape of the
// report JSON contract (DESIGN.md): { asOf, basis, symbols, episodes, claims } plus what the views need.
// Only closes and quotes dated on or before asOf come in: the database cuts them, the claim context
// checks. Numbers keep full precision: rounding and percent signs are the renderers' business.
import type { IsoDate } from '../domain.js';
import { buildClaimContext, type ClaimContextInput } from '../analysis/claim-context.js';
import type { ClaimsConfig } from '../analysis/claims/config.js';
import { evaluateClaims, type ClaimResult } from '../analysis/claims/evaluate.js';
import type { SymbolDrawdown } from '../analysis/math/drawdown.js';
import type { ReferenceEpisode } from '../analysis/claims/reference-episodes.js';
import type { ClaimContext, LatestQuote } from '../analysis/claims/verdict.js';
import { buildVerdictHistory, type VerdictHistory } from '../analysis/claims/verdict-history.js';
import { claimSymbols } from '../analysis/claims/claim-symbols.js';
import { claimSensitivity, type Sensitivity } from '../analysis/claims/sensitivity.js';
import { staleInputs, type StaleInput } from '../analysis/claims/stale-inputs.js';

export interface BuildReportInput extends ClaimContextInput {
  /** Symbols to report on, in this order; default every key of `summaries`. */
  symbols?: readonly string[];
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
