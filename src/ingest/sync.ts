// History sync: read stored state -> plan (pure) -> fetch -> map (pure) -> store, with one
// ingest_runs row per run. Each symbol is stored in one transaction, so a symbol is either fully
// updated or untouched, and one bad symbol never stops the others.
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { storedBars } from '../db/bars.js';
import { isConnectionError } from '../db/connection-errors.js';
import { withIngestLock } from '../db/ingest-lock.js';
import { readSyncState } from '../db/ingest-state.js';
import { abortDeadRuns, finishRun, startRun, isProcessAlive } from '../db/runs.js';
import type { RebasedSymbol, RunFailure, RunRejection } from '../db/schema.js';
import { storeCorporateActions, storeSymbolHistory, type StoredHistory } from '../db/store.js';
import type { IsoDate } from '../domain.js';
import { readOverlap, type OverlapReading } from '../integrity/overlap.js';
import { sessionsAgo } from '../market/calendar.js';
import { addDays } from '../market/iso-date.js';
import { zonedDate } from '../market/zoned-time.js';
import type { MappedChart } from '../providers/yahoo/map.js';
import { fetchChart } from './chart.js';
import { failureOf, inStage, logFailure, StageError } from './failures.js';
import { runStatus, selectSymbols, type FinalStatus } from './run-rules.js';
import { planSync, type FetchReason, type FetchTask } from './plan.js';
import { decideRefetch, describeRebase, type RebaseFinding } from './refetch.js';
import { messageOf, registerSymbols, requestsSince, sourceOf, type IngestDeps } from './run-context.js';

/** Backfill start when config history.start is null ("as far back as Yahoo goes"): before any listing. */
export const EARLIEST_HISTORY: IsoDate = '1900-01-01';

/** Rejected rows logged one by one per symbol; beyond this, one line with the count. */
const REJECTED_LOGGED = 50;

export type SyncProgress =
  | { type: 'planned'; tasks: readonly FetchTask[] }
  | { type: 'symbol'; result: SymbolSyncResult };

export interface SyncOptions {
  /** Only these symbols; ones outside the watchlist are synced too (they get a `symbols` row). */
  symbols?: readonly string[];
  /** Re-fetch from this date whatever is stored. */
  from?: IsoDate;
  /** Called as the run goes (the CLI's progress bar). */
  onProgress?: (event: SyncProgress) => void;
}

export interface SymbolSyncResult {
  symbol: string;
  status: 'ok' | 'failed' | 'aborted';
  reason: FetchReason;
  from: IsoDate;
  /** Last date asked for (inclusive). */
  to: IsoDate;
  /**
   * True when this run re-fetched the whole history after its first fetch: the overlap showed another
   * basis, or a new split made the calendar rule ask for it.
   */
  splitRefetch: boolean;
  /** Set when the overlap showed the stored history on another basis (the factor, the split on record). */
  rebase: RebaseFinding | null;
  /** Valid bars received (and stored, when status is ok). */
  bars: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Overlap rows the source changed on the same basis (revisions); 0 after a re-basing. */
  revised: number;
  /** Stored rows the source no longer has, removed with a history stored on its new basis. */
  deleted: number;
  rejected: number;
  /** All-null rows (holidays, halts): neither data nor errors. */
  skippedEmpty: number;
  actions: number;
  failure?: RunFailure;
}

export interface SyncSummary {
  runId: number;
  status: FinalStatus;
  source: 'yahoo' | 'sim';
  symbols: SymbolSyncResult[];
  failures: RunFailure[];
  rowsInserted: number;
  rowsUpdated: number;
  rowsRejected: number;
  rowsRevised: number;
  /** Symbols whose whole history this run re-fetched because the overlap was on another basis. */
  rebased: RebasedSymbol[];
  /** HTTP requests sent to Yahoo by this run (retries and handshakes included). */
  requests: number;
  durationMs: number;
}

/** Serialises the writes: fetches overlap, stores don't, which keeps transactions short and ordered. */
function createMutex(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (fn) => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => {});
    return run;
  };
}

/**
 * One history sync of the watchlist (or of `options.symbols`). Never throws for a symbol's failure:
 * that is recorded in the run and the summary. Throws only when the run itself cannot go on (the
 * database is unreachable), after marking the run failed when it can.
 */
