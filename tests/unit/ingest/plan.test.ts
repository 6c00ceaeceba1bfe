import { describe, expect, it } from 'vitest';
import type { FetchTask, PlanInput, StoredRange } from '../../../src/ingest/plan.js';
import { planSync, toChartPeriod } from '../../../src/ingest/plan.js';
import { sessionsAgo } from '../../../src/market/calendar.js';

// A weekdays-only stand-in for the NYSE calendar: the plan only needs "n sessions before".
const weekdays = {
  sessionsAgo(date: string, n: number): string {
    const d = new Date(`${date}T00:00:00Z`);
    for (let left = n; left > 0; ) {
      d.setUTCDate(d.getUTCDate() - 1);
      if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) left--;
    }
    return d.toISOString().slice(0, 10);
  },
};

// Tuesday 2024-06-18, evening in New York (after the close).
const TODAY = '2024-06-18';
const NOW = new Date('2024-06-18T23:00:00Z');

function plan(over: Partial<PlanInput> = {}): FetchTask[] {
  return planSync({
    watchlist: [{ symbol: 'AAA' }],
    stored: new Map(),
    latestSplits: new Map(),
    now: NOW,
    today: TODAY,
    defaultStart: '2020-01-01',
    calendar: weekdays,
    ...over,
  });
}

const fullHistory = (lastDate: string, lastFullFetchAt: Date | null = new Date('2024-01-05T23:00:00Z')): StoredRange => ({
  lastDate,
  lastFullFetchAt,
  firstDate: '2020-01-02',
});
const stored = (range: StoredRange) => new Map([['AAA', range]]);

describe('planSync backfill', () => {
  it('fetches the whole history from the default start when nothing is stored', () => {
    expect(plan()).toEqual([{ symbol: 'AAA', from: '2020-01-01', toExclusive: '2024-06-19', reason: 'backfill', full: true }]);
  });

  it('starts at the symbol\'s own historyStart when it has one', () => {
    expect(plan({ watchlist: [{ symbol: 'AAA', historyStart: '2025-03-28' }], today: '2025-06-02' })).toEqual([
      { symbol: 'AAA', from: '2025-03-28', toExclusive: '2025-06-03', reason: 'backfill', full: true },
    ]);
  });

  it('treats a known symbol without rows as empty', () => {
    const tasks = plan({ stored: stored({ lastDate: null, lastFullFetchAt: null, firstDate: null }) });
    expect(tasks.map((t) => t.reason)).toEqual(['backfill']);
  });

  it('skips a symbol whose start is after today, and one starting today is still fetched', () => {
    const tasks = plan({
      watchlist: [
        { symbol: 'LATER', historyStart: '2024-06-19' },
        { symbol: 'TODAY', historyStart: TODAY },
      ],
    });
    expect(tasks).toEqual([{ symbol: 'TODAY', from: TODAY, toExclusive: '2024-06-19', reason: 'backfill', full: true }]);
  });

  it('backfills once when rows exist but no full fetch ever ran and they begin after the start (an import)', () => {
    const tasks = plan({ stored: stored({ lastDate: '2024-06-14', lastFullFetchAt: null, firstDate: '2023-01-03' }) });
    expect(tasks).toEqual([{ symbol: 'AAA', from: '2020-01-01', toExclusive: '2024-06-19', reason: 'backfill', full: true }]);
  });

  it('does not backfill rows that begin exactly at the start, though no full fetch is recorded', () => {
    // Nothing can be missing before the configured start itself: the overlap window is enough.
    const tasks = plan({ stored: stored({ lastDate: '2024-06-14', lastFullFetchAt: null, firstDate: '2020-01-01' }) });
    expect(tasks).toEqual([{ symbol: 'AAA', from: '2024-06-07', toExclusive: '2024-06-19', reason: 'incremental', full: false }]);
    // One day later is a gap at the start: backfilled.
    const later = plan({ stored: stored({ lastDate: '2024-06-14', lastFullFetchAt: null, firstDate: '2020-01-02' }) });
    expect(later.map((t) => t.reason)).toEqual(['backfill']);
  });

  it('does not backfill again once a full fetch is recorded, even if Yahoo has nothing before firstDate', () => {
    const tasks = plan({
      stored: stored({ lastDate: '2024-06-14', lastFullFetchAt: new Date('2024-06-01T00:00:00Z'), firstDate: '2023-01-03' }),
    });
    expect(tasks.map((t) => t.reason)).toEqual(['incremental']);
  });
});

