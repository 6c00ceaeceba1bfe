// A drawdown summary read off a symbol's stored running peak (pure): summarizeSymbol's result without
// the history (src/peak-state.ts keeps what it needs). The latest-day report takes every symbol's
// summary from here; tests/unit/analysis/drawdown-state.test.ts holds it to summarizeSymbol.
import type { IsoDate } from '../../domain.js';
import { minusYears } from '../../market/iso-date.js';
import { offerEpisode, PEAK_STATE_TOP_EPISODES, type IndexedClose, type PeakState } from '../../peak-state.js';
import type { DrawdownEpisode } from './episodes.js';
import type { SymbolDrawdown } from './drawdown.js';

/** toEpisode's shape and key order, from marks instead of indices into a series. */
function episodeOf(peak: IndexedClose, trough: IndexedClose, recovery: IndexedClose | null): DrawdownEpisode {
  return {
    peakDate: peak.date,
    peakClose: peak.close,
    troughDate: trough.date,
    troughClose: trough.close,
    recoveryDate: recovery === null ? null : recovery.date,
    depth: trough.close / peak.close - 1,
    sessionsToTrough: trough.i - peak.i,
    sessionsToRecovery: recovery === null ? null : recovery.i - peak.i,
  };
}

/**
 * summarizeSymbol's result as of `asOf` (on or after the state's last close) from the state alone.
 * `top` at most PEAK_STATE_TOP_EPISODES.
 */
export function summaryFromState(s: PeakState, asOf: IsoDate, top = PEAK_STATE_TOP_EPISODES): SymbolDrawdown {
  if (s.last.date > asOf) throw new RangeError(`the state ends on ${s.last.date}, after the report date ${asOf}`);
  if (top > PEAK_STATE_TOP_EPISODES) throw new RangeError(`the state keeps ${PEAK_STATE_TOP_EPISODES} episodes, ${top} were asked for`);
  // What scanEpisodes does after its loop: the open episode is offered last.
  const current = s.trough ? { peak: s.peak, trough: s.trough, recovery: null } : null;
  const buffer: { peak: IndexedClose; trough: IndexedClose; recovery: IndexedClose | null }[] = [...s.deepest];
  if (current) offerEpisode(buffer, current, PEAK_STATE_TOP_EPISODES);
  const max = buffer[0];
  const after = minusYears(asOf, 1);
  const best = s.highs.find((h) => h.date > after) ?? null;
  const inYear = s.last.date.slice(0, 4) === asOf.slice(0, 4);
  const base = s.priorYearLast ?? s.first;
  return {
    firstDate: s.first.date,
    lastDate: s.last.date,
    lastClose: s.last.close,
    sessions: s.last.i + 1,
    athDate: s.peak.date,
    athClose: s.peak.close,
    drawdown: s.last.close / s.peak.close - 1,
    maxDrawdown: max ? episodeOf(max.peak, max.trough, max.recovery) : episodeOf(s.first, s.first, s.first),
    periods: buffer.slice(0, top).map((e) => episodeOf(e.peak, e.trough, e.recovery)),
    current: current && episodeOf(current.peak, current.trough, null),
    high52w: best && { date: best.date, close: best.close, drawdown: s.last.close / best.close - 1 },
    ytd: inYear
      ? {
          baseDate: base.date,
          baseClose: base.close,
          basis: s.priorYearLast ? 'prior_year_close' : 'first_close',
          value: s.last.close / base.close - 1,
        }
      : null,
  };
}
