// The symbols table: what the watchlist (or an import) has brought in.
import type { Kysely, Transaction } from 'kysely';
import type { IsoDate } from '../domain.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface SymbolInput {
  symbol: string;
  name?: string | null;
  kind?: 'equity' | 'index';
}

/** Indexes are Yahoo symbols starting with ^ (^GSPC, ^IXIC). */
export function kindOfSymbol(symbol: string): 'equity' | 'index' {
  return symbol.startsWith('^') ? 'index' : 'equity';
}

/** Adds symbols that are new; for known ones, takes the name and kind given here. */
export async function upsertSymbols(db: Db, items: readonly SymbolInput[]): Promise<void> {
  if (items.length === 0) return;
  await db
    .insertInto('symbols')
    .values(items.map((i) => ({ symbol: i.symbol, name: i.name ?? null, kind: i.kind ?? kindOfSymbol(i.symbol) })))
    .onConflict((oc) =>
      oc.column('symbol').doUpdateSet((eb) => ({
        name: eb.fn.coalesce('excluded.name', 'symbols.name'),
        kind: eb.ref('excluded.kind'),
        updated_at: new Date(),
      })),
    )
    .execute();
}

/** Adds a symbol only if it is not there yet (an import must not rename a configured symbol). */
export async function ensureSymbol(db: Db, symbol: string): Promise<void> {
  await db
    .insertInto('symbols')
    .values({ symbol, kind: kindOfSymbol(symbol) })
    .onConflict((oc) => oc.column('symbol').doNothing())
    .execute();
}

export async function recordSymbolMeta(
  db: Db,
  symbol: string,
  meta: { currency?: string | null; exchangeTz?: string | null; firstTradeDate?: IsoDate | null; fullFetchAt?: Date },
): Promise<void> {
  await db
    .updateTable('symbols')
    .set((eb) => ({
      currency: meta.currency ?? eb.ref('currency'),
      exchange_tz: meta.exchangeTz ?? eb.ref('exchange_tz'),
      first_trade_date: meta.firstTradeDate ?? eb.ref('first_trade_date'),
      last_full_fetch_at: meta.fullFetchAt ?? eb.ref('last_full_fetch_at'),
      updated_at: new Date(),
    }))
    .where('symbol', '=', symbol)
    .execute();
}
