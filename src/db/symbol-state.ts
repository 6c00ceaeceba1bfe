// The per-symbol drawdown state of migration 0007: loaded and saved here, computed by the pure
// src/report/math/drawdown-state.ts. The units of work (store.ts) call updateSymbolStates once, at
// the end of the transaction that wrote the bars: a pure append after the stored last date advances
// the state with the appended rows; anything else (a split re-fetch, `sync --from` with changed
// values, an import of older rows, a missing or outdated state) rebuilds it from every bar.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { BarSource, ClosePoint, IsoDate } from '../domain.js';
import { advanceState, DRAWDOWN_STATE_VERSION, type DrawdownState } from '../report/math/drawdown-state.js';
import type { UpsertCounts } from './bars.js';
import { streamClosesForReport } from './report-data.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface StoredSymbolState {
  state: DrawdownState;
  /** Distinct daily_bars.source of the symbol's rows, sorted. */
  sources: BarSource[];
}

export interface SymbolStates {
  /**
   * False when some transaction wrote daily_bars without updating the states (psql, `sql --write`):
   * then no state can be trusted until `bubblewatch db rebuild-state`.
   */
  trusted: boolean;
  /** Current-version states of the symbols asked for that have one. */
  states: Map<string, StoredSymbolState>;
}

export interface StateRefresh {
  advanced: string[];
  rebuilt: string[];
}

interface BarRow {
  date: IsoDate;
  close: number;
  source: BarSource;
}

const sortedSources = (sources: Iterable<string>): BarSource[] => [...new Set(sources)].sort() as BarSource[];

/**
 * Serialises state updates of a symbol until the transaction ends: a writer of the same symbol waits
 * here, then (read committed) sees the bars and the state the first one committed.
 */
async function lockSymbols(trx: Transaction<Database>, symbols: readonly string[]): Promise<void> {
  // Sorted: two writers of several symbols take the locks in the same order.
  for (const symbol of [...symbols].sort()) {
    await sql`select pg_advisory_xact_lock(hashtext('bubblewatch.symbol_state'), hashtext(current_schema() || '.' || ${symbol}))`.execute(trx);
  }
}

async function readStates(db: Db, symbols: readonly string[]): Promise<Map<string, StoredSymbolState>> {
  if (symbols.length === 0) return new Map();
  const rows = await db
    .selectFrom('symbol_state')
    .select(['symbol', 'sources', 'state'])
    .where('symbol', 'in', [...symbols])
    .where('version', '=', DRAWDOWN_STATE_VERSION)
    .execute();
  return new Map(rows.map((r) => [r.symbol, { state: r.state as DrawdownState, sources: r.sources as BarSource[] }]));
}

/** The symbol's rows after a date, in date order: a day's sync appends one or a few. */
async function barsAfter(trx: Transaction<Database>, symbol: string, after: IsoDate): Promise<BarRow[]> {
  const rows = await trx
    .selectFrom('daily_bars')
    .select(['trade_date as date', 'close', 'source'])
    .where('symbol', '=', symbol)
    .where('trade_date', '>', after)
    .orderBy('trade_date')
    .execute();
  return rows as BarRow[];
}

async function saveState(db: Db, symbol: string, stored: StoredSymbolState | null, change: 'rebuilt' | 'advanced'): Promise<void> {
  if (!stored) {
    await db.deleteFrom('symbol_state').where('symbol', '=', symbol).execute();
    return;
  }
  const row = {
    version: DRAWDOWN_STATE_VERSION,
    last_date: stored.state.last.date,
    sessions: stored.state.last.i + 1,
    sources: stored.sources,
    state: JSON.stringify(stored.state),
    last_change: change,
    updated_at: sql<Date>`now()`,
  };
  await db
    .insertInto('symbol_state')
    .values({ symbol, ...row })
    .onConflict((oc) => oc.column('symbol').doUpdateSet(row))
    .execute();
}

/** The stored state advanced with the rows appended after it. */
function stateOf(rows: readonly BarRow[], base: StoredSymbolState, symbol: string): StoredSymbolState {
  const points: ClosePoint[] = rows.map((r) => ({ date: r.date, close: r.close }));
  return { state: advanceState(base.state, points, symbol)!, sources: sortedSources([...base.sources, ...rows.map((r) => r.source)]) };
}

