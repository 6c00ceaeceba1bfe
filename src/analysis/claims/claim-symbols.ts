// Which stored series each claim reads (pure): the report job asks the database for these and nothing
// more, so a new claim kind that names a benchmark or needs volume says so here, once.
import type { ClaimConfig, ClaimsConfig } from './config.js';

/** The claim's tickers, the indexes it compares them with, and any cohort it measures them against. */
export function claimSymbols(claim: ClaimConfig): string[] {
  switch (claim.kind) {
    case 'news_events':
      return [...claim.tickers, ...(claim.benchmark ? [claim.benchmark] : [])];
    case 'drawdown_vs_reference':
      // The cohort's whole histories: their falls inside the reference windows are the drawdown claim's third reading.
      return [...new Set([...claim.tickers, ...claim.cohort])];
    case 'returns_vs_benchmarks':
      return [...claim.tickers, ...claim.benchmarks, ...(claim.independentBenchmark ? [claim.independentBenchmark.symbol] : [])];
    default:
      return [...claim.tickers];
  }
}

/** Symbols whose daily volume some claim reads (the down-day volume rule). */
export function volumeSubjects(config: ClaimsConfig): string[] {
  return [...new Set(config.claims.flatMap((c) => (c.kind === 'overextended_selling' ? c.tickers : [])))];
}

/** The claims' tickers, their benchmarks and the reference episodes' indexes: every series a judgement reads. */
export function claimSubjects(config: ClaimsConfig): string[] {
  return [
    ...new Set([
      ...config.claims.flatMap(claimSymbols),
      ...config.referenceEpisodes.map((e) => e.symbol),
    ]),
  ];
}
