// Pure: yahoo-finance2 results -> rows we store. No I/O, no clock ("today" comes in as an argument).
// The input types are structural on purpose: the core never imports yahoo-finance2 (not even its
// types), the simulated feed and tests can build small inputs, and tests/unit/providers/map.test.ts
// proves at compile time that the library's ChartResultArray and Quote fit them unchanged.
import { checkBar, isEmptyBar } from '../../bar-checks.js';
import type { CorporateAction, DailyBar, IsoDate, QuoteSnapshot, RawBar } from '../../domain.js';
import { toDayNumber } from '../../market/iso-date.js';
import { isTimeZone, zonedDate } from '../../market/zoned-time.js';
import { absurdPrices } from '../../price-sanity.js';

/** One row of chart().quotes. Yahoo sends null for every field on holidays and halts. */
export interface ChartQuoteInput {
  date: Date;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number | null;
  volume: number | null;
  adjclose?: number | null;
}

/** The parts of chart()'s default ("array") result that we read. */
export interface ChartInput {
  meta: {
    currency?: string | null;
    exchangeTimezoneName: string;
    firstTradeDate?: Date | null;
    instrumentType?: string | null;
    longName?: string;
  };
  quotes: ChartQuoteInput[];
  events?: {
    dividends?: { amount: number; date: Date }[];
    splits?: { date: Date; numerator: number; denominator: number; splitRatio?: string }[];
  };
}

export interface ChartMeta {
  currency: string | null;
  exchangeTimezoneName: string;
  firstTradeDate: IsoDate | null;
  instrumentType: string | null;
  longName?: string;
}

export interface MappedChart {
  bars: DailyBar[];
  actions: CorporateAction[];
  /** Impossible and absurd rows and events, with why. Events carry a "split: " or "dividend: " prefix. */
  rejected: { tradeDate: IsoDate; reason: string }[];
  /** All-null rows (holidays, halts): not data, so neither stored nor rejected. */
  skippedEmpty: number;
  /** Rows for a trade date already given: identical copies, or the session's row beside Yahoo's live row. */
  duplicates: number;
  meta: ChartMeta;
}

export interface MapChartOptions {
  symbol: string;
  /** Session date in the exchange zone; bars after it cannot be real. */
  today?: IsoDate;
  /**
   * The dates asked for ([from, toExclusive), as the chart request's period1/period2). Rows and events
   * dated outside it were not asked for and are rejected; an answer with more rows than there are days
   * in it is not a daily chart at all and is refused whole.
   */
  range?: { from: IsoDate; toExclusive: IsoDate };
}

/** Rows a daily chart may carry beyond one per calendar day: Yahoo repeats the in-progress bar. */
const EXTRA_ROWS = 2;

/** ISO 4217 form; Yahoo also writes minor units in mixed case (GBp, ZAc), which Intl accepts too. */
const CURRENCY = /^[A-Za-z]{3}$/;

/** A currency code as Yahoo sends it, or null for anything else (Intl.NumberFormat throws on garbage). */
export function currencyCode(value: unknown): string | null {
  return typeof value === 'string' && CURRENCY.test(value) ? value : null;
}

/**
 * Maps one chart() result. Trade dates are calendar dates in meta.exchangeTimezoneName: Yahoo stamps
 * daily bars at the session open (the newest one sometimes at the last trade), so the UTC date of
 * the stamp would be wrong for evening stamps. Throws only when the result as a whole is unusable
 * (no valid exchange time zone, more rows than days, a date given twice with different values); bad
 * rows are reported in `rejected` instead.
 */
