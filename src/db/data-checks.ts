// What the data checks keep (migration 0008): each unit of work's unexplained jumps between
// consecutive closes (bar_jumps), verify's findings (verify_differences), and the reads `status` and
// the daemon's /healthz show them with. The rules themselves are pure (src/integrity/).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { ClosePoint, IsoDate } from '../domain.js';
import type { DifferingRange } from '../integrity/compare.js';
import { unexplainedJumps, type Jump } from '../integrity/invariants.js';
import type { SplitEvent } from '../integrity/splits.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

interface Surroundings {
  before: ClosePoint | null;
  after: ClosePoint | null;
  /** Rows stored from `first` to `last`, both included. */
  inRange: number;
  /** Jumps kept from `first` on (through the session after `last`): none, and there is nothing to delete. */
  jumpsKept: number;
  splits: SplitEvent[];
}

/**
 * The closes just outside [first, last], the rows inside it, the jumps kept for those dates and the
 * symbol's splits: one statement, the only one of the check in the usual case (no jump before or after).
 */
async function surroundings(trx: Transaction<Database>, symbol: string, first: IsoDate, last: IsoDate): Promise<Surroundings> {
  const { rows } = await sql<{ before: ClosePoint | null; after: ClosePoint | null; in_range: number; jumps: number; splits: SplitEvent[] }>`
    select (select json_build_object('date', d.trade_date, 'close', d.close) from daily_bars d
             where d.symbol = ${symbol} and d.trade_date < ${first} order by d.trade_date desc limit 1) as before,
           (select json_build_object('date', d.trade_date, 'close', d.close) from daily_bars d
             where d.symbol = ${symbol} and d.trade_date > ${last} order by d.trade_date limit 1) as after,
           (select count(*) from daily_bars d where d.symbol = ${symbol} and d.trade_date between ${first} and ${last})::int as in_range,
           (select count(*) from bar_jumps j where j.symbol = ${symbol} and j.trade_date >= ${first})::int as jumps,
           coalesce((select json_agg(json_build_object('tradeDate', a.trade_date, 'numerator', a.numerator, 'denominator', a.denominator))
                       from corporate_actions a where a.symbol = ${symbol} and a.kind = 'split'), '[]'::json) as splits`.execute(trx);
  const r = rows[0]!;
  // json_build_object writes dates as text and numerics as JSON numbers: the shapes used everywhere.
  const splits = r.splits.map((s) => ({ ...s, numerator: Number(s.numerator), denominator: Number(s.denominator) }));
  return { before: r.before, after: r.after, inRange: Number(r.in_range), jumpsKept: Number(r.jumps), splits };
}

async function closesBetween(trx: Transaction<Database>, symbol: string, first: IsoDate, last: IsoDate): Promise<ClosePoint[]> {
  return trx
    .selectFrom('daily_bars')
    .select(['trade_date as date', 'close'])
    .where('symbol', '=', symbol)
    .where('trade_date', '>=', first)
    .where('trade_date', '<=', last)
    .orderBy('trade_date')
    .execute();
}

/**
 * After a unit of work wrote `symbol`'s bars from `first` to `last`: its unexplained jumps over those
 * dates and the session after them, recorded in place of the ones kept for them. `written`: the
 * closes just written in date order, when the unit of work has them (a sync); the closes of the range
 * are read back only when the table holds rows the write did not carry. Returns the jumps found.
 */
export async function recheckJumps(
  trx: Transaction<Database>,
  symbol: string,
  range: { first: IsoDate; last: IsoDate },
  jumpFactor: number,
  written?: readonly ClosePoint[],
): Promise<Jump[]> {
  const around = await surroundings(trx, symbol, range.first, range.last);
  const inside = written && written.length === around.inRange ? written : await closesBetween(trx, symbol, range.first, range.last);
  const closes = [...(around.before ? [around.before] : []), ...inside, ...(around.after ? [around.after] : [])];
  const jumps = unexplainedJumps(closes, around.splits, jumpFactor);
  if (jumps.length > 0 || around.jumpsKept > 0) await replaceJumps(trx, symbol, { first: range.first, last: around.after?.date ?? range.last }, jumps);
  return jumps;
}

/** Every jump of the symbol's whole history (verify; after a repair). */
export async function recheckAllJumps(trx: Transaction<Database>, symbol: string, jumpFactor: number): Promise<Jump[]> {
  const { rows } = await sql<{ first: IsoDate | null; last: IsoDate | null }>`
    select min(trade_date) as first, max(trade_date) as last from daily_bars where symbol = ${symbol}`.execute(trx);
  const { first, last } = rows[0] ?? { first: null, last: null };
  if (first === null || last === null) {
    await trx.deleteFrom('bar_jumps').where('symbol', '=', symbol).execute();
    return [];
  }
  await trx.deleteFrom('bar_jumps').where('symbol', '=', symbol).where((eb) => eb.or([eb('trade_date', '<', first), eb('trade_date', '>', last)])).execute();
  return recheckJumps(trx, symbol, { first, last }, jumpFactor);
}

