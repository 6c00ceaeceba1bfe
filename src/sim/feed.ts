// The simulated Yahoo feed without the HTTP: the data as of `now` (source + splits added at run time
// + injected bad rows), the cookie/crumb sessions, and one function per Yahoo endpoint that returns
// the reply (status, headers, body) Yahoo would send. server.ts adds sockets, faults and counters.
import { isIsoDate } from '../bar-checks.js';
import type { IsoDate } from '../domain.js';
import { addDays } from '../market/iso-date.js';
import { applySplits, roundBar, roundPrice } from './adjust.js';
import {
  CHART_NOT_FOUND,
  INVALID_CRUMB,
  chartBadRequest,
  chartBody,
  financeBadRequest,
  quoteItem,
  type ChartQuery,
} from './payloads.js';
import { createRng, hashString } from './rng.js';
import { closeEpoch, openEpoch } from './session-time.js';
import type { SimBar, SimSeries, SimSource, SimSplit } from './types.js';

/** Bad rows tests can plant: 'odd_open' is kept-and-flagged material, the others must be rejected. */
export type SimAnomalyKind = 'odd_open' | 'negative_close' | 'high_below_low' | 'all_null';

export interface SimAnomaly {
  symbol: string;
  date: IsoDate;
  kind: SimAnomalyKind;
}

/**
 * A revision of one served bar, as Yahoo corrects a recent session after the fact: the fields given
 * replace the served ones (a revised close, the final volume).
 */
export interface SimRevision {
  symbol: string;
  date: IsoDate;
  open?: number;
  high?: number;
  low?: number;
  close?: number;
  adjClose?: number;
  volume?: number;
}

/**
 * The served history on another basis with no event to say so (a provider re-basing silently, a split
 * it forgot to list): every price of the bars dated before `before` (all of them when absent) times
 * `factor`. Volume is left as it is.
 */
