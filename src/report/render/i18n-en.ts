// English words of the report (the contract is messages.ts).
import type { Messages } from './messages.js';


export const en: Messages = {
  title: 'Bubble watch',
  subtitle: "Checking a January 2026 article's claims about an AI \"bubble\" against stored closing prices",
  asOf: 'As of',
  generatedAt: 'Generated',
  article: 'The article',
  colon: ': ',
  listSeparator: ' · ',
  articleInfo: {
    outlet: 'Published by',
    published: 'Published',
    publishedAt: (a) => [a.date, a.time, a.zone && `(${a.zone}${a.note ? `; ${a.note}` : ''})`].filter(Boolean).join(' '),
    title: 'Title',
    titleText: (a) =>
      `${a.title}${a.translation ? ` ("${a.translation}")` : ''}${a.note ? ` (${a.note})` : ''}`,
    saidBy: 'Said by',
    zones: { 'Asia/Taipei': 'Taipei time' },
  },
  glance: {
    heading: 'At a glance',
    andJoiner: ' and ',
    intro: 'One line per claim: the verdict, the number that decides it, and how to read it. The figures behind each are below.',
    drawdownFigure: (a) => `${a.ticker} is ${a.fall} below its high, ${a.ratio} as deep as ${a.basis}`,
    drawdownReadingBasis: {
      index: (ref) => `the index fall of the ${ref}`,
      own_history: (ref) => `its own deepest fall in the ${ref} window`,
      cohort: (ref) => `the watchlist cohort's median fall in the ${ref} window`,
    },
    swingFigure: (a) => `${a.counted} of ${a.measured} stocks (${a.share}) swung more often than in their own median year`,
    chaseFigure: (a) => `${a.counted} of ${a.measured} stocks (${a.share}) beat ${a.benchmarks}`,
    chaseBaselineFigure: (a) => `percentile ${a.percentile} among their own ${a.years} earlier years, p = ${a.p}`,
    overextendedFigure: (a) => `over-extension against fall ρ = ${a.rho} over ${a.n} stocks, p = ${a.p}`,
    downVolumeFigure: (a) =>
      `${a.counted} of ${a.measured} over-extended stocks (${a.share}) gained more volume on down days than on up days`,
    stale: (a) => `Stale input: the last close of ${a.symbols} is of ${a.date}, ${a.sessions} sessions before this report's date; ${a.claims} read it only up to then.`,
    newsEvent: (a) => `${a.ticker} ${a.reaction}${a.t ? ` (t = ${a.t})` : ''}`,
    bandsReading: (bands) => `Verdict bands: ${bands}.`,
    newsReading: (a) =>
      `Abnormal means beyond what ${a.benchmark} explains, |t| ≥ ${a.criticalT}; prices cannot confirm the news itself.`,
  },
  provenance: {
    heading: 'Data',
    dataSource: 'Source',
    sources: { yahoo: 'Yahoo Finance', import: 'imported CSV', sim: 'SIMULATED feed' },
    quoteSources: { yahoo: 'Yahoo Finance', sim: 'SIMULATED feed' },
    lastBars: 'Last daily bar',
    lastBarsAll: (date) => `${date} for every symbol`,
    lastBarsBehind: (a) => `${a.symbols}: ${a.date} (${a.sessions} sessions behind)`,
    lastQuote: 'Last quote',
    noQuotes: 'no quote stored on or before this date',
    basis: 'Price basis',
    basisText: 'daily close, split-adjusted, not dividend-adjusted (dividends are not reinvested)',
    simulatedBanner:
      'This report contains SIMULATED prices from the demo feed, not real market data. Figures and verdicts marked "simulated" say nothing about the real market.',
    simulatedBadge: 'simulated',
    simulatedClaim: 'Based in part on simulated prices.',
    missingSymbols: (list) => `No prices stored on or before this date for: ${list}.`,
  },
  claims: {
    heading: "The article's claims",
    claim: (n) => `Claim ${n}`,
    articleSays: 'The article says',
    translation: 'In English',
    verdict: 'Verdict',
    metric: 'Measured by',
    metrics: {
      drawdown_from_ath: 'fall from the all-time closing high, as a share of the reference fall',
      drawdown_from_52w_high: 'fall from the 52-week closing high, as a share of the reference fall',
      share_with_min_swings: 'share of the stocks with repeated large swings in the last year',
      share_with_elevated_volatility: 'share of the stocks more volatile in the last year than over their history',
      share_above_own_median_swings: "share of the stocks that swung more in the judged year than in their own median calendar year",
      share_above_own_median_volatility: 'share of the stocks more volatile in the judged year than in their own median calendar year',
      event_window_return: "each stock's abnormal return around the news date (market model)",
      share_beating_benchmarks: 'share of the stocks whose return beat every index over the period',
      median_excess_return: 'median return in excess of the indexes over the period (the lower of the two)',
      own_years_rank_p: "the judged year's share of stocks beating every index, against the same share in the stocks' own earlier years (rank p-value)",
      overextension_fall_rank_p:
        "rank correlation of each stock's over-extension (its run-up against its own earlier years) with its fall since the peak, and its permutation p-value",
      share_with_heavier_down_day_volume: 'share of the over-extended stocks whose down days gained more volume than their up days',
      not_measurable: 'nothing to measure yet',
    },
    bands: 'Verdict bands',
    underpowered: (a) => `${a.verdict} when even the most extreme data could not give p < ${a.max}`,
    stale: (a) => `Stale input: this claim reads ${a.symbols} only up to its last close, of ${a.date}, ${a.sessions} sessions before this report's date.`,
    sensitivity: (a) =>
      a.whole
        ? `Robustness: the verdict is the same at every ${a.parameter} tried, from ${a.from} to ${a.to} (set at ${a.configured}).`
        : `Robustness: the verdict holds for a ${a.parameter} from ${a.from} to ${a.to} (set at ${a.configured}); ${a.outside.join('; ')}.`,
    sensitivityOutside: (a) => `at ${a.at} it reads "${a.verdict}"`,
    sensitivityParameters: {
      band_edge: (band) => `"${band}" band edge`,
      swing_threshold: () => 'swing threshold',
      event_window_end: () => 'event-window end',
      beat_margin: () => 'beat margin',
      significance: () => 'significance level',
      min_volume_ratio: () => 'down-to-up volume margin',
    },
  },
  verdicts: {
    as_deep_or_deeper: 'As deep or deeper',
    comparable: 'Comparable',
    partly_comparable: 'Partly comparable',
    not_comparable: 'Not comparable',
    supported: 'Supported',
    partly_supported: 'Partly supported',
    not_supported: 'Not supported',
    abnormal_reactions: 'Abnormal reactions',
    some_abnormal_reactions: 'Some abnormal reactions',
    no_abnormal_reaction: 'No abnormal reaction',
    reactions_measured: 'Reactions measured',
    partly_measured: 'Partly measured',
    insufficient_data: 'Insufficient data',
    inconclusive: 'Inconclusive',
    not_testable_yet: 'Not testable yet',
  },
  drawdownClaim: {
    tickerFall: (a) =>
      `${a.ticker} last closed at ${a.lastClose}: ${a.drawdown} from its closing high of ${a.peakClose} on ${a.peakDate}, ${a.sessions} sessions earlier.`,
    deciding: (a) =>
      `The verdict follows ${a.ticker} against the ${a.reference}: its fall is ${a.ratio} as deep, which reads "${a.verdict}".`,
    rule: (a) =>
      `${a.tickers === 'all' ? 'Every stock named' : 'At least one stock named'} must match ${a.references === 'any' ? 'either reference episode' : 'every reference episode'}.`,
    speed: (a) =>
      `Speed: ${a.sessions} sessions after its own peak, the ${a.reference} stood at ${a.refDrawdown}` +
      (a.refSessions === null ? '; it never fell as far as that.' : `; it took ${a.refSessions} sessions to fall as far.`),
    marketValue: (a) =>
      `${a.ticker}: about ${a.lost} of market value lost since the peak (${a.peak} then, ${a.now} now; share count from the quote of ${a.quoteDate}, assumed unchanged).`,
    missing: (list) => `No prices for ${list}: the claim cannot be judged without them.`,
    colRatio: (reference) => `vs ${reference}`,
    colMarketValueLost: 'Market value lost',
  },
  drawdownReadings: {
    rule: {
      index:
        "Reading (a), the index falls: each stock's fall from its all-time closing high divided by the reference index's peak-to-trough fall in the episode.",
      own_history:
        "Reading (b), the stock's own fall: divided by the stock's own deepest fall (peak to trough, closes inside the reference window only) in each window it traded throughout.",
      cohort:
        'Reading (c), the cohort: divided by the median of the deepest falls inside each reference window of the watchlist stocks that traded throughout it (with an even count, the mean of the two middle ones).',
    },
    against: {
      index: (a) => `the fall of ${a.depth} in the ${a.reference}`,
      own_history: (a) => `its own fall of ${a.depth} in the ${a.reference} window`,
      cohort: (a) => `the cohort's median fall of ${a.depth} in the ${a.reference} window`,
    },
    decided: (a) =>
      `Decided by ${a.ticker}, whose fall is ${a.ratio} as deep as ${a.against}: "${a.verdict}". ` +
      (a.follows ? 'The verdict follows this reading.' : 'Shown for comparison.'),
    undecided: (a) =>
      `"${a.verdict}": ${a.unmeasured} cannot be measured this way. ` + (a.follows ? 'The verdict follows this reading.' : 'Shown for comparison.'),
    ownFall: (a) =>
      `${a.ticker}'s own deepest fall in the ${a.reference} window (${a.from} – ${a.to}): ${a.depth}, from ${a.peakDate} to ${a.troughDate}.`,
    noOwnFall: (ticker) => `${ticker} did not trade throughout any reference window: it has no fall of its own to compare with.`,
    cohort: (a) =>
      `The cohort in the ${a.reference} window (${a.from} – ${a.to}): ${a.count} watchlist stocks traded throughout it (${a.members}); median ${a.median}.`,
    cohortMember: (a) => `${a.symbol} ${a.depth}`,
    notTrading: (list) => `Not trading throughout: ${list}.`,
    openFall:
      "Each stock's fall runs to its latest close and may not be over; every reference fall is complete, from peak to trough.",
    colReading: 'Set against',
    readingName: { index: '(a) index fall', own_history: '(b) own fall', cohort: '(c) cohort median' },
    ofFall: (depth) => `of ${depth}`,
    caption: 'The three readings',
  },
  swingBaseline: {
    judgedYear: (a) =>
      `Judged year: the sessions after ${a.after} up to ${a.asOf} (the year that ends on the report date). ` +
      `Baseline: each stock's full calendar years that end on or before ${a.lastEnd} (a year counts when the stock has closes within a week of its first and last day); a stock with fewer than ${a.minYears} has no baseline.`,
    method: (a) =>
      `Swings follow the same zig-zag rule (a rise or fall of ${a.threshold} or more from the last turning point, counted in the year of the session that completes it); volatility is the annualised standard deviation of daily log returns. ` +
      "Median: the middle year's figure (the mean of the two middle ones for an even count). Percentile: the share of the baseline years below the judged year's figure, years equal to it counted as half (mid-rank). A stock counts when its judged year is above its own median.",
    shareSwings: (a) =>
      `${a.counted} of ${a.measured} stocks with a baseline (${a.share}) swung more in the judged year than in their median year: "${a.verdict}". ` +
      (a.follows ? 'The verdict follows this share.' : 'Shown for comparison.'),
    shareVolatility: (a) =>
      `${a.counted} of ${a.measured} stocks with a baseline (${a.share}) were more volatile in the judged year than in their median year: "${a.verdict}". ` +
      (a.follows ? 'The verdict follows this share.' : 'Shown for comparison.'),
    noBaseline: (a) => `No baseline (fewer than ${a.minYears} full calendar years before the judged year), left out of these shares: ${a.list}.`,
    coverage: (a) => `Only ${a.measured} of the ${a.named} stocks named have a baseline; at least ${a.min} must have one for a verdict.`,
    earlierRule: (a) => `By the earlier rule (at least that many swings, whatever the stock's usual year) this share reads "${a.verdict}": ordinary years pass it too.`,
    colYears: 'Full years',
    yearsRange: (from, to) => `${from}–${to}`,
    colSwings: 'Swings, judged year',
    colSwingsMedian: 'Swings, median year',
    colVolatility: 'Volatility, judged year',
    colVolatilityMedian: 'Volatility, median year',
    percentile: (p) => `percentile ${p}`,
    noBaselineCell: 'no baseline',
  },
  swingClaim: {
    summary: (a) =>
      `${a.counted} of ${a.measured} stocks (${a.share}) made at least ${a.minSwings} swings of ${a.threshold} or more (a rise or fall from the last turning point) in the year after ${a.after}.`,
    summaryVolatility: (a) =>
      `${a.counted} of ${a.measured} stocks (${a.share}) were more volatile in the last year than over their whole history.`,
    colSwingsLastYear: 'Swings, last year',
    colSwingsPerYear: 'Swings per year, history',
    colVolLastYear: 'Volatility, last year',
    colVolHistory: 'Volatility, history',
    colCounts: 'Counts',
    yes: 'yes',
    no: 'no',
    missing: (list) => `No prices for ${list}.`,
  },
  newsClaim: {
    method: (a) =>
      `Prices cannot confirm that news happened; they can show whether a stock moved more than its market explains. ` +
      `Market model: alpha and beta from an OLS of the stock's daily returns on ${a.benchmark}'s over the ${a.estimationReturns} sessions ${a.estimationFirst} to ${a.estimationLast} ` +
      `(session 0 is the first session on or after the news date; each return runs from the stock's previous session to the session, for the benchmark over the same two dates, so both need a close on each), ` +
      `then the abnormal returns AR = r − (α + β·r_m) of sessions ${a.windowFirst} to ${a.windowLast} summed into the CAR, and t = CAR / (s·√${a.windowReturns}) with s the residual standard deviation: ` +
      `t of ${a.criticalT} or more reads "rallied", −${a.criticalT} or less "fell", in between "muted".`,
    noBenchmark: 'Prices cannot confirm that news happened, and without a benchmark no market-model event study can be made.',
    judged: (a) => `${a.judged} of ${a.total} events judged.`,
    power: (a) =>
      `What the test can see: the smallest CAR it calls a reaction, ${a.criticalT} × s × √${a.windowReturns}, is ${a.list}. ` +
      "A smaller move reads \"muted\" whatever its cause, so \"muted\" means \"no reaction that large\", not \"no reaction\".",
    powerItem: (a) => `±${a.mdc} for ${a.ticker}`,
    completions: (a) =>
      `Each event is measured from its first report, when the market could first react; where the deal was reported completed on another date, that date is measured too and shown, not deciding: ${a.list}.`,
    completionItem: (a) => `${a.ticker} first reported ${a.first}, completed ${a.completed}: ${a.reaction} (t = ${a.t})`,
    colEvent: 'Event',
    colWindow: 'Returns summed',
    colReturn: 'Return',
    firstReport: (date) => `first report ${date}`,
    completed: (date) => `completed ${date}`,
    windowSpan: (a) => `${a.returns} returns, from the ${a.base} close`,
    benchmarkReturn: (benchmark, value) => `${benchmark} ${value}`,
    detectable: (value) => `detectable ±${value}`,
    colModel: 'Market model',
    estimation: (from, to) => `estimated ${from} – ${to}`,
    colCar: 'CAR',
    colReaction: 'Reaction',
    reactions: { rallied: 'rallied', fell: 'fell', muted: 'muted', pending: 'pending' },
    insufficient: {
      benchmark_missing: 'insufficient data: no benchmark prices',
      short_history: 'insufficient data: too little history before the event',
      benchmark_gap: 'insufficient data: benchmark closes missing',
      degenerate_fit: 'insufficient data: market model undefined',
    },
  },
  episodes: {
    heading: 'Reference episodes',
    intro: 'The falls the article compares with, from peak close to trough close.',
    colEpisode: 'Episode',
    colIndex: 'Index',
    sources: { data: 'measured from stored closes', config: 'published figures (index history not stored)' },
    published: 'Published',
    notYet: (a) =>
      `${a.name}: not shown yet. Its window ends on ${a.windowEnd}; before then its trough was not known, and this report uses nothing dated after its own date.`,
  },
  symbols: {
    heading: 'Stocks and indexes',
    colSymbol: 'Symbol',
    colName: 'Name',
    colLastDate: 'Last bar',
    colLastClose: 'Last close',
    colAthDate: 'High date',
    colAthClose: 'All-time high',
    colDrawdown: 'Below high',
    colMaxDrawdown: 'Deepest fall',
    colSource: 'Source',
    periodsHeading: 'Deepest falls',
    colPeak: 'Peak',
    colTrough: 'Trough',
    colRecovery: 'Recovered',
    colDepth: 'Depth',
    colSessions: 'Sessions to trough',
    notRecovered: 'not yet',
    noDrawdown: 'never closed below an earlier high',
    atHigh: 'at its high',
    chartsLimited: (charted, listed) =>
      `With this many symbols, charts and deepest falls are shown for the ${charted} claim subjects and benchmarks only; the other ${listed} symbols are listed in the table above.`,
  },
  charts: {
    price: (symbol) => `${symbol}: close`,
    underwater: (symbol) => `${symbol}: below the all-time high`,
    comparison: 'Current falls against the reference episodes, aligned at their peaks',
    comparisonNote: 'x: trading sessions since the peak close; y: close below the peak close.',
    close: 'Close',
    drawdown: 'Below high',
    sessionsSincePeak: 'Sessions since peak',
    ath: 'All-time high',
    trough: 'Lowest close since the high',
    event: 'News',
    events: 'News events',
    publishedOnly: 'published peak and trough only',
    logScale: 'log scale',
    athKey: (a) => `All-time high: ${a.price}, ${a.date}`,
    troughKey: (a) => `Lowest close since the high: ${a.price} (${a.drawdown}), ${a.date}`,
    cohortLevel: (a) => `cohort ${a.depth}`,
    cohortLegend: (a) => `Watchlist cohort's median fall in the ${a.name} window, ${a.depth}${a.deciding ? ' (the verdict is read against it)' : ''}`,
    legendItem: (a) => `${a.name}, ${a.date}${a.note ? ` (${a.note})` : ''}`,
  },
  notes: {
    heading: 'How to read this',
    drawdown:
      'A fall (drawdown) is the close divided by the highest earlier close, minus one. An episode runs from the last high before its low to the first close back at that high; episodes do not overlap (the convention of pyfolio). Only prices dated on or before the report date are used.',
    noAdvice: 'Figures, not advice.',
  },
  saidBy: 'Said by',
  chaseClaim: {
    list: (items) => new Intl.ListFormat('en-US', { style: 'long', type: 'conjunction' }).format(items),
    rule: (a) =>
      `Rule: each stock's return from its last close before ${a.from} to its last close on or before ${a.to}, against ${a.benchmarks} between the same two dates; a stock beats the market when its return exceeds every index's. A stock listed during the period is shown but not counted (a return from a listing price is another thing).`,
    summary: (a) => `${a.counted} of the ${a.measured} stocks listed before the period (${a.share}) beat ${a.benchmarks}.`,
    baseline: (a) =>
      `Against their own years: the same share in each of the ${a.years} earlier years (${a.first}–${a.last}, the same span a year back each time, the stocks listed before each; a year counts with at least ${a.minStocks} of them), by the same rule. ` +
      `Their median is ${a.median}; this period's ${a.share} is at percentile ${a.percentile}. Rank p-value: ${a.atLeast} of the ${a.total} years, this one included, had a share at least as high, p = ${a.p}. ` +
      (a.follows ? 'The verdict reads this p.' : 'Shown for comparison.'),
    noBaseline: (a) => `Only ${a.years} earlier years have enough of the stocks listed; at least ${a.min} are needed for a baseline.`,
    years: (list) => `Each earlier year, newest first: ${list}.`,
    yearItem: (a) => `${a.year} ${a.counted}/${a.measured}`,
    circular: (benchmarks) =>
      `These stocks are a large part of ${benchmarks}: beating those indexes is partly beating themselves, which is why the verdict reads the stocks against their own years.`,
    independent: (a) =>
      `Against an index not made of these stocks, ${a.name}: their equal-weight return ${a.equalWeight} against its ${a.index}, ${a.excess}; ${a.counted} of ${a.measured} beat it. Shown for comparison.`,
    independentMissing: (a) =>
      `Against an index not made of these stocks: not measured. The ${a.name}, in which each of them weighs about 0.2 %, is not stored; add ${a.symbol} to the watchlist to measure it. ^GSPC without these stocks would need each one's weight in the index, which no stored series gives.`,
    earlierRule: (a) => `The earlier rule, every stock with a return counted (a listing from its first close): ${a.counted} of ${a.measured} (${a.share}).`,
    medianExcess: (a) => `Against ${a.benchmark} alone: ${a.counted} of ${a.measured} beat it; median excess return ${a.median}.`,
    partial: (a) => `The period runs to ${a.to}; until then the returns run to the report date.`,
    listed: (a) => `${a.ticker} listed during the period: its return runs from its first close (${a.date}), the indexes' from the same date; not counted.`,
    missing: (list) => `No return for ${list} over the period.`,
    colReturn: 'Return',
    colVs: (benchmark) => `vs ${benchmark}`,
    colBeats: 'Beats all',
    notCounted: 'not counted',
    yes: 'yes',
    no: 'no',
  },
  overextendedClaim: {
    ruleOverextension: (a) =>
      `Over-extended, each stock against its own history: its run-up from its last close before ${a.from} to its highest close through ${a.to} (the day before the article, so later peaks do not count), ranked among its run-ups over the same span in each earlier year it traded (mid-rank percentile); over-extended at percentile ${a.percentile} or above. A stock with fewer than ${a.minYears} earlier years is shown, not judged.`,
    ruleFall: (a) =>
      "The fall reading: Spearman's rank correlation (ρ) of that percentile against the depth of the fall from the peak to the last close, over the stocks with a baseline; if investors sold what had run furthest beyond its habits, ρ > 0. " +
      'Its one-sided permutation p-value is the share of all pairings of the stocks with the falls that give a ρ at least as high. ' +
      (a.follows ? 'The verdict follows this reading.' : 'Shown for comparison.'),
    fall: (a) =>
      `ρ = ${a.rho} over ${a.n} stocks, p = ${a.p} (${a.exact ? `all ${a.permutations} pairings` : `${a.permutations} random pairings, seed fixed`})` +
      (a.verdict ? `: "${a.verdict}".` : '.'),
    rankUndefined: 'ρ is undefined (fewer than three stocks with a baseline, or no spread in the figures).',
    rawRunUps: (a) => `For comparison, the earlier rule (raw run-ups, a listing from its first close, the same capped peaks): ρ = ${a.rho} over ${a.n} stocks, p = ${a.p}.`,
    ruleVolume: (a) =>
      `The volume reading, the over-extended stocks only: a down day closes below the previous close, an up day above it. Down-day ratio = mean volume on the down days of the last ${a.recent} sessions ÷ the same on the up to ${a.baseline} sessions before them (at least ${a.minBaseline}); the up-day ratio likewise. A stock counts when its down-day ratio is at least ${a.ratio} its up-day ratio: busier trading on every day is no sign of selling. ` +
      (a.follows ? 'The verdict follows this reading.' : 'Shown for comparison.'),
    volume: (a) => `Over-extended stocks that count: ${a.counted} of ${a.measured}${a.list ? ` (${a.list})` : ''}` + (a.verdict ? `: "${a.verdict}".` : '.'),
    noneOverextended: 'No stock with a baseline was over-extended: the volume reading has nothing to judge.',
    unmeasured: (list) => `No baseline (shown, not judged): ${list}.`,
    missing: (list) => `No prices in the run-up window for ${list}.`,
    captionRunUps: 'Over-extension and fall',
    captionVolumes: 'Volume on down days against up days',
    colRunUp: 'Run-up to peak',
    colPercentile: 'Own percentile',
    colFall: 'Since peak',
    colDownRatio: 'Down-day ratio',
    colUpRatio: 'Up-day ratio',
    colRelative: 'Down ÷ up',
    colHeavier: 'Counts',
    years: (n) => `of ${n} years`,
    noBaselineCell: 'no baseline',
    overextended: 'over-extended',
    notOverextended: 'not over-extended',
    notJudged: 'not judged',
    times: (value) => `${value}×`,
  },
  forwardClaim: {
    whyNot: 'A statement about the future: prices up to the report date cannot confirm or refute it.',
    wouldTestIt: (text) => `What would test it: ${text}`,
  },
  history: {
    heading: 'How each verdict has aged',
    intro: (a) =>
      `Every claim judged again at each of the ${a.sessions} sessions from the article's date (${a.from}) to ${a.to}, with the same rules and bands, on the closes stored up to that session. The charts show each claim's deciding figure with its verdict bands shaded; the table lists the dates a verdict changed.`,
    notYet: (articleDate) => `The article appeared on ${articleDate}, after this report's date: its verdicts have no history yet.`,
    colClaim: 'Claim',
    colDate: 'Date',
    colFrom: 'From',
    colTo: 'To',
    colFigure: 'Deciding figure',
    atArticle: "at the article's date",
    unchanged: 'unchanged since the article',
    notTestable: 'not testable yet (a statement about the future)',
    chart: (claim) => `${claim}: deciding figure by session`,
    figure: 'Deciding figure',
  },
};