export async function runSync(deps: IngestDeps, options: SyncOptions = {}): Promise<SyncSummary> {
  // One sync at a time per database: a manual sync started while the daemon syncs waits for it. The
  // lock is taken before the run is recorded, so runs in ingest_runs never overlap.
  return withIngestLock(deps.handle, () => runSyncLocked(deps, options), {
    signal: deps.signal,
    onWait: (holder) => deps.log.warn({ holder }, 'another sync is running on this database; waiting for it'),
  });
}

async function runSyncLocked(deps: IngestDeps, options: SyncOptions): Promise<SyncSummary> {
  const t0 = performance.now();
  const run = await startSyncRun(deps, options);
  const { runId, log } = run;
  const results: SymbolSyncResult[] = [];
  const rejections: RunRejection[] = [];
  try {
    const plan = await planRun(deps, options, run);
    const ctx: SymbolSyncContext = { deps, runId, log, plan, write: createMutex(), rejections };
    const queue = [...plan.tasks];
    const syncNext = async (task: FetchTask) => {
      try {
        return await syncSymbol(ctx, task);
      } catch (err) {
        // The database is gone: the other workers stop after their symbol.
        queue.length = 0;
        throw err;
      }
    };
    const worker = async () => {
      for (let task = queue.shift(); task; task = queue.shift()) {
        const result = await syncNext(task);
        results.push(result);
        options.onProgress?.({ type: 'symbol', result });
      }
    };
    const workers = Math.max(1, Math.min(deps.config.yahoo.concurrency, plan.tasks.length));
    await Promise.all(Array.from({ length: workers }, worker));
  } catch (err) {
    await finishRun(deps.handle.db, runId, {
      status: deps.signal?.aborted ? 'aborted' : 'failed',
      finishedAt: deps.clock(),
      requests: requestsSince(deps.yahoo, run.statsBefore),
      rejections,
      error: messageOf(err),
    }).catch((e: unknown) => log.error({ err: e }, 'could not record the end of the run'));
    throw err;
  }
  const summary = summarize(deps, run, results, Math.round(performance.now() - t0));
  await finishSyncRun(deps, run, summary, rejections);
  return summary;
}

interface SyncRun {
  runId: number;
  log: Logger;
  /** The symbols synced, in watchlist order. */
  symbols: string[];
  selection: ReturnType<typeof selectSymbols>;
  statsBefore: ReturnType<IngestDeps['yahoo']['stats']>;
}

/** The symbols chosen, dead runs closed, symbols outside the watchlist registered, the run begun. */
async function startSyncRun(deps: IngestDeps, options: SyncOptions): Promise<SyncRun> {
  const { handle, config, clock } = deps;
  const selection = selectSymbols(config.watchlist, options.symbols);
  if (selection.invalid.length > 0) {
    throw new RangeError(`not Yahoo symbols: ${selection.invalid.join(', ')}`);
  }
  const symbols = selection.items.map((i) => i.symbol);
  const startedAt = clock();
  const deadRuns = await abortDeadRuns(handle.db, isProcessAlive, startedAt);
  await registerSymbols(handle, config, selection.extra);
  const runId = await startRun(handle.db, 'sync', symbols, startedAt);
  const log = deps.log.child({ job: 'sync', runId });
  if (deadRuns > 0) log.warn({ runs: deadRuns }, 'runs left running by a dead process marked aborted');
  if (selection.extra.length > 0) log.info({ symbols: selection.extra }, 'syncing symbols outside the watchlist on request');
  return { runId, log, symbols, selection, statsBefore: deps.yahoo.stats() };
}

interface SyncPlan {
  today: IsoDate;
  /** What planSync and decideRefetch share: the clock, the history settings, the calendar. */
  planBase: { now: Date; today: IsoDate; defaultStart: IsoDate; overlapSessions: number; calendar: { sessionsAgo: typeof sessionsAgo } };
  state: Awaited<ReturnType<typeof readSyncState>>;
  watch: Map<string, SyncRun['selection']['items'][number]>;
  tasks: FetchTask[];
}

/** What is stored, and the ranges to fetch per symbol (ingest/plan.ts). */
async function planRun(deps: IngestDeps, options: SyncOptions, run: SyncRun): Promise<SyncPlan> {
  const { config, clock } = deps;
  const state = await readSyncState(deps.handle.db, run.symbols);
  const now = clock();
  const today = zonedDate(now, config.exchange.timezone);
  const planBase = {
    now,
    today,
    defaultStart: config.history.start ?? EARLIEST_HISTORY,
    overlapSessions: config.history.overlapSessions,
    calendar: { sessionsAgo },
  };
  const tasks = planSync({
    ...planBase,
    watchlist: run.selection.items,
    stored: state.stored,
    latestSplits: state.latestSplits,
    ...(options.from !== undefined ? { from: options.from } : {}),
  });
  run.log.info({ today, symbols: run.symbols.length, tasks: tasks.length, reasons: countBy(tasks.map((t) => t.reason)) }, 'sync planned');
  options.onProgress?.({ type: 'planned', tasks });
  return { today, planBase, state, watch: new Map(run.selection.items.map((i) => [i.symbol, i])), tasks };
}

