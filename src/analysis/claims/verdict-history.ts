// How each verdict has aged (pure): every claim judged again as of each session from the article's date
// to asOf, by the same evaluators on the same stored closes cut at that session, so a changed rule or
// a new claim shows up here without any code of its own. The first point is the article's date itself
// (the closes before it); then every session after it on which any claim's symbol has a close.
// Cost: one full evaluation per session (about 100 sessions five months after the article); it cuts
// each series with a binary search and re-summarises only the symbols the claims read.
import type { ClosePoint, IsoDate, QuoteSnapshot, VolumePoint } from '../../domain.js';
import { zonedDate } from '../../market/zoned-time.js';
import { summarizeSymbol, type SymbolDrawdown } from '../math/drawdown.js';
import { lastIndexOnOrBefore } from '../math/series.js';
import { claimSymbols } from './claim-symbols.js';
import type { AnyBand, ClaimsConfig } from './config.js';
import { decidingFigure, verdictBands } from './deciding-figure.js';
import { evaluateClaims } from './evaluate.js';
import type { ClaimContext } from './verdict.js';

export interface VerdictChange {
  /** The first session with the new verdict. */
  date: IsoDate;
  from: string;
  to: string;
  /** The deciding figure on that session. */
  figure: number | null;
}

export interface ClaimHistory {
  id: string;
  kind: ClaimsConfig['claims'][number]['kind'];
  /** What the figure measures (the claim's metric id). */
  metric: string;
  bands: readonly AnyBand[] | null;
  below: string | null;
  /** One per date of VerdictHistory.dates. */
  figures: (number | null)[];
  verdicts: string[];
  changes: VerdictChange[];
}

export interface VerdictHistory {
  /** The article's date: the first point, judged on the closes before it. */
  from: IsoDate;
  to: IsoDate;
  dates: IsoDate[];
  claims: ClaimHistory[];
}

export interface VerdictHistoryInput {
  asOf: IsoDate;
  /** Closes on or before asOf, ascending: at least every symbol the claims read. */
  series: ReadonlyMap<string, readonly ClosePoint[]>;
  volumes?: ReadonlyMap<string, readonly VolumePoint[]>;
  quotes?: readonly QuoteSnapshot[];
  claimsConfig: ClaimsConfig;
  exchangeTimeZone?: string;
}

/** The points dated on or before `date` (the input is ascending). */
function cut<T extends { date: IsoDate }>(points: readonly T[], date: IsoDate): readonly T[] {
  const end = lastIndexOnOrBefore(points as unknown as readonly ClosePoint[], date) + 1;
  return end === points.length ? points : points.slice(0, end);
}

/** The symbols the claims and their reference episodes read: nothing else is re-summarised. */
function subjects(config: ClaimsConfig): Set<string> {
  return new Set([...config.claims.flatMap(claimSymbols), ...config.referenceEpisodes.map((e) => e.symbol)]);
}

function sessionsAfter(series: VerdictHistoryInput['series'], symbols: ReadonlySet<string>, from: IsoDate, to: IsoDate): IsoDate[] {
  const dates = new Set<IsoDate>();
  for (const symbol of symbols) {
    const points = series.get(symbol) ?? [];
    for (let i = lastIndexOnOrBefore(points, from) + 1; i < points.length && points[i]!.date <= to; i++) dates.add(points[i]!.date);
  }
  return [...dates].sort();
}

/**
 * The claims' contexts as of `date`: the same inputs the report builds on asOf, cut at the date (the
 * claims do not use quotes for any verdict, but they get the ones a report on that date would have).
 */
function contextOn(input: VerdictHistoryInput, symbols: ReadonlySet<string>, date: IsoDate, build: (asOf: IsoDate, parts: ContextParts) => ClaimContext): ClaimContext {
  const series = new Map<string, readonly ClosePoint[]>();
  for (const symbol of symbols) {
    const points = input.series.get(symbol);
    if (points) series.set(symbol, cut(points, date));
  }
  const summaries = new SummariesOnDemand(series, date);
  const volumes = new Map([...(input.volumes ?? [])].map(([symbol, points]) => [symbol, cut(points, date)] as const));
  const zone = input.exchangeTimeZone ?? 'America/New_York';
  const quotes = (input.quotes ?? []).filter((q) => zonedDate(q.ts, zone) <= date);
  // The builder checks every summary it is given (which would make them all); these are made from
  // series already cut at the date, so they go in after it.
  return { ...build(date, { series, summaries: new Map(), volumes, quotes }), stats: summaries };
}

