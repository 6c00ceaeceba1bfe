import { describe, expect, it } from 'vitest';
import { isTradingDay } from '../../../src/market/calendar.js';
import { SimFeed } from '../../../src/sim/feed.js';
import { createGeneratedSource } from '../../../src/sim/generator.js';

const feedAt = (now: string) =>
  new SimFeed({ source: createGeneratedSource({ seed: 3, isTradingDay, nullRowRate: 0 }), now, seed: 3, isTradingDay });

const params = (q: Record<string, string>) => new URLSearchParams(q);
const epoch = (iso: string) => Date.parse(iso) / 1000;

describe(SimFeed.name, () => {
  it('answers an unknown symbol with Yahoo 404 error JSON', () => {
    const { reply } = feedAt('2026-01-02').chart('NOPE', params({ period1: '0', period2: '1767398400', interval: '1d' }));
    expect(reply.status).toBe(404);
    expect(reply.headers['content-type']).toBe('application/json;charset=utf-8');
    expect(JSON.parse(reply.body)).toEqual({
      chart: { result: null, error: { code: 'Not Found', description: 'No data found, symbol may be delisted' } },
    });
  });

  it('returns sessions whose open is in [period1, period2), in the raw layout', () => {
    const { reply, request } = feedAt('2026-01-02').chart(
      '%5EGSPC',
      params({ period1: String(epoch('2025-12-29T14:30:00Z')), period2: String(epoch('2025-12-31T14:30:00Z')), interval: '1d', events: 'div|split|earn' }),
    );
    expect(request).toEqual({ symbol: '^GSPC', period1: epoch('2025-12-29T14:30:00Z'), period2: epoch('2025-12-31T14:30:00Z') });
    const result = JSON.parse(reply.body).chart.result[0];
    expect(result.timestamp).toEqual([epoch('2025-12-29T14:30:00Z'), epoch('2025-12-30T14:30:00Z')]);
    expect(Object.keys(result.indicators.quote[0]).sort()).toEqual(['close', 'high', 'low', 'open', 'volume']);
    expect(result.indicators.adjclose[0].adjclose).toHaveLength(2);
    expect(result.meta).toMatchObject({
      symbol: '^GSPC',
      instrumentType: 'INDEX',
      exchangeTimezoneName: 'America/New_York',
      timezone: 'EST',
      gmtoffset: -18000,
      dataGranularity: '1d',
      regularMarketTime: epoch('2026-01-02T21:00:00Z'),
    });
  });

  it('sends no timestamp and an empty quote object for a range without sessions', () => {
    const { reply } = feedAt('2026-01-02').chart('AMZN', params({ period1: String(epoch('2025-12-27T00:00:00Z')), period2: String(epoch('2025-12-28T00:00:00Z')) }));
    const result = JSON.parse(reply.body).chart.result[0];
    expect(result.timestamp).toBeUndefined();
    expect(result.indicators.quote).toEqual([{}]);
  });

  it('rejects intervals other than 1d and reversed ranges with Bad Request', () => {
    const feed = feedAt('2026-01-02');
    expect(feed.chart('AMZN', params({ period1: '0', period2: '10', interval: '1wk' })).reply.status).toBe(400);
    expect(JSON.parse(feed.chart('AMZN', params({ period1: '10', period2: '0' })).reply.body).chart.error.code).toBe('Bad Request');
  });

  it('keys split and dividend events by timestamp, only when asked for', () => {
    const feed = feedAt('2026-01-02');
    const split = feed.series('AMZN')!.splits[0]!;
    const ts = epoch(`${split.date}T00:00:00Z`);
    const body = (events: string) =>
      JSON.parse(feed.chart('AMZN', params({ period1: String(ts - 5 * 86400), period2: String(ts + 5 * 86400), events })).reply.body).chart.result[0];
    const splits = body('div|split|earn').events.splits;
    const [key] = Object.keys(splits);
    expect(splits[key!]).toEqual({ date: Number(key), numerator: split.numerator, denominator: 1, splitRatio: `${split.numerator}:1` });
    expect(body('div').events).toBeUndefined();
  });

  it('hands out a cookie, a crumb for it, and checks both on quote', () => {
    const feed = feedAt('2026-01-02');
    const page = feed.cookiePage();
    expect(page.status).toBe(200);
    expect(page.headers.location).toBeUndefined();
    expect(page.headers['set-cookie']).toMatch(/^A3=\w+; Max-Age=\d+; Domain=\.yahoo\.com; Path=\/; Secure/);
    const cookie = page.headers['set-cookie']!.split(';')[0]!;
    expect(feed.crumb(undefined).status).toBe(403);
    const crumb = feed.crumb(cookie).body;
    expect(crumb).toMatch(/^[A-Za-z0-9]{11}$/);
    expect(feed.crumb(cookie).body).toBe(crumb);

    const denied = feed.quote(params({ symbols: 'NVDA' }), cookie).reply;
    expect(denied.status).toBe(401);
    expect(JSON.parse(denied.body)).toEqual({ finance: { result: null, error: { code: 'Unauthorized', description: 'Invalid Crumb' } } });

    const ok = feed.quote(params({ symbols: 'NVDA,NOPE,^GSPC', crumb }), cookie).reply;
    const result = JSON.parse(ok.body).quoteResponse.result;
    expect(result.map((q: { symbol: string }) => q.symbol)).toEqual(['NVDA', '^GSPC']);
    expect(result[0]).toMatchObject({ quoteType: 'EQUITY', marketState: 'CLOSED', gmtOffSetMilliseconds: -18_000_000 });
    expect(result[0].marketCap).toBeGreaterThan(0);
    expect(result[1].marketCap).toBeUndefined();

    feed.invalidateCrumbs();
    expect(feed.quote(params({ symbols: 'NVDA', crumb }), cookie).reply.status).toBe(401);
  });

  it('quotes inside the session at its intraday clock: stamped then, REGULAR, moving, and at the close after it', () => {
    let at = new Date('2026-01-02T15:00:00Z'); // 10:00 New York
    const feed = new SimFeed({ source: createGeneratedSource({ seed: 3, isTradingDay, nullRowRate: 0 }), now: '2026-01-02', seed: 3, isTradingDay, intradayClock: () => at });
    const cookie = feed.cookiePage().headers['set-cookie']!.split(';')[0]!;
    const crumb = feed.crumb(cookie).body;
    const nvda = () => JSON.parse(feed.quote(params({ symbols: 'NVDA', crumb }), cookie).reply.body).quoteResponse.result[0];
    const morning = nvda();
    expect(morning).toMatchObject({ marketState: 'REGULAR', regularMarketTime: epoch('2026-01-02T15:00:00Z') });
    at = new Date('2026-01-02T18:00:00Z');
    const afternoon = nvda();
    expect(afternoon.regularMarketPrice).not.toBe(morning.regularMarketPrice);
    at = new Date('2026-01-02T21:00:00Z'); // the close: as after it, the bar's close
    const closed = nvda();
    expect(closed).toMatchObject({ marketState: 'CLOSED', regularMarketTime: epoch('2026-01-02T21:00:00Z') });
    expect(Math.abs(afternoon.regularMarketPrice / closed.regularMarketPrice - 1)).toBeLessThan(0.2);
  });

  it('applies a split added at run time once `now` reaches it', () => {
    const feed = feedAt('2026-01-02');
    const before = feed.series('META')!.bars.at(-1)!;
    feed.addSplit('META', { date: '2026-01-05', numerator: 2, denominator: 1 });
    expect(feed.series('META')!.bars.at(-1)).toEqual(before);
    expect(feed.advance()).toBe('2026-01-05');
    const after = feed.series('META')!;
    expect(after.splits.at(-1)).toEqual({ date: '2026-01-05', numerator: 2, denominator: 1 });
    const same = after.bars.find((b) => b.tradeDate === before.tradeDate)!;
    expect(same.close).toBeCloseTo(before.close! / 2, 5);
    expect(same.volume).toBe(before.volume! * 2);
  });

  it('advances over weekends and NYSE holidays', () => {
    const feed = feedAt('2025-12-24');
    expect(feed.advance()).toBe('2025-12-26');
    expect(feed.advance(2)).toBe('2025-12-30');
  });

  it('plants odd and impossible rows', () => {
    const feed = feedAt('2026-01-02');
    feed.addAnomaly({ symbol: 'NVDA', date: '2025-12-30', kind: 'odd_open' });
    feed.addAnomaly({ symbol: 'NVDA', date: '2025-12-29', kind: 'negative_close' });
    feed.addAnomaly({ symbol: 'NVDA', date: '2025-12-26', kind: 'high_below_low' });
    feed.addAnomaly({ symbol: 'NVDA', date: '2025-12-24', kind: 'all_null' });
    const bar = (d: string) => feed.series('NVDA')!.bars.find((b) => b.tradeDate === d)!;
    expect(bar('2025-12-30').open!).toBeGreaterThan(bar('2025-12-30').high!);
    expect(bar('2025-12-29').close!).toBeLessThan(0);
    expect(bar('2025-12-26').high!).toBeLessThan(bar('2025-12-26').low!);
    expect(bar('2025-12-24').close).toBeNull();
  });

  it('re-bases a history silently: every price before a date times a factor, no event, volume kept; factor 1 undoes it', () => {
    const feed = feedAt('2026-01-02');
    const plain = feed.series('ORCL')!;
    feed.rebase('ORCL', { factor: 2, before: '2025-12-31' });
    const rebased = feed.series('ORCL')!;
    expect(rebased.splits).toEqual(plain.splits);
    for (const [i, b] of rebased.bars.entries()) {
      const p = plain.bars[i]!;
      const f = b.tradeDate < '2025-12-31' ? 2 : 1;
      expect([b.open, b.high, b.low, b.close, b.adjClose].map((v) => v && Number(v.toFixed(5)))).toEqual(
        [p.open, p.high, p.low, p.close, p.adjClose].map((v) => v && Number((v * f).toFixed(5))),
      );
      expect(b.volume).toBe(p.volume);
    }
    feed.rebase('ORCL', { factor: 1 });
    expect(feed.series('ORCL')).toEqual(plain);
    expect(() => feed.rebase('ORCL', { factor: 0 })).toThrow(RangeError);
  });

  it('revises one bar: the fields given replace the served ones, the rest stays', () => {
    const feed = feedAt('2026-01-02');
    const before = feed.series('INTC')!.bars.find((b) => b.tradeDate === '2025-12-31')!;
    feed.revise({ symbol: 'INTC', date: '2025-12-31', close: 20.5, volume: 42 });
    const after = feed.series('INTC')!.bars.find((b) => b.tradeDate === '2025-12-31')!;
    expect(after).toEqual({ ...before, close: 20.5, volume: 42 });
    expect(() => feed.revise({ symbol: 'INTC', date: '2025-13-01', close: 1 })).toThrow(RangeError);
  });
});
