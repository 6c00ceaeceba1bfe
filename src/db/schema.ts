// Hand-written Kysely types mirroring sql/migrations. tests/db/schema.test.ts checks them against the
// migrated database, so a migration that changes a column without changing this file fails the suite.
// Runtime types are the same on pg and PGlite (see connect.ts): DATE -> 'YYYY-MM-DD' string,
// NUMERIC and BIGINT -> number, timestamptz -> Date.
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
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
export type RunJob = 'sync' | 'quotes' | 'import' | 'report';

export interface RunFailure {
  symbol: string;
  kind: string;
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
  requests: ColumnType<number, number | undefined>;
  failures: ColumnType<RunFailure[], string | undefined, string>;
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
}

export interface Database {
  symbols: SymbolTable;
  daily_bars: DailyBarTable;
  quotes: QuoteTable;
  corporate_actions: CorporateActionTable;
  ingest_runs: IngestRunTable;
  reports: ReportTable;
  schema_migrations: SchemaMigrationTable;
  v_drawdowns: DrawdownView;
  v_latest: LatestView;
}

export type SymbolRow = Selectable<SymbolTable>;
export type NewDailyBar = Insertable<DailyBarTable>;
export type IngestRunRow = Selectable<IngestRunTable>;