describe('planSync incremental', () => {
  it('re-reads the overlap window before the last stored date, up to today', () => {
    // Fri 2024-06-14 minus 5 weekdays = Fri 2024-06-07.
    expect(plan({ stored: stored(fullHistory('2024-06-14')) })).toEqual([
      { symbol: 'AAA', from: '2024-06-07', toExclusive: '2024-06-19', reason: 'incremental', full: false },
    ]);
  });

  it('honours overlapSessions, including 0 (from the last stored date)', () => {
    expect(plan({ stored: stored(fullHistory('2024-06-14')), overlapSessions: 2 })[0]?.from).toBe('2024-06-12');
    expect(plan({ stored: stored(fullHistory('2024-06-14')), overlapSessions: 0 })[0]?.from).toBe('2024-06-14');
  });

  it('still fetches the overlap window when the symbol is up to date (never an empty range)', () => {
    expect(plan({ stored: stored(fullHistory(TODAY)) })).toEqual([
      { symbol: 'AAA', from: '2024-06-11', toExclusive: '2024-06-19', reason: 'incremental', full: false },
    ]);
    expect(plan({ stored: stored(fullHistory(TODAY)), overlapSessions: 0 })).toEqual([
      { symbol: 'AAA', from: TODAY, toExclusive: '2024-06-19', reason: 'incremental', full: false },
    ]);
  });

  it('anchors at today when stored rows claim a later date, so the range cannot invert', () => {
    expect(plan({ stored: stored(fullHistory('2024-07-30')) })[0]).toMatchObject({ from: '2024-06-11', toExclusive: '2024-06-19' });
  });

  it('marks the task full when the window reaches back to the start', () => {
    const tasks = plan({ stored: stored(fullHistory('2020-01-03')), defaultStart: '2020-01-01' });
    expect(tasks[0]).toMatchObject({ reason: 'incremental', from: '2019-12-27', full: true });
  });

  it('marks the task full when the window starts exactly on the start, and not a session later', () => {
    // Mon 2024-01-08 back 5 weekdays = Mon 2024-01-01.
    const at = plan({ stored: stored(fullHistory('2024-01-08')), defaultStart: '2024-01-01', today: '2024-01-10' });
    expect(at).toEqual([{ symbol: 'AAA', from: '2024-01-01', toExclusive: '2024-01-11', reason: 'incremental', full: true }]);
    const after = plan({ stored: stored(fullHistory('2024-01-09')), defaultStart: '2024-01-01', today: '2024-01-10' });
    expect(after[0]).toMatchObject({ from: '2024-01-02', full: false });
  });

  it('asks the calendar for the window (holidays are its business)', () => {
    const calls: [string, number][] = [];
    const calendar = { sessionsAgo: (date: string, n: number) => (calls.push([date, n]), '2024-06-06') };
    expect(plan({ stored: stored(fullHistory('2024-06-14')), calendar })[0]?.from).toBe('2024-06-06');
    expect(calls).toEqual([['2024-06-14', 5]]);
  });

  it('steps over holidays with the real NYSE calendar', () => {
    // Fri 2024-06-21 back 5 sessions skips the weekend and Juneteenth (Wed 2024-06-19).
    const tasks = plan({ stored: stored(fullHistory('2024-06-21')), today: '2024-06-24', calendar: { sessionsAgo } });
    expect(tasks[0]).toMatchObject({ from: '2024-06-13', toExclusive: '2024-06-25' });
  });

  it('refuses a negative or fractional overlap', () => {
    expect(() => plan({ overlapSessions: -1 })).toThrow(RangeError);
    expect(() => plan({ overlapSessions: 1.5 })).toThrow(RangeError);
  });
});

