// Yahoo's JSON, built from a SimSeries: the v8 chart result in its raw layout (parallel arrays keyed
// by timestamp, events keyed by timestamp) and v7 quote items with every field yahoo-finance2's schema
// requires. Shapes follow recorded Yahoo responses; unknown symbols and errors use Yahoo's error bodies.
import type { IsoDate } from '../domain.js';
import { SIM_TIME_ZONE, closeEpoch, epochOf, gmtOffsetSeconds, openEpoch, zoneAbbreviation } from './session-time.js';
import type { SimBar, SimSeries } from './types.js';
import { hashString } from './rng.js';

export interface ChartQuery {
  /** Epoch seconds; null = from the first bar. */
  period1: number | null;
  /** Epoch seconds, exclusive; null = through the last bar. */
  period2: number | null;
  /** Yahoo's `events` parameter, e.g. "div|split|earn". */
  events: string;
}

export const VALID_RANGES = ['1d', '5d', '1mo', '3mo', '6mo', '1y', '2y', '5y', '10y', 'ytd', 'max'];

export const CHART_NOT_FOUND = {
  chart: { result: null, error: { code: 'Not Found', description: 'No data found, symbol may be delisted' } },
};

export const INVALID_CRUMB = {
  finance: { result: null, error: { code: 'Unauthorized', description: 'Invalid Crumb' } },
};

export function chartBadRequest(description: string) {
  return { chart: { result: null, error: { code: 'Bad Request', description } } };
}

export function financeBadRequest(description: string) {
  return { finance: { result: null, error: { code: 'Bad Request', description } } };
}

function lastReal(bars: readonly SimBar[]): SimBar | undefined {
  for (let i = bars.length - 1; i >= 0; i--) if (bars[i]!.close !== null) return bars[i];
  return undefined;
}

function period(date: IsoDate, start: string, end: string) {
  const s = epochOf(date, start);
  return { timezone: zoneAbbreviation(s), start: s, end: epochOf(date, end), gmtoffset: gmtOffsetSeconds(s) };
}

function chartMeta(series: SimSeries, previous: SimBar | undefined) {
  const { info, bars } = series;
  const last = lastReal(bars);
  const marketTime = last ? closeEpoch(last.tradeDate) : openEpoch(bars[0]!.tradeDate);
  const year = bars.slice(-252).filter((b) => b.close !== null);
  const lastDate = last?.tradeDate ?? bars[0]!.tradeDate;
  return {
    currency: info.currency,
    symbol: info.symbol,
    exchangeName: info.exchange,
    fullExchangeName: info.fullExchangeName,
    instrumentType: info.kind === 'index' ? 'INDEX' : 'EQUITY',
    firstTradeDate: bars[0]!.timestamp,
    regularMarketTime: marketTime,
    hasPrePostMarketData: info.kind === 'equity',
    gmtoffset: gmtOffsetSeconds(marketTime),
    timezone: zoneAbbreviation(marketTime),
    exchangeTimezoneName: SIM_TIME_ZONE,
    regularMarketPrice: last?.close ?? 0,
    ...(year.length > 0
      ? {
          fiftyTwoWeekHigh: Math.max(...year.map((b) => b.high ?? b.close!)),
          fiftyTwoWeekLow: Math.min(...year.map((b) => b.low ?? b.close!)),
        }
      : {}),
    regularMarketDayHigh: last?.high ?? undefined,
    regularMarketDayLow: last?.low ?? undefined,
    regularMarketVolume: last?.volume ?? undefined,
    longName: info.name,
    shortName: info.name,
    ...(previous?.close != null ? { chartPreviousClose: previous.close } : {}),
    priceHint: 2,
    currentTradingPeriod: {
      pre: period(lastDate, '04:00', '09:30'),
      regular: period(lastDate, '09:30', '16:00'),
      post: period(lastDate, '16:00', '20:00'),
    },
    dataGranularity: '1d',
    range: '',
    validRanges: VALID_RANGES,
  };
}

function inRange(epoch: number, q: ChartQuery): boolean {
  return (q.period1 === null || epoch >= q.period1) && (q.period2 === null || epoch < q.period2);
}

/** The bars a chart request returns: session opens in [period1, period2). */
export function selectBars(series: SimSeries, q: ChartQuery): SimBar[] {
  return series.bars.filter((b) => inRange(b.timestamp, q));
}

