// Pure decisions of a sync, verify or quotes run that are not about date ranges (those are in plan.ts): which
// symbols a run covers, when fetched events call for a full re-fetch, and what status a run ends in.
import { isValidSymbol } from '../bar-checks.js';
import type { CorporateAction, IsoDate } from '../domain.js';
import { planSync, type FetchTask, type PlanInput, type StoredRange } from './plan.js';

export interface WatchedSymbol {
  symbol: string;
  name?: string | undefined;
  kind?: 'equity' | 'index' | undefined;
  historyStart?: IsoDate | undefined;
}

export interface SymbolSelection {
  /** What the run covers, in the order asked (watchlist order when nothing was asked). */
  items: WatchedSymbol[];
  /** Asked for explicitly but not in the watchlist: synced on request, added to `symbols`. */
  extra: string[];
  /** Not Yahoo symbols at all (bad usage). */
  invalid: string[];
}

/**
 * The watchlist, or the symbols asked for. A symbol outside the watchlist is allowed when asked for
 * by name: whether Yahoo knows it is for Yahoo to say, and an unknown one then fails alone, with the
 * reason in the run record, instead of the whole command refusing to start.
 */
export function selectSymbols(watchlist: readonly WatchedSymbol[], requested?: readonly string[]): SymbolSelection {
  if (requested === undefined) return { items: dedupe(watchlist), extra: [], invalid: [] };
  const bySymbol = new Map(watchlist.map((w) => [w.symbol, w]));
  const items: WatchedSymbol[] = [];
  const extra: string[] = [];
  const invalid: string[] = [];
  for (const symbol of new Set(requested)) {
    if (!isValidSymbol(symbol)) invalid.push(symbol);
    else if (bySymbol.has(symbol)) items.push(bySymbol.get(symbol)!);
    else {
      items.push({ symbol });
      extra.push(symbol);
    }
  }
  return { items, extra, invalid };
}

function dedupe(items: readonly WatchedSymbol[]): WatchedSymbol[] {
  const seen = new Set<string>();
  return items.filter((i) => !seen.has(i.symbol) && seen.add(i.symbol));
}

/** The newest split among the actions, or undefined. */
export function newestSplit(actions: readonly CorporateAction[]): IsoDate | undefined {
  let newest: IsoDate | undefined;
  for (const a of actions) if (a.kind === 'split' && (newest === undefined || a.tradeDate > newest)) newest = a.tradeDate;
  return newest;
}

export interface SplitCheck extends Omit<PlanInput, 'watchlist' | 'stored' | 'latestSplits' | 'from'> {
  item: WatchedSymbol;
  /** What was stored before this run. */
  stored: StoredRange | undefined;
  /** Newest split on record before this run. */
  knownSplit: IsoDate | undefined;
}

/**
 * After a fetch that did not cover the whole history: the full re-fetch to run now when the fetched
 * events carry a split that is new (not on record) and that the last full fetch may predate. Yahoo
 * has then rewritten every earlier split-adjusted price, so the stored history is on the old basis.
 * The "may predate" rule is planSync's own, so a split seen here and one seen at planning time are
 * judged alike.
 */
export function refetchForNewSplit(done: FetchTask, actions: readonly CorporateAction[], check: SplitCheck): FetchTask | null {
  if (done.full) return null;
  const split = newestSplit(actions);
  if (split === undefined || (check.knownSplit !== undefined && split <= check.knownSplit)) return null;
  const { item, stored, knownSplit: _known, ...rest } = check;
  const [task] = planSync({
    ...rest,
    watchlist: [item],
    stored: new Map(stored ? [[item.symbol, stored]] : []),
    latestSplits: new Map([[item.symbol, split]]),
  });
  return task && task.reason === 'refetch_split' ? task : null;
}

export type FinalStatus = 'ok' | 'partial' | 'failed' | 'aborted';

/** aborted beats everything; otherwise ok, partial (some symbols failed) or failed (all did). */
export function runStatus(counts: { symbols: number; failed: number; aborted: boolean }): FinalStatus {
  if (counts.aborted) return 'aborted';
  if (counts.failed === 0) return 'ok';
  return counts.failed >= counts.symbols ? 'failed' : 'partial';
}
