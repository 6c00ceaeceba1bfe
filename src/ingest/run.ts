// The ingest shell: read stored state -> plan (pure) -> fetch -> map (pure) -> store, with one
// ingest_runs row per run. Each symbol is stored in one transaction, so a symbol is either fully
// updated or untouched, and one bad symbol never stops the others.
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import type { Config } from '../config/load.js';
import { upsertCorporateActions, upsertDailyBars, type UpsertCounts } from '../db/bars.js';
import type { DbHandle } from '../db/connect.js';
import { withIngestLock } from '../db/ingest-lock.js';
import { readSyncState } from '../db/ingest-state.js';
import { insertQuotes } from '../db/quotes.js';
import { abortDeadRuns, finishRun, startRun } from '../db/runs.js';
import type { RunFailure } from '../db/schema.js';
import { ensureSymbol, recordSymbolMeta, upsertSymbols } from '../db/symbols.js';
import type { IsoDate, QuoteSnapshot } from '../domain.js';
import { sessionsAgo } from '../market/calendar.js';
import { zonedDate } from '../market/zoned-time.js';
import { isProcessAlive } from '../db/dir-lock.js';
import type { YahooClient, YahooClientStats } from '../providers/yahoo/client.js';
import { ProviderError } from '../providers/yahoo/errors.js';
import { mapChart, mapQuotes, type MappedChart } from '../providers/yahoo/map.js';
import { refetchForNewSplit, runStatus, selectSymbols, type FinalStatus } from './outcome.js';
import { planSync, toChartPeriod, type FetchReason, type FetchTask } from './plan.js';

export interface IngestDeps {
  handle: DbHandle;
  yahoo: YahooClient;
  config: Config;
  log: Logger;
  clock: () => Date;
  /** Aborting stops the run: the request in flight is cancelled, a symbol being stored still commits. */
  signal?: AbortSignal;
}

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
  /** True when a split found in this run's data made it re-fetch the whole history. */
  splitRefetch: boolean;
  /** Valid bars received (and stored, when status is ok). */
  bars: number;
  inserted: number;
  updated: number;
  unchanged: number;
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
  /** HTTP requests sent to Yahoo by this run (retries and handshakes included). */
  requests: number;
  durationMs: number;
}

export interface QuotesSummary {
  runId: number;
  status: FinalStatus;
  source: 'yahoo' | 'sim';
  requested: string[];
  /** Snapshots received and valid. */
  received: number;
  snapshots: QuoteSnapshot[];
  /** Of those, new rows (a snapshot already stored for the same quote time is not stored again). */
  stored: number;
  /** Asked for but not returned (Yahoo drops unknown symbols silently). */
  missing: string[];
  failures: RunFailure[];
  requests: number;
  durationMs: number;
}

function sourceOf(yahoo: YahooClient): 'yahoo' | 'sim' {
  return yahoo.stats().simulated ? 'sim' : 'yahoo';
}

function requestsSince(yahoo: YahooClient, before: YahooClientStats): number {
  return yahoo.stats().requests - before.requests;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Serialises the writes: PGlite has one connection, and on pg it keeps transactions short and ordered. */
function createMutex(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (fn) => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => {});
    return run;
  };
}

/** Watchlist rows (names, kinds) and rows for symbols asked for outside it. */
async function registerSymbols(handle: DbHandle, config: Config, extra: readonly string[]): Promise<void> {
  await upsertSymbols(
    handle.db,
    config.watchlist.map((w) => ({ symbol: w.symbol, name: w.name ?? null, kind: w.kind })),
  );
  for (const symbol of extra) await ensureSymbol(handle.db, symbol);
}

/** Where a symbol's work failed decides the kind when the error itself doesn't carry one. */
type Stage = 'fetch' | 'map' | 'store';

class StageError extends Error {
  constructor(
    readonly stage: Stage,
    override readonly cause: unknown,
  ) {
    super(messageOf(cause), { cause });
  }
}

function failureOf(symbol: string, err: unknown): RunFailure {
  const cause = err instanceof StageError ? err.cause : err;
  if (cause instanceof ProviderError) return { symbol, kind: cause.kind, reason: cause.message };
  const stage = err instanceof StageError ? err.stage : 'fetch';
  const kind = stage === 'map' ? 'bad_payload' : stage === 'store' ? 'database' : 'error';
  return { symbol, kind, reason: messageOf(cause) };
}

/**
 * Yahoo's answers (not found, rate limited...) are classified and expected: kind and reason say it all.
 * Anything else (the database, a bug) gets the whole error, stack included.
 */
