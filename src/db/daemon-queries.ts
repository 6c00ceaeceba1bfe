// The reads the daemon needs: where the stored history ends (catch-up, /healthz) and stored reports
// (the HTTP pages).
import { sql, type Kysely } from 'kysely';
import type { IsoDate } from '../domain.js';
import type { Database } from './schema.js';

/** Newest bar date per symbol, for the given symbols; a symbol with no bars is absent. */
export async function lastBarDates(db: Kysely<Database>, symbols: readonly string[]): Promise<Map<string, IsoDate>> {
  if (symbols.length === 0) return new Map();
  const rows = await db
    .selectFrom('daily_bars')
    .select((eb) => ['symbol', eb.fn.max('trade_date').as('last')])
    .where('symbol', 'in', [...symbols])
    .groupBy('symbol')
    .execute();
  return new Map(rows.filter((r) => r.last !== null).map((r) => [r.symbol, r.last as IsoDate]));
}

/** The newest bar date of any symbol; null when nothing is stored. */
export async function newestBarDate(db: Kysely<Database>): Promise<IsoDate | null> {
  const row = await db.selectFrom('daily_bars').select((eb) => eb.fn.max('trade_date').as('last')).executeTakeFirst();
  return (row?.last as IsoDate | null | undefined) ?? null;
}

export async function newestReportDate(db: Kysely<Database>): Promise<IsoDate | null> {
  const row = await db.selectFrom('reports').select((eb) => eb.fn.max('as_of').as('last')).executeTakeFirst();
  return (row?.last as IsoDate | null | undefined) ?? null;
}

export interface StoredReportPage {
  asOf: IsoDate;
  dataSource: string;
  html: string | null;
}

/** The report of that date, or the newest one when no date is given. */
export async function reportPage(db: Kysely<Database>, asOf?: IsoDate): Promise<StoredReportPage | null> {
  let query = db.selectFrom('reports').select(['as_of', 'data_source', 'html']);
  query = asOf === undefined ? query.orderBy('as_of', 'desc').limit(1) : query.where('as_of', '=', asOf);
  const row = await query.executeTakeFirst();
  return row ? { asOf: row.as_of, dataSource: row.data_source, html: row.html } : null;
}

export interface StoredCounts {
  bars: number;
  symbols: number;
  quotes: number;
  /** Distinct sources of the stored bars and quotes ('sim', 'yahoo', 'import'). */
  sources: string[];
}

/** What is stored, in a few numbers (the demo's summary). */
export async function storedCounts(db: Kysely<Database>): Promise<StoredCounts> {
  const bars = await db
    .selectFrom('daily_bars')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.count<number>('symbol').distinct().as('symbols')])
    .executeTakeFirstOrThrow();
  const quotes = await db.selectFrom('quotes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const sources = await sql<{ source: string }>`
    select source from daily_bars union select source from quotes order by 1`.execute(db);
  return { bars: Number(bars.n), symbols: Number(bars.symbols), quotes: Number(quotes.n), sources: sources.rows.map((r) => r.source) };
}

/** Throws when the database does not answer. */
export async function pingDb(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
