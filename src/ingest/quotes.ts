// Live quotes: one snapshot of the whole watchlist per run, stored in `quotes`.
import { performance } from 'node:perf_hooks';
import { abortDeadRuns, finishRun, startRun, isProcessAlive } from '../db/runs.js';
import type { RunFailure } from '../db/schema.js';
import { storeQuoteSnapshot } from '../db/store.js';
import type { QuoteSnapshot } from '../domain.js';
import { ProviderError } from '../providers/yahoo/errors.js';
import { mapQuotes } from '../providers/yahoo/map.js';
import { redactUrl } from '../redact.js';
import { runStatus, selectSymbols, type FinalStatus } from './run-rules.js';
import { messageOf, registerSymbols, requestsSince, sourceOf, type IngestDeps } from './run-context.js';

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
    stored = await storeQuoteSnapshot(db, mapped.snapshots, source, fetchedAt);
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
    // One request for everything: when it fails, every symbol has failed for the same reason. The
    // reason leaves out the request's subject (every symbol joined): each failure already names its own.
    const kind = err instanceof ProviderError ? err.kind : 'aborted';
    error = err instanceof ProviderError ? redactUrl(`yahoo ${kind}: ${err.detail}`) : messageOf(err);
    failures = signal?.aborted ? [] : symbols.map((symbol) => ({ symbol, kind, reason: error! }));
    // An expected failure: its reason goes on the one 'quotes finished' line below; the stack only at debug.
    if (!signal?.aborted) log.debug({ kind, err }, 'quote request failed');
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
    {
      status: summary.status,
      received: summary.received,
      stored,
      missing: missing.length,
      requests: summary.requests,
      durationMs: summary.durationMs,
      ...(error ? { error } : {}),
    },
    'quotes finished',
  );
  return summary;
}
