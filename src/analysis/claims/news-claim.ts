// Claim: the news events the article cites. Prices cannot confirm that news happened; what they can
// show is whether each stock moved more than its market would explain. Each event gets a market-model
// event study (math/market-model.ts: alpha and beta from the 120 returns of sessions -130..-11 against
// the claim's benchmark, CAR and t over sessions -1..+sessionsAfter) and its reaction from t:
// rallied / fell / muted, pending until the window is complete, insufficient_data without a benchmark
// or enough history. The verdict follows those reactions, each measured from the news' first report
// (the day the market could first react); a deal reported completed on another date is measured there
// too and shown beside it (`completion`), without deciding: two dates per event would double the
// chances of a false alarm. Each study states its power (minDetectableCar).
// Kept beside it for stored reports to stay comparable: the earlier figures (the stock's return from the
// last close before the event date to `sessionsAfter` sessions after its first session, the same net of
// the benchmark by subtraction, and `excessReaction`, that excess return against claim.reactionThreshold,
// which reports before the event study called `reaction`),
// and `coverage`, the earlier verdict (how many windows are complete).
import type { ClosePoint, IsoDate } from '../../domain.js';
import type { NewsClaimConfig, NewsEventConfig } from './config.js';
import { addDays } from '../../market/iso-date.js';
import { lastIndexOnOrBefore } from '../math/series.js';
import {
  MARKET_MODEL_SPEC,
  marketModelEventStudy,
  type EventStudySpec,
  type InsufficientReason,
  type MarketModelReaction,
  type MarketModelStudy,
} from '../math/market-model.js';
import { INSUFFICIENT_DATA, type ClaimContext } from './verdict.js';

export type EventStatus =
  /** The whole window is on or before asOf. */
  | 'measured'
  /** The event happened but the window is not complete yet: figures so far. */
  | 'pending'
  /** The event is dated after asOf. */
  | 'after_as_of'
  /** No close before the event (not listed yet, or no stored history). */
  | 'no_data';

export interface EventReaction {
  eventId: string;
  date: IsoDate;
  dateNote: string | null;
  ticker: string;
  headline: NewsEventConfig['headline'];
  source: string;
  status: EventStatus;
  baseDate: IsoDate | null;
  baseClose: number | null;
  endDate: IsoDate | null;
  endClose: number | null;
  /** Sessions from base to end (sessionsAfter + 1 when measured). */
  sessions: number;
  return: number | null;
  benchmark: { symbol: string; return: number } | null;
  /** return - benchmark return. */
  excessReturn: number | null;
  /**
   * Only for measured events: excessReturn (or return) against reactionThreshold. Reports before the
   * event study called this `reaction`; it is not a measure of an event (no beta), so nothing judges by it.
   */
  excessReaction: 'rallied' | 'sold_off' | 'muted' | null;
  /** The market-model event study; null while pending or when it cannot be computed. */
  marketModel: MarketModelStudy | null;
  /** What the verdict follows: the market-model reaction read from t (DESIGN.md's `reaction`). */
  reaction: MarketModelReaction | 'pending' | typeof INSUFFICIENT_DATA;
  /** Why reaction is insufficient_data; null otherwise. */
  marketModelInsufficient: InsufficientReason | null;
  /** The same study from the date the deal was reported completed, when that differs; shown, not deciding. */
  completion: EventStudyAt | null;
}

/** A market-model study from one date of an event. */
export interface EventStudyAt {
  date: IsoDate;
  marketModel: MarketModelStudy | null;
  reaction: MarketModelReaction | 'pending' | typeof INSUFFICIENT_DATA;
  marketModelInsufficient: InsufficientReason | null;
}

/** Claim verdicts, from the events whose market-model reaction is known (rallied, fell or muted). */
export type NewsVerdict = 'abnormal_reactions' | 'some_abnormal_reactions' | 'no_abnormal_reaction' | typeof INSUFFICIENT_DATA;

export interface NewsClaimResult {
  id: string;
  kind: 'news_events';
  text: NewsClaimConfig['text'];
  metric: NewsClaimConfig['metric'];
  sessionsAfter: number;
  reactionThreshold: number;
  /** Follows the market-model reactions: all, some or none of the judged events moved abnormally. */
  verdict: NewsVerdict;
  /** The earlier verdict, kept as it was: reactions_measured / partly_measured / insufficient_data. */
  coverage: string;
  /** The event study's sessions (relative to day 0) and critical t, so the figures can be redone. */
  eventStudy: EventStudySpec;
  events: EventReaction[];
}

/** The benchmark's close for `date`; none after its last bar (a stale index is not read as current). */
function closeOnOrBefore(points: readonly ClosePoint[] | undefined, date: IsoDate): number | null {
  if (!points || points.length === 0 || points.at(-1)!.date < date) return null;
  const i = lastIndexOnOrBefore(points, date);
  return i >= 0 ? points[i]!.close : null;
}