function logFailure(log: Logger, failure: RunFailure, err: unknown): void {
  const cause = err instanceof StageError ? err.cause : err;
  if (cause instanceof ProviderError) log.warn({ kind: failure.kind, reason: failure.reason }, 'symbol sync failed');
  else log.warn({ kind: failure.kind, err: cause }, 'symbol sync failed');
}

async function inStage<T>(stage: Stage, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new StageError(stage, err);
  }
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
  const { handle, yahoo, config, clock, signal } = deps;
  const { db } = handle;
  const t0 = performance.now();
  const selection = selectSymbols(config.watchlist, options.symbols);
  if (selection.invalid.length > 0) {
    throw new RangeError(`not Yahoo symbols: ${selection.invalid.join(', ')}`);
  }
  const symbols = selection.items.map((i) => i.symbol);

  const startedAt = clock();
  const deadRuns = await abortDeadRuns(db, isProcessAlive, startedAt);
  await registerSymbols(handle, config, selection.extra);
  const runId = await startRun(db, 'sync', symbols, startedAt);
  const log = deps.log.child({ job: 'sync', runId });
  if (deadRuns > 0) log.warn({ runs: deadRuns }, 'runs left running by a dead process marked aborted');
  if (selection.extra.length > 0) log.info({ symbols: selection.extra }, 'syncing symbols outside the watchlist on request');
  const statsBefore = yahoo.stats();
  const results: SymbolSyncResult[] = [];

  try {
    const state = await readSyncState(db, symbols);
    const now = clock();
    const today = zonedDate(now, config.exchange.timezone);
    const planBase = {
      now,
      today,
      defaultStart: config.history.start ?? EARLIEST_HISTORY,
      overlapSessions: config.history.overlapSessions,
      calendar: { sessionsAgo },
    };
    const watch = new Map(selection.items.map((i) => [i.symbol, i]));
    const tasks = planSync({
      ...planBase,
      watchlist: selection.items,
      stored: state.stored,
      latestSplits: state.latestSplits,
      ...(options.from !== undefined ? { from: options.from } : {}),
    });
    log.info(
      { today, symbols: symbols.length, tasks: tasks.length, reasons: countBy(tasks.map((t) => t.reason)) },
      'sync planned',
    );
    options.onProgress?.({ type: 'planned', tasks });

    const write = createMutex();
    const queue = [...tasks];

    const syncOne = async (task: FetchTask): Promise<SymbolSyncResult> => {
      const { symbol } = task;
      const item = watch.get(symbol)!;
      const base = emptyResult(task);
      if (signal?.aborted) return { ...base, status: 'aborted' };
      const symLog = log.child({ symbol });
      try {
        let done = task;
        let fetched = await fetchAndMap(yahoo, task, today, signal);
        const refetch = refetchForNewSplit(task, fetched.actions, {
          ...planBase,
          item,
          stored: state.stored.get(symbol),
          knownSplit: state.latestSplits.get(symbol),
        });
        if (refetch) {
          const split = latestSplitOf(fetched);
          symLog.info({ split, from: refetch.from }, 'new split found, re-fetching the full history');
          try {
            fetched = await fetchAndMap(yahoo, refetch, today, signal);
            done = refetch;
          } catch (err) {
            if (signal?.aborted) throw err;
            // The bars just fetched are on the new split basis and the stored ones on the old: storing
            // them would mix the two. Keep only the split on record, so the next run's plan re-fetches
            // the whole history, and fail the symbol for now.
            const { actions } = fetched;
            await write(() => storeActions(deps, actions));
            const cause = failureOf(symbol, err);
            const failure = { symbol, kind: cause.kind, reason: `new split on ${split}; the full re-fetch failed: ${cause.reason}` };
            logFailure(symLog, failure, err);
            return { ...base, status: 'failed', actions: actions.length, failure };
          }
        }
        logRejected(symLog, symbol, fetched);
        const counts = await write(() => storeSymbol(deps, done, fetched));
        const result: SymbolSyncResult = {
          ...base,
          status: 'ok',
          reason: done.reason,
          from: done.from,
          splitRefetch: done !== task,
          bars: fetched.bars.length,
          ...counts,
          rejected: fetched.rejected.length,
          skippedEmpty: fetched.skippedEmpty,
          actions: fetched.actions.length,
        };
        symLog.info(
          { reason: result.reason, from: result.from, to: result.to, bars: result.bars, inserted: counts.inserted, updated: counts.updated, rejected: result.rejected },
          'symbol synced',
        );
        return result;
      } catch (err) {
        if (signal?.aborted) return { ...base, status: 'aborted' };
        const failure = failureOf(symbol, err);
        logFailure(symLog, failure, err);
        return { ...base, status: 'failed', failure };
      }
    };

    const worker = async () => {
      for (let task = queue.shift(); task; task = queue.shift()) {
        const result = await syncOne(task);
        results.push(result);
        options.onProgress?.({ type: 'symbol', result });
      }
    };
    const workers = Math.max(1, Math.min(config.yahoo.concurrency, tasks.length));
    await Promise.all(Array.from({ length: workers }, worker));
  } catch (err) {
    await finishRun(db, runId, {
      status: signal?.aborted ? 'aborted' : 'failed',
      finishedAt: clock(),
      requests: requestsSince(yahoo, statsBefore),
      error: messageOf(err),
    }).catch((e: unknown) => log.error({ err: e }, 'could not record the end of the run'));
    throw err;
  }

  // Results in watchlist order, whatever order the workers finished in.
  const order = new Map(symbols.map((s, i) => [s, i]));
  results.sort((a, b) => order.get(a.symbol)! - order.get(b.symbol)!);
  const failures = results.flatMap((r) => (r.failure ? [r.failure] : []));
  // An abort that came after the last symbol was done changed nothing: the run is complete.
  const aborted = results.some((r) => r.status === 'aborted');
  const summary: SyncSummary = {
    runId,
    status: runStatus({ symbols: results.length, failed: failures.length, aborted }),
    source: sourceOf(yahoo),
    symbols: results,
    failures,
    rowsInserted: sum(results, 'inserted'),
    rowsUpdated: sum(results, 'updated'),
    rowsRejected: sum(results, 'rejected'),
    requests: requestsSince(yahoo, statsBefore),
    durationMs: Math.round(performance.now() - t0),
  };
  await finishRun(db, runId, {
    status: summary.status,
    finishedAt: clock(),
    rowsInserted: summary.rowsInserted,
    rowsUpdated: summary.rowsUpdated,
    rowsRejected: summary.rowsRejected,
    requests: summary.requests,
    failures,
    error: summary.status === 'aborted' ? `aborted: ${messageOf(signal?.reason ?? 'signal')}` : null,
  });
  const level = summary.status === 'ok' ? 'info' : 'warn';
  log[level](
    {
      status: summary.status,
      symbols: results.length,
      failed: failures.length,
      inserted: summary.rowsInserted,
      updated: summary.rowsUpdated,
      rejected: summary.rowsRejected,
      requests: summary.requests,
      durationMs: summary.durationMs,
    },
    'sync finished',
  );
  return summary;
}

