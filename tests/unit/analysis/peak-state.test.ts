// advancePeakState/summaryFromState against summarizeSymbol over the whole series: random histories fed
// in random chunks, through a JSON round trip (as the database stores the state), read at random
// report dates on or after the last close. Equal means the same JSON text, key order included.
import { describe, expect, it } from 'vitest';
import type { ClosePoint } from '../../../src/domain.js';
import { addDays } from '../../../src/market/iso-date.js';
import { summarizeSymbol } from '../../../src/analysis/math/drawdown.js';
import { summaryFromState } from '../../../src/analysis/math/peak-summary.js';
import { advancePeakState, type PeakState } from '../../../src/peak-state.js';
import { intBetween, pick, randomChunks, randomHistory, seeded } from '../../helpers/random-history.js';

const viaJson = (s: PeakState | null): PeakState | null => (s === null ? null : (JSON.parse(JSON.stringify(s)) as PeakState));

function stateInChunks(points: readonly ClosePoint[], chunks: ClosePoint[][]): PeakState | null {
  let state: PeakState | null = null;
  for (const chunk of chunks) state = viaJson(advancePeakState(state, chunk));
  expect(state?.last.i ?? -1).toBe(points.length - 1);
  return state;
}

describe('advancePeakState', () => {
  it('equals summarizeSymbol over every close, for 400 random histories, chunkings and report dates', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const rng = seeded(seed);
      const n = pick(rng, [1, 2, 3, 8, 40, 300, 1500]);
      const points = randomHistory(rng, n, pick(rng, ['1999-11-15', '2003-12-20', '2011-02-20', '2024-02-10']));
      const state = stateInChunks(points, randomChunks(rng, points, pick(rng, [1, 5, 200, n])));
      const last = points.at(-1)!.date;
      for (const asOf of [last, addDays(last, intBetween(rng, 1, 20)), addDays(last, intBetween(rng, 300, 800))]) {
        for (const top of [5, 1, 0]) {
          const expected = JSON.stringify(summarizeSymbol(points, asOf, { top }));
          expect(JSON.stringify(summaryFromState(state!, asOf, top)), `seed ${seed}, asOf ${asOf}, top ${top}`).toBe(expected);
        }
      }
    }
  });

  it('keeps the 52-week high across a leap day and the year-to-date base across a gap of years', () => {
    const points: ClosePoint[] = [
      { date: '2023-02-28', close: 50 },
      { date: '2023-03-01', close: 40 },
      { date: '2024-02-29', close: 30 },
      { date: '2026-06-01', close: 20 },
    ];
    for (let k = 1; k <= points.length; k++) {
      const state = advancePeakState(advancePeakState(null, points.slice(0, 1)), points.slice(1, k))!;
      for (const asOf of ['2023-03-01', '2024-02-29', '2025-02-28', '2025-03-01', '2026-06-01', '2027-01-04']) {
        if (asOf < points[k - 1]!.date) continue;
        expect(summaryFromState(state, asOf), `${k} closes, ${asOf}`).toEqual(summarizeSymbol(points.slice(0, k), asOf));
      }
    }
  });

  it('refuses closes that do not come after the state, impossible closes and a report date before the state', () => {
    const state = advancePeakState(null, [{ date: '2025-01-02', close: 10 }])!;
    expect(() => advancePeakState(state, [{ date: '2025-01-02', close: 11 }])).toThrow(/does not come after/);
    expect(() => advancePeakState(state, [{ date: '2025-01-03', close: 0 }])).toThrow(/finite number > 0/);
    expect(() => summaryFromState(state, '2025-01-01')).toThrow(/after the report date/);
    expect(advancePeakState(state, [])).toBe(state);
    expect(advancePeakState(null, [])).toBeNull();
  });

  it('does not change the state it is given', () => {
    const before = advancePeakState(null, [{ date: '2025-01-02', close: 10 }, { date: '2025-01-03', close: 8 }])!;
    const copy = JSON.stringify(before);
    advancePeakState(before, [{ date: '2025-01-06', close: 12 }, { date: '2025-01-07', close: 7 }]);
    expect(JSON.stringify(before)).toBe(copy);
  });
});
