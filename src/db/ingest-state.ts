// What a sync needs to know before it plans: per symbol the stored date range and when the whole
// history was last fetched, and the newest split on record (the split rule in src/ingest/plan.ts).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { IsoDate } from '../domain.js';
import type { SplitEvent } from '../integrity/splits.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface StoredState {
  firstDate: IsoDate | null;
  lastDate: IsoDate | null;
  lastFullFetchAt: Date | null;
  firstTradeDate: IsoDate | null;
}

export interface SyncState {
  /** Only symbols that have a row in `symbols`. */
  stored: Map<string, StoredState>;
  /** Newest split date per symbol; symbols without splits are absent. */
  latestSplits: Map<string, IsoDate>;
  /** Every split on record per symbol, oldest first (what a re-basing's factor is matched with). */
  splits: Map<string, SplitEvent[]>;
}

/**
 * One round trip per question, whatever the number of symbols. min/max go through correlated
 * subqueries so each is one index probe on daily_bars' primary key rather than a scan of the history.
 */
export async function readSyncState(db: Db, symbols: readonly string[]): Promise<SyncState> {
  const stored = new Map<string, StoredState>();
  const latestSplits = new Map<string, IsoDate>();
  const splitsBySymbol = new Map<string, SplitEvent[]>();
  if (symbols.length === 0) return { stored, latestSplits, splits: splitsBySymbol };
  const list = [...new Set(symbols)];

  const rows = await db
    .selectFrom('symbols as s')
    .select((eb) => [
      's.symbol',
      's.last_full_fetch_at',
      's.first_trade_date',
      eb.selectFrom('daily_bars as b').whereRef('b.symbol', '=', 's.symbol').select(sql<IsoDate | null>`min(b.trade_date)`.as('d')).as('first_date'),
      eb.selectFrom('daily_bars as b').whereRef('b.symbol', '=', 's.symbol').select(sql<IsoDate | null>`max(b.trade_date)`.as('d')).as('last_date'),
    ])
    .where('s.symbol', 'in', list)
    .execute();
  for (const r of rows) {
    stored.set(r.symbol, { firstDate: r.first_date ?? null, lastDate: r.last_date ?? null, lastFullFetchAt: r.last_full_fetch_at, firstTradeDate: r.first_trade_date ?? null });
  }

  const splits = await db
    .selectFrom('corporate_actions')
    .select(['symbol', 'trade_date', 'numerator', 'denominator'])
    .where('kind', '=', 'split')
    .where('symbol', 'in', list)
    .orderBy('symbol')
    .orderBy('trade_date')
    .execute();
  for (const s of splits) {
    if (s.numerator === null || s.denominator === null) continue;
    const list = splitsBySymbol.get(s.symbol) ?? [];
    list.push({ tradeDate: s.trade_date, numerator: s.numerator, denominator: s.denominator });
    splitsBySymbol.set(s.symbol, list);
    latestSplits.set(s.symbol, s.trade_date);
  }

  return { stored, latestSplits, splits: splitsBySymbol };
}
