// The report's reads and its one write. Closes come back in one statement for every symbol, each
// symbol's dates and closes folded into two comma-joined strings: a 1,000-symbol, 30-year history is
// 7.5 million rows, and one row per symbol spares the driver parsing millions of rows into objects
// (the split in JS is several times faster than per-row parsing, on pg and PGlite alike).
import { sql, type Kysely } from 'kysely';
import type { BarSource, ClosePoint, IsoDate, QuoteSnapshot } from '../domain.js';
import type { Database } from './schema.js';

export interface StoredSeries {
  closes: ClosePoint[];
  /** Distinct daily_bars.source of these rows, sorted. */
  sources: BarSource[];
}

export interface StoredQuote extends QuoteSnapshot {
  source: 'yahoo' | 'sim';
}

/** Closes of the symbols in date order, on or before asOf when given; symbols without rows are absent. */
export async function closesForReport(
  db: Kysely<Database>,
  symbols: readonly string[],
  asOf?: IsoDate,
): Promise<Map<string, StoredSeries>> {
  if (symbols.length === 0) return new Map();
  const upTo = asOf ? sql`and trade_date <= ${asOf}::date` : sql``;
  // to_char, not ::text: a session DateStyle other than ISO would change ::text's output.
  const { rows } = await sql<{ symbol: string; dates: string; closes: string; sources: string }>`
    select symbol,
           string_agg(to_char(trade_date, 'YYYY-MM-DD'), ',' order by trade_date) as dates,
           string_agg(close::text, ',' order by trade_date) as closes,
           string_agg(distinct source, ',' order by source) as sources
      from daily_bars
     where symbol = any(${[...symbols]}::text[]) ${upTo}
     group by symbol`.execute(db);
  const out = new Map<string, StoredSeries>();
  for (const row of rows) {
    const dates = row.dates.split(',');
    const closes = row.closes.split(',');
    out.set(row.symbol, {
      closes: dates.map((date, i) => ({ date, close: Number(closes[i]) })),
      sources: row.sources.split(',') as BarSource[],
    });
  }
  return out;
}

/** The earliest stored bar date of the symbols (for telling the user where the history starts). */
export async function firstBarDate(db: Kysely<Database>, symbols: readonly string[]): Promise<IsoDate | null> {
  if (symbols.length === 0) return null;
  const row = await db
    .selectFrom('daily_bars')
    .select((eb) => eb.fn.min('trade_date').as('first'))
    .where('symbol', 'in', [...symbols])
    .executeTakeFirst();
  return row?.first ?? null;
}

/** Each symbol's latest quote stamped before `before` (the start of the day after asOf, exchange time). */
export async function latestQuotesBefore(db: Kysely<Database>, symbols: readonly string[], before: Date): Promise<StoredQuote[]> {
  if (symbols.length === 0) return [];
  const rows = await db
    .selectFrom('quotes')
    .distinctOn('symbol')
    .select(['symbol', 'ts', 'price', 'market_cap', 'volume', 'market_state', 'currency', 'source'])
    .where('symbol', 'in', [...symbols])
    .where('ts', '<', before)
    .orderBy('symbol')
    .orderBy('ts', 'desc')
    .execute();
  return rows.map((r) => ({
    symbol: r.symbol,
    ts: r.ts,
    price: r.price,
    marketCap: r.market_cap,
    volume: r.volume,
    marketState: r.market_state,
    currency: r.currency,
    source: r.source,
  }));
}

export interface ReportRow {
  asOf: IsoDate;
  generatedAt: Date;
  dataSource: string;
  /** The report JSON as text (stored as jsonb). */
  json: string;
  markdown: string | null;
  html: string | null;
}

/** One report per date: a second run for the same date replaces the first. */
export async function upsertReport(db: Kysely<Database>, report: ReportRow): Promise<void> {
  await db
    .insertInto('reports')
    .values({
      as_of: report.asOf,
      generated_at: report.generatedAt,
      data_source: report.dataSource,
      json: report.json,
      markdown: report.markdown,
      html: report.html,
    })
    .onConflict((oc) =>
      oc.column('as_of').doUpdateSet((eb) => ({
        generated_at: eb.ref('excluded.generated_at'),
        data_source: eb.ref('excluded.data_source'),
        json: eb.ref('excluded.json'),
        markdown: eb.ref('excluded.markdown'),
        html: eb.ref('excluded.html'),
      })),
    )
    .execute();
}
