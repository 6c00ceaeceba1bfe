// Hand-written Kysely types mirroring sql/migrations. tests/db/schema.test.ts checks them against the
// migrated database, so a migration that changes a column without changing this file fails the suite.
// Runtime types are the ones connect.ts's parsers give: DATE -> 'YYYY-MM-DD' string,
// NUMERIC and BIGINT -> number, timestamptz -> Date.
import type { ColumnType, Generated, Selectable } from 'kysely';
import type { IsoDate } from '../domain.js';

type DefaultedDate = ColumnType<Date, Date | string | undefined, Date | string>;

export interface SymbolTable {
  symbol: string;
  name: string | null;
  kind: ColumnType<'equity' | 'index', 'equity' | 'index' | undefined>;
  currency: ColumnType<string, string | undefined>;
  exchange_tz: ColumnType<string, string | undefined>;
  first_trade_date: IsoDate | null;
  active: ColumnType<boolean, boolean | undefined>;
  last_full_fetch_at: Date | null;
  created_at: DefaultedDate;
  updated_at: DefaultedDate;
}

export interface DailyBarTable {
  symbol: string;
  trade_date: IsoDate;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number;
  adj_close: number | null;
  volume: number | null;
  quality: ColumnType<string[], string[] | undefined>;
  source: 'yahoo' | 'import' | 'sim';
  fetched_at: DefaultedDate;
}

export interface QuoteTable {
  symbol: string;
  ts: ColumnType<Date, Date | string>;
  price: number;
  market_cap: number | null;
  volume: number | null;
  market_state: string | null;
  currency: string | null;
  source: 'yahoo' | 'sim';
  fetched_at: DefaultedDate;
}

export interface CorporateActionTable {
  symbol: string;
  trade_date: IsoDate;
  kind: 'split' | 'dividend';
  numerator: number | null;
  denominator: number | null;
  amount: number | null;
  source: 'yahoo' | 'import' | 'sim';
  fetched_at: DefaultedDate;
}

export type RunStatus = 'running' | 'ok' | 'partial' | 'failed' | 'aborted';
export type RunJob = 'sync' | 'quotes' | 'import' | 'report' | 'verify';

export interface RunFailure {
  symbol: string;
  kind: string;
  reason: string;
}

/** sql/migrations/0008: a symbol whose history a run re-fetched whole because the overlap was on another basis. */
export interface RebasedSymbol {
  symbol: string;
  /** source = factor x stored for the prices. */
  factor: number;
  adjCloseFactor: number;
  /** The split on record that accounts for the factor, or null (a silent re-basing). */
  split: { date: IsoDate; ratio: string } | null;
}

/** sql/migrations/0009: a row a run rejected, and why. */
export interface RunRejection {
  symbol: string;
  tradeDate: string;
  reason: string;
}

export interface IngestRunTable {
  id: Generated<number>;
  job: RunJob;
  started_at: DefaultedDate;
  finished_at: Date | null;
  status: ColumnType<RunStatus, RunStatus | undefined>;
  symbols: ColumnType<string[], string[] | undefined>;
  rows_inserted: ColumnType<number, number | undefined>;
  rows_updated: ColumnType<number, number | undefined>;
  rows_rejected: ColumnType<number, number | undefined>;
  /** sql/migrations/0008: overlap rows the source revised on the same basis. */
  rows_revised: ColumnType<number, number | undefined>;
  rebased: ColumnType<RebasedSymbol[], string | undefined, string>;
  /** Generated: rows_inserted + rows_updated. */
  rows: ColumnType<number, never, never>;
  requests: ColumnType<number, number | undefined>;
  failures: ColumnType<RunFailure[], string | undefined, string>;
  rejections: ColumnType<RunRejection[], string | undefined, string>;
  error: string | null;
  pid: number | null;
  host: string | null;
}

export interface ReportTable {
  as_of: IsoDate;
  generated_at: DefaultedDate;
  data_source: string;
  json: ColumnType<unknown, string, string>;
  markdown: string | null;
  html: string | null;
}

export type AlertRule = 'drawdown_level' | 'all_time_high' | 'verdict_change' | 'stale_data' | 'sync_failed' | 'verify_difference' | 'test';
export type AlertStatus = 'provisional' | 'confirmed';
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface AlertTable {
  id: Generated<number>;
  rule: AlertRule;
  symbol: string | null;
  claim_id: string | null;
  /** JSON written as a string (JSON.stringify), read back parsed. */
  payload: ColumnType<Record<string, unknown>, string | undefined, string>;
  message: string;
  status: ColumnType<AlertStatus, AlertStatus | undefined>;
  fired_at: DefaultedDate;
  dedupe_key: string;
}

export interface AlertDeliveryTable {
  alert_id: number;
  channel: string;
  status: ColumnType<DeliveryStatus, DeliveryStatus | undefined>;
  attempts: ColumnType<number, number | undefined>;
  next_attempt_at: DefaultedDate;
  last_error: string | null;
  delivered_at: Date | null;
}

export interface AlertStateTable {
  key: string;
  state: ColumnType<Record<string, unknown>, string, string>;
  updated_at: DefaultedDate;
}

