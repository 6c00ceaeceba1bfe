// The per-symbol running peak of migration 0007 (symbol_state): loaded and saved here, advanced by the
// pure src/peak-state.ts. The units of work (store.ts) call updateSymbolStates once, at
// the end of the transaction that wrote the bars: a pure append after the stored last date (or a first
// backfill) advances the state with the appended rows, taken from what was written when the unit of
// work has it at hand; anything else (a split re-fetch, `sync --from` with changed values, an import
// of older rows, an outdated state) rebuilds it from every bar. Each store costs two statements
// here whatever the number of symbols: read the states with the rows after them counted, save, and
// nothing else (the write lock is the unit of work's, the untracked mark is cleared by the save).
import { sql, type Insertable, type Kysely, type QueryCreator, type Transaction } from 'kysely';
import type { BarSource, ClosePoint, DailyBar, IsoDate } from '../domain.js';
import { advancePeakState, PEAK_STATE_VERSION, type PeakState } from '../peak-state.js';
import { lockSymbolWrites, type UpsertCounts } from './bars.js';
import { streamClosesForReport } from './report-data.js';
import type { Database, SymbolStateTable } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface StoredSymbolState {
  state: PeakState;
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

async function readStates(db: Db, symbols: readonly string[]): Promise<Map<string, StoredSymbolState>> {
  if (symbols.length === 0) return new Map();
  const rows = await db
    .selectFrom('symbol_state')
    .select(['symbol', 'sources', 'state'])
    .where('symbol', 'in', [...symbols])
    .where('version', '=', PEAK_STATE_VERSION)
    .execute();
  return new Map(rows.map((r) => [r.symbol, { state: r.state as PeakState, sources: r.sources as BarSource[] }]));
}

interface StatesAndAppended {
  stored: Map<string, StoredSymbolState>;
  /** Per symbol, how many of its stored rows come after its state's last date (all of them when it has no state). */
  appended: Map<string, number>;
}

/** The current states of the symbols and the rows stored after each: one statement, counted in the database. */
async function readStatesAndAppended(trx: Transaction<Database>, symbols: readonly string[]): Promise<StatesAndAppended> {
  const { rows } = await sql<{ symbol: string; state: PeakState | null; sources: BarSource[] | null; appended: number }>`
    select r.symbol, st.state, st.sources,
           (select count(*) from daily_bars d
             where d.symbol = r.symbol and d.trade_date > coalesce(st.last_date, '-infinity'))::int as appended
      from unnest(${symbols}::text[]) as r(symbol)
      left join symbol_state st on st.symbol = r.symbol and st.version = ${PEAK_STATE_VERSION}`.execute(trx);
  const stored = new Map<string, StoredSymbolState>();
  const appended = new Map<string, number>();
  for (const r of rows) {
    if (r.state) stored.set(r.symbol, { state: r.state, sources: r.sources ?? [] });
    appended.set(r.symbol, Number(r.appended));
  }
  return { stored, appended };
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

type NewStates = Map<string, { stored: StoredSymbolState | null; change: 'rebuilt' | 'advanced' }>;

/**
 * Writes the new states in one statement (and drops the states of symbols left without bars in
 * another). With `clearMark`, the same statement removes this transaction's untracked-write mark.
 */
async function saveStates(db: Db, states: NewStates, clearMark = false): Promise<void> {
  const rows: Insertable<SymbolStateTable>[] = [];
  const gone: string[] = [];
  for (const [symbol, { stored, change }] of states) {
    if (!stored) {
      gone.push(symbol);
      continue;
    }
    rows.push({
      symbol,
      version: PEAK_STATE_VERSION,
      last_date: stored.state.last.date,
      sessions: stored.state.last.i + 1,
      sources: stored.sources,
      state: JSON.stringify(stored.state),
      last_change: change,
      // updated_at: its default, now(), which excluded.updated_at carries into the update too
    });
  }
  if (gone.length > 0) await db.deleteFrom('symbol_state').where('symbol', 'in', gone).execute();
  if (rows.length === 0) {
    if (clearMark) await clearUntrackedMark(db);
    return;
  }
  const upsert = (qc: QueryCreator<Database>) =>
    qc
      .insertInto('symbol_state')
      .values(rows)
      .onConflict((oc) =>
        oc.column('symbol').doUpdateSet((eb) => ({
          version: eb.ref('excluded.version'),
          last_date: eb.ref('excluded.last_date'),
          sessions: eb.ref('excluded.sessions'),
          sources: eb.ref('excluded.sources'),
          state: eb.ref('excluded.state'),
          last_change: eb.ref('excluded.last_change'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      );
  // The mark's delete rides along as a data-modifying CTE: one round trip fewer per store. (The CTE
  // adds a name the insert does not use, hence the cast back to the plain query creator.)
  const withMarkCleared = () =>
    db.with('cleared', (qc) => qc.deleteFrom('symbol_state_untracked_writes').where('txid', '=', sql<number>`txid_current()`)) as unknown as QueryCreator<Database>;
  await upsert(clearMark ? withMarkCleared() : db).execute();
}

async function clearUntrackedMark(db: Db): Promise<void> {
  await sql`delete from symbol_state_untracked_writes where txid = txid_current()`.execute(db);
}

/** Rows appended after a state: their closes in date order and the sources among them. */
interface Appended {
  points: ClosePoint[];
  sources: readonly BarSource[];
}

const appendedOf = (rows: readonly BarRow[]): Appended => ({
  points: rows.map((r) => ({ date: r.date, close: r.close })),
  sources: sortedSources(rows.map((r) => r.source)),
});

/** The stored state (or none) advanced with the rows appended after it. */
function stateOf(appended: Appended, base: StoredSymbolState | null, symbol: string): StoredSymbolState {
  return {
    state: advancePeakState(base?.state ?? null, appended.points, symbol)!,
    sources: sortedSources([...(base?.sources ?? []), ...appended.sources]),
  };
}

/**
 * Every state of `symbols` from all of its bars (the caller holds their locks). The bars come as the
 * report reads them, one string per symbol: a backfill's thousands of rows are split, not parsed
 * into row objects. A symbol without bars loses its state.
 */
async function rebuildStates(trx: Transaction<Database>, symbols: readonly string[], clearMark = false): Promise<number> {
  const states: NewStates = new Map(symbols.map((s) => [s, { stored: null, change: 'rebuilt' }]));
  let rebuilt = 0;
  for await (const s of streamClosesForReport(trx, symbols, '9999-12-31', symbols.length)) {
    const state = advancePeakState(null, s.closes, s.symbol);
    states.set(s.symbol, { stored: state && { state, sources: s.sources }, change: 'rebuilt' });
    rebuilt++;
  }
  await saveStates(trx, states, clearMark);
  return rebuilt;
}

/** What a unit of work wrote, when it has it at hand: lets an append advance the states without reading the rows back. */
export interface WrittenBars {
  bars: readonly DailyBar[];
  /** The source every inserted row got. */
  source: BarSource;
}

/** The written bars of each symbol dated after `after`, as appended rows. */
function writtenAfter(written: WrittenBars, after: ReadonlyMap<string, IsoDate>): Map<string, Appended> {
  const points = new Map<string, ClosePoint[]>();
  for (const b of written.bars) {
    const from = after.get(b.symbol);
    if (from === undefined || b.tradeDate <= from) continue;
    let list = points.get(b.symbol);
    if (!list) points.set(b.symbol, (list = []));
    list.push({ date: b.tradeDate, close: b.close });
  }
  const byDate = (x: ClosePoint, y: ClosePoint) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0);
  const appended = new Map<string, Appended>();
  for (const [symbol, list] of points) {
    // Bars come in date order from every provider; sorted only when they do not.
    if (list.some((p, k) => k > 0 && p.date < list[k - 1]!.date)) list.sort(byDate);
    appended.set(symbol, { points: list, sources: [written.source] });
  }
  return appended;
}

/**
 * The hook of the units of work: brings the states of `symbols` up to date with what this transaction
 * wrote (`counts`, all of it to these symbols). Every row after a state's last date (every row, for a
 * symbol without a state) is new in this transaction, since a committed write updates its states. So
 * when the rows inserted or updated number exactly the rows after the last dates, nothing older
 * changed and the states are advanced with those rows; otherwise they are rebuilt from every bar.
 * The rows are counted in the database; when `written` holds all of them (a backfill, a day's new
 * bars) they are taken from it rather than read back. The caller holds the symbols' write locks
 * (lockSymbolWrites), so no other writer changes their bars or states in between. Also clears this
 * transaction's untracked-write mark.
 */
export async function updateSymbolStates(
  trx: Transaction<Database>,
  symbols: readonly string[],
  counts: UpsertCounts & { deleted?: number },
  written?: WrittenBars,
): Promise<StateRefresh> {
  const unique = [...new Set(symbols)];
  const result: StateRefresh = { advanced: [], rebuilt: [] };
  const { stored, appended } = await readStatesAndAppended(trx, unique);
  let total = 0;
  for (const n of appended.values()) total += n;
  // A deleted row may be anywhere in the history: only a rebuild forgets it.
  if (total !== counts.inserted + counts.updated || (counts.deleted ?? 0) > 0) {
    await rebuildStates(trx, unique, true);
    result.rebuilt.push(...unique);
    return result;
  }
  // '-infinity': a symbol without a state has all of its rows "after" it.
  const after = new Map(unique.map((s) => [s, stored.get(s)?.state.last.date ?? '-infinity']));
  const inMemory = written ? writtenAfter(written, after) : new Map<string, Appended>();
  const states: NewStates = new Map();
  for (const symbol of unique) {
    const n = appended.get(symbol) ?? 0;
    if (n === 0) continue; // nothing new; a symbol with neither a state nor a row keeps having none
    const base = stored.get(symbol) ?? null;
    const known = inMemory.get(symbol);
    // Every written key is stored, so as many written rows after the date as stored ones are the same rows.
    const rows = known && known.points.length === n ? known : appendedOf(await barsAfter(trx, symbol, after.get(symbol)!));
    states.set(symbol, { stored: stateOf(rows, base, symbol), change: base ? 'advanced' : 'rebuilt' });
    (base ? result.advanced : result.rebuilt).push(symbol);
  }
  await saveStates(trx, states, true);
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
      await lockSymbolWrites(trx, batch);
      rebuilt += await rebuildStates(trx, batch);
    });
    onBatch?.(Math.min(at + REBUILD_BATCH, symbols.length), symbols.length);
  }
  if (marks.length > 0) await db.deleteFrom('symbol_state_untracked_writes').where('txid', 'in', marks).execute();
  return rebuilt;
}
