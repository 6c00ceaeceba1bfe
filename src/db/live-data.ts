// The live page's reads: what each symbol's close basis is made of (its running peak and last two bars), every
// stored close of the symbols the claims judge (read for a judgement and let go), the newest
// session's quotes, the latest alerts; and the stored reports the HTTP server lists.
import { sql, type Kysely } from 'kysely';
import type { BarSource, ClosePoint, IsoDate } from '../domain.js';
import type { CloseBasisSource } from '../analysis/close-basis.js';
import { peakIsLast } from '../peak-state.js';
import { closesForReport, type StoredQuote, type StoredSeries } from './report-data.js';
import type { Database } from './schema.js';
import { loadSymbolStates } from './symbol-state.js';

/** No cut: the live page shows everything stored. */
const NO_CUT: IsoDate = '9999-12-31';

/** `withVolume`: the symbols whose volumes a claim reads (the down-day volume rule). */
export function allStoredCloses(db: Kysely<Database>, symbols: readonly string[], withVolume: readonly string[] = []): Promise<Map<string, StoredSeries>> {
  return closesForReport(db, symbols, NO_CUT, withVolume);
}

export interface StoredBasis {
  /** What the symbol's close basis is computed from (src/analysis/close-basis.ts, basisOf). */
  source: CloseBasisSource;
  /** Distinct daily_bars.source of the symbol's rows, sorted. */
  sources: BarSource[];
}

/**
 * What each symbol's close basis needs, without reading its history: its running peak state (kept with
 * every write) and its last two bars, plus, when its last close is its all-time high, the highest
 * close before it. A symbol whose state cannot be used (none, another version, a write that bypassed
 * the states, or a state that does not end on the last bar read, as when a write commits between the
 * reads) is read whole; symbols without bars are absent.
 */
export async function storedCloseBases(db: Kysely<Database>, symbols: readonly string[]): Promise<Map<string, StoredBasis>> {
  const out = new Map<string, StoredBasis>();
  if (symbols.length === 0) return out;
  const { states } = await loadSymbolStates(db, symbols);
  const lastTwo = states.size > 0 ? await lastTwoCloses(db, [...states.keys()]) : new Map<string, ClosePoint[]>();
  const usable = [...states].filter(([symbol, { state }]) => {
    const last = lastTwo.get(symbol)?.[0];
    return last !== undefined && last.date === state.last.date && last.close === state.last.close;
  });
  const highs = await highestBefore(
    db,
    usable.filter(([, { state }]) => peakIsLast(state)).map(([symbol, { state }]) => ({ symbol, before: state.last.date })),
  );
  for (const [symbol, { state, sources }] of usable) {
    out.set(symbol, { source: { from: 'state', state, previous: lastTwo.get(symbol)![1] ?? null, highBeforeLast: highs.get(symbol) ?? null }, sources });
  }
  const rest = symbols.filter((s) => !out.has(s));
  if (rest.length > 0) {
    for (const [symbol, series] of await allStoredCloses(db, rest)) {
      if (series.closes.length > 0) out.set(symbol, { source: { from: 'closes', closes: series.closes }, sources: series.sources });
    }
  }
  return out;
}

/** Per symbol, its newest close first and the one before it second. */
async function lastTwoCloses(db: Kysely<Database>, symbols: readonly string[]): Promise<Map<string, ClosePoint[]>> {
  const { rows } = await sql<{ symbol: string; trade_date: IsoDate; close: number }>`
    select s.symbol, b.trade_date, b.close
      from unnest(${[...new Set(symbols)]}::text[]) as s(symbol)
      cross join lateral (select trade_date, close from daily_bars where symbol = s.symbol order by trade_date desc limit 2) b
     order by s.symbol, b.trade_date desc`.execute(db);
  const out = new Map<string, ClosePoint[]>();
  for (const r of rows) {
    const points = out.get(r.symbol) ?? [];
    points.push({ date: r.trade_date, close: Number(r.close) });
    out.set(r.symbol, points);
  }
  return out;
}

/** Per symbol, its highest close dated before `before`, the latest of equal ones (the report's peak rule). */
async function highestBefore(db: Kysely<Database>, wanted: readonly { symbol: string; before: IsoDate }[]): Promise<Map<string, ClosePoint>> {
  if (wanted.length === 0) return new Map();
  const { rows } = await sql<{ symbol: string; trade_date: IsoDate; close: number }>`
    select s.symbol, h.trade_date, h.close
      from unnest(${wanted.map((w) => w.symbol)}::text[], ${wanted.map((w) => w.before)}::date[]) as s(symbol, before)
      cross join lateral (
        select trade_date, close from daily_bars where symbol = s.symbol and trade_date < s.before
         order by close desc, trade_date desc limit 1) h`.execute(db);
  return new Map(rows.map((r) => [r.symbol, { date: r.trade_date, close: Number(r.close) }]));
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
  claimId: string | null;
  message: string;
  /** The parts the rule stored: the live page writes the alert in its own language from them. */
  payload: Record<string, unknown>;
  status: 'provisional' | 'confirmed';
  firedAt: Date;
}

export async function latestAlerts(db: Kysely<Database>, limit: number): Promise<StoredAlert[]> {
  const rows = await db
    .selectFrom('alerts')
    .select(['id', 'rule', 'symbol', 'claim_id', 'message', 'payload', 'status', 'fired_at'])
    .orderBy('fired_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    rule: r.rule,
    symbol: r.symbol,
    claimId: r.claim_id,
    message: r.message,
    payload: r.payload,
    status: r.status,
    firedAt: r.fired_at,
  }));
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
