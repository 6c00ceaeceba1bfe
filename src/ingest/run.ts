// The ingest jobs, one import for their callers (CLI, daemon, benchmarks).
export { EARLIEST_HISTORY, runSync, type SymbolSyncResult, type SyncOptions, type SyncProgress, type SyncSummary } from './sync.js';
export { runQuotes, type QuotesSummary } from './quotes.js';
export { runVerify, type SymbolVerifyResult, type VerifyOptions, type VerifySummary } from './verify.js';
export type { IngestDeps } from './shared.js';
