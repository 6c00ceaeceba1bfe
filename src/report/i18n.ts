// Every word the report shows, in the two languages it is written in. `Messages` is the contract: each
// language file is typed with it, so a label or explanation missing in one language fails type-checking.
// Sentences that carry figures are functions of already formatted strings, so word order stays the
// translator's choice and number formatting stays in format.ts.
import type { BarSource } from '../domain.js';
import type { EventStatus } from './claim-news.js';
import { en } from './i18n-en.js';
import { zhHant } from './i18n-zh-hant.js';

export const LANGS = ['en', 'zh-Hant'] as const;
export type Lang = (typeof LANGS)[number];

/** The locale behind each language's number and date formats. */
export const LOCALES: Record<Lang, string> = { en: 'en-US', 'zh-Hant': 'zh-Hant-TW' };

/** Verdict ids the default claims config produces; a config may add its own (shown by id). */
export const KNOWN_VERDICTS = [
  'as_deep_or_deeper',
  'comparable',
  'partly_comparable',
  'not_comparable',
  'supported',
  'partly_supported',
  'not_supported',
  'reactions_measured',
  'partly_measured',
  'insufficient_data',
] as const;
export type KnownVerdict = (typeof KNOWN_VERDICTS)[number];

export type Reaction = 'rallied' | 'sold_off' | 'muted';
export type MetricId =
  | 'drawdown_from_ath'
  | 'drawdown_from_52w_high'
  | 'share_with_min_swings'
  | 'share_with_elevated_volatility'
  | 'event_window_return';

export interface Messages {
  title: string;
  subtitle: string;
  asOf: string;
  generatedAt: string;
  article: string;
  /** Header block: where the data came from, how fresh, which price. */
  provenance: {
    heading: string;
    dataSource: string;
    sources: Record<BarSource, string>;
    quoteSources: Record<'yahoo' | 'sim', string>;
    lastBars: string;
    lastBarsAll: (date: string) => string;
    lastQuote: string;
    noQuotes: string;
    basis: string;
    basisText: string;
    simulatedBanner: string;
    simulatedBadge: string;
    simulatedClaim: string;
    missingSymbols: (list: string) => string;
  };
  claims: {
    heading: string;
    claim: (n: number) => string;
    articleSays: string;
    translation: string;
    verdict: string;
    metric: string;
    metrics: Record<MetricId, string>;
    bands: string;
    below: string;
  };
  verdicts: Record<KnownVerdict, string>;
  drawdownClaim: {
    tickerFall: (a: { ticker: string; drawdown: string; peakClose: string; peakDate: string; lastClose: string; sessions: string }) => string;
    deciding: (a: { ticker: string; ratio: string; reference: string; verdict: string }) => string;
    rule: (a: { tickers: 'all' | 'any'; references: 'all' | 'any' }) => string;
    speed: (a: { reference: string; sessions: string; refDrawdown: string; refSessions: string | null }) => string;
    marketValue: (a: { ticker: string; lost: string; peak: string; now: string; quoteDate: string }) => string;
    missing: (list: string) => string;
    colRatio: (reference: string) => string;
    colMarketValueLost: string;
  };
  swingClaim: {
    summary: (a: { counted: string; measured: string; share: string; minSwings: string; threshold: string; after: string }) => string;
    summaryVolatility: (a: { counted: string; measured: string; share: string }) => string;
    colSwingsLastYear: string;
    colSwingsPerYear: string;
    colVolLastYear: string;
    colVolHistory: string;
    colCounts: string;
    yes: string;
    no: string;
    missing: (list: string) => string;
  };
  newsClaim: {
    summary: (a: { sessions: string; benchmark: string | null; threshold: string; measured: string; total: string }) => string;
    colEvent: string;
    colDate: string;
    colWindow: string;
    colReturn: string;
    colBenchmark: string;
    colExcess: string;
    colReaction: string;
    statuses: Record<EventStatus, string>;
    reactions: Record<Reaction, string>;
  };
  episodes: {
    heading: string;
    intro: string;
    colEpisode: string;
    colIndex: string;
    sources: Record<'data' | 'config', string>;
    published: string;
  };
  symbols: {
    heading: string;
    colSymbol: string;
    colName: string;
    colLastDate: string;
    colLastClose: string;
    colAthDate: string;
    colAthClose: string;
    colDrawdown: string;
    colMaxDrawdown: string;
    colSource: string;
    periodsHeading: string;
    colPeak: string;
    colTrough: string;
    colRecovery: string;
    colDepth: string;
    colSessions: string;
    notRecovered: string;
    noDrawdown: string;
    atHigh: string;
    /** Shown when a large report charts only the claims' subjects and benchmarks. */
    chartsLimited: (charted: number, listed: number) => string;
  };
  charts: {
    price: (symbol: string) => string;
    underwater: (symbol: string) => string;
    comparison: string;
    comparisonNote: string;
    close: string;
    drawdown: string;
    sessionsSincePeak: string;
    ath: string;
    trough: string;
    event: string;
    events: string;
    publishedOnly: string;
    logScale: string;
  };
  notes: {
    heading: string;
    drawdown: string;
    noAdvice: string;
  };
}

const MESSAGES: Record<Lang, Messages> = { en, 'zh-Hant': zhHant };

export function messagesFor(lang: Lang): Messages {
  return MESSAGES[lang];
}

export function isKnownVerdict(id: string): id is KnownVerdict {
  return (KNOWN_VERDICTS as readonly string[]).includes(id);
}

/** A verdict id in words; a verdict a custom config invented is shown as its id, spaced. */
export function verdictLabel(m: Messages, id: string): string {
  return isKnownVerdict(id) ? m.verdicts[id] : id.replaceAll('_', ' ');
}

/** The metric ids the claims config allows, in words. */
export function metricLabel(m: Messages, id: string): string {
  return id in m.claims.metrics ? m.claims.metrics[id as MetricId] : id;
}

/** The language's entry of a { en, zh-Hant } pair from config/claims.json. */
export function pick(words: { readonly en: string; readonly 'zh-Hant': string }, lang: Lang): string {
  return words[lang];
}
