import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ChartResultArray } from 'yahoo-finance2/modules/chart';
import type { Quote } from 'yahoo-finance2/modules/quote';
import type { ChartInput, ChartQuoteInput, QuoteInput } from '../../../src/providers/yahoo/map.js';
import { chartConflict, mapChart, mapQuotes } from '../../../src/providers/yahoo/map.js';

// Synthetic rows in the shape of yahoo-finance2's chart() array result. Instants are written in UTC
// with the New York wall time alongside, so each expected date can be checked by eye.
function row(instant: string, close: number | null, extra: Partial<ChartQuoteInput> = {}): ChartQuoteInput {
  const ok = close !== null && Number.isFinite(close);
  return {
    date: new Date(instant),
    open: close,
    high: ok ? close + 1 : close,
    low: ok ? close - 1 : close,
    close,
    volume: close === null ? null : 1_000,
    adjclose: close,
    ...extra,
  };
}

function chart(quotes: ChartQuoteInput[], more: Partial<ChartInput> = {}, meta: Partial<ChartInput['meta']> = {}): ChartInput {
  return {
    meta: {
      currency: 'USD',
      exchangeTimezoneName: 'America/New_York',
      firstTradeDate: new Date('2020-01-02T14:30:00Z'), // 09:30 EST
      instrumentType: 'EQUITY',
      ...meta,
    },
    quotes,
    ...more,
  };
}

const ctx = { symbol: 'ACME' };
const dates = (c: ChartInput, opts: { today?: string } = {}) =>
  mapChart(c, { ...ctx, ...opts }).bars.map((b) => b.tradeDate);

describe('yahoo-finance2 types', () => {
  it('fit the structural inputs unchanged (checked by tsc)', () => {
    expectTypeOf<ChartResultArray>().toExtend<ChartInput>();
    expectTypeOf<Quote>().toExtend<QuoteInput>();
  });
});

describe('mapChart trade dates', () => {
  it('maps session-open stamps in winter (EST) and summer (EDT) to the New York date', () => {
    const c = chart([
      row('2024-01-10T14:30:00Z', 10), // 09:30 EST
      row('2024-07-10T13:30:00Z', 11), // 09:30 EDT
    ]);
    expect(dates(c)).toEqual(['2024-01-10', '2024-07-10']);
  });

  it('applies the offset of the date itself: 04:30 UTC is the previous day in January, the same day in July', () => {
    const c = chart([
      row('2024-01-10T04:30:00Z', 10), // 23:30 EST on the 9th
      row('2024-07-10T04:30:00Z', 11), // 00:30 EDT on the 10th
    ]);
    expect(dates(c)).toEqual(['2024-01-09', '2024-07-10']);
  });

  it('maps a 20:00 New York last-trade stamp to that day, though it is already the next day in UTC', () => {
    const c = chart([
      row('2024-01-11T01:00:00Z', 10), // 20:00 EST on the 10th
      row('2024-07-11T00:00:00Z', 11), // 20:00 EDT on the 10th
    ]);
    expect(dates(c)).toEqual(['2024-01-10', '2024-07-10']);
  });

  it('maps 00:30 UTC to the previous New York date', () => {
    expect(dates(chart([row('2024-03-05T00:30:00Z', 10)]))).toEqual(['2024-03-04']); // 19:30 EST
  });

  it('uses the exchange zone of the result, not New York by default', () => {
    const c = chart([row('2024-03-04T23:30:00Z', 10)], {}, { exchangeTimezoneName: 'Asia/Tokyo' }); // 08:30 JST on the 5th
    expect(dates(c)).toEqual(['2024-03-05']);
  });

  it('throws when the result has no usable exchange time zone', () => {
    expect(() => mapChart(chart([], {}, { exchangeTimezoneName: '' }), ctx)).toThrow(/exchangeTimezoneName/);
    expect(() => mapChart(chart([], {}, { exchangeTimezoneName: 'Mars/Olympus' }), ctx)).toThrow(/exchangeTimezoneName/);
  });
});