/**
 * summarizeSymbol of each cut series, made the first time an evaluator asks for it: the claims read
 * the summaries of a few tickers, and summarising the 100-year index histories at every session was
 * half the history's cost. Iterating (or asking the size) makes them all, so it is a complete map.
 */
class SummariesOnDemand extends Map<string, SymbolDrawdown> {
  #complete = false;
  constructor(
    private readonly closes: ReadonlyMap<string, readonly ClosePoint[]>,
    private readonly date: IsoDate,
  ) {
    super();
  }
  override get(symbol: string): SymbolDrawdown | undefined {
    if (!this.#complete && !super.has(symbol)) {
      const points = this.closes.get(symbol);
      const summary = points ? summarizeSymbol(points, this.date, { label: symbol }) : null;
      if (summary) super.set(symbol, summary);
    }
    return super.get(symbol);
  }
  override has(symbol: string): boolean {
    return this.get(symbol) !== undefined;
  }
  #fill(): void {
    if (this.#complete) return;
    for (const symbol of this.closes.keys()) this.get(symbol);
    this.#complete = true;
  }
  override get size(): number {
    this.#fill();
    return super.size;
  }
  override entries(): MapIterator<[string, SymbolDrawdown]> {
    this.#fill();
    return super.entries();
  }
  override keys(): MapIterator<string> {
    this.#fill();
    return super.keys();
  }
  override values(): MapIterator<SymbolDrawdown> {
    this.#fill();
    return super.values();
  }
  override [Symbol.iterator](): MapIterator<[string, SymbolDrawdown]> {
    return this.entries();
  }
  override forEach(fn: (value: SymbolDrawdown, key: string, map: Map<string, SymbolDrawdown>) => void, thisArg?: unknown): void {
    this.#fill();
    super.forEach(fn, thisArg);
  }
}

export interface ContextParts {
  series: ReadonlyMap<string, readonly ClosePoint[]>;
  summaries: ReadonlyMap<string, SymbolDrawdown>;
  volumes: ReadonlyMap<string, readonly VolumePoint[]>;
  quotes: readonly QuoteSnapshot[];
}

/**
 * Every claim's deciding figure and verdict at the article's date and each session after it up to
 * asOf, and the sessions its verdict changed on. `build` makes a ClaimContext as the report does
 * (model.ts passes buildClaimContext), so the history can't drift from the report's own judgement.
 * Null when asOf is before the article's date.
 */
export function buildVerdictHistory(
  input: VerdictHistoryInput,
  build: (asOf: IsoDate, parts: ContextParts) => ClaimContext,
): VerdictHistory | null {
  const config = input.claimsConfig;
  const from = config.article.date;
  if (input.asOf < from) return null;
  const symbols = subjects(config);
  const dates = [from, ...sessionsAfter(input.series, symbols, from, input.asOf)];
  const claims: ClaimHistory[] = config.claims.map((c) => ({
    id: c.id,
    kind: c.kind,
    metric: c.metric,
    bands: verdictBands(c)?.bands ?? null,
    below: verdictBands(c)?.below ?? null,
    figures: [],
    verdicts: [],
    changes: [],
  }));
  for (const date of dates) {
    const results = evaluateClaims(config, contextOn(input, symbols, date, build));
    results.forEach((result, i) => {
      const h = claims[i]!;
      const figure = decidingFigure(result);
      const previous = h.verdicts.at(-1);
      if (previous !== undefined && previous !== result.verdict) h.changes.push({ date, from: previous, to: result.verdict, figure });
      h.figures.push(figure);
      h.verdicts.push(result.verdict);
    });
  }
  return { from, to: input.asOf, dates, claims };
}
