// The report's reads and its one write. Closes come back in batches of symbols, each symbol's days and
// closes folded into one comma-joined string: a 1,000-symbol, 30-year history is 7.5 million rows, and
// one row per symbol spares the driver parsing millions of rows into objects (the split in JS is
// several times faster than per-row parsing). Batches let the caller reduce
// each symbol to its figures before the next is read, instead of holding every close at once.
import { sql, type Kysely } from 'kysely';
import type { BarSource, ClosePoint, IsoDate, QuoteSnapshot, VolumePoint } from '../domain.js';
import { fromDayNumber } from '../market/iso-date.js';
import type { Database } from './schema.js';

export interface StoredSeries {
  closes: ClosePoint[];
  /** Distinct daily_bars.source of these rows, sorted. */
  sources: BarSource[];
  /** The sessions with a stored volume, ascending: only for the symbols asked for with `withVolume`. */
  volumes?: VolumePoint[];
}

export interface StoredQuote extends QuoteSnapshot {
  source: 'yahoo' | 'sim';
}

export interface StoredSymbolSeries extends StoredSeries {
  symbol: string;
}

/** "day value,day value,..." (days since 1970) -> points; `make` turns each pair into one. */
function parsePairs<T>(text: string, make: (day: number, value: number) => T): T[] {
  const out: T[] = [];
  for (let pos = 0; pos < text.length; ) {
    const space = text.indexOf(' ', pos);
    let end = text.indexOf(',', space);
    if (end < 0) end = text.length;
    out.push(make(Number(text.slice(pos, space)), Number(text.slice(space + 1, end))));
    pos = end + 1;
  }
  return out;
}

/** Symbols per statement when streaming closes: one batch's strings are a few MB. */
export const REPORT_BATCH_SYMBOLS = 50;

/**
 * Closes of the symbols in date order, on or before asOf (the report's one cut), `batchSize` symbols per
 * statement: each symbol comes back as one string of "days-since-1970 close" pairs (one ordered
 * aggregate, read through the (symbol, trade_date) include (close) index of 0003) and is yielded before
 * the next batch is read, so the caller can reduce it and let it go. Symbols without rows are skipped.
 * Volumes come along, in the same statement and the same cut, only for the symbols in `withVolume` (the
 * claims that read them): the other symbols' rows pay nothing for them.
 */
export async function* streamClosesForReport(
  db: Kysely<Database>,
  symbols: readonly string[],
  asOf: IsoDate,
  batchSize = REPORT_BATCH_SYMBOLS,
  withVolume: readonly string[] = [],
): AsyncGenerator<StoredSymbolSeries> {
  // Day numbers become ISO dates through this cache: one string per calendar day, shared by every symbol.
  const dayText = new Map<number, IsoDate>();
  const dateOf = (day: number): IsoDate => {
    let text = dayText.get(day);
    if (text === undefined) {
      text = fromDayNumber(day);
      dayText.set(day, text);
    }
    return text;
  };
  const unique = [...new Set(symbols)];
  for (let at = 0; at < unique.length; at += batchSize) {
    const batch = unique.slice(at, at + batchSize);
    // Day numbers, not to_char or ::text: cheaper, and no session DateStyle can change them. The
    // sources are three flags (the column's check constraint allows only these) rather than a second,
    // sorted aggregate.
    const { rows } = await sql<{ symbol: string; bars: string; vols: string | null; s_import: boolean; s_sim: boolean; s_yahoo: boolean }>`
      select symbol,
             string_agg((trade_date - date '1970-01-01')::text || ' ' || close::text, ',' order by trade_date) as bars,
             string_agg((trade_date - date '1970-01-01')::text || ' ' || volume::text, ',' order by trade_date)
               filter (where volume is not null and symbol = any(${[...withVolume]}::text[])) as vols,
             bool_or(source = 'import') as s_import,
             bool_or(source = 'sim') as s_sim,
             bool_or(source = 'yahoo') as s_yahoo
        from daily_bars
       where symbol = any(${batch}::text[]) and trade_date <= ${asOf}::date
       group by symbol`.execute(db);
    for (const row of rows) {
      const closes = parsePairs<ClosePoint>(row.bars, (day, close) => ({ date: dateOf(day), close }));
      // Sorted, as string_agg(distinct source order by source) gave them.
      const sources: BarSource[] = [];
      if (row.s_import) sources.push('import');
      if (row.s_sim) sources.push('sim');
      if (row.s_yahoo) sources.push('yahoo');
      const wantsVolume = withVolume.includes(row.symbol);
      const volumes = wantsVolume ? parsePairs<VolumePoint>(row.vols ?? '', (day, volume) => ({ date: dateOf(day), volume })) : undefined;
      yield { symbol: row.symbol, closes, sources, ...(volumes ? { volumes } : {}) };
    }
  }
}

/** Closes of the symbols in date order, on or before asOf; symbols without rows are absent. */
export async function closesForReport(
  db: Kysely<Database>,
  symbols: readonly string[],
  asOf: IsoDate,
  withVolume: readonly string[] = [],
): Promise<Map<string, StoredSeries>> {
  const out = new Map<string, StoredSeries>();
  for await (const { symbol, ...series } of streamClosesForReport(db, symbols, asOf, undefined, withVolume)) out.set(symbol, series);
  return out;
}

/** The latest stored bar date of the symbols: one index probe per symbol. */
export async function lastBarDate(db: Kysely<Database>, symbols: readonly string[]): Promise<IsoDate | null> {
  if (symbols.length === 0) return null;
  const { rows } = await sql<{ last: string | null }>`
    select to_char(max(l.last), 'YYYY-MM-DD') as last
      from unnest(${[...symbols]}::text[]) as s(symbol)
      cross join lateral (select max(d.trade_date) as last from daily_bars d where d.symbol = s.symbol) l`.execute(db);
  return rows[0]?.last ?? null;
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
