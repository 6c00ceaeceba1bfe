// The contract of the report's words: the languages, the verdict and metric ids, and `Messages`, which
// each language file (i18n-en.ts, i18n-zh-hant.ts) is typed with, so a label or explanation missing in
// one language fails type-checking. Types and constants only: the language files import this, and
// i18n.ts imports them, with no circle.
import type { BarSource } from '../../domain.js';
import type { InsufficientReason, MarketModelReaction } from '../../analysis/math/market-model.js';
import type { DrawdownReading } from '../../analysis/claims/config.js';
import type { SensitivityParameter } from '../../analysis/claims/sensitivity.js';

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
  'abnormal_reactions',
  'some_abnormal_reactions',
  'no_abnormal_reaction',
  // Claim 3's verdicts before the market model; still its `coverage` in the JSON.
  'reactions_measured',
  'partly_measured',
  'insufficient_data',
  // A test too small to reach significance even with the most extreme data.
  'inconclusive',
  // Sentences about the future: listed, never judged by prices.
  'not_testable_yet',
] as const;
export type KnownVerdict = (typeof KNOWN_VERDICTS)[number];

/** A news event's market-model reaction, as shown (insufficient data is shown by its reason). */
export type Reaction = MarketModelReaction | 'pending';
export type MetricId =
  | 'drawdown_from_ath'
  | 'drawdown_from_52w_high'
  | 'share_with_min_swings'
  | 'share_with_elevated_volatility'
  | 'event_window_return'
  | 'own_years_rank_p'
  | 'share_beating_benchmarks'
  | 'median_excess_return'
  | 'overextension_fall_rank_p'
  | 'share_with_heavier_down_day_volume'
  | 'share_above_own_median_swings'
  | 'share_above_own_median_volatility'
  | 'not_measurable';

