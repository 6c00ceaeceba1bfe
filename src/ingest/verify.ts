// `verify`: each symbol's stored history against the source's whole history, fetched again (paced
// like any sync), compared field by field (src/integrity/compare.ts). With `repair`, a symbol that
// differs is stored again from the source, one unit of work per symbol (the drawdown state follows),
// replacing the stored rows of the compared dates. Also finds the unexplained jumps of each whole
// history again. One ingest_runs row (job 'verify') per run, its differences in verify_differences.
import { performance } from 'node:perf_hooks';
import { storedBars } from '../db/bars.js';
import { isConnectionError } from '../db/connection-errors.js';
import { recordVerifyDifferences } from '../db/data-checks.js';
import { withIngestLock } from '../db/ingest-lock.js';
import { readSyncState } from '../db/ingest-state.js';
import { abortDeadRuns, finishRun, isProcessAlive, startRun } from '../db/runs.js';
import type { RunFailure } from '../db/schema.js';
import { refreshJumps, storeSymbolHistory, type StoredHistory } from '../db/store.js';
import { loadSymbolStates, rebuildAllSymbolStates } from '../db/symbol-state.js';
import type { IsoDate } from '../domain.js';
import { compareHistories, type DifferingRange } from '../integrity/compare.js';
import type { Jump } from '../integrity/invariants.js';
import { lastClosedSession } from '../market/calendar.js';
import { addDays } from '../market/iso-date.js';
import { zonedDate } from '../market/zoned-time.js';
import { fetchChart } from './chart.js';
import { failureOf, inStage, logFailure, StageError } from './failures.js';
import { runStatus, selectSymbols, type FinalStatus, type WatchedSymbol } from './run-rules.js';
import { messageOf, registerSymbols, requestsSince, sourceOf, type IngestDeps } from './run-context.js';
import { EARLIEST_HISTORY } from './sync.js';

export interface VerifyOptions {
  /** Only these symbols (default: the watchlist). */
  symbols?: readonly string[];
  /** Store the source's history for the symbols that differ. */
  repair?: boolean;
  /** Called as each symbol is done (the CLI prints as it goes). */
  onSymbol?: (result: SymbolVerifyResult) => void;
}

export interface SymbolVerifyResult {
  symbol: string;
  status: 'equal' | 'different' | 'failed' | 'aborted';
  /** The sessions compared: from the source's first bar to the last session either side has (closed sessions only). */
  from: IsoDate | null;
  to: IsoDate | null;
  storedRows: number;
  sourceRows: number;
  ranges: DifferingRange[];
  /** What the repair changed; null when nothing was repaired. */
  repaired: StoredHistory | null;
  /** Unexplained jumps of the stored history after this run (repaired or not). */
  jumps: Jump[];
  failure?: RunFailure;
}

export interface VerifySummary {
  runId: number;
  status: FinalStatus;
  source: 'yahoo' | 'sim';
  symbols: SymbolVerifyResult[];
  failures: RunFailure[];
  /** Differing ranges found, over every symbol (repaired ones included). */
  differences: number;
  /** Symbols stored again from the source. */
  repaired: number;
  /** Set when daily_bars had been written outside bubblewatch and `repair` rebuilt every drawdown state. */
  statesRebuilt: number | null;
  /** daily_bars was written outside bubblewatch (psql, `sql --write`) and the states were not rebuilt. */
  untrackedWrites: boolean;
  requests: number;
  durationMs: number;
}

/** One verify run. Never throws for one symbol's failure; throws when the database is lost. */
export async function runVerify(deps: IngestDeps, options: VerifyOptions = {}): Promise<VerifySummary> {
  // A verify reads what a sync writes, and its repair writes like one: one of them at a time.
  return withIngestLock(deps.handle, () => runVerifyLocked(deps, options), {
    signal: deps.signal,
    onWait: (holder) => deps.log.warn({ holder }, 'another sync or verify is running on this database; waiting for it'),
  });
}

