// What a report reads (I/O shell, no rendering): the closes, volumes and quotes on or before the
// report date, cut there once, and each symbol's summary (from its stored drawdown state for the
// latest day, from bars otherwise). The report job (write-report.ts) builds its document from these;
// the alerts ask for the claims' verdicts alone (claimVerdicts), which must not load the renderers.
import type { Logger } from 'pino';
import type { Config } from '../config/load.js';
import type { DbHandle } from '../db/connect.js';
import { firstBarDate, lastBarDate, latestQuotesBefore, streamClosesForReport } from '../db/report-data.js';
import { loadSymbolStates, type StoredSymbolState } from '../db/symbol-state.js';
import type { BarSource, ClosePoint, IsoDate, VolumePoint } from '../domain.js';
import { addDays } from '../market/iso-date.js';
import { zonedDate, zonedTimeToInstant } from '../market/zoned-time.js';
import { chartedSymbols } from './render/chart-data.js';
import type { ClaimsConfig } from '../analysis/claims/config.js';
import { claimSubjects, claimSymbols, volumeSubjects } from '../analysis/claims/claim-symbols.js';
import { evaluateClaims } from '../analysis/claims/evaluate.js';
import { defaultClaimsPath, loadClaimsConfig } from './read-claims-file.js';
import type { BuildDocumentInput } from './document.js';
import { buildClaimContext } from '../analysis/claim-context.js';
import { summarizeSymbol, type SymbolDrawdown } from '../analysis/math/drawdown.js';
import { summaryFromState } from '../analysis/math/peak-summary.js';

export interface ReportDeps {
  handle: DbHandle;
  config: Config;
  log: Logger;
  clock: () => Date;
}

/** Nothing to report on: no stored prices at all, or none on or before the requested date. */
export class NoReportDataError extends Error {
  override name = 'NoReportDataError';
}

/** Every symbol the report reads: the watchlist, then what the claims need (indexes, benchmark). */
export function reportSymbols(config: Config, claims: ClaimsConfig): { watched: string[]; all: string[] } {
  const watched = config.watchlist.map((w) => w.symbol);
  const needed = [
    ...claims.claims.flatMap(claimSymbols),
    ...claims.referenceEpisodes.map((e) => e.symbol),
  ];
  return { watched, all: [...new Set([...watched, ...needed])] };
}

/**
 * Reads the closes on or before the report date (the one place they are cut), symbol batch by symbol
 * batch. Every symbol is reduced to its summary as it arrives; only the closes the claims and the
 * charts need (`keep`) are kept whole, so memory holds a few series, not the whole universe's history.
 * The latest-day report (no `date`) takes each symbol's summary from its stored drawdown state
 * instead, and reads closes only for `keep` and the symbols without a usable state: its cost follows
 * the day's news, not the history's length. A past date recomputes everything from the bars.
 */
export async function loadSeries(
  deps: ReportDeps,
  symbols: string[],
  keep: ReadonlySet<string>,
  date: IsoDate | undefined,
  opts: { withVolume?: readonly string[] } = {},
) {
  const today = zonedDate(deps.clock(), deps.config.exchange.timezone);
  if (date && date > today) throw new NoReportDataError(`--date ${date} is in the future (today is ${today} in ${deps.config.exchange.timezone})`);
  const asOf = date ?? (await lastBarDate(deps.handle.db, symbols));
  if (!asOf) throw new NoReportDataError(`no prices are stored for ${symbols.join(', ')}: run \`bubblewatch sync\` or \`bubblewatch import\` first`);
  const series = new Map<string, ClosePoint[]>();
  const summaries = new Map<string, SymbolDrawdown>();
  const barSources = new Map<string, BarSource[]>();
  const volumes = new Map<string, VolumePoint[]>();
  // The latest-day report takes each symbol's summary from its stored state (kept with every write);
  // a report for a past date reads bars.
  const stored = date === undefined ? await statesForReport(deps, symbols, asOf) : new Map<string, StoredSymbolState>();
  for (const [symbol, { state, sources }] of stored) {
    summaries.set(symbol, summaryFromState(state, asOf));
    barSources.set(symbol, sources);
  }
  const toRead = symbols.filter((symbol) => keep.has(symbol) || !stored.has(symbol));
  for await (const s of streamClosesForReport(deps.handle.db, toRead, asOf, undefined, opts.withVolume ?? [])) {
    if (s.volumes) volumes.set(s.symbol, s.volumes);
    const closes = s.closes;
    if (keep.has(s.symbol)) series.set(s.symbol, closes);
    if (stored.has(s.symbol)) continue;
    barSources.set(s.symbol, s.sources);
    const summary = summarizeSymbol(closes, asOf, { label: s.symbol });
    if (summary) summaries.set(s.symbol, summary);
  }
  if (barSources.size === 0) {
    if (!date) throw new NoReportDataError(`no prices are stored for ${symbols.join(', ')}: run \`bubblewatch sync\` or \`bubblewatch import\` first`);
    const first = await firstBarDate(deps.handle.db, symbols);
    throw new NoReportDataError(
      first ? `no prices are stored on or before ${date} (the stored history starts on ${first})` : `no prices are stored for ${symbols.join(', ')}`,
    );
  }
  return { asOf, series, summaries, barSources, volumes };
}

