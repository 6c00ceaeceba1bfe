// Pure: what must hold for a stored history, whatever its source. Checked after each unit of work on
// what it wrote (src/db/store.ts) and by `verify` on the whole history:
// - no move between two consecutive closes beyond a factor (default 3x either way) that no split on
//   record explains: such a jump is two bases side by side far more often than a real market move;
// - dates strictly increasing (no duplicate, none out of order) in what is compared;
// - OHLC ordering is checked where bars come in (src/bar-checks.ts): kept and flagged, never dropped,
//   and counted from those flags.
import type { ClosePoint, IsoDate } from '../domain.js';
import { splitFactor, type SplitEvent } from './splits.js';

export const DEFAULT_JUMP_FACTOR = 3;

export interface Jump {
  /** The later of the two sessions. */
  date: IsoDate;
  previousDate: IsoDate;
  previousClose: number;
  close: number;
}

export interface DateProblem {
  date: IsoDate;
  problem: 'duplicate' | 'out_of_order';
}

/**
 * Consecutive closes (in the order given, which must be date order) whose ratio is beyond
 * `jumpFactor` either way, unless the splits dated after the first and on or before the second
 * account for it: unadjusted prices fall to a tenth at a 10:1 split, which is no jump (split-adjusted
 * ones do not move at all there, which is none either).
 */
export function unexplainedJumps(closes: readonly ClosePoint[], splits: readonly SplitEvent[], jumpFactor = DEFAULT_JUMP_FACTOR): Jump[] {
  if (!(jumpFactor > 1)) throw new RangeError(`the jump factor must be above 1 (got ${jumpFactor})`);
  const jumps: Jump[] = [];
  for (let i = 1; i < closes.length; i++) {
    const before = closes[i - 1]!;
    const at = closes[i]!;
    const move = at.close / before.close;
    let unsplit = move;
    for (const s of splits) if (s.tradeDate > before.date && s.tradeDate <= at.date) unsplit /= splitFactor(s);
    const beyond = (m: number) => m > jumpFactor || m < 1 / jumpFactor;
    if (beyond(move) && beyond(unsplit)) jumps.push({ date: at.date, previousDate: before.date, previousClose: before.close, close: at.close });
  }
  return jumps;
}

/** Dates that are not after the one before them. */
export function dateOrderProblems(dates: readonly IsoDate[]): DateProblem[] {
  const problems: DateProblem[] = [];
  for (let i = 1; i < dates.length; i++) {
    const date = dates[i]!;
    const before = dates[i - 1]!;
    if (date === before) problems.push({ date, problem: 'duplicate' });
    else if (date < before) problems.push({ date, problem: 'out_of_order' });
  }
  return problems;
}