describe('mapChart rows', () => {
  it('maps a plain row field by field', () => {
    const c = chart([
      { date: new Date('2024-06-03T13:30:00Z'), open: 100, high: 105, low: 99, close: 104, volume: 12_345, adjclose: 103.5 },
    ]);
    expect(mapChart(c, ctx).bars).toEqual([
      { symbol: 'ACME', tradeDate: '2024-06-03', open: 100, high: 105, low: 99, close: 104, adjClose: 103.5, volume: 12_345, quality: [] },
    ]);
  });

  it('reads a missing adjclose as null', () => {
    const { adjclose: _, ...noAdj } = row('2024-06-03T13:30:00Z', 10);
    expect(mapChart(chart([noAdj]), ctx).bars[0]?.adjClose).toBeNull();
  });

  it('skips and counts all-null rows (holidays, halts) without rejecting them', () => {
    const c = chart([
      row('2024-06-03T13:30:00Z', 10),
      row('2024-06-04T13:30:00Z', null),
      row('2024-06-05T13:30:00Z', null, { volume: 0 }),
      row('2024-06-06T13:30:00Z', 11),
    ]);
    const out = mapChart(c, ctx);
    expect(out.bars.map((b) => b.tradeDate)).toEqual(['2024-06-03', '2024-06-06']);
    expect(out.skippedEmpty).toBe(2);
    expect(out.rejected).toEqual([]);
  });

  it.each([
    ['a NaN close', { close: Number.NaN }, /close is not a finite number/],
    ['an infinite high', { high: Number.POSITIVE_INFINITY }, /high is not a finite number/],
    ['a negative open', { open: -1 }, /open must be > 0/],
    ['a zero low', { low: 0 }, /low must be > 0/],
    ['high below low', { high: 5, low: 20 }, /high 5 is below low 20/],
    ['a negative volume', { volume: -100 }, /volume must be a whole number/],
    ['a fractional volume', { volume: 1.5 }, /volume must be a whole number/],
    ['a missing close beside real prices', { close: null }, /close is missing/],
  ])('rejects a row with %s, giving the reason', (_label, patch, reason) => {
    const out = mapChart(chart([row('2024-06-04T13:30:00Z', 10, patch)]), ctx);
    expect(out.bars).toEqual([]);
    expect(out.rejected).toEqual([{ tradeDate: '2024-06-04', reason: expect.stringMatching(reason) }]);
  });

  it('rejects rows before the first trade date, taken in the exchange zone', () => {
    // firstTradeDate 2020-01-02 09:30 EST; a bar on the evening of the 1st (UTC already the 2nd) is too early.
    const c = chart([row('2020-01-02T00:30:00Z', 10), row('2020-01-02T14:30:00Z', 11)]);
    const out = mapChart(c, ctx);
    expect(out.meta.firstTradeDate).toBe('2020-01-02');
    expect(out.bars.map((b) => b.tradeDate)).toEqual(['2020-01-02']);
    expect(out.rejected).toEqual([{ tradeDate: '2020-01-01', reason: expect.stringMatching(/first trade date 2020-01-02/) }]);
  });

  it('rejects rows after today when today is given, and only then', () => {
    const c = chart([row('2024-06-04T13:30:00Z', 10), row('2024-06-05T13:30:00Z', 11)]);
    const out = mapChart(c, { ...ctx, today: '2024-06-04' });
    expect(out.bars.map((b) => b.tradeDate)).toEqual(['2024-06-04']);
    expect(out.rejected).toEqual([{ tradeDate: '2024-06-05', reason: expect.stringMatching(/in the future/) }]);
    expect(dates(c)).toEqual(['2024-06-04', '2024-06-05']);
  });

  it('keeps rows on the first day of the range asked for and rejects a row dated on its exclusive end', () => {
    // [2024-06-03, 2024-06-06): Mon to Wed. Thursday's bar is the day after the range, however it got there.
    const range = { from: '2024-06-03', toExclusive: '2024-06-06' };
    const c = chart([row('2024-06-03T13:30:00Z', 10), row('2024-06-05T13:30:00Z', 11), row('2024-06-06T13:30:00Z', 12)]);
    const out = mapChart(c, { ...ctx, today: '2024-06-30', range });
    expect(out.bars.map((b) => b.tradeDate)).toEqual(['2024-06-03', '2024-06-05']);
    expect(out.rejected).toEqual([
      { tradeDate: '2024-06-06', reason: 'date 2024-06-06 is outside the range asked for (2024-06-03 to 2024-06-06, exclusive)' },
    ]);
  });

  it('rejects an event dated on the exclusive end of the range asked for, like a row', () => {
    const range = { from: '2024-06-03', toExclusive: '2024-06-06' };
    const c = chart([], {
      events: {
        dividends: [{ amount: 0.1, date: new Date('2024-06-05T13:30:00Z') }],
        splits: [{ date: new Date('2024-06-06T13:30:00Z'), numerator: 2, denominator: 1, splitRatio: '2:1' }],
      },
    });
    const out = mapChart(c, { ...ctx, range });
    expect(out.actions.map((a) => [a.tradeDate, a.kind])).toEqual([['2024-06-05', 'dividend']]);
    expect(out.rejected).toEqual([{ tradeDate: '2024-06-06', reason: expect.stringMatching(/^split: date 2024-06-06 is outside the range/) }]);
  });

  it('does not bound dates below when the first trade date is unknown', () => {
    expect(dates(chart([row('1999-06-04T13:30:00Z', 10)], {}, { firstTradeDate: null }))).toEqual(['1999-06-04']);
  });

  it('rejects a row whose timestamp is not a date', () => {
    const out = mapChart(chart([row('not a date', 10)]), ctx);
    expect(out.bars).toEqual([]);
    expect(out.rejected).toEqual([{ tradeDate: 'Invalid Date', reason: 'timestamp is not a valid date' }]);
  });

  it('keeps odd rows as they came and flags them', () => {
    const c = chart([
      { date: new Date('2024-06-03T13:30:00Z'), open: 98, high: 105, low: 99, close: 104, volume: null, adjclose: 104 },
      { date: new Date('2024-06-04T13:30:00Z'), open: 100, high: 105, low: 99, close: 106, volume: 0, adjclose: 106 },
    ]);
    const out = mapChart(c, ctx);
    expect(out.bars.map((b) => [b.open, b.close, b.quality])).toEqual([
      [98, 104, ['open_outside_range']],
      [100, 106, ['close_outside_range']],
    ]);
    expect(out.rejected).toEqual([]);
  });
});