export function mapChart(result: ChartInput, { symbol, today, range }: MapChartOptions): MappedChart {
  const timeZone = requireTimeZone(result.meta.exchangeTimezoneName);
  if (range) {
    const days = toDayNumber(range.toExclusive) - toDayNumber(range.from);
    if (result.quotes.length > days + EXTRA_ROWS) {
      throw new Error(
        `chart has ${result.quotes.length} rows for the ${days} day(s) from ${range.from} to ${range.toExclusive} asked for: not a daily chart`,
      );
    }
  }
  const outsideRange = (date: IsoDate): string | null =>
    range && (date < range.from || date >= range.toExclusive)
      ? `date ${date} is outside the range asked for (${range.from} to ${range.toExclusive}, exclusive)`
      : null;
  const dateOf = (instant: Date): IsoDate | null =>
    instant instanceof Date && Number.isFinite(instant.getTime()) ? zonedDate(instant, timeZone) : null;

  const firstTradeDate = result.meta.firstTradeDate ? dateOf(result.meta.firstTradeDate) : null;
  const rejected: MappedChart['rejected'] = [];
  const rows = rowsByDate(result.quotes, dateOf, rejected);
  if (rows.conflict) throw new Error(rows.conflict);

  // An event after today or outside the range would poison the split rule (a split "known" in 2100
  // hides every real new split): rejected like bars.
  const eventProblem = (date: IsoDate): string | null =>
    outsideRange(date) ?? (today !== undefined && date > today ? `date ${date} is in the future (after ${today})` : null);
  const eventsRejected: MappedChart['rejected'] = [];
  const actions = mapEvents(result.events, symbol, dateOf, eventsRejected, eventProblem);

  const valid: DailyBar[] = [];
  const context = { symbol, minDate: firstTradeDate ?? undefined, maxDate: today };
  for (const raw of rows.latest.values()) {
    const outside = outsideRange(raw.tradeDate);
    if (outside) {
      rejected.push({ tradeDate: raw.tradeDate, reason: outside });
      continue;
    }
    const check = checkBar(raw, context);
    if (check.ok) valid.push(check.bar);
    else rejected.push({ tradeDate: raw.tradeDate, reason: check.reason });
  }
  valid.sort((a, b) => compare(a.tradeDate, b.tradeDate));
  // Valid numbers that cannot be prices (a 1e12 close among closes of 100): judged against the valid
  // rows around them, after the impossible ones are out.
  const absurd = absurdPrices(valid, actions.filter((a) => a.kind === 'split').map((a) => a.tradeDate));
  const bars = valid.filter((b) => !absurd.has(b.tradeDate));
  for (const [tradeDate, reason] of absurd) rejected.push({ tradeDate, reason });
  rejected.push(...eventsRejected);

  const meta: ChartMeta = {
    currency: currencyCode(result.meta.currency),
    exchangeTimezoneName: timeZone,
    firstTradeDate,
    instrumentType: result.meta.instrumentType ?? null,
    ...(result.meta.longName ? { longName: result.meta.longName } : {}),
  };
  return { bars, actions, rejected, skippedEmpty: rows.skippedEmpty, duplicates: rows.duplicates, meta };
}

/** One chart row with the instant Yahoo stamped it at. */
interface StampedRow {
  raw: RawBar;
  stamp: number;
}

const sameValues = (a: RawBar, b: RawBar): boolean =>
  a.open === b.open && a.high === b.high && a.low === b.low && a.close === b.close && a.adjClose === b.adjClose && a.volume === b.volume;

/**
 * The chart's rows by trade date, and why the answer cannot be used when a date came twice with
 * different numbers. Such a date is never resolved by the order of the rows: which copy is right
 * cannot be told from the answer, so the whole answer is refused (the client asks again). Exceptions:
 * an identical copy (harmless), and Yahoo's live row: during and after a session the newest date can
 * come twice, the session's row and a "live" one stamped at the last trade (yahooquery#123/#127,
 * pandas-datareader#610), where the later stamp carries the newer numbers. Empty rows are dropped
 * first, so a trailing all-null row never hides a real bar.
 */