function emptyResult(task: FetchTask): SymbolSyncResult {
  return {
    symbol: task.symbol,
    status: 'ok',
    reason: task.reason,
    from: task.from,
    to: dayBefore(task.toExclusive),
    splitRefetch: false,
    bars: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    skippedEmpty: 0,
    actions: 0,
  };
}

function dayBefore(date: IsoDate): IsoDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

function latestSplitOf(mapped: MappedChart): IsoDate | undefined {
  return mapped.actions.filter((a) => a.kind === 'split').at(-1)?.tradeDate;
}

async function fetchAndMap(yahoo: YahooClient, task: FetchTask, today: IsoDate, signal: AbortSignal | undefined): Promise<MappedChart> {
  const range = toChartPeriod(task);
  const result = await inStage('fetch', () => yahoo.chart(task.symbol, range, signal ? { signal } : {}));
  return inStage('map', () => mapChart(result, { symbol: task.symbol, today, range: { from: task.from, toExclusive: task.toExclusive } }));
}

/** Bars, events and what the chart's meta says about the symbol, all or nothing. */
async function storeSymbol(deps: IngestDeps, task: FetchTask, mapped: MappedChart): Promise<UpsertCounts> {
  const source = sourceOf(deps.yahoo);
  const fetchedAt = deps.clock();
  return inStage('store', () =>
    deps.handle.db.transaction().execute(async (trx) => {
      const counts = await upsertDailyBars(trx, mapped.bars, source, fetchedAt);
      await upsertCorporateActions(trx, mapped.actions, source, fetchedAt);
      await recordSymbolMeta(trx, task.symbol, {
        currency: mapped.meta.currency,
        exchangeTz: mapped.meta.exchangeTimezoneName,
        firstTradeDate: mapped.meta.firstTradeDate,
        // Recorded only with the data it describes, in the same transaction: the split rule trusts it.
        ...(task.full ? { fullFetchAt: fetchedAt } : {}),
      });
      return counts;
    }),
  );
}