describe('mapChart duplicate trade dates', () => {
  it('keeps the last row for a date (the in-progress bar re-sent at the last trade) and counts the others', () => {
    const c = chart([
      row('2024-06-03T13:30:00Z', 10),
      row('2024-06-04T13:30:00Z', 11), // 09:30 EDT
      row('2024-06-04T19:59:00Z', 12), // 15:59 EDT, same session
    ]);
    const out = mapChart(c, ctx);
    expect(out.bars.map((b) => [b.tradeDate, b.close])).toEqual([
      ['2024-06-03', 10],
      ['2024-06-04', 12],
    ]);
    expect(out.duplicates).toBe(1);
  });

  it('returns bars in date order even when the winning row came last', () => {
    const c = chart([row('2024-06-04T13:30:00Z', 11), row('2024-06-03T13:30:00Z', 10), row('2024-06-04T19:59:00Z', 12)]);
    expect(mapChart(c, ctx).bars.map((b) => [b.tradeDate, b.close])).toEqual([
      ['2024-06-03', 10],
      ['2024-06-04', 12],
    ]);
  });

  it('does not let an all-null row hide a real bar for the same date', () => {
    const c = chart([row('2024-06-04T13:30:00Z', 11), row('2024-06-04T19:59:00Z', null)]);
    const out = mapChart(c, ctx);
    expect(out.bars.map((b) => b.close)).toEqual([11]);
    expect(out.skippedEmpty).toBe(1);
    expect(out.duplicates).toBe(0);
  });

  it('rejects the date when its last row is impossible, rather than keeping the older numbers', () => {
    const c = chart([row('2024-06-04T13:30:00Z', 11), row('2024-06-04T19:59:00Z', 12, { high: 1, low: 2 })]);
    const out = mapChart(c, ctx);
    expect(out.bars).toEqual([]);
    expect(out.rejected).toEqual([{ tradeDate: '2024-06-04', reason: expect.stringMatching(/below low/) }]);
  });
});

