// The three jobs the daemon runs, as the scheduler sees them. The scheduler depends on this interface
// only, so its tests run against fakes with an injected clock; src/daemon/ingest-jobs.ts adapts the real
// ingest and report modules to it.
import type { IsoDate } from '../domain.js';
import type { SyncReason } from './decide.js';

export type RunStatus = 'ok' | 'partial' | 'failed' | 'aborted';

export interface JobFailure {
  symbol: string;
  kind: string;
  reason: string;
}

export interface SyncOutcome {
  runId: number | null;
  status: RunStatus;
  failures: readonly JobFailure[];
  /** Symbols the run covered (a symbol is fresh when it is here and not among the failures). */
  symbols: readonly string[];
  /** Rows inserted or updated; null when the run doesn't say. */
  changedRows: number | null;
  /** Overlap rows the source revised on the same basis. */
  revisedRows?: number;
  /** Symbols whose whole history was re-fetched because the overlap showed another basis. */
  rebased?: readonly string[];
}

export interface VerifyOutcome {
  runId: number | null;
  status: RunStatus;
  failures: readonly JobFailure[];
  /** Differing ranges per symbol verified (0 when it matches the source). */
  differences: Readonly<Record<string, number>>;
  /** Symbols stored again from the source (verify.repair). */
  repaired: readonly string[];
}

export interface QuotesOutcome {
  runId: number | null;
  status: RunStatus;
  /** Quotes received, and of those new rows stored (a quote time already stored is not stored twice). */
  received: number | null;
  rows: number | null;
  failures: readonly JobFailure[];
}

export interface ReportOutcome {
  asOf: IsoDate;
  files: readonly string[];
  dataSource: string;
}

export interface DaemonJobs {
  /** One history sync; resolves with a status whatever happened per symbol (it rejects only on a bug or a dead database). */
  sync(input: { session: IsoDate; reason: SyncReason; signal: AbortSignal }): Promise<SyncOutcome>;
  quotes(input: { signal: AbortSignal }): Promise<QuotesOutcome>;
  /** Writes the report as of `session` (files and the reports table). */
  report(input: { session: IsoDate }): Promise<ReportOutcome>;
  /** The stored history against the source's (src/ingest/verify.ts); optional: a daemon without it never verifies. */
  verify?(input: { signal: AbortSignal }): Promise<VerifyOutcome>;
}