describe('planSync splits', () => {
  const splitOn = (date: string) => new Map([['AAA', date]]);

  it('re-fetches the whole history after a split newer than the last full fetch', () => {
    const tasks = plan({ stored: stored(fullHistory('2024-06-14')), latestSplits: splitOn('2024-06-10') });
    expect(tasks).toEqual([{ symbol: 'AAA', from: '2020-01-01', toExclusive: '2024-06-19', reason: 'refetch_split', full: true }]);
  });

  it('uses the symbol\'s historyStart for the re-fetch', () => {
    const tasks = plan({
      watchlist: [{ symbol: 'AAA', historyStart: '2022-01-03' }],
      stored: stored(fullHistory('2024-06-14')),
      latestSplits: splitOn('2024-06-10'),
    });
    expect(tasks[0]).toMatchObject({ reason: 'refetch_split', from: '2022-01-03' });
  });

  it('stays incremental when the last full fetch came after the split', () => {
    const tasks = plan({
      stored: stored(fullHistory('2024-06-14', new Date('2024-06-12T02:00:00Z'))),
      latestSplits: splitOn('2024-06-10'),
    });
    expect(tasks.map((t) => t.reason)).toEqual(['incremental']);
  });

  it('counts a full fetch on the split day before the open as stale', () => {
    const tasks = plan({
      stored: stored(fullHistory('2024-06-14', new Date('2024-06-10T12:00:00Z'))), // 08:00 EDT
      latestSplits: splitOn('2024-06-10'),
    });
    expect(tasks.map((t) => t.reason)).toEqual(['refetch_split']);
  });

  it('accepts a full fetch in the evening of the split day (already the next day in UTC)', () => {
    const tasks = plan({
      stored: stored(fullHistory('2024-06-14', new Date('2024-06-11T02:15:00Z'))), // 22:15 EDT on the 10th
      latestSplits: splitOn('2024-06-10'),
    });
    expect(tasks.map((t) => t.reason)).toEqual(['incremental']);
  });

  it('re-fetches when there is a split but no full fetch on record', () => {
    const tasks = plan({ stored: stored(fullHistory('2024-06-14', null)), latestSplits: splitOn('2021-07-20') });
    expect(tasks.map((t) => t.reason)).toEqual(['refetch_split']);
  });

  it('does not trust a full-fetch time later than now', () => {
    const tasks = plan({
      stored: stored(fullHistory('2024-06-14', new Date('2030-01-01T00:00:00Z'))),
      latestSplits: splitOn('2024-06-10'),
    });
    expect(tasks.map((t) => t.reason)).toEqual(['refetch_split']);
  });

  it('waits for a split dated after today to take effect', () => {
    const tasks = plan({ stored: stored(fullHistory('2024-06-14')), latestSplits: splitOn('2024-06-20') });
    expect(tasks.map((t) => t.reason)).toEqual(['incremental']);
  });

  it('only looks at the symbol\'s own split', () => {
    const tasks = plan({ stored: stored(fullHistory('2024-06-14')), latestSplits: new Map([['BBB', '2024-06-10']]) });
    expect(tasks.map((t) => t.reason)).toEqual(['incremental']);
  });
});

describe('planSync --from', () => {
  it('re-fetches every symbol from the given date whatever is stored', () => {
    const tasks = plan({
      watchlist: [{ symbol: 'AAA' }, { symbol: 'BBB' }],
      stored: stored(fullHistory('2024-06-14')),
      latestSplits: new Map([['AAA', '2024-06-10']]),
      from: '2024-01-02',
    });
    expect(tasks).toEqual([
      { symbol: 'AAA', from: '2024-01-02', toExclusive: '2024-06-19', reason: 'forced', full: false },
      { symbol: 'BBB', from: '2024-01-02', toExclusive: '2024-06-19', reason: 'forced', full: false },
    ]);
  });

  it('is full when it reaches back to the configured start', () => {
    expect(plan({ from: '2019-06-03' })[0]).toMatchObject({ reason: 'forced', full: true });
  });

  it('is full when it reaches back to the first trade date, though after the configured start', () => {
    const listed = { ...fullHistory('2024-06-14', null), firstDate: '2021-03-01', firstTradeDate: '2021-03-01' };
    expect(plan({ defaultStart: '1900-01-01', stored: stored(listed), from: '1920-01-01' })[0]).toMatchObject({ reason: 'forced', full: true });
    expect(plan({ defaultStart: '1900-01-01', stored: stored(listed), from: '2021-03-01' })[0]).toMatchObject({ full: true });
    expect(plan({ defaultStart: '1900-01-01', stored: stored(listed), from: '2021-03-02' })[0]).toMatchObject({ full: false });
  });

  it('is full when it reaches back to the first stored bar of a full fetch, not of an import', () => {
    const fetched = fullHistory('2024-06-14'); // first stored bar 2020-01-02, from a full fetch
    expect(plan({ defaultStart: '1900-01-01', stored: stored(fetched), from: '2019-01-01' })[0]).toMatchObject({ full: true });
    expect(plan({ defaultStart: '1900-01-01', stored: stored(fetched), from: '2020-01-03' })[0]).toMatchObject({ full: false });
    expect(plan({ defaultStart: '1900-01-01', stored: stored(fetched), from: '2020-01-02' })[0]).toMatchObject({ full: true });
    // Imported rows (no full fetch yet) may start after Yahoo's first bar: not enough.
    const imported = fullHistory('2024-06-14', null);
    expect(plan({ defaultStart: '1900-01-01', stored: stored(imported), from: '2019-01-01' })[0]).toMatchObject({ full: false });
  });

  it('fetches today alone when the date is today', () => {
    expect(plan({ stored: stored(fullHistory('2024-06-14')), from: TODAY })).toEqual([
      { symbol: 'AAA', from: TODAY, toExclusive: '2024-06-19', reason: 'forced', full: false },
    ]);
  });

  it('fetches nothing when the date is after today', () => {
    expect(plan({ stored: stored(fullHistory('2024-06-14')), from: '2024-06-19' })).toEqual([]);
  });
});