export interface SimRebasing {
  factor: number;
  before?: IsoDate;
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ChartRequestInfo {
  symbol: string;
  period1: number | null;
  period2: number | null;
}

const JSON_TYPE = 'application/json;charset=utf-8';
const COOKIE_NAME = 'A3';

function json(status: number, body: unknown): Reply {
  return { status, headers: { 'content-type': JSON_TYPE }, body: JSON.stringify(body) };
}

function anomalous(bar: SimBar, kind: SimAnomalyKind): SimBar {
  if (bar.close === null && kind !== 'all_null') return bar;
  switch (kind) {
    case 'odd_open':
      return { ...bar, open: (bar.high ?? bar.close!) * 1.01 };
    case 'negative_close':
      return { ...bar, close: -Math.abs(bar.close!), adjClose: bar.adjClose === null ? null : -Math.abs(bar.adjClose) };
    case 'high_below_low': {
      const high = bar.high ?? bar.close!;
      const low = bar.low ?? bar.close!;
      return high > low ? { ...bar, high: low, low: high } : { ...bar, high: low * 0.99, low: high };
    }
    case 'all_null':
      return { ...bar, open: null, high: null, low: null, close: null, adjClose: null, volume: null };
  }
}

function scaledBar(bar: SimBar, factor: number): SimBar {
  const scale = (v: number | null) => (v === null ? null : roundPrice(v * factor));
  return { ...bar, open: scale(bar.open), high: scale(bar.high), low: scale(bar.low), close: scale(bar.close), adjClose: scale(bar.adjClose) };
}

function revised(bar: SimBar, r: SimRevision): SimBar {
  const { symbol: _symbol, date: _date, ...fields } = r;
  return { ...bar, ...fields };
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

export interface SimFeedOptions {
  /**
   * The instant quotes are taken at: inside `now`'s session (09:30-16:00 New York) a quote is
   * intraday, stamped then and priced on the session's path (payloads.ts, intradayPrice); otherwise
   * (and by default) quotes are the session's close, as after the close.
   */
  intradayClock?: () => Date;
  source: SimSource;
  now: IsoDate;
  seed: number;
  isTradingDay: (date: IsoDate) => boolean;
  anomalies?: readonly SimAnomaly[];
}

export class SimFeed {
  readonly #source: SimSource;
  readonly #isTradingDay: (date: IsoDate) => boolean;
  readonly #extraSplits = new Map<string, SimSplit[]>();
  readonly #rebasings = new Map<string, SimRebasing>();
  readonly #revisions: SimRevision[] = [];
  readonly #anomalies: SimAnomaly[];
  readonly #memo = new Map<string, SimSeries | undefined>();
  // Cookie token -> crumb (null until /v1/test/getcrumb is called with the cookie).
  readonly #sessions = new Map<string, string | null>();
  readonly #crumbRng: () => number;
  #now: IsoDate;
  #tokenCount = 0;
  readonly #intradayClock: (() => Date) | undefined;

  constructor(opts: SimFeedOptions) {
    this.#source = opts.source;
    this.#now = opts.now;
    this.setNow(opts.now);
    this.#isTradingDay = opts.isTradingDay;
    this.#anomalies = [...(opts.anomalies ?? [])];
    this.#crumbRng = createRng(hashString(`${opts.seed}:crumbs`));
    this.#intradayClock = opts.intradayClock;
  }

  /** Where in `now`'s session the intraday clock stands, or null outside it (or without one). */
  #sessionInstant(): { epochSeconds: number; progress: number } | null {
    if (!this.#intradayClock) return null;
    const at = Math.floor(this.#intradayClock().getTime() / 1000);
    const open = openEpoch(this.#now);
    const close = closeEpoch(this.#now);
    return at >= open && at < close ? { epochSeconds: at, progress: (at - open) / (close - open) } : null;
  }

  now(): IsoDate {
    return this.#now;
  }

  setNow(date: IsoDate): void {
    if (!isIsoDate(date)) throw new RangeError(`sim: now must be a date as YYYY-MM-DD (got ${JSON.stringify(date)})`);
    this.#now = date;
    this.#memo.clear();
  }

  /** Moves `now` forward by whole sessions ("one more session"); returns the new date. */
  advance(sessions = 1): IsoDate {
    let date = this.#now;
    for (let i = 0; i < sessions; i++) {
      do date = addDays(date, 1);
      while (!this.#isTradingDay(date));
    }
    this.setNow(date);
    return date;
  }

  symbols(): string[] {
    return this.#source.symbols();
  }

  /** Adds a split (effective from `date`, inclusive): every earlier bar is divided by the ratio once `now` reaches it. */
  addSplit(symbol: string, split: SimSplit): void {
    if (!(split.numerator > 0 && split.denominator > 0)) throw new RangeError('sim: split ratio must be positive');
    if (!isIsoDate(split.date)) throw new RangeError(`sim: split date must be YYYY-MM-DD (got ${JSON.stringify(split.date)})`);
    const list = this.#extraSplits.get(symbol) ?? [];
    list.push({ ...split });
    this.#extraSplits.set(symbol, list);
    this.#memo.clear();
  }

  /** Serves the symbol's history on another basis from now on (factor 1 serves it as it was). */
  rebase(symbol: string, rebasing: SimRebasing): void {
    if (!(rebasing.factor > 0 && Number.isFinite(rebasing.factor))) throw new RangeError('sim: a re-basing factor must be a positive number');
    if (rebasing.before !== undefined && !isIsoDate(rebasing.before)) throw new RangeError(`sim: before must be YYYY-MM-DD (got ${JSON.stringify(rebasing.before)})`);
    if (rebasing.factor === 1) this.#rebasings.delete(symbol);
    else this.#rebasings.set(symbol, { ...rebasing });
    this.#memo.clear();
  }

  /** Revises one served bar from now on (a later revision of the same bar wins, field by field). */
  revise(revision: SimRevision): void {
    if (!isIsoDate(revision.date)) throw new RangeError(`sim: revision date must be YYYY-MM-DD (got ${JSON.stringify(revision.date)})`);
    for (const key of ['open', 'high', 'low', 'close', 'adjClose', 'volume'] as const) {
      const v = revision[key];
      if (v !== undefined && !(Number.isFinite(v) && v >= 0)) throw new RangeError(`sim: revised ${key} must be a number >= 0`);
    }
    this.#revisions.push({ ...revision });
    this.#memo.clear();
  }

  addAnomaly(anomaly: SimAnomaly): void {
    this.#anomalies.push({ ...anomaly });
    this.#memo.clear();
  }

  /** What the feed serves for a symbol right now (all sessions through `now`), or undefined if unknown. */
  series(symbol: string): SimSeries | undefined {
    if (this.#memo.has(symbol)) return this.#memo.get(symbol);
    const series = this.#build(symbol);
    this.#memo.set(symbol, series);
    return series;
  }

  #build(symbol: string): SimSeries | undefined {
    const base = this.#source.series(symbol, this.#now);
    if (!base) return undefined;
    let { bars, dividends, splits } = base;
    const extra = (this.#extraSplits.get(symbol) ?? []).filter((s) => s.date <= this.#now);
    if (extra.length > 0) {
      const adjusted = applySplits(bars, dividends, extra);
      bars = adjusted.bars.map(roundBar);
      dividends = adjusted.dividends.map((d) => ({ ...d, amount: Math.round(d.amount * 1e6) / 1e6 }));
      splits = [...splits, ...extra].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    }
    const rebasing = this.#rebasings.get(symbol);
    if (rebasing) bars = bars.map((b) => (rebasing.before === undefined || b.tradeDate < rebasing.before ? scaledBar(b, rebasing.factor) : b));
    const revisions = this.#revisions.filter((r) => r.symbol === symbol);
    if (revisions.length > 0) bars = bars.map((b) => revisions.reduce((bar, r) => (r.date === bar.tradeDate ? revised(bar, r) : bar), b));
    const planted = this.#anomalies.filter((a) => a.symbol === symbol);
    if (planted.length > 0) {
      bars = bars.map((bar) => planted.reduce((b, a) => (a.date === b.tradeDate ? anomalous(b, a.kind) : b), bar));
    }
    return { info: base.info, bars, splits, dividends };
  }

  /** Forgets every cookie and crumb handed out: the next quote with an old crumb gets 401 Invalid Crumb. */
  invalidateCrumbs(): void {
    this.#sessions.clear();
  }

  // --- endpoints -------------------------------------------------------------------------------

  /** GET /quote/{SYM}: the page that hands out the session cookie (200, Set-Cookie, no Location). */
  cookiePage(): Reply {
    const token = `sim${(++this.#tokenCount).toString(36)}${Math.floor(this.#crumbRng() * 2 ** 32).toString(36)}`;
    this.#sessions.set(token, null);
    return {
      status: 200,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'set-cookie': `${COOKIE_NAME}=${token}; Max-Age=31557600; Domain=.yahoo.com; Path=/; Secure; HttpOnly; SameSite=None`,
      },
      body: '<!doctype html><html><head><title>Simulated Yahoo Finance</title></head><body></body></html>',
    };
  }

  /** GET /v1/test/getcrumb: the crumb tied to the cookie, as text. */
  crumb(cookieHeader: string | undefined): Reply {
    const token = cookieValue(cookieHeader, COOKIE_NAME);
    if (token === undefined || !this.#sessions.has(token)) {
      return { status: 403, headers: { 'content-type': 'text/plain;charset=utf-8' }, body: '' };
    }
    let crumb = this.#sessions.get(token) ?? null;
    if (crumb === null) {
      const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
      crumb = Array.from({ length: 11 }, () => alphabet[Math.floor(this.#crumbRng() * alphabet.length)]).join('');
      this.#sessions.set(token, crumb);
    }
    return { status: 200, headers: { 'content-type': 'text/plain;charset=utf-8' }, body: crumb };
  }

  /** GET /v7/finance/quote?symbols=A,B&crumb=...: needs the cookie and its crumb; unknown symbols are left out. */
  quote(params: URLSearchParams, cookieHeader: string | undefined): { reply: Reply; symbols: string[] } {
    const symbols = (params.get('symbols') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const token = cookieValue(cookieHeader, COOKIE_NAME);
    const crumb = params.get('crumb');
    const expected = token === undefined ? undefined : this.#sessions.get(token);
    if (!crumb || !expected || crumb !== expected) return { reply: json(401, INVALID_CRUMB), symbols };
    if (symbols.length === 0) return { reply: json(400, financeBadRequest('Missing required query parameter=symbols')), symbols };
    const result = [];
    const intraday = this.#sessionInstant();
    for (const symbol of symbols) {
      const series = this.series(symbol.toUpperCase());
      const item = series && quoteItem(series, intraday);
      if (item) result.push(item);
    }
    return { reply: json(200, { quoteResponse: { result, error: null } }), symbols };
  }

  /** GET /v8/finance/chart/{SYM}?period1&period2&interval=1d&events=div|split|earn */
  chart(symbolInPath: string, params: URLSearchParams): { reply: Reply; request: ChartRequestInfo } {
    const symbol = decodeURIComponent(symbolInPath).toUpperCase();
    const num = (name: string) => {
      const raw = params.get(name);
      return raw === null || raw === '' ? null : Number(raw);
    };
    const period1 = num('period1');
    const period2 = num('period2');
    const request = { symbol, period1, period2 };
    const interval = params.get('interval') ?? '1d';
    if (interval !== '1d') {
      return { reply: json(400, chartBadRequest(`Invalid input - interval=${interval} is not supported by the simulated feed`)), request };
    }
    if ((period1 !== null && !Number.isInteger(period1)) || (period2 !== null && !Number.isInteger(period2))) {
      return { reply: json(400, chartBadRequest('Invalid input - period1 and period2 must be whole epoch seconds')), request };
    }
    if (period1 !== null && period2 !== null && period1 > period2) {
      const description = `Invalid input - start date cannot be after end date. startDate = ${period1}, endDate = ${period2}`;
      return { reply: json(400, chartBadRequest(description)), request };
    }
    const series = this.series(symbol);
    if (!series) return { reply: json(404, CHART_NOT_FOUND), request };
    const query: ChartQuery = { period1, period2, events: params.get('events') ?? '' };
    return { reply: json(200, chartBody(series, query)), request };
  }
}