/** The market model's event window ends where the return window does: sessionsAfter past day 0. */
function studySpec(claim: NewsClaimConfig): EventStudySpec {
  return { ...MARKET_MODEL_SPEC, windowLast: claim.sessionsAfter };
}

function marketModelFields(
  ticker: string,
  date: IsoDate,
  claim: NewsClaimConfig,
  ctx: ClaimContext,
): Pick<EventReaction, 'marketModel' | 'reaction' | 'marketModelInsufficient'> {
  const benchmark = claim.benchmark === null ? null : (ctx.closes.get(claim.benchmark) ?? null);
  const outcome = marketModelEventStudy(ctx.closes.get(ticker) ?? [], benchmark, date, ctx.asOf, studySpec(claim));
  switch (outcome.state) {
    case 'measured':
      return { marketModel: outcome.study, reaction: outcome.reaction, marketModelInsufficient: null };
    case 'pending':
      return { marketModel: null, reaction: 'pending', marketModelInsufficient: null };
    case 'insufficient':
      return { marketModel: null, reaction: INSUFFICIENT_DATA, marketModelInsufficient: outcome.reason };
  }
}

function reactionTo(event: NewsEventConfig, claim: NewsClaimConfig, ctx: ClaimContext): EventReaction {
  const base: EventReaction = {
    eventId: event.id,
    date: event.date,
    dateNote: event.dateNote ?? null,
    ticker: event.ticker,
    headline: event.headline,
    source: event.source,
    status: 'no_data',
    baseDate: null,
    baseClose: null,
    endDate: null,
    endClose: null,
    sessions: 0,
    return: null,
    benchmark: null,
    excessReturn: null,
    excessReaction: null,
    ...marketModelFields(event.ticker, event.date, claim, ctx),
    completion:
      event.completed !== undefined && event.completed !== event.date
        ? { date: event.completed, ...marketModelFields(event.ticker, event.completed, claim, ctx) }
        : null,
  };
  if (event.date > ctx.asOf) return { ...base, status: 'after_as_of' };
  const closes = ctx.closes.get(event.ticker) ?? [];
  // Last close strictly before the event date; the window ends sessionsAfter past the next one.
  const b = lastIndexOnOrBefore(closes, addDays(event.date, -1));
  if (b < 0) return base;
  const wanted = b + 1 + claim.sessionsAfter;
  const e = Math.min(wanted, closes.length - 1);
  const from = closes[b]!;
  const to = closes[e]!;
  const ret = to.close / from.close - 1;
  const benchCloses = claim.benchmark === null ? undefined : ctx.closes.get(claim.benchmark);
  const b0 = closeOnOrBefore(benchCloses, from.date);
  const b1 = closeOnOrBefore(benchCloses, to.date);
  const benchmark =
    claim.benchmark !== null && b0 !== null && b1 !== null ? { symbol: claim.benchmark, return: b1 / b0 - 1 } : null;
  const excess = benchmark ? ret - benchmark.return : null;
  const measured = e === wanted;
  const judged = excess ?? ret;
  return {
    ...base,
    status: measured ? 'measured' : 'pending',
    baseDate: from.date,
    baseClose: from.close,
    endDate: to.date,
    endClose: to.close,
    sessions: e - b,
    return: ret,
    benchmark,
    excessReturn: excess,
    excessReaction: !measured
      ? null
      : judged >= claim.reactionThreshold
        ? 'rallied'
        : judged <= -claim.reactionThreshold
          ? 'sold_off'
          : 'muted',
  };
}

export function evaluateNewsClaim(claim: NewsClaimConfig, ctx: ClaimContext): NewsClaimResult {
  const events = claim.events.flatMap((id) => {
    const event = ctx.newsEvents.get(id);
    return event ? [reactionTo(event, claim, ctx)] : [];
  });
  const measured = events.filter((e) => e.status === 'measured').length;
  const judged = events.filter((e) => e.reaction === 'rallied' || e.reaction === 'fell' || e.reaction === 'muted');
  const abnormal = judged.filter((e) => e.reaction !== 'muted').length;
  const verdict: NewsVerdict =
    judged.length === 0
      ? INSUFFICIENT_DATA
      : abnormal === judged.length
        ? 'abnormal_reactions'
        : abnormal > 0
          ? 'some_abnormal_reactions'
          : 'no_abnormal_reaction';
  return {
    id: claim.id,
    kind: claim.kind,
    text: claim.text,
    metric: claim.metric,
    sessionsAfter: claim.sessionsAfter,
    reactionThreshold: claim.reactionThreshold,
    verdict,
    coverage: measured === 0 ? INSUFFICIENT_DATA : measured === events.length ? 'reactions_measured' : 'partly_measured',
    eventStudy: studySpec(claim),
    events,
  };
}