describe('mapChart: a date sent twice with different values is never resolved by order', () => {
  const history = [row('2024-06-03T13:30:00Z', 10), row('2024-06-04T13:30:00Z', 11), row('2024-06-05T13:30:00Z', 12)];

  it('refuses the whole answer when an earlier date comes twice with different numbers (a tripled close)', () => {
    const c = chart([...history.slice(0, 2), row('2024-06-04T13:30:00Z', 33), history[2]!]);
    const reason = 'date 2024-06-04 came 2 times with different values (close 11 and 33): which is right cannot be told, so the answer is not used';
    expect(chartConflict(c)).toBe(reason);
    expect(() => mapChart(c, ctx)).toThrow(reason);
    // Either order: the last row does not win.
    expect(chartConflict(chart([history[0]!, row('2024-06-04T13:30:00Z', 33), ...history.slice(1)]))).toMatch(/^date 2024-06-04 came 2 times/);
  });

  it('refuses the newest date too when its copies carry the same stamp: no later one to trust', () => {
    const c = chart([...history, row('2024-06-05T13:30:00Z', 36)]);
    expect(chartConflict(c)).toMatch(/^date 2024-06-05 came 2 times with different values \(close 12 and 36\)/);
  });

  it('keeps one of identical copies, and counts them', () => {
    const c = chart([...history, row('2024-06-04T13:30:00Z', 11)]);
    expect(chartConflict(c)).toBeNull();
    const out = mapChart(c, ctx);
    expect(out.bars.map((b) => [b.tradeDate, b.close])).toEqual([['2024-06-03', 10], ['2024-06-04', 11], ['2024-06-05', 12]]);
    expect(out.duplicates).toBe(1);
  });

  it("takes Yahoo's live row for the newest date by its later stamp, wherever it sits in the answer", () => {
    const live = row('2024-06-05T19:59:00Z', 12.5); // 15:59 EDT, the same session as 09:30's row
    for (const quotes of [[...history, live], [live, ...history]]) {
      expect(chartConflict(chart(quotes))).toBeNull();
      expect(mapChart(chart(quotes), ctx).bars.at(-1)).toMatchObject({ tradeDate: '2024-06-05', close: 12.5 });
    }
  });

  it('says nothing about an answer without a usable time zone (mapChart refuses it with that reason)', () => {
    expect(chartConflict(chart([...history, row('2024-06-04T13:30:00Z', 33)], {}, { exchangeTimezoneName: 'Mars/Base' }))).toBeNull();
  });
});

describe('mapChart: absurd prices', () => {
  const days = ['2024-06-03', '2024-06-04', '2024-06-05', '2024-06-06', '2024-06-07', '2024-06-10', '2024-06-11'];
  // High and low 1 % around the close, so small prices stay positive.
  const closes = (values: number[]) => chart(values.map((v, i) => row(`${days[i]}T13:30:00Z`, v, { high: v * 1.01, low: v * 0.99 })));

  it('rejects a 1e12 close among closes near 100 with the reason, and keeps the rest', () => {
    const out = mapChart(closes([100, 101, 1e12, 102, 103]), ctx);
    expect(out.bars.map((b) => b.tradeDate)).toEqual(['2024-06-03', '2024-06-04', '2024-06-06', '2024-06-07']);
    expect(out.rejected).toEqual([
      {
        tradeDate: '2024-06-05',
        reason: 'open 1000000000000 is 9.9e+9x the closes around it (median 101.5 over 4 sessions, 2024-06-03 to 2024-06-07) with no split on record: more than 1000x off, not a real price',
      },
    ]);
  });

  it('rejects the newest row too, and tiny prices the same way, and two absurd rows side by side', () => {
    expect(mapChart(closes([100, 101, 102, 1e12]), ctx).rejected.map((r) => r.tradeDate)).toEqual(['2024-06-06']);
    expect(mapChart(closes([100, 101, 0.00001, 102]), ctx).rejected[0]!.reason).toMatch(/^open 0\.00001 is 1\/1\.0e\+7 of the closes around it/);
    expect(mapChart(closes([100, 1e12, 2e12, 101, 102, 103]), ctx).rejected.map((r) => r.tradeDate)).toEqual(['2024-06-04', '2024-06-05']);
  });

  it('judges every price of a row, the adjusted close against the adjusted closes', () => {
    const c = closes([100, 101, 102, 103]);
    c.quotes[1] = { ...c.quotes[1]!, high: 1e9 };
    expect(mapChart(c, ctx).rejected[0]!.reason).toMatch(/^high 1000000000 is /);
    const adj = closes([100, 101, 102, 103]);
    adj.quotes = adj.quotes.map((q, i) => ({ ...q, adjclose: i === 2 ? 5e6 : 1 }));
    expect(mapChart(adj, ctx).rejected[0]!.reason).toMatch(/^adj close 5000000 is 5\.0e\+6x the adjusted closes around it/);
  });

  it('keeps real moves, a jump with a split in its neighbourhood, and a lone row', () => {
    // A stock that falls 99 % and one that rises 900x over the window: big, but not a thousandfold.
    expect(mapChart(closes([100, 50, 10, 1, 0.9, 0.8]), ctx).rejected).toEqual([]);
    expect(mapChart(closes([1, 10, 100, 500, 900]), ctx).rejected).toEqual([]);
    const unadjusted = closes([100, 101, 102, 0.05, 0.051]);
    unadjusted.events = { splits: [{ date: new Date('2024-06-06T13:30:00Z'), numerator: 2000, denominator: 1 }] };
    expect(mapChart(unadjusted, ctx).rejected).toEqual([]);
    expect(mapChart(closes([1e12]), ctx).bars).toHaveLength(1);
  });
});

