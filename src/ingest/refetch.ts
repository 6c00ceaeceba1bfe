// Pure: after a fetch, whether the symbol's whole history must be fetched again in the same run. The
// overlap decides first (src/integrity/overlap.ts): prices the source now serves on another basis
// than the stored ones say so exactly, whatever the clock said when the history was last fetched
// whole. The calendar rule (a split newer than the last full fetch, src/ingest/outcome.ts) stays as a
// second trigger, for a split the overlap cannot show yet (a provider that applies it a day late).
import type { CorporateAction, IsoDate } from '../domain.js';
import { formatFactor } from '../integrity/common-factor.js';
import type { OverlapReading } from '../integrity/overlap.js';
import { splitExplaining, splitRatio, splitsOf, type SplitEvent } from '../integrity/splits.js';
import { refetchForNewSplit, type SplitCheck } from './run-rules.js';
import type { FetchTask } from './plan.js';

/** What a re-basing found: the factors, and the split on record that accounts for them (or none). */
export interface RebaseFinding {
  /** source = factor x stored for open, high, low and close; 1 when only adjusted closes moved. */
  factor: number;
  adjCloseFactor: number;
  split: { date: IsoDate; ratio: string } | null;
  /** Overlapping sessions, and how many of them agree on the factor. */
  compared: number;
  agreeing: number;
}

export type RefetchDecision =
  /** Store what was fetched; `replace` when it is the whole history on a new basis. */
  | { refetch: null; rebase: RebaseFinding | null }
  /** Fetch `task` (the whole history) and store that instead, replacing the stored rows of its dates. */
  | { refetch: FetchTask; rebase: RebaseFinding | null; trigger: 'overlap' | 'calendar' };

export interface RefetchCheck extends SplitCheck {
  /** Splits on record for the symbol before this run (at least the newest). */
  splitsOnRecord: readonly SplitEvent[];
}

/** The overlap's re-basing with the split among `splits` that accounts for it; null when not re-based. */
export function rebaseFinding(overlap: OverlapReading, splits: readonly SplitEvent[]): RebaseFinding | null {
  if (!overlap.rebased) return null;
  const { factor, adjCloseFactor, agreeing } = overlap.rebased;
  // A dividend re-bases adjusted closes alone: no split has its ratio.
  const split = factor === 1 ? null : splitExplaining(factor, splits);
  return { factor, adjCloseFactor, split: split && { date: split.tradeDate, ratio: splitRatio(split) }, compared: overlap.compared, agreeing };
}

/**
 * The decision after fetching `done`. A re-basing read from the overlap re-fetches from the symbol's
 * start (reason 'refetch_split' when a split on record, new or old, has the factor's ratio, else
 * 'refetch_rebased'), unless `done` already covers the whole history; without one, the calendar rule
 * may still ask for a re-fetch ('refetch_split').
 */
export function decideRefetch(done: FetchTask, overlap: OverlapReading, actions: readonly CorporateAction[], check: RefetchCheck): RefetchDecision {
  const rebase = rebaseFinding(overlap, [...splitsOf(actions), ...check.splitsOnRecord]);
  if (rebase) {
    if (done.full) return { refetch: null, rebase };
    const start = check.item.historyStart ?? check.defaultStart;
    const task: FetchTask = { symbol: done.symbol, from: start, toExclusive: done.toExclusive, reason: rebase.split ? 'refetch_split' : 'refetch_rebased', full: true };
    return { refetch: task, rebase, trigger: 'overlap' };
  }
  const calendar = refetchForNewSplit(done, actions, check);
  return calendar ? { refetch: calendar, rebase: null, trigger: 'calendar' } : { refetch: null, rebase: null };
}

/** "prices x0.1, the 10:1 split of 2024-06-10" / "prices x2, no split on record" / "adjusted closes x0.99" */
export function describeRebase(rebase: Pick<RebaseFinding, 'factor' | 'adjCloseFactor' | 'split'>): string {
  const what = rebase.factor === 1 ? `adjusted closes x${formatFactor(rebase.adjCloseFactor)}` : `prices x${formatFactor(rebase.factor)}`;
  const why = rebase.split ? `the ${rebase.split.ratio} split of ${rebase.split.date}` : rebase.factor === 1 ? 'a dividend re-adjustment' : 'no split on record';
  return `${what}, ${why}`;
}