/** The symbol's jumps dated in [first, last] are replaced by `jumps` (a delete and an insert of the same key cannot share one statement). */
async function replaceJumps(trx: Transaction<Database>, symbol: string, range: { first: IsoDate; last: IsoDate }, jumps: readonly Jump[]): Promise<void> {
  await trx.deleteFrom('bar_jumps').where('symbol', '=', symbol).where('trade_date', '>=', range.first).where('trade_date', '<=', range.last).execute();
  if (jumps.length === 0) return;
  await trx
    .insertInto('bar_jumps')
    .values(jumps.map((j) => ({ symbol, trade_date: j.date, previous_date: j.previousDate, previous_close: j.previousClose, close: j.close })))
    .execute();
}

export interface StoredJump extends Jump {
  symbol: string;
}

/** Every unexplained jump kept, by symbol and date. */
export async function storedJumps(db: Db): Promise<StoredJump[]> {
  const rows = await db.selectFrom('bar_jumps').select(['symbol', 'trade_date', 'previous_date', 'previous_close', 'close']).orderBy('symbol').orderBy('trade_date').execute();
  return rows.map((r) => ({ symbol: r.symbol, date: r.trade_date, previousDate: r.previous_date, previousClose: r.previous_close, close: r.close }));
}

export interface FlaggedRows {
  symbol: string;
  rows: number;
  firstDate: IsoDate;
  lastDate: IsoDate;
}

/** Per symbol, the rows kept with an OHLC-order flag (a partial index of 0008 holds exactly those). */
export async function flaggedRows(db: Db): Promise<FlaggedRows[]> {
  const rows = await db
    .selectFrom('daily_bars')
    .select((eb) => ['symbol', eb.fn.countAll<number>().as('rows'), eb.fn.min('trade_date').as('first'), eb.fn.max('trade_date').as('last')])
    .where('quality', '<>', sql<string[]>`'{}'`)
    .groupBy('symbol')
    .orderBy('symbol')
    .execute();
  return rows.map((r) => ({ symbol: r.symbol, rows: Number(r.rows), firstDate: r.first, lastDate: r.last }));
}

/** A verify run's findings for one symbol. */
export async function recordVerifyDifferences(db: Db, runId: number, symbol: string, ranges: readonly DifferingRange[], repaired: boolean): Promise<void> {
  if (ranges.length === 0) return;
  const json = (value: unknown) => (value === null ? null : JSON.stringify(value));
  await db
    .insertInto('verify_differences')
    .values(
      ranges.map((r) => ({
        run_id: runId,
        symbol,
        first_date: r.firstDate,
        last_date: r.lastDate,
        kind: r.kind,
        rows: r.rows,
        fields: r.fields,
        factor: r.factor,
        adj_close_factor: r.adjCloseFactor,
        stored: json(r.stored),
        source: json(r.source),
        repaired,
      })),
    )
    .execute();
}

export interface VerifyRecord {
  runId: number;
  status: string;
  startedAt: Date;
  finishedAt: Date | null;
  symbols: string[];
  /** Differing ranges per symbol, repaired or not. */
  differences: { symbol: string; kind: DifferingRange['kind']; firstDate: IsoDate; lastDate: IsoDate; rows: number; fields: string[]; factor: number | null; repaired: boolean }[];
}

/** The newest verify run that finished, with what it found; null when none ran. */
export async function latestVerify(db: Db): Promise<VerifyRecord | null> {
  const run = await db
    .selectFrom('ingest_runs')
    .select(['id', 'status', 'started_at', 'finished_at', 'symbols'])
    .where('job', '=', 'verify')
    .where('status', '<>', 'running')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!run) return null;
  const rows = await db
    .selectFrom('verify_differences')
    .select(['symbol', 'kind', 'first_date', 'last_date', 'rows', 'fields', 'factor', 'repaired'])
    .where('run_id', '=', run.id)
    .orderBy('symbol')
    .orderBy('first_date')
    .execute();
  return {
    runId: Number(run.id),
    status: run.status,
    startedAt: run.started_at,
    finishedAt: run.finished_at,
    symbols: run.symbols,
    differences: rows.map((r) => ({ symbol: r.symbol, kind: r.kind, firstDate: r.first_date, lastDate: r.last_date, rows: r.rows, fields: r.fields, factor: r.factor, repaired: r.repaired })),
  };
}