interface SymbolSyncContext {
  deps: IngestDeps;
  runId: number;
  log: Logger;
  plan: SyncPlan;
  /** Serialises the stores (createMutex). */
  write: <T>(fn: () => Promise<T>) => Promise<T>;
  /** The rows rejected so far, for the run record. */
  rejections: RunRejection[];
}

/**
 * One symbol: fetch, read the stored overlap, re-fetch the whole history when it says so, store.
 * Returns the symbol's result whatever happened to it; throws only when the database is lost (every
 * store after it would fail the same way, and fetching on would only spend Yahoo requests).
 */
async function syncSymbol(ctx: SymbolSyncContext, task: FetchTask): Promise<SymbolSyncResult> {
  const { deps, plan } = ctx;
  const { signal } = deps;
  const { symbol } = task;
  const base = emptyResult(task);
  if (signal?.aborted) return { ...base, status: 'aborted' };
  const symLog = ctx.log.child({ symbol });
  try {
    const fetched = await fetchChart(deps.yahoo, task, plan.today, signal);
    const overlap = await readStoredOverlap(deps, task, fetched, plan.state.stored.get(symbol)?.lastDate ?? null);
    const decision = decideRefetch(task, overlap, fetched.actions, {
      ...plan.planBase,
      item: plan.watch.get(symbol)!,
      stored: plan.state.stored.get(symbol),
      knownSplit: plan.state.latestSplits.get(symbol),
      splitsOnRecord: plan.state.splits.get(symbol) ?? [],
    });
    const { rebase } = decision;
    if (rebase) symLog.info(rebaseFields(rebase, decision.refetch), 'history re-based at the source');
    const whole = decision.refetch ? await refetchWhole(ctx, symLog, decision.refetch, fetched, rebase) : { done: task, fetched };
    if ('failed' in whole) return { ...base, ...whole.failed };
    return await storeFetched(ctx, symLog, task, whole, overlap, rebase);
  } catch (err) {
    if (signal?.aborted) return { ...base, status: 'aborted' };
    // A lost database is not this symbol's failure: the run stops here and says so. Only the store
    // stage (the read of the stored overlap included) talks to the database: a refused or reset
    // connection to Yahoo is the symbol's.
    if (err instanceof StageError && err.stage === 'store' && isConnectionError(err)) throw err;
    const failure = failureOf(symbol, err);
    logFailure(symLog, failure, err);
    return { ...base, status: 'failed', failure };
  }
}

type Fetched = { done: FetchTask; fetched: MappedChart };

/**
 * The whole history again (a split, or the overlap on another basis). When that fails, the bars
 * first fetched are on the new basis and the stored ones on the old: storing them would mix the two.
 * Only the events are kept (a split makes the next run's plan re-fetch the whole history; the overlap
 * shows any re-basing again), and the symbol fails.
 */
async function refetchWhole(
  ctx: SymbolSyncContext,
  symLog: Logger,
  refetch: FetchTask,
  first: MappedChart,
  rebase: RebaseFinding | null,
): Promise<Fetched | { failed: Pick<SymbolSyncResult, 'status' | 'actions' | 'rebase' | 'failure'> }> {
  const { deps } = ctx;
  const split = latestSplitOf(first);
  if (!rebase) symLog.info({ split, from: refetch.from }, 'new split found, re-fetching the full history');
  try {
    return { done: refetch, fetched: await fetchChart(deps.yahoo, refetch, ctx.plan.today, deps.signal) };
  } catch (err) {
    if (deps.signal?.aborted) throw err;
    const { actions } = first;
    await ctx.write(() => storeActions(deps, actions));
    const cause = failureOf(refetch.symbol, err);
    const why = rebase ? `history on another basis (${describeRebase(rebase)})` : `new split on ${split}`;
    const failure = { symbol: refetch.symbol, kind: cause.kind, reason: `${why}; the full re-fetch failed: ${cause.reason}` };
    logFailure(symLog, failure, err);
    return { failed: { status: 'failed', actions: actions.length, rebase, failure } };
  }
}

