// What every ingest run (sync, verify, quotes) shares: its dependencies, the symbols rows it needs,
// how it reads the Yahoo client's counters, and how an error reads in the run record.
import type { Logger } from 'pino';
import type { Config } from '../config/load.js';
import type { DbHandle } from '../db/connect.js';
import { ensureSymbol, upsertSymbols } from '../db/symbols.js';
import type { YahooClient, YahooClientStats } from '../providers/yahoo/client.js';
import { redactUrl } from '../redact.js';

export interface IngestDeps {
  handle: DbHandle;
  yahoo: YahooClient;
  config: Config;
  log: Logger;
  clock: () => Date;
  /** Aborting stops the run: the request in flight is cancelled, a symbol being stored still commits. */
  signal?: AbortSignal;
}

export function sourceOf(yahoo: YahooClient): 'yahoo' | 'sim' {
  return yahoo.stats().simulated ? 'sim' : 'yahoo';
}

export function requestsSince(yahoo: YahooClient, before: YahooClientStats): number {
  return yahoo.stats().requests - before.requests;
}

/** An error as the run record keeps it: a URL it quotes (YAHOO_BASE_URL's, a proxy's) is redacted. */
export function messageOf(err: unknown): string {
  return redactUrl(err instanceof Error ? err.message : String(err));
}

/** Watchlist rows (names, kinds) and rows for symbols asked for outside it. */
export async function registerSymbols(handle: DbHandle, config: Config, extra: readonly string[]): Promise<void> {
  await upsertSymbols(
    handle.db,
    config.watchlist.map((w) => ({ symbol: w.symbol, name: w.name ?? null, kind: w.kind })),
  );
  for (const symbol of extra) await ensureSymbol(handle.db, symbol);
}