async function storeActions(deps: IngestDeps, actions: MappedChart['actions']): Promise<void> {
  const source = sourceOf(deps.yahoo);
  const fetchedAt = deps.clock();
  await inStage('store', () => deps.handle.db.transaction().execute((trx) => upsertCorporateActions(trx, actions, source, fetchedAt)));
}

function logRejected(log: Logger, symbol: string, mapped: MappedChart): void {
  for (const r of mapped.rejected.slice(0, REJECTED_LOGGED)) {
    log.warn({ symbol, tradeDate: r.tradeDate, reason: r.reason }, 'row rejected');
  }
  if (mapped.rejected.length > REJECTED_LOGGED) {
    log.warn({ symbol, more: mapped.rejected.length - REJECTED_LOGGED }, 'more rows rejected');
  }
}

function countBy(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

function sum(results: readonly SymbolSyncResult[], key: 'inserted' | 'updated' | 'rejected'): number {
  return results.reduce((n, r) => n + r[key], 0);
}

/**
 * One quote snapshot of the whole watchlist in ONE request. Symbols Yahoo did not return, or returned
 * without a usable price, are the run's failures; the others are stored.
 */
export async function runQuotes(deps: IngestDeps): Promise<QuotesSummary> {
  const { handle, yahoo, config, clock, signal } = deps;
  const { db } = handle;
  const t0 = performance.now();
  const symbols = selectSymbols(config.watchlist).items.map((i) => i.symbol);
  const startedAt = clock();
  await abortDeadRuns(db, isProcessAlive, startedAt);
  await registerSymbols(handle, config, []);
  const runId = await startRun(db, 'quotes', symbols, startedAt);
  const log = deps.log.child({ job: 'quotes', runId });
  const statsBefore = yahoo.stats();

  let failures: RunFailure[];
  let snapshots: QuoteSnapshot[] = [];
  let stored = 0;
  let missing: string[] = [];
  let rejected = 0;
  let error: string | null = null;
  try {
    const answer = await yahoo.quotes(symbols, signal ? { signal } : {});
    const mapped = mapQuotes(answer.quotes, symbols);
    missing = mapped.missing;
    rejected = mapped.rejected.length;
    snapshots = mapped.snapshots;
    const source = sourceOf(yahoo);
    const fetchedAt = clock();
    stored = await db.transaction().execute((trx) => insertQuotes(trx, mapped.snapshots, source, fetchedAt));
    for (const r of mapped.rejected) log.warn({ symbol: r.symbol, reason: r.reason }, 'quote rejected');
    failures = [
      ...missing.map((symbol) => ({ symbol, kind: 'not_found', reason: `Yahoo returned no quote for ${symbol} (unknown or delisted symbol)` })),
      ...mapped.rejected.filter((r) => symbols.includes(r.symbol)).map((r) => ({ symbol: r.symbol, kind: 'bad_payload', reason: r.reason })),
    ];
  } catch (err) {
    if (!signal?.aborted && !(err instanceof ProviderError)) {
      await finishRun(db, runId, { status: 'failed', finishedAt: clock(), requests: requestsSince(yahoo, statsBefore), error: messageOf(err) })
        .catch((e: unknown) => log.error({ err: e }, 'could not record the end of the run'));
      throw err;
    }
    // One request for everything: when it fails, every symbol has failed for the same reason.
    error = messageOf(err);
    const kind = err instanceof ProviderError ? err.kind : 'aborted';
    failures = signal?.aborted ? [] : symbols.map((symbol) => ({ symbol, kind, reason: error! }));
    if (!signal?.aborted) log.warn({ kind, err }, 'quote request failed');
  }

  const summary: QuotesSummary = {
    runId,
    status: runStatus({ symbols: symbols.length, failed: new Set(failures.map((f) => f.symbol)).size, aborted: signal?.aborted === true }),
    source: sourceOf(yahoo),
    requested: symbols,
    received: snapshots.length,
    snapshots,
    stored,
    missing,
    failures,
    requests: requestsSince(yahoo, statsBefore),
    durationMs: Math.round(performance.now() - t0),
  };
  await finishRun(db, runId, {
    status: summary.status,
    finishedAt: clock(),
    rowsInserted: stored,
    rowsRejected: rejected,
    requests: summary.requests,
    failures,
    error,
  });
  log[summary.status === 'ok' ? 'info' : 'warn'](
    { status: summary.status, received: summary.received, stored, missing: missing.length, requests: summary.requests, durationMs: summary.durationMs },
    'quotes finished',
  );
  return summary;
}
