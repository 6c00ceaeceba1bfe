// The one rule for when a quote stands as its session's close, the one splice, and the verdicts a
// quote judgement gives (src/analysis/provisional.ts).
import { describe, expect, it } from 'vitest';
import { closeBasis } from '../../../src/analysis/close-basis.js';
import { provisionalClose, provisionalVerdicts, quoteStanding, withProvisionalClose, type QuoteJudgement } from '../../../src/analysis/provisional.js';
import type { QuoteSnapshot } from '../../../src/domain.js';

const TZ = 'America/New_York';
/** Monday 2026-01-05, 10:00 New York: trading. */
const IN_SESSION = new Date('2026-01-05T15:00:00Z');
/** The same Monday, 18:00 New York: closed. */
const EVENING = new Date('2026-01-05T23:00:00Z');
const quote = (ts: string, price: number, marketState = 'REGULAR'): QuoteSnapshot => ({ symbol: 'ORCL', ts: new Date(ts), price, marketCap: null, volume: null, marketState, currency: 'USD' });

describe(quoteStanding.name, () => {
  it('takes a quote as the close of a session with no stored close, whatever the clock or the market state says', () => {
    expect(quoteStanding('2026-01-05', '2026-01-02', IN_SESSION)).toBe('new_session');
    expect(quoteStanding('2026-01-05', '2026-01-02', EVENING)).toBe('new_session');
    expect(quoteStanding('2026-01-05', null, EVENING)).toBe('new_session');
  });

  it('takes it over a stored bar of its session only while that session trades (the bar is partial)', () => {
    expect(quoteStanding('2026-01-05', '2026-01-05', IN_SESSION)).toBe('replaces_partial_bar');
    expect(quoteStanding('2026-01-05', '2026-01-05', EVENING)).toBeNull();
    // Trading now, but another session's quote: the stored close of its session stands.
    expect(quoteStanding('2026-01-02', '2026-01-02', IN_SESSION)).toBeNull();
    expect(quoteStanding('2026-01-02', '2026-01-05', IN_SESSION)).toBeNull();
  });
});

describe(provisionalClose.name, () => {
  const closes = [
    { date: '2025-12-31', close: 120 },
    { date: '2026-01-02', close: 100 },
  ];

  it('is the newest quote with what it is measured against: the last close and the high', () => {
    const p = provisionalClose('ORCL', closeBasis(closes), [quote('2026-01-05T14:40:00Z', 91), quote('2026-01-05T22:00:00Z', 90, 'CLOSED')], TZ, EVENING);
    expect(p).toMatchObject({ date: '2026-01-05', close: 90, marketState: 'CLOSED', standing: 'new_session', previous: closes[1], storedHigh: closes[0] });
    expect(provisionalClose('ORCL', closeBasis(closes), [quote('2026-01-02T21:00:00Z', 100, 'CLOSED')], TZ, EVENING)).toBeNull();
    expect(provisionalClose('ORCL', closeBasis(closes), [], TZ, EVENING)).toBeNull();
  });

  it('measures a quote over a partial bar against the closes before that bar', () => {
    const partial = [...closes, { date: '2026-01-05', close: 130 }];
    expect(provisionalClose('ORCL', closeBasis(partial), [quote('2026-01-05T14:59:00Z', 95)], TZ, IN_SESSION)).toMatchObject({
      standing: 'replaces_partial_bar',
      previous: closes[1],
      storedHigh: closes[0],
    });
  });
});

describe(withProvisionalClose.name, () => {
  it('appends the provisional close, or puts it in place of a bar of its session', () => {
    const closes = [{ date: '2026-01-02', close: 100 }];
    expect(withProvisionalClose(closes, { date: '2026-01-05', close: 90 })).toEqual([...closes, { date: '2026-01-05', close: 90 }]);
    expect(withProvisionalClose([...closes, { date: '2026-01-05', close: 95 }], { date: '2026-01-05', close: 90 })).toEqual([...closes, { date: '2026-01-05', close: 90 }]);
    expect(withProvisionalClose([], { date: '2026-01-05', close: 90 })).toEqual([{ date: '2026-01-05', close: 90 }]);
  });
});

describe(provisionalVerdicts.name, () => {
  const claims = { asOf: '2026-01-05', results: [{ id: 'a', verdict: 'x' }, { id: 'b', verdict: 'y' }], context: {} } as unknown as QuoteJudgement['claims'];
  const p = (symbol: string, ts: string) => ({ symbol, date: '2026-01-05', close: 1, quotedAt: new Date(ts), marketState: 'CLOSED', standing: 'new_session' as const, previous: null, storedHigh: null });

  it('gives every claim’s verdict as of the newest quote that stood as a close', () => {
    const v = provisionalVerdicts({ provisional: new Map([['A', p('A', '2026-01-05T21:00:00Z')], ['B', p('B', '2026-01-05T21:01:00Z')]]), claims });
    expect(v).toEqual({ at: '2026-01-05T21:01:00.000Z', byClaim: new Map([['a', 'x'], ['b', 'y']]) });
  });

  it('gives none when no quote stood as a close, or nothing was judged', () => {
    expect(provisionalVerdicts({ provisional: new Map(), claims })).toBeNull();
    expect(provisionalVerdicts({ provisional: new Map([['A', p('A', '2026-01-05T21:00:00Z')]]), claims: null })).toBeNull();
  });
});
