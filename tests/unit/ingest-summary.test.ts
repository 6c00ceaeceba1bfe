// What a one-shot `sync` or `quotes` prints per symbol when Yahoo cannot be reached. Offline, `quotes`
// makes one request for every symbol, which runs out of retries before the breaker opens: its failures
// are 'network', not 'unreachable', and used to print "FAILED network: ..." ten times.
import { describe, expect, it } from 'vitest';
import { formatQuotesSummary, formatSyncSummary, yahooUnreachable } from '../../src/cli/commands/ingest.js';
import type { RunFailure } from '../../src/db/schema.js';
import type { QuotesSummary } from '../../src/ingest/quotes.js';
import type { SymbolSyncResult, SyncSummary } from '../../src/ingest/sync.js';

const SYMBOLS = ['ORCL', 'CRWV', 'NVDA'];
const failed = (kind: string, symbols = SYMBOLS): RunFailure[] => symbols.map((symbol) => ({ symbol, kind, reason: `yahoo ${kind}: fetch failed` }));

function quotesSummary(failures: RunFailure[]): QuotesSummary {
  return { runId: 7, status: 'failed', source: 'yahoo', requested: SYMBOLS, received: 0, snapshots: [], stored: 0, missing: [], failures, requests: 6, durationMs: 25_000 };
}

function syncSummary(failures: RunFailure[]): SyncSummary {
  const symbols: SymbolSyncResult[] = SYMBOLS.map((symbol) => {
    const failure = failures.find((f) => f.symbol === symbol);
    return {
      symbol, status: failure ? 'failed' : 'ok', reason: 'incremental', from: '2026-11-20', to: '2026-11-30', splitRefetch: false, rebase: null,
      bars: 0, inserted: 0, updated: 0, unchanged: 0, revised: 0, deleted: 0, rejected: 0, skippedEmpty: 0, actions: 0, ...(failure ? { failure } : {}),
    };
  });
  return { runId: 8, status: 'failed', source: 'yahoo', symbols, failures, rowsInserted: 0, rowsUpdated: 0, rowsRejected: 0, rowsRevised: 0, rebased: [], requests: 6, durationMs: 22_000 };
}

describe(yahooUnreachable.name, () => {
  it('is true when the circuit opened, or when every symbol failed for want of a connection', () => {
    expect(yahooUnreachable(failed('network'), 3)).toBe(true);
    expect(yahooUnreachable(failed('timeout'), 3)).toBe(true);
    expect(yahooUnreachable([...failed('network', ['ORCL']), ...failed('unreachable', ['CRWV', 'NVDA'])], 3)).toBe(true);
  });

  it('is false when Yahoo answered, or when some symbols got through', () => {
    expect(yahooUnreachable(failed('server_error'), 3)).toBe(false);
    expect(yahooUnreachable(failed('network', ['ORCL', 'CRWV']), 3)).toBe(false);
    expect(yahooUnreachable([], 3)).toBe(false);
  });
});

describe('the summary of a run that could not reach Yahoo', () => {
  it('quotes: one short line per symbol saying it was not quoted because Yahoo is unreachable', () => {
    const summary = quotesSummary(failed('network'));
    const [headline, ...lines] = formatQuotesSummary(summary, { unreachable: yahooUnreachable(summary.failures, 3) }).split('\n');
    expect(headline).toBe('quotes #7 failed: 0 of 3 symbol(s) quoted, 0 new snapshot(s), 6 request(s) in 25.0 s (source: yahoo)');
    expect(lines).toEqual(['  ORCL    not quoted: Yahoo unreachable', '  CRWV    not quoted: Yahoo unreachable', '  NVDA    not quoted: Yahoo unreachable']);
  });

  it('sync: the same for a single-symbol sync, whose one call also runs out of retries before the breaker opens', () => {
    const summary = syncSummary(failed('network', ['ORCL']));
    const lines = formatSyncSummary(summary, [], { unreachable: true }).split('\n').slice(1);
    expect(lines[0]).toBe('  ORCL    not synced: Yahoo unreachable');
  });

  it('keeps the kind and reason of failures that are not about the connection, and of every failure when Yahoo was reached', () => {
    const mixed = [...failed('unreachable', ['ORCL']), ...failed('not_found', ['CRWV'])];
    expect(formatQuotesSummary(quotesSummary(mixed), { unreachable: true }).split('\n').slice(1, 3)).toEqual([
      '  ORCL    not quoted: Yahoo unreachable',
      '  CRWV    FAILED not_found: yahoo not_found: fetch failed',
    ]);
    expect(formatQuotesSummary(quotesSummary(failed('server_error'))).split('\n')[1]).toBe('  ORCL    FAILED server_error: yahoo server_error: fetch failed');
  });
});