describe('mapChart events', () => {
  it('maps splits and dividends to corporate actions on the exchange-zone date, sorted', () => {
    const c = chart([], {
      events: {
        dividends: [{ amount: 0.25, date: new Date('2024-08-12T13:30:00Z') }],
        splits: [
          { date: new Date('2024-06-10T13:30:00Z'), numerator: 10, denominator: 1, splitRatio: '10:1' },
          { date: new Date('2023-02-01T00:30:00Z'), numerator: 1, denominator: 20, splitRatio: '1:20' }, // 19:30 EST Jan 31
        ],
      },
    });
    expect(mapChart(c, ctx).actions).toEqual([
      { symbol: 'ACME', tradeDate: '2023-01-31', kind: 'split', numerator: 1, denominator: 20, amount: null },
      { symbol: 'ACME', tradeDate: '2024-06-10', kind: 'split', numerator: 10, denominator: 1, amount: null },
      { symbol: 'ACME', tradeDate: '2024-08-12', kind: 'dividend', numerator: null, denominator: null, amount: 0.25 },
    ]);
  });

  it('rejects events with impossible numbers or dates, with the kind in the reason', () => {
    const c = chart([], {
      events: {
        dividends: [{ amount: -0.1, date: new Date('2024-08-12T13:30:00Z') }],
        splits: [
          { date: new Date('2024-06-10T13:30:00Z'), numerator: 4, denominator: 0, splitRatio: '4:0' },
          { date: new Date('nope'), numerator: 2, denominator: 1, splitRatio: '2:1' },
        ],
      },
    });
    const out = mapChart(c, ctx);
    expect(out.actions).toEqual([]);
    expect(out.rejected).toEqual([
      { tradeDate: '2024-06-10', reason: expect.stringMatching(/^split: ratio/) },
      { tradeDate: 'Invalid Date', reason: 'split: timestamp is not a valid date' },
      { tradeDate: '2024-08-12', reason: expect.stringMatching(/^dividend: amount/) },
    ]);
  });

  it('keeps a dividend of exactly 0 (the table allows amount >= 0) and rejects anything below', () => {
    const c = chart([], {
      events: {
        dividends: [
          { amount: 0, date: new Date('2024-05-10T13:30:00Z') },
          { amount: -0.01, date: new Date('2024-08-12T13:30:00Z') },
        ],
      },
    });
    const out = mapChart(c, ctx);
    expect(out.actions).toEqual([{ symbol: 'ACME', tradeDate: '2024-05-10', kind: 'dividend', numerator: null, denominator: null, amount: 0 }]);
    expect(out.rejected).toEqual([{ tradeDate: '2024-08-12', reason: 'dividend: amount must be a number >= 0 (got -0.01)' }]);
  });

  it('keeps one action per date and kind (the last)', () => {
    const c = chart([], {
      events: {
        dividends: [
          { amount: 0.2, date: new Date('2024-08-12T13:30:00Z') },
          { amount: 0.22, date: new Date('2024-08-12T20:00:00Z') },
        ],
      },
    });
    expect(mapChart(c, ctx).actions.map((a) => a.amount)).toEqual([0.22]);
  });
});

