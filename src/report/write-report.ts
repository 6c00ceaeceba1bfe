// The report job (I/O shell): read the closes and quotes on or before the report date, build the
// document (pure), render it, write <out>/<asOf>.{md,html,json} atomically and store it in `reports`.
// Used by `bubblewatch report` and by the daemon's scheduled report.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/load.js';
import type { DbHandle } from '../db/connect.js';
import { firstBarDate, lastBarDate, latestQuotesBefore, streamClosesForReport, upsertReport } from '../db/report-data.js';
import { finishRun, startRun } from '../db/runs.js';
import { loadSymbolStates, type StoredSymbolState } from '../db/symbol-state.js';
import type { BarSource, ClosePoint, IsoDate } from '../domain.js';
import { addDays } from '../market/iso-date.js';
import { zonedDate, zonedTimeToInstant } from '../market/zoned-time.js';
import { chartedSymbols, claimSubjects } from './render/chart-data.js';
import type { ClaimsConfig } from './claims/config.js';
import { defaultClaimsPath, loadClaimsConfig } from './read-claims-file.js';
import { buildReportDocument } from './document.js';
import type { Lang } from './render/i18n.js';
import { summarizeSymbol, type SymbolDrawdown } from './math/drawdown.js';
import { summaryFromState } from './math/drawdown-state.js';
import { renderHtml } from './render/html.js';
import { renderJson } from './render/json.js';
import { renderMarkdown } from './render/markdown.js';

export type ReportFormat = 'md' | 'html' | 'json';

export interface ReportDeps {
  handle: DbHandle;
  config: Config;
  log: Logger;
  clock: () => Date;
}

export interface ReportOptions {
  /** Only data on or before this date; default the latest stored bar date of the symbols. */
  date?: IsoDate;
  /** Default <dataDir>/reports. */
  outDir?: string;
  /** Files to write; default config.report.formats. The reports row always gets all three. */
  formats?: ReportFormat[];
  /** Default config.report.lang. */
  lang?: Lang;
  /** Default claims.json next to the main config file. */
  claimsPath?: string;
}

export interface ReportResult {
  asOf: IsoDate;
  files: string[];
  dataSource: string;
}

/** Nothing to report on: no stored prices at all, or none on or before the requested date. */
export class NoReportDataError extends Error {
  override name = 'NoReportDataError';
}

/** Every symbol the report reads: the watchlist, then what the claims need (indexes, benchmark). */
export function reportSymbols(config: Config, claims: ClaimsConfig): { watched: string[]; all: string[] } {
  const watched = config.watchlist.map((w) => w.symbol);
  const needed = [
    ...claims.claims.flatMap((c) => [...c.tickers, ...(c.kind === 'news_events' && c.benchmark ? [c.benchmark] : [])]),
    ...claims.referenceEpisodes.map((e) => e.symbol),
  ];
  return { watched, all: [...new Set([...watched, ...needed])] };
}

/** Write to a temporary name in the same directory, then rename: readers never see half a file. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Reads the closes on or before the report date (the one place they are cut), symbol batch by symbol
 * batch. Every symbol is reduced to its summary as it arrives; only the closes the claims and the
 * charts need (`keep`) are kept whole, so memory holds a few series, not the whole universe's history.
 * The latest-day report (no `date`) takes each symbol's summary from its stored drawdown state
 * instead, and reads closes only for `keep` and the symbols without a usable state: its cost follows
 * the day's news, not the history's length. A past date recomputes everything from the bars.
 */
