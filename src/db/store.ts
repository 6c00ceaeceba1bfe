// The units of work: each function here is one transaction, named for what the ingest, the import or
// the bench stores. What must be all-or-nothing is decided here, so callers outside src/db never open
// a transaction or build a query. The per-statement helpers (upsertDailyBars, insertQuotes...) stay in
// bars.ts, quotes.ts and symbols.ts.
import type { Kysely } from 'kysely';
import type { BarSource, CorporateAction, DailyBar, IsoDate, QuoteSnapshot } from '../domain.js';
import { DEFAULT_JUMP_FACTOR, type Jump } from '../integrity/invariants.js';
import { deleteBarsNotIn, lockSymbolWrites, upsertCorporateActions, upsertDailyBars, type UpsertCounts } from './bars.js';
import { notifyChange } from './changes.js';
import { recheckAllJumps, recheckJumps } from './data-checks.js';
import { insertQuotes } from './quotes.js';
import { addRunRows } from './runs.js';
import type { Database, RebasedSymbol } from './schema.js';
import { updateSymbolStates } from './symbol-state.js';
import { ensureSymbol, recordSymbolMeta } from './symbols.js';

export interface SymbolHistory {
  symbol: string;
  bars: readonly DailyBar[];
  actions: readonly CorporateAction[];
  /** What the chart's meta says about the symbol; null or absent leaves the stored value. */
  meta: { currency?: string | null; exchangeTz?: string | null; firstTradeDate?: IsoDate | null };
  /** True when these bars are the whole history: fetchedAt is then recorded as the last full fetch. */
  fullHistory: boolean;
  /**
   * The bars are the source's history from `from` to `to` (both included), in date order: stored
   * rows of those dates that are not among them are deleted. For a history on another basis (a
   * re-basing, verify's repair), where a row the source no longer has is a row on the old basis.
   */
  replace?: { from: IsoDate; to: IsoDate };
  source: BarSource;
  fetchedAt: Date;
  /** Consecutive closes further apart than this (either way) are recorded as jumps unless a split explains them. */
  jumpFactor?: number;
  /** The ingest run storing it: its row counts (revisions, a re-basing) grow in the same transaction. */
  run?: { id: number; rejected: number; revised?: number; rebased?: RebasedSymbol };
}

export interface StoredHistory extends UpsertCounts {
  /** Rows deleted because the source no longer has their session (`replace` only). */
  deleted: number;
  /** Unexplained jumps over the dates written. */
  jumps: number;
}

/**
 * One symbol's sync, all or nothing: bars (and, with `replace`, the stored rows the source no longer
 * has removed) and the symbol's drawdown state, then corporate actions, the jumps over the dates
 * written, the symbol's metadata, then its rows added to the run's counts. The full-fetch time is
 * recorded only with the data it describes, in the same transaction, because the split rule trusts
 * it; the run's counts likewise, so a run killed half-way counts exactly what it committed.
 */
export async function storeSymbolHistory(db: Kysely<Database>, history: SymbolHistory): Promise<StoredHistory> {
  const { symbol, bars, actions, meta, fullHistory, replace, source, fetchedAt, run } = history;
  return db.transaction().execute(async (trx) => {
    const symbols = [symbol, ...bars.map((b) => b.symbol)];
    await lockSymbolWrites(trx, symbols);
    const counts = await upsertDailyBars(trx, bars, source, fetchedAt);
    const deleted = replace ? await deleteBarsNotIn(trx, symbol, replace, bars.map((b) => b.tradeDate)) : 0;
    await updateSymbolStates(trx, symbols, { ...counts, deleted }, { bars, source });
    await upsertCorporateActions(trx, actions, source, fetchedAt);
    const written = replace ? { first: replace.from, last: replace.to } : bars.length > 0 ? { first: bars[0]!.tradeDate, last: bars.at(-1)!.tradeDate } : null;
    const closes = bars.map((b) => ({ date: b.tradeDate, close: b.close }));
    const jumps = written ? await recheckJumps(trx, symbol, written, history.jumpFactor ?? DEFAULT_JUMP_FACTOR, closes) : [];
    await recordSymbolMeta(trx, symbol, { ...meta, ...(fullHistory ? { fullFetchAt: fetchedAt } : {}) });
    if (run) {
      await addRunRows(trx, run.id, { inserted: counts.inserted, updated: counts.updated, rejected: run.rejected, revised: run.revised ?? 0, ...(run.rebased ? { rebased: run.rebased } : {}) });
    }
    if (counts.inserted + counts.updated + deleted > 0) await notifyChange(trx, 'bars', [symbol]);
    return { ...counts, deleted, jumps: jumps.length };
  });
}