describe('mapChart meta', () => {
  it('passes through what the shell stores about the symbol', () => {
    const out = mapChart(chart([], {}, { longName: 'Acme Corp', instrumentType: 'INDEX', currency: null }), ctx);
    expect(out).toMatchObject({ bars: [], actions: [], rejected: [], skippedEmpty: 0, duplicates: 0 });
    expect(out.meta).toEqual({
      currency: null,
      exchangeTimezoneName: 'America/New_York',
      firstTradeDate: '2020-01-02',
      instrumentType: 'INDEX',
      longName: 'Acme Corp',
    });
  });
});

describe('mapQuotes', () => {
  const ts = new Date('2024-06-04T19:59:58Z');
  const quote = (symbol: string, more: Partial<QuoteInput> = {}): QuoteInput => ({
    symbol,
    regularMarketPrice: 100,
    regularMarketTime: ts,
    marketCap: 2e12,
    regularMarketVolume: 5_000,
    marketState: 'REGULAR',
    currency: 'USD',
    ...more,
  });

  it('maps quotes to snapshots', () => {
    expect(mapQuotes([quote('AAA')], ['AAA'])).toEqual({
      snapshots: [{ symbol: 'AAA', ts, price: 100, marketCap: 2e12, volume: 5_000, marketState: 'REGULAR', currency: 'USD' }],
      missing: [],
      rejected: [],
    });
  });

  it('reports requested symbols that did not come back (quote() drops them silently)', () => {
    const out = mapQuotes([quote('AAA')], ['AAA', 'GONE', '^IDX']);
    expect(out.snapshots.map((s) => s.symbol)).toEqual(['AAA']);
    expect(out.missing).toEqual(['GONE', '^IDX']);
  });

  it('compares symbols exactly, as Yahoo echoes them', () => {
    const out = mapQuotes([quote('AAA')], ['aaa']);
    expect(out.missing).toEqual(['aaa']);
    expect(out.rejected).toEqual([{ symbol: 'AAA', reason: 'symbol was not requested' }]);
  });

  it.each([
    ['no price', { regularMarketPrice: undefined }, /price/],
    ['a zero price', { regularMarketPrice: 0 }, /price/],
    ['a NaN price', { regularMarketPrice: Number.NaN }, /price/],
    ['an infinite price', { regularMarketPrice: Number.POSITIVE_INFINITY }, /price/],
    ['no time', { regularMarketTime: undefined }, /regularMarketTime/],
    ['an invalid time', { regularMarketTime: new Date(Number.NaN) }, /regularMarketTime/],
  ])('rejects a quote with %s, and does not count it missing', (_label, patch, reason) => {
    const out = mapQuotes([quote('AAA', patch)], ['AAA']);
    expect(out.snapshots).toEqual([]);
    expect(out.missing).toEqual([]);
    expect(out.rejected).toEqual([{ symbol: 'AAA', reason: expect.stringMatching(reason) }]);
  });

  it('stores null for optional fields that are absent or not sane', () => {
    const out = mapQuotes(
      [quote('AAA', { marketCap: Number.NaN, regularMarketVolume: -1, marketState: undefined, currency: undefined })],
      ['AAA'],
    );
    expect(out.snapshots[0]).toMatchObject({ marketCap: null, volume: null, marketState: null, currency: null });
  });

  it('keeps the last quote of a symbol returned twice', () => {
    const out = mapQuotes([quote('AAA', { regularMarketPrice: 1 }), quote('AAA', { regularMarketPrice: 2 })], ['AAA']);
    expect(out.snapshots.map((s) => s.price)).toEqual([2]);
  });

  it('rejects a quote without a symbol', () => {
    const out = mapQuotes([quote('AAA'), quote('', {}), { ...quote('X'), symbol: undefined }], ['AAA']);
    expect(out.snapshots.map((s) => s.symbol)).toEqual(['AAA']);
    expect(out.rejected).toEqual([
      { symbol: '', reason: 'quote has no symbol' },
      { symbol: '', reason: 'quote has no symbol' },
    ]);
  });

  it('handles an empty answer and an empty request', () => {
    expect(mapQuotes([], ['AAA'])).toEqual({ snapshots: [], missing: ['AAA'], rejected: [] });
    expect(mapQuotes([], [])).toEqual({ snapshots: [], missing: [], rejected: [] });
  });
});