/** sql/migrations/0007: per symbol, the running peak (src/peak-state.ts) the latest-day report reads. */
export interface SymbolStateTable {
  symbol: string;
  version: number;
  last_date: IsoDate;
  sessions: number;
  sources: string[];
  /** src/peak-state.ts's PeakState, as JSON. */
  state: ColumnType<unknown, string, string>;
  last_change: 'rebuilt' | 'advanced';
  updated_at: DefaultedDate;
}

/** sql/migrations/0007: transactions that wrote daily_bars without updating the states. */
export interface SymbolStateUntrackedWriteTable {
  txid: ColumnType<number, never, never>;
  marked_at: DefaultedDate;
}

/** sql/migrations/0008: what a verify run found, one row per differing range. */
export interface VerifyDifferenceTable {
  run_id: number;
  symbol: string;
  first_date: IsoDate;
  last_date: IsoDate;
  kind: 'changed' | 'not_stored' | 'not_in_source';
  rows: number;
  fields: string[];
  factor: number | null;
  adj_close_factor: number | null;
  /** The range's first session on each side, as JSON (null on the side without it). */
  stored: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  source: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  repaired: ColumnType<boolean, boolean | undefined>;
}

/** sql/migrations/0008: consecutive closes too far apart for any split on record. */
export interface BarJumpTable {
  symbol: string;
  trade_date: IsoDate;
  previous_date: IsoDate;
  previous_close: number;
  close: number;
  found_at: DefaultedDate;
}

export interface SchemaMigrationTable {
  id: string;
  checksum: string;
  applied_at: DefaultedDate;
}

export interface DrawdownView {
  symbol: string;
  trade_date: IsoDate;
  close: number;
  peak_close: number;
  drawdown: number;
}

export interface LatestView {
  symbol: string;
  name: string | null;
  kind: 'equity' | 'index';
  last_date: IsoDate | null;
  last_close: number | null;
  ath_date: IsoDate | null;
  ath_close: number | null;
  drawdown: number | null;
  high_52w: number | null;
  low_52w: number | null;
  quote_price: number | null;
  quote_ts: Date | null;
  quote_market_cap: number | null;
  /** Calendar days from last_date to today in the exchange's time zone (0002). */
  days_since_last_bar: number | null;
  last_fetched_at: Date | null;
  /** last_close / high_52w - 1. */
  drawdown_52w: number | null;
}

/** sql/migrations/0002: returns (fractions, by close) with calendar lookbacks; NULL before the history. */
export interface ReturnsView {
  symbol: string;
  trade_date: IsoDate;
  close: number;
  prev_close: number | null;
  return_1d: number | null;
  return_1w: number | null;
  return_1m: number | null;
  return_3m: number | null;
  return_1y: number | null;
  return_ytd: number | null;
}

/** sql/migrations/0002: drawdown episodes with pyfolio semantics, only those below the peak. */
export interface EpisodeView {
  symbol: string;
  peak_date: IsoDate;
  peak_close: number;
  trough_date: IsoDate;
  trough_close: number;
  recovery_date: IsoDate | null;
  /** trough_close / peak_close - 1 (< 0). */
  depth: number;
  sessions_to_trough: number;
  sessions_to_recovery: number | null;
  /** 1 = the symbol's deepest episode. */
  depth_rank: number;
}

/** sql/migrations/0002: the crashes the article compares with, seeded with dotcom and gfc2008. */
export interface ReferenceEpisodeTable {
  id: string;
  symbol: string;
  peak_date: IsoDate;
  trough_date: IsoDate;
  label: string;
  peak_close: number | null;
  trough_close: number | null;
}

/** sql/migrations/0002: a symbol's fall from its all-time high next to each reference, by session. */
export interface CrashAlignmentView {
  symbol: string;
  symbol_peak_date: IsoDate;
  reference_id: string;
  reference_symbol: string;
  session: number;
  symbol_date: IsoDate;
  symbol_drawdown: number;
  /** NULL when the reference index has no stored bar that many sessions after its peak. */
  reference_date: IsoDate | null;
  reference_drawdown: number | null;
}

export interface Database {
  symbols: SymbolTable;
  daily_bars: DailyBarTable;
  quotes: QuoteTable;
  corporate_actions: CorporateActionTable;
  ingest_runs: IngestRunTable;
  reports: ReportTable;
  alerts: AlertTable;
  alert_deliveries: AlertDeliveryTable;
  alert_state: AlertStateTable;
  symbol_state: SymbolStateTable;
  symbol_state_untracked_writes: SymbolStateUntrackedWriteTable;
  verify_differences: VerifyDifferenceTable;
  bar_jumps: BarJumpTable;
  schema_migrations: SchemaMigrationTable;
  v_drawdowns: DrawdownView;
  v_latest: LatestView;
  v_returns: ReturnsView;
  v_episodes: EpisodeView;
  reference_episodes: ReferenceEpisodeTable;
  v_crash_alignment: CrashAlignmentView;
}

export type IngestRunRow = Selectable<IngestRunTable>;
