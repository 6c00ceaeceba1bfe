// Writes and reads of price history. Bulk writes COPY the bars that are new (inside a transaction, see
// upsertDailyBars) and upsert the others through unnest() of column arrays: one statement and ten
// parameters whatever the number of rows, which is both fast and free of the 65,535-parameter limit
// that a multi-row VALUES list hits at about 6,500 bars.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { BarSource, CorporateAction, DailyBar, IsoDate } from '../domain.js';
import { COPY_COLUMNS, copyRows } from './copy-rows.js';
import { copyFromStdin } from './copy-from-stdin.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** Rows per statement: keeps each statement's parameter arrays to a few MB. */
const CHUNK = 20_000;

// Array parameters go over the wire as array literals ('{1.5,NULL,2}'). Building them here with one
// join per column takes about half the time of the drivers' generic per-element serialisers (which
// escape and quote every number), and pg sends a string parameter as it is.
const numbers = (values: readonly (number | null)[]): string =>
  `{${values.map((v) => (v === null ? 'NULL' : String(v))).join(',')}}`;
const quote = (value: string): string => `"${value.replace(/[\\"]/g, '\\$&')}"`;
const texts = (values: readonly string[]): string => `{${values.map(quote).join(',')}}`;

/**
 * Inserts bars or updates the stored ones that differ; identical rows are left untouched (no dead
 * tuples, and fetched_at keeps saying when the values last changed). Call inside a transaction to make
 * a symbol all-or-nothing.
 *
 * Inside a transaction (copy-from-stdin.ts needs the transaction's connection), the bars whose key is not
 * stored yet (a whole backfill, a day's new bar) are COPYed straight into daily_bars, the way the bulk
 * loaders do (batched heap inserts, no per-row conflict check: 0.7 x COPY's speed before, as an
 * upsert); only the bars whose key is stored go through the upsert. The caller holds the symbols'
 * write locks (lockSymbolWrites, taken first by every unit of work in store.ts), so no other writer
 * of these symbols can add a key between the read of the stored ones and the COPY; the constraints,
 * counts and all-or-nothing are the upsert's.
 */
export async function upsertDailyBars(db: Db, bars: readonly DailyBar[], source: BarSource, fetchedAt: Date): Promise<UpsertCounts> {
  const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
  if (bars.length === 0) return counts;
  const copy = db.isTransaction;
  for (let start = 0; start < bars.length; start += CHUNK) {
    const chunk = bars.slice(start, start + CHUNK);
    let known = chunk;
    if (copy) {
      const stored = await storedKeys(db, chunk);
      const fresh = stored.size === 0 ? chunk : chunk.filter((b) => !stored.has(keyOf(b)));
      known = stored.size === 0 ? [] : chunk.filter((b) => stored.has(keyOf(b)));
      if (fresh.length > 0) {
        await copyFromStdin(db, `copy daily_bars (${COPY_COLUMNS}) from stdin`, copyRows(fresh, source, fetchedAt));
        counts.inserted += fresh.length;
      }
    }
    if (known.length > 0) {
      const c = await upsertChunk(db, known, source, fetchedAt);
      counts.inserted += c.inserted;
      counts.updated += c.updated;
      counts.unchanged += c.unchanged;
    }
  }
  return counts;
}

async function upsertChunk(db: Db, chunk: readonly DailyBar[], source: BarSource, fetchedAt: Date): Promise<UpsertCounts> {
  // The written rows are counted in the database: returning one row per bar would ship up to
  // 20,000 rows back just to be counted here.
  const result = await sql<{ inserted: number; written: number }>`
    with written as (
      insert into daily_bars as d
        (symbol, trade_date, open, high, low, close, adj_close, volume, quality, source, fetched_at)
      select u.symbol, u.trade_date, u.open, u.high, u.low, u.close, u.adj_close, u.volume,
             coalesce(string_to_array(nullif(u.quality, ''), ','), '{}'), ${source}, ${fetchedAt}
        from unnest(${texts(chunk.map((b) => b.symbol))}::text[],
                    ${texts(chunk.map((b) => b.tradeDate))}::date[],
                    ${numbers(chunk.map((b) => b.open))}::numeric[],
                    ${numbers(chunk.map((b) => b.high))}::numeric[],
                    ${numbers(chunk.map((b) => b.low))}::numeric[],
                    ${numbers(chunk.map((b) => b.close))}::numeric[],
                    ${numbers(chunk.map((b) => b.adjClose))}::numeric[],
                    ${numbers(chunk.map((b) => b.volume))}::bigint[],
                    ${texts(chunk.map((b) => b.quality.join(',')))}::text[])
             as u(symbol, trade_date, open, high, low, close, adj_close, volume, quality)
      on conflict (symbol, trade_date) do update
         set open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
             adj_close = excluded.adj_close, volume = excluded.volume, quality = excluded.quality,
             source = excluded.source, fetched_at = excluded.fetched_at
       where (d.open, d.high, d.low, d.close, d.adj_close, d.volume, d.quality)
             is distinct from
             (excluded.open, excluded.high, excluded.low, excluded.close, excluded.adj_close, excluded.volume, excluded.quality)
      returning (xmax = 0) as inserted)
    select (count(*) filter (where inserted))::int as inserted, count(*)::int as written from written`.execute(db);
  const row = result.rows[0] ?? { inserted: 0, written: 0 };
  const inserted = Number(row.inserted);
  const written = Number(row.written);
  return { inserted, updated: written - inserted, unchanged: chunk.length - written };
}

/** Advisory-lock class of "writing this symbol's bars and drawdown state" (the ingest lock, ingest-lock.ts, uses 1). */
const SYMBOL_WRITE_LOCK = 2;

