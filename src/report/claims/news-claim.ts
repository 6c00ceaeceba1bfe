// Claim: the news events the article cites. Prices cannot confirm that news happened, so the driving
// metric (event_window_return) is each stock's return from the last close before the event date to
// the close `sessionsAfter` sessions after the event's first session (the first session on or after
// the event date, which is the first that could react). Verdict: whether those reactions could be
// measured as of asOf. Each event is labelled rallied / sold_off / muted by its return net of the
// benchmark (or its raw return without one) against claim.reactionThreshold.
import type { ClosePoint, IsoDate } from '../../domain.js';
import type { NewsClaimConfig, NewsEventConfig } from './config.js';
import { addDays } from '../../market/iso-date.js';
import { lastIndexOnOrBefore } from '../math/series.js';
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
  /** Only for measured events. */
  reaction: 'rallied' | 'sold_off' | 'muted' | null;
}

export interface NewsClaimResult {
  id: string;
  kind: 'news_events';
  text: NewsClaimConfig['text'];
  metric: NewsClaimConfig['metric'];
  sessionsAfter: number;
  reactionThreshold: number;
  verdict: string;
  events: EventReaction[];
}

function closeOnOrBefore(points: readonly ClosePoint[] | undefined, date: IsoDate): number | null {
  const i = points ? lastIndexOnOrBefore(points, date) : -1;
  return i >= 0 ? points![i]!.close : null;
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
    reaction: null,
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
    reaction: !measured
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
  return {
    id: claim.id,
    kind: claim.kind,
    text: claim.text,
    metric: claim.metric,
    sessionsAfter: claim.sessionsAfter,
    reactionThreshold: claim.reactionThreshold,
    verdict: measured === 0 ? INSUFFICIENT_DATA : measured === events.length ? 'reactions_measured' : 'partly_measured',
    events,
  };
}