export function chartBody(series: SimSeries, q: ChartQuery) {
  const selected = selectBars(series, q);
  const firstIndex = selected.length > 0 ? series.bars.indexOf(selected[0]!) : -1;
  let previous: SimBar | undefined;
  for (let i = firstIndex - 1; i >= 0 && !previous; i--) if (series.bars[i]!.close !== null) previous = series.bars[i];

  const events: Record<string, Record<string, unknown>> = {};
  if (/\bdiv\b/.test(q.events)) {
    for (const d of series.dividends) {
      const ts = openEpoch(d.date);
      if (inRange(ts, q)) (events.dividends ??= {})[String(ts)] = { amount: d.amount, date: ts };
    }
  }
  if (/\bsplit\b/.test(q.events)) {
    for (const s of series.splits) {
      const ts = openEpoch(s.date);
      if (inRange(ts, q)) {
        (events.splits ??= {})[String(ts)] = {
          date: ts,
          numerator: s.numerator,
          denominator: s.denominator,
          splitRatio: `${s.numerator}:${s.denominator}`,
        };
      }
    }
  }

  const result: Record<string, unknown> = { meta: chartMeta(series, previous) };
  if (selected.length > 0) {
    result.timestamp = selected.map((b) => b.timestamp);
    if (Object.keys(events).length > 0) result.events = events;
    result.indicators = {
      quote: [
        {
          open: selected.map((b) => b.open),
          high: selected.map((b) => b.high),
          low: selected.map((b) => b.low),
          close: selected.map((b) => b.close),
          volume: selected.map((b) => b.volume),
        },
      ],
      adjclose: [{ adjclose: selected.map((b) => b.adjClose) }],
    };
  } else {
    // What Yahoo sends for a range without sessions (a weekend): no timestamp, empty quote object.
    if (Object.keys(events).length > 0) result.events = events;
    result.indicators = { quote: [{}], adjclose: [{}] };
  }
  return { chart: { result: [result], error: null } };
}

/** One v7 quote item, as of the last real bar of the series (the sim always answers after the close). */
/**
 * A session's price at `progress` (0 = open, 1 = close): from the open to the close with two slow
 * swings of about 1 % of the price riding on the straight line, their phase set by the symbol, so a
 * replayed session moves visibly, the same way every time, and ends at the close it will be synced with.
 */
export function intradayPrice(symbol: string, open: number, close: number, progress: number): number {
  const t = Math.min(1, Math.max(0, progress));
  const phase = (hashString(symbol) % 1000) / 1000;
  const swing = Math.sin(2 * Math.PI * (2 * t + phase)) * Math.sqrt(t * (1 - t)) * 2 * 0.01 * close;
  return Math.max(0.01, open + (close - open) * t + swing);
}

/** The quote as after the session's close, or at an instant inside it (`intraday`: that instant's price, REGULAR). */
export function quoteItem(series: SimSeries, intraday?: { epochSeconds: number; progress: number } | null) {
  const { info, bars } = series;
  const last = lastReal(bars);
  if (!last) return undefined;
  const lastIndex = bars.indexOf(last);
  let previous: SimBar | undefined;
  for (let i = lastIndex - 1; i >= 0 && !previous; i--) if (bars[i]!.close !== null) previous = bars[i];
  const price = intraday ? intradayPrice(info.symbol, last.open ?? last.close!, last.close!, intraday.progress) : last.close!;
  const prevClose = previous?.close ?? last.open ?? price;
  const marketTime = intraday ? intraday.epochSeconds : closeEpoch(last.tradeDate);
  const equity = info.kind === 'equity';
  return {
    language: 'en-US',
    region: 'US',
    quoteType: equity ? 'EQUITY' : 'INDEX',
    typeDisp: equity ? 'Equity' : 'Index',
    quoteSourceName: 'Delayed Quote',
    triggerable: equity,
    customPriceAlertConfidence: 'HIGH',
    currency: info.currency,
    marketState: intraday ? 'REGULAR' : 'CLOSED',
    tradeable: false,
    exchange: info.exchange,
    shortName: info.name,
    longName: info.name,
    exchangeTimezoneName: SIM_TIME_ZONE,
    exchangeTimezoneShortName: zoneAbbreviation(marketTime),
    gmtOffSetMilliseconds: gmtOffsetSeconds(marketTime) * 1000,
    market: 'us_market',
    esgPopulated: false,
    priceHint: 2,
    regularMarketChange: price - prevClose,
    regularMarketChangePercent: ((price - prevClose) / prevClose) * 100,
    regularMarketTime: marketTime,
    regularMarketPrice: price,
    ...(last.open !== null ? { regularMarketOpen: last.open } : {}),
    ...(last.high !== null ? { regularMarketDayHigh: last.high } : {}),
    ...(last.low !== null ? { regularMarketDayLow: last.low } : {}),
    ...(last.volume !== null ? { regularMarketVolume: last.volume } : {}),
    regularMarketPreviousClose: prevClose,
    firstTradeDateMilliseconds: bars[0]!.timestamp * 1000,
    sourceInterval: 15,
    exchangeDataDelayedBy: 0,
    fullExchangeName: info.fullExchangeName,
    ...(info.sharesOutstanding !== undefined
      ? { sharesOutstanding: info.sharesOutstanding, marketCap: Math.round(price * info.sharesOutstanding) }
      : {}),
    symbol: info.symbol,
  };
}
