// The live page's reads: every stored close of the symbols it shows (the claims need whole series),
// the newest session's quotes, the latest alerts; and the stored reports the HTTP server lists.
import { sql, type Kysely } from 'kysely';
import type { IsoDate } from '../domain.js';
import { closesForReport, type StoredQuote, type StoredSeries } from './report-data.js';
import type { Database } from './schema.js';

/** No cut: the live page shows everything stored. */
const NO_CUT: IsoDate = '9999-12-31';

/** `withVolume`: the symbols whose volumes a claim reads (the down-day volume rule). */
export function allStoredCloses(db: Kysely<Database>, symbols: readonly string[], withVolume: readonly string[] = []): Promise<Map<string, StoredSeries>> {
  return closesForReport(db, symbols, NO_CUT, withVolume);
}

/**
 * Per symbol, its quotes from the 30 hours before its newest one: the newest session's intraday
 * line whatever the time zone (the caller keeps the session's own), read through the (symbol, ts) key.
 */
export async function recentQuotes(db: Kysely<Database>, symbols: readonly string[]): Promise<StoredQuote[]> {
  if (symbols.length === 0) return [];
  const { rows } = await sql<{
    symbol: string;
    ts: Date;
    price: number;
    market_cap: number | null;
    volume: number | null;
    market_state: string | null;
    currency: string | null;
    source: 'yahoo' | 'sim';
  }>`
    select q.symbol, q.ts, q.price, q.market_cap, q.volume, q.market_state, q.currency, q.source
      from unnest(${[...new Set(symbols)]}::text[]) as s(symbol)
      cross join lateral (select max(ts) as newest from quotes where symbol = s.symbol) n
      join quotes q on q.symbol = s.symbol and q.ts > n.newest - interval '30 hours'
     order by q.symbol, q.ts`.execute(db);
  return rows.map((r) => ({
    symbol: r.symbol,
    ts: r.ts instanceof Date ? r.ts : new Date(r.ts),
    price: Number(r.price),
    marketCap: r.market_cap === null ? null : Number(r.market_cap),
    volume: r.volume === null ? null : Number(r.volume),
    marketState: r.market_state,
    currency: r.currency,
    source: r.source,
  }));
}

export interface StoredAlert {
  id: number;
  rule: string;
  symbol: string | null;
  message: string;
  status: 'provisional' | 'confirmed';
  firedAt: Date;
}

export async function latestAlerts(db: Kysely<Database>, limit: number): Promise<StoredAlert[]> {
  const rows = await db
    .selectFrom('alerts')
    .select(['id', 'rule', 'symbol', 'message', 'status', 'fired_at'])
    .orderBy('fired_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: Number(r.id), rule: r.rule, symbol: r.symbol, message: r.message, status: r.status, firedAt: r.fired_at }));
}

export interface StoredReportEntry {
  asOf: IsoDate;
  generatedAt: Date;
  dataSource: string;
  hasHtml: boolean;
  hasMarkdown: boolean;
}

/** Newest first. */
export async function listStoredReports(db: Kysely<Database>, limit = 1000): Promise<StoredReportEntry[]> {
  const rows = await db
    .selectFrom('reports')
    .select((eb) => [
      'as_of',
      'generated_at',
      'data_source',
      eb('html', 'is not', null).as('has_html'),
      eb('markdown', 'is not', null).as('has_markdown'),
    ])
    .orderBy('as_of', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    asOf: r.as_of,
    generatedAt: r.generated_at,
    dataSource: r.data_source,
    hasHtml: Boolean(r.has_html),
    hasMarkdown: Boolean(r.has_markdown),
  }));
}

export interface StoredReportTexts {
  asOf: IsoDate;
  dataSource: string;
  json: string;
  markdown: string | null;
  html: string | null;
}

/** One stored report in all its renderings; 'latest' is the newest. */
export async function storedReport(db: Kysely<Database>, asOf: IsoDate | 'latest'): Promise<StoredReportTexts | null> {
  let query = db.selectFrom('reports').select(['as_of', 'data_source', 'json', 'markdown', 'html']);
  query = asOf === 'latest' ? query.orderBy('as_of', 'desc').limit(1) : query.where('as_of', '=', asOf);
  const row = await query.executeTakeFirst();
  if (!row) return null;
  const json = typeof row.json === 'string' ? row.json : `${JSON.stringify(row.json, null, 2)}\n`;
  return { asOf: row.as_of, dataSource: row.data_source, json, markdown: row.markdown, html: row.html };
}