async function runVerifyLocked(deps: IngestDeps, options: VerifyOptions): Promise<VerifySummary> {
  const { handle, yahoo, config, clock, signal } = deps;
  const { db } = handle;
  const t0 = performance.now();
  const selection = selectSymbols(config.watchlist, options.symbols);
  if (selection.invalid.length > 0) throw new RangeError(`not Yahoo symbols: ${selection.invalid.join(', ')}`);
  const symbols = selection.items.map((i) => i.symbol);
  const startedAt = clock();
  await abortDeadRuns(db, isProcessAlive, startedAt);
  await registerSymbols(handle, config, selection.extra);
  const runId = await startRun(db, 'verify', symbols, startedAt);
  const log = deps.log.child({ job: 'verify', runId });
  const statsBefore = yahoo.stats();
  const results: SymbolVerifyResult[] = [];
  const repair = options.repair === true;
  let statesRebuilt: number | null = null;
  let untrackedWrites = false;

  try {
    const state = await readSyncState(db, symbols);
    const now = clock();
    const today = zonedDate(now, config.exchange.timezone);
    // The session in progress (and its revisions after the close) is a sync's business, not an audit's.
    const last = lastClosedSession(now);
    const to = last < today ? last : today;
    for (const item of selection.items) {
      const first = state.stored.get(item.symbol)?.firstDate ?? null;
      const result = await verifyOne(deps, { item, storedFirst: first, to, today, runId, repair });
      results.push(result);
      options.onSymbol?.(result);
      if (result.status === 'aborted') break;
    }
    const repairedAny = results.some((r) => r.repaired !== null);
    untrackedWrites = !(await loadSymbolStates(db, [])).trusted;
    if (untrackedWrites && repairedAny) {
      // A write by psql leaves every drawdown state untrusted (migration 0007), repaired or not.
      statesRebuilt = await rebuildAllSymbolStates(db);
      untrackedWrites = false;
      log.info({ symbols: statesRebuilt }, 'drawdown states rebuilt: daily_bars had been written outside bubblewatch');
    }
  } catch (err) {
    await finishRun(db, runId, { status: signal?.aborted ? 'aborted' : 'failed', finishedAt: clock(), requests: requestsSince(yahoo, statsBefore), error: messageOf(err) }).catch(
      (e: unknown) => log.error({ err: e }, 'could not record the end of the run'),
    );
    throw err;
  }

  const failures = results.flatMap((r) => (r.failure ? [r.failure] : []));
  const aborted = results.some((r) => r.status === 'aborted') || results.length < symbols.length;
  const summary: VerifySummary = {
    runId,
    status: runStatus({ symbols: symbols.length, failed: failures.length, aborted }),
    source: sourceOf(yahoo),
    symbols: results,
    failures,
    differences: results.reduce((n, r) => n + r.ranges.length, 0),
    repaired: results.filter((r) => r.repaired !== null).length,
    statesRebuilt,
    untrackedWrites,
    requests: requestsSince(yahoo, statsBefore),
    durationMs: Math.round(performance.now() - t0),
  };
  const repaired = results.flatMap((r) => (r.repaired ? [r.repaired] : []));
  await finishRun(db, runId, {
    status: summary.status,
    finishedAt: clock(),
    rowsInserted: repaired.reduce((n, c) => n + c.inserted, 0),
    rowsUpdated: repaired.reduce((n, c) => n + c.updated, 0),
    requests: summary.requests,
    failures,
    error: summary.status === 'aborted' ? `aborted: ${messageOf(signal?.reason ?? 'signal')}` : null,
  });
  const different = results.filter((r) => r.ranges.length > 0).map((r) => r.symbol);
  log[different.length > 0 || failures.length > 0 ? 'warn' : 'info'](
    { status: summary.status, symbols: results.length, different, differences: summary.differences, repaired: summary.repaired, requests: summary.requests, durationMs: summary.durationMs },
    'verify finished',
  );
  return summary;
}

interface VerifyTask {
  item: WatchedSymbol;
  /** The first stored date (null: nothing stored): a history imported from before the start is compared too. */
  storedFirst: IsoDate | null;
  /** Last session compared. */
  to: IsoDate;
  today: IsoDate;
  runId: number;
  repair: boolean;
}