function rowsByDate(
  quotes: readonly ChartQuoteInput[],
  dateOf: (instant: Date) => IsoDate | null,
  rejected: MappedChart['rejected'],
): { latest: Map<IsoDate, RawBar>; skippedEmpty: number; duplicates: number; conflict: string | null } {
  const byDate = new Map<IsoDate, StampedRow[]>();
  let skippedEmpty = 0;
  for (const row of quotes) {
    const tradeDate = dateOf(row.date);
    if (tradeDate === null) {
      rejected.push({ tradeDate: String(row.date), reason: 'timestamp is not a valid date' });
      continue;
    }
    const raw: RawBar = { tradeDate, open: row.open, high: row.high, low: row.low, close: row.close, adjClose: row.adjclose ?? null, volume: row.volume };
    if (isEmptyBar(raw)) {
      skippedEmpty++;
      continue;
    }
    const list = byDate.get(tradeDate);
    if (list) list.push({ raw, stamp: row.date.getTime() });
    else byDate.set(tradeDate, [{ raw, stamp: row.date.getTime() }]);
  }
  let newest: IsoDate | null = null;
  for (const date of byDate.keys()) if (newest === null || date > newest) newest = date;

  const latest = new Map<IsoDate, RawBar>();
  let duplicates = 0;
  for (const [date, copies] of byDate) {
    duplicates += copies.length - 1;
    const first = copies[0]!;
    if (copies.every((c) => sameValues(c.raw, first.raw))) {
      latest.set(date, first.raw);
      continue;
    }
    const latestStamp = Math.max(...copies.map((c) => c.stamp));
    const live = copies.filter((c) => c.stamp === latestStamp);
    if (date === newest && live.length === 1) {
      latest.set(date, live[0]!.raw);
      continue;
    }
    const closes = [...new Set(copies.map((c) => c.raw.close))].join(' and ');
    const conflict = `date ${date} came ${copies.length} times with different values (close ${closes}): which is right cannot be told, so the answer is not used`;
    return { latest, skippedEmpty, duplicates, conflict };
  }
  return { latest, skippedEmpty, duplicates, conflict: null };
}

/**
 * Why a chart answer must be asked for again (a date sent twice with different values), or null. The
 * client calls this before handing the answer on, so the retry happens where the other retries do.
 * `period`: what was asked for; an answer with more rows than its days is not a daily chart at all,
 * which mapChart refuses on its own (asking again would not help).
 */
export function chartConflict(result: ChartInput, period?: { period1: Date; period2: Date }): string | null {
  const timeZone = result.meta.exchangeTimezoneName;
  // No usable zone: mapChart refuses the answer on its own, with that reason.
  if (!timeZone || !isTimeZone(timeZone)) return null;
  if (period && result.quotes.length > Math.ceil((period.period2.getTime() - period.period1.getTime()) / 86_400_000) + EXTRA_ROWS) return null;
  const dateOf = (instant: Date): IsoDate | null => (instant instanceof Date && Number.isFinite(instant.getTime()) ? zonedDate(instant, timeZone) : null);
  return rowsByDate(result.quotes, dateOf, []).conflict;
}

function mapEvents(
  events: ChartInput['events'],
  symbol: string,
  dateOf: (instant: Date) => IsoDate | null,
  rejected: MappedChart['rejected'],
  problemWithDate: (date: IsoDate) => string | null,
): CorporateAction[] {
  // Keyed like the table's primary key (trade_date, kind): the last event for a key wins.
  const byKey = new Map<string, CorporateAction>();
  const add = (action: CorporateAction) => byKey.set(`${action.tradeDate} ${action.kind}`, action);

  const invalidDate = (kind: string, date: Date) =>
    rejected.push({ tradeDate: String(date), reason: `${kind}: timestamp is not a valid date` });

  for (const split of events?.splits ?? []) {
    const tradeDate = dateOf(split.date);
    if (tradeDate === null) {
      invalidDate('split', split.date);
    } else if (problemWithDate(tradeDate)) {
      rejected.push({ tradeDate, reason: `split: ${problemWithDate(tradeDate)}` });
    } else if (!isPositive(split.numerator) || !isPositive(split.denominator)) {
      const reason = `split: ratio must be two numbers > 0 (got ${split.numerator}:${split.denominator})`;
      rejected.push({ tradeDate, reason });
    } else {
      const { numerator, denominator } = split;
      add({ symbol, tradeDate, kind: 'split', numerator, denominator, amount: null });
    }
  }

  for (const dividend of events?.dividends ?? []) {
    const tradeDate = dateOf(dividend.date);
    if (tradeDate === null) {
      invalidDate('dividend', dividend.date);
    } else if (problemWithDate(tradeDate)) {
      rejected.push({ tradeDate, reason: `dividend: ${problemWithDate(tradeDate)}` });
    } else if (!(Number.isFinite(dividend.amount) && dividend.amount >= 0)) {
      rejected.push({ tradeDate, reason: `dividend: amount must be a number >= 0 (got ${dividend.amount})` });
    } else {
      add({ symbol, tradeDate, kind: 'dividend', numerator: null, denominator: null, amount: dividend.amount });
    }
  }

  return [...byKey.values()].sort((a, b) => compare(a.tradeDate, b.tradeDate) || compare(a.kind, b.kind));
}

