// Live quote snapshots. A snapshot is keyed by the quote's own time (regularMarketTime), so taking
// one twice while the price hasn't moved stores it once.
import type { Kysely, Transaction } from 'kysely';
import type { QuoteSnapshot } from '../domain.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Inserts snapshots not stored yet; returns how many were new. */
export async function insertQuotes(db: Db, snapshots: readonly QuoteSnapshot[], source: 'yahoo' | 'sim', fetchedAt: Date): Promise<number> {
  if (snapshots.length === 0) return 0;
  const result = await db
    .insertInto('quotes')
    .values(
      snapshots.map((q) => ({
        symbol: q.symbol,
        ts: q.ts,
        price: q.price,
        market_cap: q.marketCap,
        volume: q.volume,
        market_state: q.marketState,
        currency: q.currency,
        source,
        fetched_at: fetchedAt,
      })),
    )
    .onConflict((oc) => oc.columns(['symbol', 'ts']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}