async function loadSeries(deps: ReportDeps, symbols: string[], keep: ReadonlySet<string>, date: IsoDate | undefined) {
  const today = zonedDate(deps.clock(), deps.config.exchange.timezone);
  if (date && date > today) throw new NoReportDataError(`--date ${date} is in the future (today is ${today} in ${deps.config.exchange.timezone})`);
  const asOf = date ?? (await lastBarDate(deps.handle.db, symbols));
  if (!asOf) throw new NoReportDataError(`no prices are stored for ${symbols.join(', ')}: run \`bubblewatch sync\` or \`bubblewatch import\` first`);
  const series = new Map<string, ClosePoint[]>();
  const summaries = new Map<string, SymbolDrawdown>();
  const barSources = new Map<string, BarSource[]>();
  const stored = date === undefined ? await statesForReport(deps, symbols, asOf) : new Map<string, StoredSymbolState>();
  for (const [symbol, { state, sources }] of stored) {
    summaries.set(symbol, summaryFromState(state, asOf));
    barSources.set(symbol, sources);
  }
  const toRead = symbols.filter((symbol) => keep.has(symbol) || !stored.has(symbol));
  for await (const s of streamClosesForReport(deps.handle.db, toRead, asOf)) {
    if (keep.has(s.symbol)) series.set(s.symbol, s.closes);
    if (stored.has(s.symbol)) continue;
    barSources.set(s.symbol, s.sources);
    const summary = summarizeSymbol(s.closes, asOf, { label: s.symbol });
    if (summary) summaries.set(s.symbol, summary);
  }
  if (barSources.size === 0) {
    if (!date) throw new NoReportDataError(`no prices are stored for ${symbols.join(', ')}: run \`bubblewatch sync\` or \`bubblewatch import\` first`);
    const first = await firstBarDate(deps.handle.db, symbols);
    throw new NoReportDataError(
      first ? `no prices are stored on or before ${date} (the stored history starts on ${first})` : `no prices are stored for ${symbols.join(', ')}`,
    );
  }
  return { asOf, series, summaries, barSources };
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

export async function writeReport(deps: ReportDeps, opts: ReportOptions = {}): Promise<ReportResult> {
  const { handle, config, log, clock } = deps;
  const claimsConfig = await loadClaimsConfig(opts.claimsPath ?? defaultClaimsPath(config.env.configPath));
  const { watched, all } = reportSymbols(config, claimsConfig);
  // Whole close series only for the claims (tickers, benchmarks, reference indexes) and the charts.
  const keep = new Set([...claimSubjects(claimsConfig), ...chartedSymbols(watched, claimsConfig)]);
  const { asOf, series, summaries, barSources } = await loadSeries(deps, all, keep, opts.date);
  const timeZone = config.exchange.timezone;
  // Quotes stamped before midnight after asOf, exchange time: the ones a report on asOf could have seen.
  const quotes = await latestQuotesBefore(handle.db, all, zonedTimeToInstant(addDays(asOf, 1), '00:00', timeZone));

  const runId = await startRun(handle.db, 'report', watched, clock());
  try {
    const generatedAt = clock();
    const doc = buildReportDocument({
      asOf,
      summaries,
      series,
      quotes,
      claimsConfig,
      symbols: watched,
      exchangeTimeZone: timeZone,
      generatedAt,
      barSources,
      names: new Map(config.watchlist.map((w) => [w.symbol, w.name ?? null])),
    });
    const lang = opts.lang ?? config.report.lang;
    const rendered: Record<ReportFormat, string> = {
      md: renderMarkdown(doc, lang),
      html: renderHtml(doc, lang),
      json: renderJson(doc),
    };
    const outDir = opts.outDir ?? join(config.env.dataDir, 'reports');
    await mkdir(outDir, { recursive: true });
    const files: string[] = [];
    for (const format of [...new Set(opts.formats ?? config.report.formats)]) {
      const file = join(outDir, `${asOf}.${format}`);
      await writeAtomically(file, rendered[format]);
      files.push(file);
    }
    const dataSource = doc.provenance.dataSource;
    await upsertReport(handle.db, { asOf, generatedAt, dataSource, json: rendered.json, markdown: rendered.md, html: rendered.html });
    await finishRun(handle.db, runId, { status: 'ok', finishedAt: clock() });
    log.info({ asOf, files, dataSource, simulated: doc.provenance.simulated, lang }, 'report written');
    return { asOf, files, dataSource };
  } catch (err) {
    await finishRun(handle.db, runId, { status: 'failed', finishedAt: clock(), error: (err as Error).message }).catch(() => {});
    throw err;
  }
}
