// `bubblewatch sync` and `bubblewatch quotes`: open the context, run once, print a short summary.
// Exit codes: 0 every symbol done; 1 some symbol failed; 2 bad usage; 130/143 stopped by SIGINT/SIGTERM
// (the run is recorded as 'aborted', whatever was stored stays stored). A one-shot run does not wait
// out the circuit breaker's cool-down (that is the daemon's way): when Yahoo cannot be reached the
// rest is marked "not synced: Yahoo unreachable", one line says why, and the command exits 1.
import cliProgress from 'cli-progress';
import type { Logger } from 'pino';
import { isValidSymbol } from '../../bar-checks.js';
import type { IsoDate } from '../../domain.js';
import { YAHOO_ORIGIN } from '../../daemon/daemon-yahoo.js';
import type { RunFailure } from '../../db/schema.js';
import { selectSymbols } from '../../ingest/run-rules.js';
import { zonedDate } from '../../market/zoned-time.js';
import type { RetryEvent, YahooClient } from '../../providers/yahoo/client.js';
import { createYahooClientFromConfig } from '../../providers/yahoo/from-config.js';
import type { Config } from '../../config/load.js';
import { runQuotes, type QuotesSummary } from '../../ingest/quotes.js';
import { runSync, type SyncProgress, type SyncSummary } from '../../ingest/sync.js';
import { alertsAfterQuotes, alertsAfterSync } from '../../alerts/evaluate.js';
import { describeRebase } from '../../ingest/refetch.js';
import { deliverOnce } from '../../alerts/deliver.js';
import { UsageError, withContext } from '../context.js';

const print = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

export const SIGNAL_EXIT: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

export interface SyncCommandOptions {
  symbols?: string[];
  from?: IsoDate;
}

/**
 * Turns the first SIGINT/SIGTERM into an abort of the run (the request in flight is cancelled, the
 * symbol being stored commits), and a second one into an immediate exit: the run row left 'running'
 * is marked aborted by the next run.
 */
