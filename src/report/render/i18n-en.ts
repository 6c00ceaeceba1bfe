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
    intro: 'One line per claim: the verdict, the number that decides it, and how to read it. The figures behind each are below.',
    drawdownFigure: (a) => `${a.ticker} is ${a.fall} below its high, ${a.ratio} as deep as the ${a.reference}`,
    swingFigure: (a) => `${a.counted} of ${a.measured} stocks (${a.share}) swung as the rule asks`,
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
      event_window_return: "each stock's abnormal return around the news date (market model)",
    },
    bands: 'Verdict bands',
    below: 'below',
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
    colEvent: 'Event',
    colWindow: 'Window',
    colReturn: 'Return',
    netOf: (benchmark, value) => `net of ${benchmark} ${value}`,
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
    legendItem: (a) => `${a.name}, ${a.date}${a.note ? ` (${a.note})` : ''}`,
  },
  notes: {
    heading: 'How to read this',
    drawdown:
      'A fall (drawdown) is the close divided by the highest earlier close, minus one. An episode runs from the last high before its low to the first close back at that high; episodes do not overlap (the convention of pyfolio). Only prices dated on or before the report date are used.',
    noAdvice: 'Figures, not advice.',
  },
};
