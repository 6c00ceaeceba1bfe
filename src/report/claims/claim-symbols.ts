// Which stored series each claim reads (pure): the report job asks the database for these and nothing
// more, so a new claim kind that names a benchmark or needs volume says so here, once.
import type { ClaimConfig, ClaimsConfig } from './config.js';

/** The claim's tickers and the indexes it compares them with. */
export function claimSymbols(claim: ClaimConfig): string[] {
  switch (claim.kind) {
    case 'news_events':
      return [...claim.tickers, ...(claim.benchmark ? [claim.benchmark] : [])];
    case 'returns_vs_benchmarks':
      return [...claim.tickers, ...claim.benchmarks];
    default:
      return [...claim.tickers];
  }
}

/** Symbols whose daily volume some claim reads (the down-day volume rule). */
export function volumeSubjects(config: ClaimsConfig): string[] {
  return [...new Set(config.claims.flatMap((c) => (c.kind === 'overextended_selling' ? c.tickers : [])))];
}
