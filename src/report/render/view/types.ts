// The report in words and tables, one language, before any syntax: the Markdown and HTML renderers
// both draw this, so they say the same thing and differ only in markup. Strings here are plain text;
// each renderer escapes them for its own syntax.
import type { FallComparison, SymbolChart } from '../chart-data.js';
import type { IsoDate } from '../../../domain.js';
import type { Lang } from '../i18n.js';

/** How a badge reads: the claim holds, partly, fails; a neutral fact; unknown; simulated data. */
export type Tone = 'holds' | 'partly' | 'fails' | 'neutral' | 'unknown' | 'sim';

export interface Badge {
  text: string;
  tone: Tone;
}

export interface Cell {
  text: string;
  /** A second line in smaller type (a date under a price). */
  sub?: string;
  badge?: Badge;
}

export interface Table {
  /** A short title shown above the table (a claim with more than one table). */
  caption?: string;
  /** numeric: right-aligned figures; nowrap: short values (dates) kept on one line. */
  columns: { label: string; numeric?: boolean; nowrap?: boolean }[];
  rows: Cell[][];
}

export interface ClaimView {
  id: string;
  heading: string;
  /** The article's own words (Chinese), and the translation when the report is in another language. */
  quote: string;
  translation: string | null;
  /** Who says it: the reporter, or the person the article reports (null when the config does not say). */
  saidBy: string | null;
  verdict: Badge;
  /** The verdict id from the model (for machines: data attributes, tests). */
  verdictId: string;
  simulated: Badge | null;
  /** "Measured by: ..." and the bands, as label/value pairs. */
  facts: [string, string][];
  sentences: string[];
  table: Table | null;
  /** Further tables after `table` (the drawdown claim's three readings). */
  extraTables?: Table[];
  comparison: FallComparison | null;
}

export interface SymbolView {
  symbol: string;
  name: string | null;
  simulated: Badge | null;
  periods: Table | null;
  /** Said instead of the periods table when the symbol never fell. */
  note: string | null;
  chart: SymbolChart | null;
}

/** One claim at a glance: its verdict, the number that decides it, how to read it. */
export interface GlanceRow {
  claimId: string;
  heading: string;
  /** The claim in the report's language (the quote, or its translation). */
  claim: string;
  verdict: Badge;
  figure: string | null;
  reading: string | null;
}

export interface ReportView {
  lang: Lang;
  title: string;
  subtitle: string;
  asOf: string;
  /** Data source, freshness, price basis, generated at. */
  header: [string, string][];
  headerHeading: string;
  simulatedBanner: string | null;
  missing: string | null;
  articleHeading: string;
  article: string;
  /** Outlet, publication time, title (with its caveat), as label/value pairs. */
  articleFacts: [string, string][];
  glanceHeading: string;
  glanceIntro: string;
  /** Inputs that stopped updating, one line per last date, above the verdicts. */
  glanceStale: string[];
  glance: GlanceRow[];
  claimsHeading: string;
  claims: ClaimView[];
  /** How each verdict has aged since the article. */
  history: HistoryView;
  episodesHeading: string;
  episodesIntro: string;
  episodes: Table;
  /** One sentence per reference episode not shown yet because its window ends after the report date. */
  episodesPending: string[];
  symbolsHeading: string;
  symbols: Table;
  symbolCards: SymbolView[];
  /** Set when the report is too large to chart every symbol: says which ones are charted. */
  chartsNote: string | null;
  periodsHeading: string;
  notesHeading: string;
  notes: string[];
}

// How each verdict has aged (view/history-view.ts builds these).

/** One verdict band: figures from `lower` (inclusive) up to `upper` (exclusive); null runs to the chart's edge. */
export interface HistoryBand {
  lower: number | null;
  upper: number | null;
  label: string;
  /** The band's range as the legend writes it: "≥ 75%", "< 50%", "p < 0.05", "p ≥ 0.10". */
  range: string;
  tone: Tone;
  /** True when a later band has the same tone: drawn stronger, so "as deep or deeper" and "comparable" differ. */
  strong: boolean;
}

export interface HistoryChartView {
  claimId: string;
  title: string;
  dates: IsoDate[];
  figures: (number | null)[];
  /** Top-down, as the config lists them, then the band below them all. */
  bands: HistoryBand[];
  /** p-values read as numbers (0.066), every other figure as a percent. */
  format: FigureFormat;
  /** Sessions on which the verdict changed. */
  changes: IsoDate[];
}

export type FigureFormat = 'pct' | 'p';

export interface HistoryView {
  heading: string;
  intro: string;
  table: Table | null;
  charts: HistoryChartView[];
}