async function verifyOne(deps: IngestDeps, task: VerifyTask): Promise<SymbolVerifyResult> {
  const { symbol } = task.item;
  const log = deps.log.child({ job: 'verify', runId: task.runId, symbol });
  const base: SymbolVerifyResult = { symbol, status: 'equal', from: null, to: null, storedRows: 0, sourceRows: 0, ranges: [], repaired: null, jumps: [] };
  if (deps.signal?.aborted) return { ...base, status: 'aborted' };
  const start = task.item.historyStart ?? deps.config.history.start ?? EARLIEST_HISTORY;
  const from = task.storedFirst !== null && task.storedFirst < start ? task.storedFirst : start;
  try {
    const fetched = await fetchChart(deps.yahoo, { symbol, from, toExclusive: addDays(task.today, 1) }, task.today, deps.signal);
    const sourceBars = fetched.bars.filter((b) => b.tradeDate <= task.to);
    const compareFrom = sourceBars[0]?.tradeDate;
    if (compareFrom === undefined) throw new Error(`the source has no bars for ${symbol} from ${from} to ${task.to}`);
    // Rows stored before the source's first bar cannot be judged: the source says nothing about them.
    const stored = await inStage('store', () => storedBars(deps.handle.db, symbol, { from: compareFrom, toExclusive: addDays(task.to, 1) }));
    const ranges = compareHistories(stored, sourceBars);
    let repaired: StoredHistory | null = null;
    if (task.repair && ranges.length > 0) {
      repaired = await inStage('store', () =>
        storeSymbolHistory(deps.handle.db, {
          symbol,
          bars: sourceBars,
          actions: fetched.actions,
          meta: { currency: fetched.meta.currency, exchangeTz: fetched.meta.exchangeTimezoneName, firstTradeDate: fetched.meta.firstTradeDate },
          // Fetched from the start (or the first stored row, when older): the whole history.
          fullHistory: true,
          replace: { from: compareFrom, to: task.to },
          source: sourceOf(deps.yahoo),
          fetchedAt: deps.clock(),
          jumpFactor: deps.config.history.jumpFactor,
          run: { id: task.runId, rejected: fetched.rejected.length },
        }),
      );
      log.info({ inserted: repaired.inserted, updated: repaired.updated, deleted: repaired.deleted, ranges: ranges.length }, 'stored history repaired from the source');
    }
    const jumps = await inStage('store', () => refreshJumps(deps.handle.db, symbol, deps.config.history.jumpFactor));
    await inStage('store', () => recordVerifyDifferences(deps.handle.db, task.runId, symbol, ranges, repaired !== null));
    if (ranges.length > 0) {
      // Each range at info (the CLI prints them; the daemon's job warns once for the run).
      for (const r of ranges.slice(0, 20)) {
        log.info({ kind: r.kind, firstDate: r.firstDate, lastDate: r.lastDate, rows: r.rows, fields: r.fields, factor: r.factor, adjCloseFactor: r.adjCloseFactor }, 'stored history differs from the source');
      }
    }
    if (jumps.length > 0) log.info({ jumps: jumps.length, first: jumps[0] }, 'closes jump beyond history.jumpFactor with no split on record to explain it');
    const lastStored = stored.at(-1)?.tradeDate ?? compareFrom;
    const lastSource = sourceBars.at(-1)!.tradeDate;
    const to = lastStored > lastSource ? lastStored : lastSource;
    return { ...base, status: ranges.length > 0 ? 'different' : 'equal', from: compareFrom, to, storedRows: stored.length, sourceRows: sourceBars.length, ranges, repaired, jumps };
  } catch (err) {
    if (deps.signal?.aborted) return { ...base, status: 'aborted' };
    // A lost database stops the run, as in a sync: every symbol after it would fail the same way.
    if (err instanceof StageError && err.stage === 'store' && isConnectionError(err)) throw err;
    const failure = failureOf(symbol, err);
    logFailure(log, failure, err);
    return { ...base, status: 'failed', failure };
  }
}