export interface Messages {
  title: string;
  subtitle: string;
  asOf: string;
  generatedAt: string;
  article: string;
  /** Between a label and its value: ": " in English, the full-width "：" in Chinese. */
  colon: string;
  /** Separates items in a line: " · " in both. */
  listSeparator: string;
  /** The article named: who published it, when, under which title, and who says each claim. */
  articleInfo: {
    outlet: string;
    published: string;
    /** Date and local time, with the zone and why it is assumed. */
    publishedAt: (a: { date: string; time: string | null; zone: string | null; note: string | null }) => string;
    title: string;
    /** The title in the article's words, its translation (null in Chinese) and the caveat. */
    titleText: (a: { title: string; translation: string | null; note: string | null }) => string;
    saidBy: string;
    zones: Record<string, string>;
  };
  /** The verdicts summarised at the top of the report, one line per claim. */
  glance: {
    heading: string;
    andJoiner: string;
    intro: string;
    /** `reading`: what the fall is set against, per the claim's verdict reading (see drawdownReadingBasis). */
    drawdownFigure: (a: { ticker: string; fall: string; ratio: string; basis: string }) => string;
    drawdownReadingBasis: {
      index: (reference: string) => string;
      own_history: (reference: string) => string;
      cohort: (reference: string) => string;
    };
    swingFigure: (a: { counted: string; measured: string; share: string }) => string;
    chaseFigure: (a: { counted: string; measured: string; share: string; benchmarks: string }) => string;
    /** The chase's judged share against its own earlier years. */
    chaseBaselineFigure: (a: { percentile: string; years: string; p: string }) => string;
    /** The over-extended claim's fall reading. */
    overextendedFigure: (a: { rho: string; n: string; p: string }) => string;
    downVolumeFigure: (a: { counted: string; measured: string; share: string }) => string;
    /** Inputs that stopped updating, named at the top with the claims that read them. */
    stale: (a: { symbols: string; date: string; sessions: string; claims: string }) => string;
    newsEvent: (a: { ticker: string; reaction: string; t: string | null }) => string;
    bandsReading: (bands: string) => string;
    newsReading: (a: { benchmark: string; criticalT: string }) => string;
  };
  /** Header block: where the data came from, how fresh, which price. */
  provenance: {
    heading: string;
    dataSource: string;
    sources: Record<BarSource, string>;
    quoteSources: Record<'yahoo' | 'sim', string>;
    lastBars: string;
    lastBarsAll: (date: string) => string;
    /** Symbols whose last bar is older than the newest: "^GSPC, ^IXIC: May 11 (13 sessions behind)". */
    lastBarsBehind: (a: { symbols: string; date: string; sessions: string }) => string;
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
    /** After the bands of a p-value: when the test cannot reach the first band at all. */
    underpowered: (a: { verdict: string; max: string }) => string;
    /** A claim's inputs that stopped updating: they are read only up to their last close. */
    stale: (a: { symbols: string; date: string; sessions: string }) => string;
    /** One line on how far the verdict leans on its threshold. */
    sensitivity: (a: { parameter: string; from: string; to: string; configured: string; outside: string[]; whole: boolean }) => string;
    sensitivityOutside: (a: { at: string; verdict: string }) => string;
    sensitivityParameters: Record<SensitivityParameter, (band: string | null) => string>;
  };
  verdicts: Record<KnownVerdict, string>;
  drawdownClaim: {
    /** `fall`: the drawdown without its sign (where the sentence already says "fell"). */
    tickerFall: (a: {
      ticker: string;
      drawdown: string;
      fall: string;
      peakClose: string;
      peakDate: string;
      lastClose: string;
      sessions: string;
    }) => string;
    deciding: (a: { ticker: string; ratio: string; reference: string; verdict: string }) => string;
    rule: (a: { tickers: 'all' | 'any'; references: 'all' | 'any' }) => string;
    speed: (a: { reference: string; sessions: string; refDrawdown: string; refSessions: string | null }) => string;
    marketValue: (a: { ticker: string; lost: string; peak: string; now: string; quoteDate: string }) => string;
    missing: (list: string) => string;
    colRatio: (reference: string) => string;
    colMarketValueLost: string;
  };
  /** Claim 1's three readings: what each stock's current fall is set against. */
  drawdownReadings: {
    /** How each reading is made, one sentence each, naming the reading. */
    rule: Record<DrawdownReading, string>;
    /** What the ratio is taken of, as the decided sentence names it (depth signed, fall its size). */
    against: Record<DrawdownReading, (a: { reference: string; depth: string; fall: string }) => string>;
    /** A reading's result, after its rule; `follows`: the verdict follows this reading, else it is shown for comparison. */
    decided: (a: { reading: DrawdownReading; ticker: string; ratio: string; against: string; verdict: string; follows: boolean }) => string;
    /** A reading that gives no verdict because some named stocks cannot be measured in it. */
    undecided: (a: { reading: DrawdownReading; unmeasured: string; verdict: string; follows: boolean }) => string;
    /** A stock's own deepest fall inside one reference window. */
    ownFall: (a: { ticker: string; reference: string; from: string; to: string; depth: string; fall: string; peakDate: string; troughDate: string }) => string;
    /** A named stock whose history spans no reference window. */
    noOwnFall: (ticker: string) => string;
    /** The cohort of one reference window: its members' falls and their median. */
    cohort: (a: { reference: string; from: string; to: string; count: string; members: string; median: string; medianFall: string }) => string;
    /** One member in the cohort sentence. */
    cohortMember: (a: { symbol: string; depth: string; fall: string }) => string;
    /** Cohort stocks whose history does not span the window. */
    notTrading: (list: string) => string;
    /** The current falls are open, the reference falls complete: said once, after the readings. */
    openFall: string;
    /** The readings table: one row per stock and reading. */
    colReading: string;
    readingName: Record<DrawdownReading, string>;
    /** Under a ratio: the fall it is taken of (depth signed, fall its size). */
    ofFall: (depth: string, fall: string) => string;
    caption: string;
  };
  /** Claim 2 against each stock's own history. */
  swingBaseline: {
    /** The judged year and the baseline years, as dates. */
    judgedYear: (a: { after: string; asOf: string; lastEnd: string; minYears: string }) => string;
    /** How swings, volatility, median and percentile are measured. */
    method: (a: { threshold: string }) => string;
    shareSwings: (a: { counted: string; measured: string; share: string; verdict: string; follows: boolean }) => string;
    shareVolatility: (a: { counted: string; measured: string; share: string; verdict: string; follows: boolean }) => string;
    noBaseline: (a: { list: string; minYears: string }) => string;
    /** Too few named stocks have a baseline for these shares to give a verdict. */
    coverage: (a: { measured: string; named: string; min: string }) => string;
    /** The band the earlier rule's share falls in, shown for comparison. */
    earlierRule: (a: { verdict: string }) => string;
    colYears: string;
    yearsRange: (from: string, to: string) => string;
    colSwings: string;
    colSwingsMedian: string;
    colVolatility: string;
    colVolatilityMedian: string;
    percentile: (p: string) => string;
    noBaselineCell: string;
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
    /** What prices can and cannot show, and the method, in two sentences. */
    method: (a: {
      benchmark: string;
      estimationReturns: string;
      estimationFirst: string;
      estimationLast: string;
      windowFirst: string;
      windowLast: string;
      windowReturns: string;
      criticalT: string;
    }) => string;
    /** Said instead of the method when the claim names no benchmark. */
    noBenchmark: string;
    judged: (a: { judged: string; total: string }) => string;
    /** What the test can see: the smallest CAR it calls a reaction, per event. */
    power: (a: { list: string; criticalT: string; windowReturns: string }) => string;
    powerItem: (a: { ticker: string; mdc: string }) => string;
    /** Events measured at their completion too: which date decides. */
    completions: (a: { list: string }) => string;
    completionItem: (a: { ticker: string; first: string; completed: string; reaction: string; t: string }) => string;
    colEvent: string;
    colWindow: string;
    colReturn: string;
    /** Under an event: which of its dates the row measures. */
    firstReport: (date: string) => string;
    completed: (date: string) => string;
    /** Under the window's dates: how many returns the CAR sums, from which close. */
    windowSpan: (a: { returns: string; base: string }) => string;
    /** Under the stock's return over the window: the benchmark's over the same span. */
    benchmarkReturn: (benchmark: string, value: string) => string;
    /** Under the CAR: the smallest |CAR| the test calls a reaction. */
    detectable: (value: string) => string;
    /** The market model's alpha and beta, with the estimation window under them. */
    colModel: string;
    estimation: (from: string, to: string) => string;
    /** The cumulative abnormal return, with t under it. */
    colCar: string;
    colReaction: string;
    reactions: Record<Reaction, string>;
    insufficient: Record<InsufficientReason, string>;
  };
  episodes: {
    heading: string;
    intro: string;
    colEpisode: string;
    colIndex: string;
    sources: Record<'data' | 'config', string>;
    published: string;
    /** Said instead of a row for an episode whose window has not ended by the report date. */
    notYet: (a: { name: string; windowEnd: string }) => string;
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
    /** Under the price chart: the all-time high and the lowest close since, with their dates. */
    athKey: (a: { price: string; date: string }) => string;
    troughKey: (a: { price: string; drawdown: string; date: string }) => string;
    /** A cohort median level's label on the chart ("cohort −61.0%": the legend says which window) and its legend line. */
    cohortLevel: (a: { depth: string }) => string;
    cohortLegend: (a: { name: string; depth: string; deciding: boolean }) => string;
    /** A line of the comparison chart's legend: its name, the peak date, and a note. */
    legendItem: (a: { name: string; date: string; note: string | null }) => string;
  };
  notes: {
    heading: string;
    drawdown: string;
    noAdvice: string;
  };
  /** Who made a claim: the reporter's framing or Zhang Lu's view (the article quotes her). */
  saidBy: string;
  chaseClaim: {
    /** The benchmarks named in a sentence: "^GSPC and ^IXIC". */
    list: (items: readonly string[]) => string;
    rule: (a: { from: string; to: string; benchmarks: string }) => string;
    summary: (a: { counted: string; measured: string; share: string; benchmarks: string }) => string;
    /** The judged share against the earlier years' ones; `follows`: the verdict reads this p. */
    baseline: (a: {
      years: string;
      first: string;
      last: string;
      minStocks: string;
      median: string;
      share: string;
      percentile: string;
      atLeast: string;
      total: string;
      p: string;
      follows: boolean;
    }) => string;
    /** Too few earlier years for a baseline. */
    noBaseline: (a: { years: string; min: string }) => string;
    /** Each earlier year's count, newest first. */
    years: (list: string) => string;
    yearItem: (a: { year: string; counted: string; measured: string }) => string;
    /** The benchmarks hold these stocks: beating them is partly beating themselves. */
    circular: (benchmarks: string) => string;
    independent: (a: { name: string; equalWeight: string; index: string; excess: string; counted: string; measured: string }) => string;
    independentMissing: (a: { name: string; symbol: string }) => string;
    /** The earlier rule's share, every stock counted: shown for comparison. */
    earlierRule: (a: { counted: string; measured: string; share: string }) => string;
    medianExcess: (a: { benchmark: string; median: string; counted: string; measured: string }) => string;
    /** The period is not over on the report date: the returns run to it. */
    partial: (a: { to: string }) => string;
    listed: (a: { ticker: string; date: string }) => string;
    missing: (list: string) => string;
    colReturn: string;
    colVs: (benchmark: string) => string;
    colBeats: string;
    /** In the beats column of a stock listed during the period: shown, not counted. */
    notCounted: string;
    yes: string;
    no: string;
  };
  overextendedClaim: {
    /** How over-extension is measured against each stock's own years. */
    ruleOverextension: (a: { from: string; to: string; percentile: string; minYears: string }) => string;
    /** The fall reading: its rule, then its result with rho's permutation p. */
    ruleFall: (a: { follows: boolean }) => string;
    fall: (a: { rho: string; n: string; p: string; permutations: string; exact: boolean; verdict: string | null }) => string;
    rankUndefined: string;
    /** The earlier rule (raw run-ups) for comparison. */
    rawRunUps: (a: { rho: string; n: string; p: string }) => string;
    ruleVolume: (a: { recent: string; baseline: string; minBaseline: string; ratio: string; follows: boolean }) => string;
    volume: (a: { counted: string; measured: string; list: string; verdict: string | null }) => string;
    noneOverextended: string;
    /** Stocks with prices but no baseline: shown, not judged. */
    unmeasured: (list: string) => string;
    missing: (list: string) => string;
    captionRunUps: string;
    captionVolumes: string;
    colRunUp: string;
    colPercentile: string;
    colFall: string;
    colDownRatio: string;
    colUpRatio: string;
    colRelative: string;
    colHeavier: string;
    /** Under a percentile: how many earlier years it ranks among. */
    years: (n: string) => string;
    noBaselineCell: string;
    overextended: string;
    notOverextended: string;
    notJudged: string;
    /** A volume ratio: 1.35 -> "1.35×". */
    times: (value: string) => string;
  };
  forwardClaim: {
    whyNot: string;
    wouldTestIt: (text: string) => string;
  };
  /** How each verdict has aged since the article. */
  history: {
    heading: string;
    intro: (a: { from: string; to: string; sessions: string }) => string;
    /** The report's date is before the article's: nothing to trace yet. */
    notYet: (articleDate: string) => string;
    colClaim: string;
    colDate: string;
    colFrom: string;
    colTo: string;
    colFigure: string;
    /** The first row of a claim: its verdict on the article's date. */
    atArticle: string;
    /** The row of a claim whose verdict never changed: its figure on the report date. */
    unchanged: string;
    notTestable: string;
    chart: (claim: string) => string;
    figure: string;
  };
}
