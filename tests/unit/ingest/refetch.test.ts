// After a fetch: the overlap decides whether the whole history is fetched again, whatever the clock
// said at the last full fetch; the calendar rule is the second trigger. Pure, plain values.
import { describe, expect, it } from 'vitest';
import type { CorporateAction } from '../../../src/domain.js';
import type { OverlapReading } from '../../../src/integrity/overlap.js';
import { decideRefetch, describeRebase } from '../../../src/ingest/refetch.js';
import type { FetchTask } from '../../../src/ingest/plan.js';
import { sessionsAgo } from '../../../src/market/calendar.js';

const incremental: FetchTask = { symbol: 'NVDA', from: '2024-06-03', toExclusive: '2024-06-12', reason: 'incremental', full: false };
const split = (tradeDate: string, numerator: number, denominator: number): CorporateAction => ({ symbol: 'NVDA', tradeDate, kind: 'split', numerator, denominator, amount: null });
const reading = (factor: number | null, adjCloseFactor = factor ?? 1): OverlapReading => ({
  compared: 6,
  rebased: factor === null ? null : { factor, adjCloseFactor, agreeing: 6 },
  revised: factor === null ? ['2024-06-07'] : [],
});
const check = {
  item: { symbol: 'NVDA' },
  // The last full fetch says it came after the split: the calendar rule alone would never re-fetch.
  stored: { firstDate: '2024-01-02', lastDate: '2024-06-07', lastFullFetchAt: new Date('2024-06-12T01:00:00Z') },
  knownSplit: undefined,
  splitsOnRecord: [],
  now: new Date('2024-06-12T00:00:00Z'),
  today: '2024-06-11',
  defaultStart: '2024-01-02',
  calendar: { sessionsAgo },
};

describe(decideRefetch.name, () => {
  it('re-fetches the whole history when the overlap is re-based, even with a full fetch "after" the split on the clock', () => {
    const d = decideRefetch(incremental, reading(0.1), [split('2024-06-10', 10, 1)], check);
    expect(d).toEqual({
      refetch: { symbol: 'NVDA', from: '2024-01-02', toExclusive: '2024-06-12', reason: 'refetch_split', full: true },
      rebase: { factor: 0.1, adjCloseFactor: 0.1, split: { date: '2024-06-10', ratio: '10:1' }, compared: 6, agreeing: 6 },
      trigger: 'overlap',
    });
  });

  it('names a silent re-basing (no split on record has the factor) as refetch_rebased', () => {
    const d = decideRefetch(incremental, reading(2), [], { ...check, splitsOnRecord: [{ tradeDate: '2021-07-20', numerator: 4, denominator: 1 }] });
    expect(d.refetch).toMatchObject({ reason: 'refetch_rebased', from: '2024-01-02', full: true });
    expect(d.rebase?.split).toBeNull();
  });

  it('matches a split already on record (whose re-fetch failed before) with the factor', () => {
    const d = decideRefetch(incremental, reading(0.1), [], { ...check, splitsOnRecord: [{ tradeDate: '2024-06-10', numerator: 10, denominator: 1 }] });
    expect(d.rebase?.split).toEqual({ date: '2024-06-10', ratio: '10:1' });
  });

  it('stores a re-based fetch that already covers the whole history as it is (to be stored in place of the old rows)', () => {
    const d = decideRefetch({ ...incremental, from: '2024-01-02', full: true }, reading(0.5), [], check);
    expect(d).toMatchObject({ refetch: null, rebase: { factor: 0.5 } });
  });

  it('re-fetches nothing for revisions, unless the calendar rule asks (a new split newer than the last full fetch)', () => {
    expect(decideRefetch(incremental, reading(null), [], check)).toEqual({ refetch: null, rebase: null });
    const early = { ...check, stored: { ...check.stored, lastFullFetchAt: new Date('2024-06-08T01:00:00Z') } };
    expect(decideRefetch(incremental, reading(null), [split('2024-06-10', 10, 1)], early)).toMatchObject({ refetch: { reason: 'refetch_split' }, rebase: null, trigger: 'calendar' });
  });
});

describe(describeRebase.name, () => {
  it('says the factor and what accounts for it', () => {
    expect(describeRebase({ factor: 0.1, adjCloseFactor: 0.1, split: { date: '2024-06-10', ratio: '10:1' } })).toBe('prices x0.1, the 10:1 split of 2024-06-10');
    expect(describeRebase({ factor: 2.0000001, adjCloseFactor: 2, split: null })).toBe('prices x2, no split on record');
    expect(describeRebase({ factor: 1, adjCloseFactor: 0.993171, split: null })).toBe('adjusted closes x0.993171, a dividend re-adjustment');
  });
});