/**
 * Corporate actions alone (a new split whose full re-fetch failed): the split on record makes the next
 * run's plan re-fetch the whole history. Returns the rows written.
 */
export async function storeCorporateActions(
  db: Kysely<Database>,
  actions: readonly CorporateAction[],
  source: BarSource,
  fetchedAt: Date,
): Promise<number> {
  return db.transaction().execute((trx) => upsertCorporateActions(trx, actions, source, fetchedAt));
}

/** One quote snapshot of the watchlist; returns how many snapshots were new. */
export async function storeQuoteSnapshot(
  db: Kysely<Database>,
  snapshots: readonly QuoteSnapshot[],
  source: 'yahoo' | 'sim',
  fetchedAt: Date,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const inserted = await insertQuotes(trx, snapshots, source, fetchedAt);
    // Sent on commit: the live page hears of it whichever process stored the snapshot.
    if (inserted > 0) await notifyChange(trx, 'quotes', snapshots.map((q) => q.symbol));
    return inserted;
  });
}

/**
 * One imported file, all or nothing: its symbol's row (added only if new, so an import never renames
 * a configured symbol), then its bars with source 'import'. The bars come as chunks, possibly read
 * while the transaction is open (a large file streamed): each is written as it comes, in the one
 * transaction, and an error from the source rolls the whole file back.
 */
export async function storeImport(
  db: Kysely<Database>,
  symbol: string,
  chunks: Iterable<readonly DailyBar[]> | AsyncIterable<readonly DailyBar[]>,
  importedAt: Date,
  jumpFactor = DEFAULT_JUMP_FACTOR,
): Promise<UpsertCounts & { jumps: number }> {
  return db.transaction().execute(async (trx) => {
    await lockSymbolWrites(trx, [symbol]);
    await ensureSymbol(trx, symbol);
    const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
    let first: IsoDate | null = null;
    let last: IsoDate | null = null;
    for await (const chunk of chunks) {
      const c = await upsertDailyBars(trx, chunk, 'import', importedAt);
      counts.inserted += c.inserted;
      counts.updated += c.updated;
      counts.unchanged += c.unchanged;
      // A file's rows need not be in date order: the dates it spans are what was written.
      for (const b of chunk) {
        if (first === null || b.tradeDate < first) first = b.tradeDate;
        if (last === null || b.tradeDate > last) last = b.tradeDate;
      }
    }
    await updateSymbolStates(trx, [symbol], counts);
    const jumps = first !== null && last !== null ? await recheckJumps(trx, symbol, { first, last }, jumpFactor) : [];
    if (counts.inserted + counts.updated > 0) await notifyChange(trx, 'import', [symbol]);
    return { ...counts, jumps: jumps.length };
  });
}

/** Bars alone in one transaction: the write the bench measures, as the ingest does it per symbol. */
export async function storeBars(db: Kysely<Database>, bars: readonly DailyBar[], source: BarSource, fetchedAt: Date): Promise<UpsertCounts> {
  return db.transaction().execute(async (trx) => {
    const symbols = bars.map((b) => b.symbol);
    await lockSymbolWrites(trx, symbols);
    const counts = await upsertDailyBars(trx, bars, source, fetchedAt);
    await updateSymbolStates(trx, symbols, counts, { bars, source });
    return counts;
  });
}

/** `verify`: the symbol's unexplained jumps over its whole history, found again under its write lock. */
export async function refreshJumps(db: Kysely<Database>, symbol: string, jumpFactor = DEFAULT_JUMP_FACTOR): Promise<Jump[]> {
  return db.transaction().execute(async (trx) => {
    await lockSymbolWrites(trx, [symbol]);
    return recheckAllJumps(trx, symbol, jumpFactor);
  });
}
