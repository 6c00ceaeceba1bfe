// 2. Incremental day: N symbols already stored, the feed moves on by one session, then one sync and
// one quote snapshot, exactly as the daemon runs them (runSync / runQuotes against the simulated feed
// over loopback). Counted on the feed's side: every request that reached it, by endpoint.
import type { Logger } from 'pino';
import { parseConfig, type Config } from '../config/load.js';
import type { IsoDate } from '../domain.js';
import { runQuotes } from '../ingest/quotes.js';
import { runSync } from '../ingest/sync.js';
import type { IngestDeps } from '../ingest/run-context.js';
import type { YahooClient } from '../providers/yahoo/client.js';
import type { SimServer } from '../sim/server.js';
import { timed } from './measure.js';
import { createScratch, type TargetName } from './targets.js';

export interface IncrementalRun {
  symbols: number;
  /** Setting up the day before: the backfill of every symbol (a short listing history). */
  backfill: { ms: number; rows: number };
  sync: {
    ms: number;
    chartRequests: number;
    /** Symbols that got more than one chart request (retries or re-fetches); goal: none. */
    symbolsWithExtraCharts: number;
    otherRequests: number;
    rowsInserted: number;
    rowsUpdated: number;
    rowsUnchanged: number;
    status: string;
  };
  quotes: {
    ms: number;
    quoteRequests: number;
    /** Cookie + crumb requests (once per process, then the crumb is reused). */
    handshakeRequests: number;
    /** Largest number of symbols in one quote request. */
    maxSymbolsPerRequest: number;
    stored: number;
    status: string;
  };
  goal: { chartRequests: number; quoteRequests: number; met: boolean };
}

/** The session the feed serves before and after the incremental day. */
export const DAY_BEFORE: IsoDate = '2025-12-30';
export const DAY: IsoDate = '2025-12-31';

/** Evening of a session in New York (17:00 EST), when the daemon's sync runs. */
const evening = (date: IsoDate) => new Date(`${date}T22:00:00Z`);

export function benchConfig(symbols: readonly string[], env: Record<string, string>): Config {
  const file = {
    watchlist: symbols.map((symbol) => ({ symbol })),
    history: { start: null, overlapSessions: 5 },
    // Production pacing is 1 request per second (config/bubblewatch.json): the bench measures our
    // own cost, so it spaces nothing; the pacing floor is reported separately.
    yahoo: { minIntervalMs: 0, concurrency: 2, timeoutMs: 15_000, retries: 2 },
  };
  return parseConfig(JSON.stringify(file), { LOG_LEVEL: 'silent', ...env }, 'bench');
}

export async function benchIncremental(
  target: TargetName,
  baseUrl: string | null,
  feed: { sim: SimServer; yahoo: YahooClient; log: Logger },
  universe: readonly string[],
  sizes: readonly number[],
  say: (msg: string) => void,
): Promise<IncrementalRun[]> {
  const { sim, yahoo, log } = feed;
  const out: IncrementalRun[] = [];
  for (const n of sizes) {
    const symbols = universe.slice(0, n);
    if (symbols.length < n) throw new Error(`the feed has ${universe.length} symbols, ${n} asked for`);
    const scratch = await createScratch(target, baseUrl);
    try {
      const config = benchConfig(symbols, { BUBBLEWATCH_DATA_DIR: scratch.dataDir, YAHOO_BASE_URL: sim.url });
      const deps = (date: IsoDate): IngestDeps => ({ handle: scratch.handle, yahoo, config, log, clock: () => evening(date) });

      sim.setNow(DAY_BEFORE);
      const backfill = await timed(() => runSync(deps(DAY_BEFORE)));
      if (backfill.value.status !== 'ok') throw new Error(`backfill of ${n} symbols ended ${backfill.value.status}`);

      sim.setNow(DAY);
      sim.resetStats();
      const sync = await timed(() => runSync(deps(DAY)));
      const syncStats = sim.stats();
      sim.resetStats();
      const quotes = await timed(() => runQuotes(deps(DAY)));
      const quoteStats = sim.stats();

      const perSymbol = new Map<string, number>();
      for (const r of syncStats.chartRequests) perSymbol.set(r.symbol, (perSymbol.get(r.symbol) ?? 0) + 1);
      const chartRequests = syncStats.byEndpoint.chart ?? 0;
      const quoteRequests = quoteStats.byEndpoint.quote ?? 0;
      const unchanged = sync.value.symbols.reduce((sum, s) => sum + s.unchanged, 0);
      const run: IncrementalRun = {
        symbols: n,
        backfill: { ms: Math.round(backfill.ms), rows: backfill.value.rowsInserted },
        sync: {
          ms: Math.round(sync.ms),
          chartRequests,
          symbolsWithExtraCharts: [...perSymbol.values()].filter((c) => c > 1).length,
          otherRequests: syncStats.requests - chartRequests,
          rowsInserted: sync.value.rowsInserted,
          rowsUpdated: sync.value.rowsUpdated,
          rowsUnchanged: unchanged,
          status: sync.value.status,
        },
        quotes: {
          ms: Math.round(quotes.ms),
          quoteRequests,
          handshakeRequests: (quoteStats.byEndpoint.cookie ?? 0) + (quoteStats.byEndpoint.crumb ?? 0),
          maxSymbolsPerRequest: Math.max(0, ...quoteStats.quoteRequests.map((q) => q.symbols.length)),
          stored: quotes.value.stored,
          status: quotes.value.status,
        },
        goal: { chartRequests: n, quoteRequests: Math.ceil(n / 100), met: false },
      };
      run.goal.met =
        run.sync.chartRequests === n && run.sync.symbolsWithExtraCharts === 0 && run.quotes.quoteRequests === run.goal.quoteRequests;
      say(
        `  incremental N=${n}: sync ${run.sync.ms} ms (${chartRequests} chart requests, ${run.sync.rowsInserted} new rows), ` +
          `quotes ${run.quotes.ms} ms (${quoteRequests} quote requests of up to ${run.quotes.maxSymbolsPerRequest} symbols)`,
      );
      out.push(run);
    } finally {
      await scratch.drop();
    }
  }
  return out;
}