function requireTimeZone(timeZone: string | undefined): string {
  if (timeZone && isTimeZone(timeZone)) return timeZone;
  throw new Error(`chart result has no usable meta.exchangeTimezoneName (got ${JSON.stringify(timeZone)})`);
}

/**
 * The parts of a quote() result that we read. Everything is optional and other keys are allowed:
 * yahoo-finance2 3.15 types its ECNQUOTE variant as an index signature plus quoteType (an Omit over
 * an indexed interface), which fits nothing stricter. A quote without a symbol is rejected anyway.
 */
export interface QuoteInput {
  [key: string]: unknown;
  symbol?: string | null;
  regularMarketPrice?: number | null;
  regularMarketTime?: Date | null;
  marketCap?: number | null;
  regularMarketVolume?: number | null;
  marketState?: string | null;
  currency?: string | null;
}

export interface MappedQuotes {
  snapshots: QuoteSnapshot[];
  /** Asked for but not returned: quote() drops unknown and delisted symbols without a word. */
  missing: string[];
  rejected: { symbol: string; reason: string }[];
}

/**
 * Maps one quote() answer against what was asked. Symbols are compared exactly, as Yahoo echoes them.
 * A symbol returned twice keeps its last quote; a symbol nobody asked for is rejected.
 */
export function mapQuotes(quotes: readonly QuoteInput[], requested: readonly string[]): MappedQuotes {
  const asked = new Set(requested);
  const returned = new Set<string>();
  const bySymbol = new Map<string, QuoteSnapshot>();
  const rejected: MappedQuotes['rejected'] = [];

  for (const quote of quotes) {
    const { symbol } = quote;
    if (typeof symbol !== 'string' || symbol === '') {
      rejected.push({ symbol: '', reason: 'quote has no symbol' });
      continue;
    }
    returned.add(symbol);
    if (!asked.has(symbol)) {
      rejected.push({ symbol, reason: 'symbol was not requested' });
      continue;
    }
    const price = quote.regularMarketPrice;
    const ts = quote.regularMarketTime;
    if (!isPositive(price)) {
      bySymbol.delete(symbol);
      rejected.push({ symbol, reason: `price must be a number > 0 (got ${price})` });
      continue;
    }
    if (!(ts instanceof Date && Number.isFinite(ts.getTime()))) {
      bySymbol.delete(symbol);
      rejected.push({ symbol, reason: `regularMarketTime is not a valid date (got ${String(ts)})` });
      continue;
    }
    bySymbol.set(symbol, {
      symbol,
      ts,
      price,
      marketCap: isPositive(quote.marketCap) ? quote.marketCap : null,
      volume: isCount(quote.regularMarketVolume) ? quote.regularMarketVolume : null,
      // Free text from the wire: kept only in the shapes Yahoo uses (REGULAR, POSTPOST; USD, GBp).
      marketState: typeof quote.marketState === 'string' && /^[A-Z]{1,16}$/.test(quote.marketState) ? quote.marketState : null,
      currency: currencyCode(quote.currency),
    });
  }

  const missing = [...asked].filter((symbol) => !returned.has(symbol));
  return { snapshots: [...bySymbol.values()], missing, rejected };
}

function isPositive(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

function isCount(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