/**
 * Serialises writers of the same symbols until the transaction ends: their bars (the keys read before
 * a COPY stay the stored ones) and their drawdown states (symbol-state.ts). One statement, the symbols
 * sorted, so two writers of overlapping sets take the locks in the same order. Keyed by schema too:
 * writers in different schemas never wait for each other.
 */
export async function lockSymbolWrites(trx: Transaction<Database>, symbols: readonly string[]): Promise<void> {
  const sorted = [...new Set(symbols)].sort();
  if (sorted.length === 0) return;
  await sql`select count(pg_advisory_xact_lock(${SYMBOL_WRITE_LOCK}::int4, hashtext(current_schema() || '.' || s)))
              from unnest(${texts(sorted)}::text[]) as t(s)`.execute(trx);
}

const keyOf = (b: { symbol: string; tradeDate: IsoDate }) => `${b.symbol} ${b.tradeDate}`;

/** Keys of the stored bars among the chunk's: one index range per symbol, from its first date to its last. */
async function storedKeys(db: Db, chunk: readonly DailyBar[]): Promise<Set<string>> {
  const ranges = new Map<string, { from: IsoDate; to: IsoDate }>();
  for (const b of chunk) {
    const r = ranges.get(b.symbol);
    if (!r) ranges.set(b.symbol, { from: b.tradeDate, to: b.tradeDate });
    else if (b.tradeDate < r.from) r.from = b.tradeDate;
    else if (b.tradeDate > r.to) r.to = b.tradeDate;
  }
  const symbols = [...ranges.keys()];
  const result = await sql<{ symbol: string; trade_date: IsoDate }>`
    select d.symbol, d.trade_date
      from unnest(${texts(symbols)}::text[],
                  ${texts(symbols.map((s) => ranges.get(s)!.from))}::date[],
                  ${texts(symbols.map((s) => ranges.get(s)!.to))}::date[]) as r(symbol, date_from, date_to)
      join daily_bars d on d.symbol = r.symbol and d.trade_date between r.date_from and r.date_to`.execute(db);
  return new Set(result.rows.map((r) => keyOf({ symbol: r.symbol, tradeDate: r.trade_date })));
}

export async function upsertCorporateActions(db: Db, actions: readonly CorporateAction[], source: BarSource, fetchedAt: Date): Promise<number> {
  if (actions.length === 0) return 0;
  const result = await db
    .insertInto('corporate_actions')
    .values(
      actions.map((a) => ({
        symbol: a.symbol,
        trade_date: a.tradeDate,
        kind: a.kind,
        numerator: a.numerator,
        denominator: a.denominator,
        amount: a.amount,
        source,
        fetched_at: fetchedAt,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['symbol', 'trade_date', 'kind']).doUpdateSet((eb) => ({
        numerator: eb.ref('excluded.numerator'),
        denominator: eb.ref('excluded.denominator'),
        amount: eb.ref('excluded.amount'),
        source: eb.ref('excluded.source'),
        fetched_at: eb.ref('excluded.fetched_at'),
      })),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/**
 * One symbol's stored bars in date order, from `from` (inclusive) to `toExclusive` when given: what a
 * sync compares its overlap with, what verify compares the source's history with.
 */
export async function storedBars(db: Db, symbol: string, range: { from?: IsoDate; toExclusive?: IsoDate } = {}): Promise<DailyBar[]> {
  let query = db
    .selectFrom('daily_bars')
    .select(['symbol', 'trade_date', 'open', 'high', 'low', 'close', 'adj_close', 'volume', 'quality'])
    .where('symbol', '=', symbol);
  if (range.from !== undefined) query = query.where('trade_date', '>=', range.from);
  if (range.toExclusive !== undefined) query = query.where('trade_date', '<', range.toExclusive);
  const rows = await query.orderBy('trade_date').execute();
  return rows.map((r) => ({
    symbol: r.symbol,
    tradeDate: r.trade_date,
    open: r.open,
    high: r.high,
    low: r.low,
    close: r.close,
    adjClose: r.adj_close,
    volume: r.volume,
    quality: r.quality as DailyBar['quality'],
  }));
}

/**
 * Deletes the symbol's rows dated from `from` to `to` (both included) that are not among `keep`: the
 * sessions a source no longer has, when its bars replace the stored ones over those dates. Returns
 * the rows deleted.
 */
export async function deleteBarsNotIn(db: Db, symbol: string, range: { from: IsoDate; to: IsoDate }, keep: readonly IsoDate[]): Promise<number> {
  const result = await sql`
    delete from daily_bars
     where symbol = ${symbol} and trade_date between ${range.from} and ${range.to}
       and trade_date <> all(${texts(keep)}::date[])`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export interface SymbolCoverage {
  symbol: string;
  bars: number;
  firstDate: IsoDate | null;
  lastDate: IsoDate | null;
}

/** Per symbol: how many bars are stored and over which dates (one index scan per symbol). */
export async function coverage(db: Db): Promise<SymbolCoverage[]> {
  const rows = await db
    .selectFrom('symbols as s')
    .leftJoin('daily_bars as b', 'b.symbol', 's.symbol')
    .select((eb) => [
      's.symbol',
      eb.fn.count<number>('b.trade_date').as('bars'),
      eb.fn.min('b.trade_date').as('firstDate'),
      eb.fn.max('b.trade_date').as('lastDate'),
    ])
    .groupBy('s.symbol')
    .orderBy('s.symbol')
    .execute();
  return rows.map((r) => ({ symbol: r.symbol, bars: Number(r.bars), firstDate: r.firstDate ?? null, lastDate: r.lastDate ?? null }));
}