/** Stores what was fetched (one unit of work) and says what it did. */
async function storeFetched(
  ctx: SymbolSyncContext,
  symLog: Logger,
  task: FetchTask,
  { done, fetched }: Fetched,
  overlap: OverlapReading,
  rebase: RebaseFinding | null,
): Promise<SymbolSyncResult> {
  const { symbol } = task;
  ctx.rejections.push(...logRejected(symLog, symbol, fetched));
  // The chart's meta names the first trade date: a range reaching back to it is the whole history
  // even when the plan could not know (a --from on a symbol never fetched before).
  const firstTrade = fetched.meta.firstTradeDate;
  const stored = { ...done, full: done.full || (firstTrade !== null && done.from <= firstTrade) };
  const revised = rebase ? 0 : overlap.revised.length;
  const rebased = rebase ? rebasedSymbol(symbol, rebase) : null;
  const counts = await ctx.write(() => storeSymbol(ctx.deps, stored, fetched, ctx.runId, { revised, rebased, replace: rebase !== null }));
  const { jumps, ...rows } = counts;
  const result: SymbolSyncResult = {
    ...emptyResult(task),
    status: 'ok',
    reason: done.reason,
    from: done.from,
    splitRefetch: done !== task,
    rebase,
    bars: fetched.bars.length,
    ...rows,
    revised,
    rejected: fetched.rejected.length,
    skippedEmpty: fetched.skippedEmpty,
    actions: fetched.actions.length,
  };
  if (revised > 0) symLog.info({ revised, dates: overlap.revised.slice(0, 10) }, 'recent bars revised by the source');
  if (jumps > 0) symLog.warn({ jumps }, 'closes jump beyond history.jumpFactor with no split on record to explain it');
  symLog.info(
    { reason: result.reason, from: result.from, to: result.to, bars: result.bars, inserted: counts.inserted, updated: counts.updated, revised, deleted: counts.deleted, rejected: result.rejected },
    'symbol synced',
  );
  return result;
}

/** The run's summary: results in watchlist order, whatever order the workers finished in. */
function summarize(deps: IngestDeps, run: SyncRun, results: SymbolSyncResult[], durationMs: number): SyncSummary {
  const order = new Map(run.symbols.map((s, i) => [s, i]));
  results.sort((a, b) => order.get(a.symbol)! - order.get(b.symbol)!);
  const failures = results.flatMap((r) => (r.failure ? [r.failure] : []));
  // An abort that came after the last symbol was done changed nothing: the run is complete.
  const aborted = results.some((r) => r.status === 'aborted');
  return {
    runId: run.runId,
    status: runStatus({ symbols: results.length, failed: failures.length, aborted }),
    source: sourceOf(deps.yahoo),
    symbols: results,
    failures,
    rowsInserted: sum(results, 'inserted'),
    rowsUpdated: sum(results, 'updated'),
    rowsRejected: sum(results, 'rejected'),
    rowsRevised: sum(results, 'revised'),
    rebased: results.flatMap((r) => (r.status === 'ok' && r.rebase ? [rebasedSymbol(r.symbol, r.rebase)] : [])),
    requests: requestsSince(deps.yahoo, run.statsBefore),
    durationMs,
  };
}

/** The run record closed with the summary's counts, and one line that says how it went. */
async function finishSyncRun(deps: IngestDeps, run: SyncRun, summary: SyncSummary, rejections: readonly RunRejection[]): Promise<void> {
  await finishRun(deps.handle.db, run.runId, {
    status: summary.status,
    finishedAt: deps.clock(),
    rowsInserted: summary.rowsInserted,
    rowsUpdated: summary.rowsUpdated,
    rowsRejected: summary.rowsRejected,
    rowsRevised: summary.rowsRevised,
    requests: summary.requests,
    failures: summary.failures,
    rejections: [...rejections],
    error: summary.status === 'aborted' ? `aborted: ${messageOf(deps.signal?.reason ?? 'signal')}` : null,
  });
  const level = summary.status === 'ok' ? 'info' : 'warn';
  run.log[level](
    {
      status: summary.status,
      symbols: summary.symbols.length,
      failed: summary.failures.length,
      inserted: summary.rowsInserted,
      updated: summary.rowsUpdated,
      revised: summary.rowsRevised,
      rebased: summary.rebased.map((r) => r.symbol),
      rejected: summary.rowsRejected,
      requests: summary.requests,
      durationMs: summary.durationMs,
    },
    'sync finished',
  );
}

