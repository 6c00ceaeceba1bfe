import { describe, expect, it } from 'vitest';
import type { CorporateAction } from '../../../src/domain.js';
import { newestSplit, refetchForNewSplit, runStatus, selectSymbols } from '../../../src/ingest/run-rules.js';
import type { FetchTask } from '../../../src/ingest/plan.js';
import { sessionsAgo } from '../../../src/market/calendar.js';

const watchlist = [{ symbol: 'ORCL', historyStart: '2020-01-02' }, { symbol: 'CRWV' }, { symbol: '^GSPC', kind: 'index' as const }];

describe(selectSymbols.name, () => {
  it('is the watchlist when nothing is asked for', () => {
    expect(selectSymbols([...watchlist, { symbol: 'ORCL' }])).toEqual({ items: watchlist, extra: [], invalid: [] });
  });

  it('keeps the order asked, takes watchlist settings, and allows valid symbols outside it', () => {
    expect(selectSymbols(watchlist, ['^GSPC', 'NVDA', 'ORCL', 'NVDA', 'x y'])).toEqual({
      items: [watchlist[2], { symbol: 'NVDA' }, watchlist[0]],
      extra: ['NVDA'],
      invalid: ['x y'],
    });
  });
});

const split = (tradeDate: string): CorporateAction => ({ symbol: 'META', tradeDate, kind: 'split', numerator: 4, denominator: 1, amount: null });
const dividend = (tradeDate: string): CorporateAction => ({ symbol: 'META', tradeDate, kind: 'dividend', numerator: null, denominator: null, amount: 0.5 });

describe(newestSplit.name, () => {
  it('finds the newest split and ignores dividends', () => {
    expect(newestSplit([split('2020-01-02'), dividend('2026-01-05'), split('2024-06-10')])).toBe('2024-06-10');
    expect(newestSplit([dividend('2026-01-05')])).toBeUndefined();
  });
});

describe(refetchForNewSplit.name, () => {
  const incremental: FetchTask = { symbol: 'META', from: '2025-12-24', toExclusive: '2026-01-06', reason: 'incremental', full: false };
  const base = {
    item: { symbol: 'META' },
    stored: { firstDate: '2024-01-02', lastDate: '2026-01-02', lastFullFetchAt: new Date('2026-01-03T01:00:00Z') },
    knownSplit: undefined,
    now: new Date('2026-01-06T01:00:00Z'),
    today: '2026-01-05',
    defaultStart: '2024-01-02',
    calendar: { sessionsAgo },
  };

  it('asks for the whole history when the fetched events carry a split newer than the last full fetch', () => {
    expect(refetchForNewSplit(incremental, [dividend('2025-12-29'), split('2026-01-05')], base)).toEqual({
      symbol: 'META',
      from: '2024-01-02',
      toExclusive: '2026-01-06',
      reason: 'refetch_split',
      full: true,
    });
  });

  it('does nothing for a split already on record, one the last full fetch saw, or after a full fetch', () => {
    expect(refetchForNewSplit(incremental, [split('2026-01-05')], { ...base, knownSplit: '2026-01-05' })).toBeNull();
    expect(refetchForNewSplit(incremental, [split('2025-12-26')], { ...base, stored: { ...base.stored, lastFullFetchAt: new Date('2025-12-30T01:00:00Z') } })).toBeNull();
    expect(refetchForNewSplit({ ...incremental, full: true }, [split('2026-01-05')], base)).toBeNull();
    expect(refetchForNewSplit(incremental, [dividend('2026-01-05')], base)).toBeNull();
  });
});

describe(runStatus.name, () => {
  it('is aborted, ok, partial or failed', () => {
    expect(runStatus({ symbols: 3, failed: 1, aborted: true })).toBe('aborted');
    expect(runStatus({ symbols: 3, failed: 0, aborted: false })).toBe('ok');
    expect(runStatus({ symbols: 0, failed: 0, aborted: false })).toBe('ok');
    expect(runStatus({ symbols: 3, failed: 1, aborted: false })).toBe('partial');
    expect(runStatus({ symbols: 3, failed: 3, aborted: false })).toBe('failed');
  });
});