/**
 * Every state of `symbols` from all of its bars (the caller holds their locks). The bars come as the
 * report reads them, one string per symbol: a backfill's thousands of rows are split, not parsed
 * into row objects. A symbol without bars loses its state.
 */
async function rebuildStates(trx: Transaction<Database>, symbols: readonly string[]): Promise<number> {
  const seen = new Set<string>();
  for await (const s of streamClosesForReport(trx, symbols, '9999-12-31', symbols.length)) {
    const state = advanceState(null, s.closes, s.symbol);
    await saveState(trx, s.symbol, state && { state, sources: s.sources }, 'rebuilt');
    seen.add(s.symbol);
  }
  const empty = symbols.filter((s) => !seen.has(s));
  if (empty.length > 0) await trx.deleteFrom('symbol_state').where('symbol', 'in', empty).execute();
  return seen.size;
}

/**
 * The hook of the units of work: brings the states of `symbols` up to date with what this transaction
 * wrote (`counts`, all of it to these symbols). Every row after a state's last date is new in this
 * transaction (a committed write updates its states), so when the rows inserted or updated number
 * exactly the rows after the last dates, nothing older changed and the states are advanced;
 * otherwise they are rebuilt. Also clears this transaction's untracked-write mark.
 */
export async function updateSymbolStates(
  trx: Transaction<Database>,
  symbols: readonly string[],
  counts: UpsertCounts,
): Promise<StateRefresh> {
  const unique = [...new Set(symbols)];
  const result: StateRefresh = { advanced: [], rebuilt: [] };
  await lockSymbols(trx, unique);
  const stored = await readStates(trx, unique);
  const changed = counts.inserted + counts.updated;
  if (changed > 0 || stored.size < unique.length) {
    let appendOnly = stored.size === unique.length;
    const appended = new Map<string, BarRow[]>();
    if (appendOnly) {
      let rows = 0;
      for (const symbol of unique) {
        const after = await barsAfter(trx, symbol, stored.get(symbol)!.state.last.date);
        appended.set(symbol, after);
        rows += after.length;
      }
      appendOnly = rows === changed;
    }
    if (appendOnly) {
      for (const symbol of unique) {
        const rows = appended.get(symbol)!;
        if (rows.length === 0) continue;
        await saveState(trx, symbol, stateOf(rows, stored.get(symbol)!, symbol), 'advanced');
        result.advanced.push(symbol);
      }
    } else {
      await rebuildStates(trx, unique);
      result.rebuilt.push(...unique);
    }
  }
  await sql`delete from symbol_state_untracked_writes where txid = txid_current()`.execute(trx);
  return result;
}

/** The current-version states of the symbols, and whether any state can be trusted at all. */
export async function loadSymbolStates(db: Db, symbols: readonly string[]): Promise<SymbolStates> {
  const marks = await db.selectFrom('symbol_state_untracked_writes').select('txid').limit(1).execute();
  if (marks.length > 0) return { trusted: false, states: new Map() };
  return { trusted: true, states: await readStates(db, symbols) };
}

/** Symbols per transaction when rebuilding every state. */
const REBUILD_BATCH = 50;

/**
 * Rebuilds the state of every symbol with bars (and drops the states of symbols without any), then
 * clears the untracked-write marks that were there when it started. Batches of symbols, each in one
 * transaction under the symbols' locks, so a sync running meanwhile waits for a batch, not the whole
 * rebuild. Returns the symbols rebuilt.
 */
export async function rebuildAllSymbolStates(db: Kysely<Database>, onBatch?: (done: number, total: number) => void): Promise<number> {
  const marks = (await db.selectFrom('symbol_state_untracked_writes').select('txid').execute()).map((m) => m.txid);
  const symbols = (await db.selectFrom('symbols').select('symbol').orderBy('symbol').execute()).map((r) => r.symbol);
  let rebuilt = 0;
  for (let at = 0; at < symbols.length; at += REBUILD_BATCH) {
    const batch = symbols.slice(at, at + REBUILD_BATCH);
    await db.transaction().execute(async (trx) => {
      await lockSymbols(trx, batch);
      rebuilt += await rebuildStates(trx, batch);
    });
    onBatch?.(Math.min(at + REBUILD_BATCH, symbols.length), symbols.length);
  }
  if (marks.length > 0) await db.deleteFrom('symbol_state_untracked_writes').where('txid', 'in', marks).execute();
  return rebuilt;
}