function emptyResult(task: FetchTask): SymbolSyncResult {
  return {
    symbol: task.symbol,
    status: 'ok',
    reason: task.reason,
    from: task.from,
    to: addDays(task.toExclusive, -1),
    splitRefetch: false,
    rebase: null,
    bars: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    revised: 0,
    deleted: 0,
    rejected: 0,
    skippedEmpty: 0,
    actions: 0,
  };
}

function latestSplitOf(mapped: MappedChart): IsoDate | undefined {
  return mapped.actions.filter((a) => a.kind === 'split').at(-1)?.tradeDate;
}


/**
 * The stored bars of the fetched range against the fetched ones. Nothing stored yet (a first
 * backfill) is nothing to read. A read that fails is the database's failure, like a store's.
 */
async function readStoredOverlap(deps: IngestDeps, task: FetchTask, fetched: MappedChart, lastStored: IsoDate | null): Promise<OverlapReading> {
  if (lastStored === null || lastStored < task.from || fetched.bars.length === 0) return { compared: 0, rebased: null, revised: [] };
  const stored = await inStage('store', () => storedBars(deps.handle.db, task.symbol, { from: task.from, toExclusive: task.toExclusive }));
  return readOverlap(stored, fetched.bars);
}

function rebasedSymbol(symbol: string, rebase: RebaseFinding): RebasedSymbol {
  return { symbol, factor: rebase.factor, adjCloseFactor: rebase.adjCloseFactor, split: rebase.split };
}

function rebaseFields(rebase: RebaseFinding, refetch: FetchTask | null): Record<string, unknown> {
  return {
    factor: rebase.factor,
    adjCloseFactor: rebase.adjCloseFactor,
    split: rebase.split,
    compared: rebase.compared,
    agreeing: rebase.agreeing,
    refetchFrom: refetch?.from ?? null,
    detail: describeRebase(rebase),
  };
}

interface StoreExtras {
  revised: number;
  rebased: RebasedSymbol | null;
  /** The bars replace the stored ones over their dates (a history stored on its new basis). */
  replace: boolean;
}

/** Bars, events and what the chart's meta says about the symbol, all or nothing (one db unit of work). */
async function storeSymbol(deps: IngestDeps, task: FetchTask, mapped: MappedChart, runId: number, extras: StoreExtras): Promise<StoredHistory> {
  const source = sourceOf(deps.yahoo);
  const fetchedAt = deps.clock();
  const first = mapped.bars[0]?.tradeDate;
  const replace = extras.replace && first !== undefined ? { from: first, to: addDays(task.toExclusive, -1) } : undefined;
  return inStage('store', () =>
    storeSymbolHistory(deps.handle.db, {
      symbol: task.symbol,
      bars: mapped.bars,
      actions: mapped.actions,
      meta: {
        currency: mapped.meta.currency,
        exchangeTz: mapped.meta.exchangeTimezoneName,
        firstTradeDate: mapped.meta.firstTradeDate,
      },
      fullHistory: task.full,
      ...(replace ? { replace } : {}),
      source,
      fetchedAt,
      jumpFactor: deps.config.history.jumpFactor,
      run: { id: runId, rejected: mapped.rejected.length, revised: extras.revised, ...(extras.rebased ? { rebased: extras.rebased } : {}) },
    }),
  );
}

async function storeActions(deps: IngestDeps, actions: MappedChart['actions']): Promise<void> {
  const source = sourceOf(deps.yahoo);
  const fetchedAt = deps.clock();
  await inStage('store', () => storeCorporateActions(deps.handle.db, actions, source, fetchedAt));
}

/** Logs the rows rejected (the first REJECTED_LOGGED) and returns them for the run record. */
function logRejected(log: Logger, symbol: string, mapped: MappedChart): RunRejection[] {
  const shown = mapped.rejected.slice(0, REJECTED_LOGGED);
  for (const r of shown) {
    log.warn({ symbol, tradeDate: r.tradeDate, reason: r.reason }, 'row rejected');
  }
  if (mapped.rejected.length > REJECTED_LOGGED) {
    log.warn({ symbol, more: mapped.rejected.length - REJECTED_LOGGED }, 'more rows rejected');
  }
  return shown.map((r) => ({ symbol, tradeDate: r.tradeDate, reason: r.reason }));
}

function countBy(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

function sum(results: readonly SymbolSyncResult[], key: 'inserted' | 'updated' | 'rejected' | 'revised'): number {
  return results.reduce((n, r) => n + r[key], 0);
}