export function abortOnSignals(): { signal: AbortSignal; received(): 'SIGINT' | 'SIGTERM' | null; dispose(): void } {
  const controller = new AbortController();
  let received: 'SIGINT' | 'SIGTERM' | null = null;
  const handler = (name: 'SIGINT' | 'SIGTERM') => {
    if (received) process.exit(SIGNAL_EXIT[name]);
    received = name;
    process.stderr.write(`bubblewatch: ${name} received, stopping (send it again to quit at once)\n`);
    controller.abort(new Error(`interrupted by ${name}`));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    received: () => received,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

/** On a terminal with the default log level: a progress bar for backfills and warnings only. */
function interactive(logLevel: string): boolean {
  return process.stderr.isTTY === true && logLevel === 'info';
}

/** "ORCL: 429, retrying in 30 s": what a frozen-looking bar is waiting for. */
export function describeRetry(event: RetryEvent): string {
  const what = event.status ?? event.kind;
  const seconds = Math.max(1, Math.round(event.delayMs / 1000));
  return `${event.subject}: ${what}, retrying in ${seconds} s`;
}

function createProgressBar(): { onProgress(event: SyncProgress): void; onRetry(event: RetryEvent): void; stop(): void } {
  let bar: cliProgress.SingleBar | null = null;
  return {
    onProgress(event) {
      if (event.type === 'planned') {
        // Incremental syncs take a second or two: a bar would only flicker.
        if (!event.tasks.some((t) => t.full)) return;
        bar = new cliProgress.SingleBar(
          { format: 'sync [{bar}] {value}/{total} symbols | {symbol} | {duration_formatted}', stream: process.stderr, hideCursor: true, clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(event.tasks.length, 0, { symbol: '' });
      } else {
        bar?.increment({ symbol: event.result.symbol });
      }
    },
    onRetry(event) {
      bar?.update({ symbol: describeRetry(event) });
    },
    stop() {
      bar?.stop();
    },
  };
}

export async function syncCommand(options: SyncCommandOptions = {}): Promise<void> {
  const invalid = (options.symbols ?? []).filter((s) => !isValidSymbol(s));
  if (invalid.length > 0) {
    throw new UsageError(`--symbols: ${invalid.map((s) => `"${s}"`).join(', ')} ${invalid.length > 1 ? 'are not Yahoo symbols' : 'is not a Yahoo symbol'} (e.g. ORCL, ^GSPC, BRK-B)`);
  }
  await withContext(
    async ({ config, log, handle }) => {
      const now = new Date();
      const today = zonedDate(now, config.exchange.timezone);
      if (options.from !== undefined && options.from > today) {
        throw new UsageError(`--from ${options.from} is after today (${today} in ${config.exchange.timezone})`);
      }
      const extra = selectSymbols(config.watchlist, options.symbols).extra;
      const quiet = interactive(config.env.logLevel);
      const runLog: Logger = quiet ? log.child({}, { level: 'warn' }) : log;
      const progress = quiet ? createProgressBar() : undefined;
      const yahoo = createYahooClientFromConfig(config, runLog, {
        whenCircuitOpen: 'fail',
        ...(progress ? { onRetry: progress.onRetry } : {}),
      });
      const stop = abortOnSignals();
      let summary: SyncSummary;
      try {
        summary = await runSync(
          { handle, yahoo, config, log: runLog, clock: () => new Date(), signal: stop.signal },
          {
            ...(options.symbols ? { symbols: options.symbols } : {}),
            ...(options.from ? { from: options.from } : {}),
            ...(progress ? { onProgress: progress.onProgress } : {}),
          },
        );
      } catch (err) {
        // Stopped while waiting for another sync to finish (src/db/ingest-lock.ts): no run was begun.
        const received = stop.received();
        if (received === null) throw err;
        process.stderr.write('bubblewatch: stopped before the sync began; nothing was fetched or stored\n');
        process.exitCode = SIGNAL_EXIT[received];
        return;
      } finally {
        progress?.stop();
        stop.dispose();
      }
      // After the run's stores committed; a dead alert endpoint costs at most one bounded attempt.
      if (stop.received() === null) {
        const alertDeps = { handle, config, log: runLog, clock: () => new Date() };
        await deliverOnce(alertDeps, await alertsAfterSync(alertDeps, summary));
      }
      const unreachable = yahooUnreachable(summary.failures, summary.symbols.length);
      if (unreachable) reportUnreachable('sync', runLog, config, yahoo, summary.failures, summary.symbols.length);
      print(formatSyncSummary(summary, extra, { unreachable }));
      process.exitCode = exitCode(summary.status, stop.received());
    },
    { maxConnections: 2 },
  );
}

export async function quotesCommand(): Promise<void> {
  await withContext(
    async ({ config, log, handle }) => {
      const yahoo = createYahooClientFromConfig(config, log, { whenCircuitOpen: 'fail' });
      const stop = abortOnSignals();
      let summary: QuotesSummary;
      try {
        summary = await runQuotes({ handle, yahoo, config, log, clock: () => new Date(), signal: stop.signal });
      } finally {
        stop.dispose();
      }
      if (stop.received() === null) {
        const alertDeps = { handle, config, log, clock: () => new Date() };
        await deliverOnce(alertDeps, await alertsAfterQuotes(alertDeps, summary.snapshots));
      }
      const unreachable = yahooUnreachable(summary.failures, summary.requested.length);
      if (unreachable) reportUnreachable('quotes', log, config, yahoo, summary.failures, summary.requested.length);
      print(formatQuotesSummary(summary, { unreachable }));
      process.exitCode = exitCode(summary.status, stop.received());
    },
    { maxConnections: 2 },
  );
}

/** Failures that say the network path to Yahoo is down, not that Yahoo refused something. */
const UNREACHABLE_KINDS = new Set(['unreachable', 'network', 'timeout']);

/**
 * Whether a run's failures say Yahoo could not be reached: the circuit opened, or every symbol failed
 * for lack of a connection. The second is how an offline `quotes` ends: its one request for every
 * symbol runs out of retries (6 attempts with the shipped config) before the breaker's threshold (8).
 */
export function yahooUnreachable(failures: readonly RunFailure[], total: number): boolean {
  const failed = new Set(failures.map((f) => f.symbol)).size;
  return (
    failures.some((f) => f.kind === 'unreachable') ||
    (failed === total && failures.length > 0 && failures.every((f) => UNREACHABLE_KINDS.has(f.kind)))
  );
}

/** The daemon's "cannot reach Yahoo Finance" line, for a one-shot run: once, with the cause. */
function reportUnreachable(job: 'sync' | 'quotes', log: Logger, config: Config, yahoo: YahooClient, failures: readonly RunFailure[], total: number): void {
  const failed = new Set(failures.map((f) => f.symbol)).size;
  log.error(
    { job, cause: yahoo.lastFailure() ?? failures[0]?.reason, yahoo: config.env.yahooBaseUrl ?? YAHOO_ORIGIN, failed, of: total },
    'cannot reach Yahoo Finance; the run stopped (offline showcase: npm run demo)',
  );
}

function exitCode(status: SyncSummary['status'], signal: 'SIGINT' | 'SIGTERM' | null): number {
  if (status === 'aborted') return signal ? SIGNAL_EXIT[signal] : 1;
  return status === 'ok' ? 0 : 1;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export interface SummaryOptions {
  /** Yahoo could not be reached (yahooUnreachable): its symbols say so, the cause is told once elsewhere. */
  unreachable?: boolean;
}

/** Not done for want of Yahoo: not tried (circuit open), or, when Yahoo was unreachable, no connection. */
function notReached(failure: RunFailure | undefined, options: SummaryOptions): boolean {
  return failure !== undefined && (failure.kind === 'unreachable' || (options.unreachable === true && UNREACHABLE_KINDS.has(failure.kind)));
}

/** The run in one line, then one line per symbol: what was asked, what changed, or why it failed. */
export function formatSyncSummary(summary: SyncSummary, extra: readonly string[] = [], options: SummaryOptions = {}): string {
  const lines = [
    `sync #${summary.runId} ${summary.status}: ${summary.symbols.length} symbol(s), ${summary.rowsInserted} new row(s), ` +
      `${summary.rowsUpdated} changed (${summary.rowsRevised} revised), ${summary.rowsRejected} rejected, ${summary.requests} request(s) in ${seconds(summary.durationMs)}` +
      ` (source: ${summary.source})`,
  ];
  const width = Math.max(6, ...summary.symbols.map((s) => s.symbol.length));
  for (const s of summary.symbols) {
    const head = `  ${s.symbol.padEnd(width)}  `;
    const note = extra.includes(s.symbol) ? ' (not in the watchlist)' : '';
    if (s.status === 'failed' && notReached(s.failure, options)) {
      lines.push(`${head}not synced: Yahoo unreachable${note}`);
    } else if (s.status === 'failed') {
      lines.push(`${head}FAILED ${s.failure?.kind ?? 'error'}: ${s.failure?.reason ?? 'unknown error'}${note}`);
    } else if (s.status === 'aborted') {
      lines.push(`${head}not synced (run stopped)${note}`);
    } else {
      const reason = s.rebase ? 're-based' : s.splitRefetch ? 'split re-fetch' : s.reason;
      const extras = [
        s.rebase ? `history on another basis: ${describeRebase(s.rebase)}` : '',
        s.revised ? `${s.revised} revised` : '',
        s.deleted ? `${s.deleted} no longer at the source removed` : '',
        s.rejected ? `${s.rejected} rejected` : '',
        s.skippedEmpty ? `${s.skippedEmpty} empty skipped` : '',
      ]
        .filter(Boolean)
        .join(', ');
      lines.push(
        `${head}${reason.padEnd(14)} ${s.from}..${s.to}  ${String(s.bars).padStart(6)} bar(s): ` +
          `+${s.inserted} ~${s.updated} =${s.unchanged}${extras ? ` (${extras})` : ''}${note}`,
      );
    }
  }
  return lines.join('\n');
}

export function formatQuotesSummary(summary: QuotesSummary, options: SummaryOptions = {}): string {
  const lines = [
    `quotes #${summary.runId} ${summary.status}: ${summary.received} of ${summary.requested.length} symbol(s) quoted, ` +
      `${summary.stored} new snapshot(s), ${summary.requests} request(s) in ${seconds(summary.durationMs)} (source: ${summary.source})`,
  ];
  const width = Math.max(6, ...summary.requested.map((s) => s.length));
  const bySymbol = new Map(summary.snapshots.map((q) => [q.symbol, q]));
  const failed = new Map(summary.failures.map((f) => [f.symbol, f]));
  for (const symbol of summary.requested) {
    const q = bySymbol.get(symbol);
    const f = failed.get(symbol);
    if (q) lines.push(`  ${symbol.padEnd(width)}  ${String(q.price).padStart(12)} ${q.currency ?? ''} at ${q.ts.toISOString()}${q.marketState ? ` (${q.marketState})` : ''}`);
    else if (notReached(f, options)) lines.push(`  ${symbol.padEnd(width)}  not quoted: Yahoo unreachable`);
    else if (f) lines.push(`  ${symbol.padEnd(width)}  FAILED ${f.kind}: ${f.reason}`);
  }
  return lines.join('\n');
}