/** The stored drawdown states usable for a report on asOf; none when a write bypassed them. */
async function statesForReport(deps: ReportDeps, symbols: string[], asOf: IsoDate): Promise<Map<string, StoredSymbolState>> {
  const { trusted, states } = await loadSymbolStates(deps.handle.db, symbols);
  if (!trusted) {
    deps.log.warn('daily_bars was written outside bubblewatch: the report reads every bar until `bubblewatch db rebuild-state`');
    return new Map();
  }
  // A state past asOf cannot happen (asOf is the last stored date); if it did, the bars decide.
  return new Map([...states].filter(([, s]) => s.state.last.date <= asOf));
}

/**
 * The claims' verdicts as the report would state them on `date` (default: the latest stored date),
 * without writing anything: what the verdict-change alert compares after a sync or an import.
 */
export async function claimVerdicts(
  deps: ReportDeps,
  opts: { date?: IsoDate; claimsPath?: string } = {},
): Promise<{ asOf: IsoDate; byClaim: Map<string, string> }> {
  const { handle, config } = deps;
  const timeZone = config.exchange.timezone;
  const claimsConfig = await loadClaimsConfig(opts.claimsPath ?? defaultClaimsPath(config.env.configPath));
  // Only what the claims read (their tickers, benchmarks, cohorts and reference indexes), and only
  // the verdicts: no verdict history, no rendering. This runs after every sync and import.
  const subjects = claimSubjects(claimsConfig);
  const { asOf, series, summaries, volumes } = await loadSeries(deps, subjects, new Set(subjects), opts.date, {
    withVolume: volumeSubjects(claimsConfig),
  });
  const quotes = await latestQuotesBefore(handle.db, subjects, zonedTimeToInstant(addDays(asOf, 1), '00:00', timeZone));
  const context = buildClaimContext({ asOf, summaries, series, volumes, quotes, claimsConfig, exchangeTimeZone: timeZone });
  return { asOf, byClaim: new Map(evaluateClaims(claimsConfig, context).map((c) => [c.id, c.verdict])) };
}

/** What a report is built from: plain data (Maps, arrays, dates), so a worker thread can build it too. */
export type ReportInput = Omit<BuildDocumentInput, 'generatedAt'>;

/**
 * Everything the report as of `date` (default: the latest stored) is built from: the claims file, the
 * series, the quotes a report on that date could have seen. Loads no renderer (the daemon reads here
 * and renders in a worker thread).
 */
export async function readReportInput(deps: ReportDeps, opts: { date?: IsoDate; claimsPath?: string }): Promise<{ asOf: IsoDate; watched: string[]; input: ReportInput }> {
  const { handle, config } = deps;
  const claimsConfig = await loadClaimsConfig(opts.claimsPath ?? defaultClaimsPath(config.env.configPath));
  const { watched, all } = reportSymbols(config, claimsConfig);
  // Whole close series only for the claims (tickers, benchmarks, reference indexes) and the charts.
  const keep = new Set([...claimSubjects(claimsConfig), ...chartedSymbols(watched, claimsConfig)]);
  const { asOf, series, summaries, barSources, volumes } = await loadSeries(deps, all, keep, opts.date, { withVolume: volumeSubjects(claimsConfig) });
  const timeZone = config.exchange.timezone;
  // Quotes stamped before midnight after asOf, exchange time: the ones a report on asOf could have seen.
  const quotes = await latestQuotesBefore(handle.db, all, zonedTimeToInstant(addDays(asOf, 1), '00:00', timeZone));
  const names = new Map(config.watchlist.map((w) => [w.symbol, w.name ?? null]));
  return {
    asOf,
    watched,
    input: { asOf, summaries, series, volumes, quotes, claimsConfig, symbols: watched, exchangeTimeZone: timeZone, barSources, names },
  };
}