describe('planSync in general', () => {
  it('plans each symbol once, in watchlist order', () => {
    const tasks = plan({ watchlist: [{ symbol: 'BBB' }, { symbol: 'AAA' }, { symbol: 'BBB', historyStart: '2023-01-03' }] });
    expect(tasks.map((t) => [t.symbol, t.from])).toEqual([
      ['BBB', '2020-01-01'],
      ['AAA', '2020-01-01'],
    ]);
  });

  it('never plans an empty or inverted range', () => {
    const lastDates = ['2019-12-31', '2020-01-01', '2024-06-14', '2024-06-17', TODAY, '2024-06-19', '2025-01-01'];
    for (const lastDate of lastDates) {
      for (const overlapSessions of [0, 1, 5]) {
        for (const split of [undefined, '2024-06-10']) {
          const tasks = plan({
            stored: stored(fullHistory(lastDate)),
            overlapSessions,
            latestSplits: split ? new Map([['AAA', split]]) : new Map(),
          });
          expect(tasks).toHaveLength(1);
          for (const t of tasks) expect(t.from < t.toExclusive).toBe(true);
        }
      }
    }
  });

  it('is deterministic: the same input gives the same plan', () => {
    const input = { stored: stored(fullHistory('2024-06-14')) };
    expect(plan(input)).toEqual(plan(input));
  });
});

describe('toChartPeriod', () => {
  it('gives UTC midnight of from and of toExclusive as Dates', () => {
    const { period1, period2 } = toChartPeriod({ from: '2024-06-07', toExclusive: '2024-06-19' });
    expect(period1.toISOString()).toBe('2024-06-07T00:00:00.000Z');
    expect(period2.toISOString()).toBe('2024-06-19T00:00:00.000Z');
  });

  it('brackets the sessions: open stamps of the first and last day inside, neighbours outside', () => {
    const { period1, period2 } = toChartPeriod({ from: '2024-01-08', toExclusive: '2024-01-13' });
    const inside = (iso: string) => {
      const t = new Date(iso).getTime();
      return t >= period1.getTime() && t < period2.getTime();
    };
    expect(inside('2024-01-08T14:30:00Z')).toBe(true); // Mon 09:30 EST
    expect(inside('2024-01-12T14:30:00Z')).toBe(true); // Fri 09:30 EST
    expect(inside('2024-01-12T21:00:00Z')).toBe(true); // Fri 16:00 EST, last-trade stamp
    expect(inside('2024-01-05T14:30:00Z')).toBe(false); // previous Fri
    expect(inside('2024-01-15T14:30:00Z')).toBe(false); // next Mon
  });

  it('converts any planned task', () => {
    for (const task of plan({ watchlist: [{ symbol: 'AAA' }, { symbol: 'BBB' }], stored: stored(fullHistory(TODAY)) })) {
      const { period1, period2 } = toChartPeriod(task);
      expect(period1.getTime()).toBeLessThan(period2.getTime());
    }
  });

  it('refuses an empty or inverted range (chart() throws on period1 === period2)', () => {
    expect(() => toChartPeriod({ from: '2024-06-18', toExclusive: '2024-06-18' })).toThrow(RangeError);
    expect(() => toChartPeriod({ from: '2024-06-19', toExclusive: '2024-06-18' })).toThrow(RangeError);
  });

  it('refuses a date that is not YYYY-MM-DD', () => {
    expect(() => toChartPeriod({ from: '2024-02-30', toExclusive: '2024-03-05' })).toThrow(RangeError);
    expect(() => toChartPeriod({ from: '6/3/2024', toExclusive: '2024-06-05' })).toThrow(RangeError);
  });
});
