// Pure: decide which date range to fetch for each watched symbol. No I/O, no clock: "now" and
// "today" come in as arguments, and the exchange calendar is injected.
import type { IsoDate } from '../domain.js';
import { addDays, toDayNumber } from '../market/iso-date.js';

/**
 * Why a range is fetched. 'refetch_split' and 'refetch_rebased' re-fetch the whole history because
 * the stored one is on another basis: a split explains it (or the calendar rule fears one), or
 * nothing on record does (src/ingest/refetch.ts).
 */
export type FetchReason = 'backfill' | 'incremental' | 'refetch_split' | 'refetch_rebased' | 'forced';

export interface FetchTask {
  symbol: string;
  /** First session date wanted, inclusive. */
  from: IsoDate;
  /** Day after the last date wanted; always later than `from`. */
  toExclusive: IsoDate;
  reason: FetchReason;
  /**
   * True when the range starts at (or before) the symbol's configured history start. After such a
   * task succeeds its store records symbols.last_full_fetch_at (db/store.ts storeSymbolHistory); the
   * split rule depends on it.
   */
  full: boolean;
}

export interface StoredRange {
  lastDate: IsoDate | null;
  lastFullFetchAt: Date | null;
  firstDate: IsoDate | null;
  /** Yahoo's first trade date for the symbol, as last seen in a chart's meta (symbols.first_trade_date). */
  firstTradeDate?: IsoDate | null;
}

export interface PlanInput {
  watchlist: readonly { symbol: string; historyStart?: IsoDate }[];
  stored: ReadonlyMap<string, StoredRange>;
  /** Newest known split date per symbol (corporate_actions or a probe). */
  latestSplits: ReadonlyMap<string, IsoDate>;
  now: Date;
  /** Session date in the exchange zone. */
  today: IsoDate;
  defaultStart: IsoDate;
  /** Sessions re-read before the last stored date, to pick up Yahoo's late corrections. */
  overlapSessions?: number;
  /** The user's --from: re-fetch from this date whatever is stored. */
  from?: IsoDate;
  calendar: { sessionsAgo(date: IsoDate, n: number): IsoDate };
}

/**
 * One task per watched symbol (first occurrence wins), chosen by the first rule that applies:
 * 1. `from` given -> 'forced' from that date.
 * 2. nothing stored -> 'backfill' from historyStart (else defaultStart).
 * 3. a split on or before today that the last full fetch may predate -> 'refetch_split' from the start.
 * 4. rows exist but no full fetch ever ran and they begin after the start (e.g. a CSV import)
 *    -> 'backfill', once: the full fetch is then recorded.
 * 5. otherwise 'incremental': `overlapSessions` sessions before the last stored date (or before
 *    today, if stored data runs past it) up to today.
 * Every range ends at today (toExclusive = today + 1 day). A stored symbol is never skipped even
 * when it is up to date: re-reading the overlap window is one small request and refreshes today's
 * in-progress bar. A symbol whose start is after today is skipped (nothing can exist yet).
 */
export function planSync(input: PlanInput): FetchTask[] {
  const { today, overlapSessions = 5, calendar } = input;
  if (!Number.isInteger(overlapSessions) || overlapSessions < 0) {
    throw new RangeError(`overlapSessions must be a whole number >= 0 (got ${overlapSessions})`);
  }
  const toExclusive = addDays(today, 1);
  const tasks: FetchTask[] = [];
  const seen = new Set<string>();

  for (const { symbol, historyStart } of input.watchlist) {
    if (seen.has(symbol)) continue;
    seen.add(symbol);
    const start = historyStart ?? input.defaultStart;
    const stored = input.stored.get(symbol);
    const fromStart = (reason: FetchReason): FetchTask | null =>
      start > today ? null : { symbol, from: start, toExclusive, reason, full: true };

    let task: FetchTask | null;
    if (input.from !== undefined) {
      const from = input.from;
      task = from > today ? null : { symbol, from, toExclusive, reason: 'forced', full: reachesFirstData(from, start, stored) };
    } else if (!stored || stored.lastDate === null) {
      task = fromStart('backfill');
    } else if (splitSinceFullFetch(input.latestSplits.get(symbol), stored.lastFullFetchAt, input.now, today)) {
      task = fromStart('refetch_split');
    } else if (stored.lastFullFetchAt === null && stored.firstDate !== null && stored.firstDate > start) {
      task = fromStart('backfill');
    } else {
      // Anchoring at the earlier of the last stored date and today keeps the range non-empty
      // even if stored rows claim a future date.
      const anchor = stored.lastDate < today ? stored.lastDate : today;
      const from = overlapSessions === 0 ? anchor : calendar.sessionsAgo(anchor, overlapSessions);
      task = { symbol, from, toExclusive, reason: 'incremental', full: from <= start };
    }
    if (task) tasks.push(task);
  }
  return tasks;
}

/**
 * True when a range starting at `from` holds everything there is for the symbol: it starts on or
 * before the configured start, or the symbol's first trade date, or (when the stored rows came from a
 * full fetch, so nothing older exists) the first stored bar. `sync --from 1920-01-01` is then a full
 * fetch even though the default start is 1900.
 */
export function reachesFirstData(from: IsoDate, start: IsoDate, stored: StoredRange | undefined): boolean {
  if (from <= start) return true;
  if (stored?.firstTradeDate && from <= stored.firstTradeDate) return true;
  return stored?.lastFullFetchAt != null && stored.firstDate !== null && from <= stored.firstDate;
}

/**
 * True when Yahoo may have rewritten the symbol's history (split-adjusted prices) after the last
 * full fetch. The fetch instant is compared through its UTC calendar date: for an exchange west of
 * UTC that is the exchange date or the day after, so "split date >= UTC date of the fetch" errs
 * toward re-fetching. For New York, any fetch before 20:00 EDT (19:00 EST) on the split day counts as
 * stale. A split dated after today is not effective yet and waits for its day. A fetch time later
 * than `now` (clock skew, a bad row) is not trusted.
 */
function splitSinceFullFetch(
  split: IsoDate | undefined,
  lastFullFetchAt: Date | null,
  now: Date,
  today: IsoDate,
): boolean {
  if (split === undefined || split > today) return false;
  if (lastFullFetchAt === null || !(lastFullFetchAt.getTime() <= now.getTime())) return true;
  return split >= lastFullFetchAt.toISOString().slice(0, 10);
}

/** period1/period2 for yahoo-finance2 chart(). */
export interface ChartPeriod {
  period1: Date;
  period2: Date;
}

/**
 * Converts a task to chart() bounds: UTC midnight of `from` and of `toExclusive`. NYSE daily bars are
 * stamped at the 09:30 New York open (13:30/14:30 UTC), and the in-progress bar at the last trade
 * (by 16:00 New York, 20:00/21:00 UTC), so both midnights fall between sessions and bracket exactly
 * [from, toExclusive). Dates go in as Date objects: a number would be read as seconds and a string
 * is easy to misread. chart() throws on period1 === period2, so an empty range is refused here.
 */
export function toChartPeriod(task: Pick<FetchTask, 'from' | 'toExclusive'>): ChartPeriod {
  const period1 = utcMidnight(task.from);
  const period2 = utcMidnight(task.toExclusive);
  if (!(period1.getTime() < period2.getTime())) {
    throw new RangeError(`empty or inverted range: from ${task.from} to ${task.toExclusive} (exclusive)`);
  }
  return { period1, period2 };
}

function utcMidnight(date: IsoDate): Date {
  return new Date(toDayNumber(date) * 86_400_000); // toDayNumber throws on anything but YYYY-MM-DD
}
