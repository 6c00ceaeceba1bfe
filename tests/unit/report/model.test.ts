import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ClosePoint, QuoteSnapshot } from '../../../src/domain.js';
import { parseClaimsConfig } from '../../../src/analysis/claims/config.js';
import { latestQuotes } from '../../../src/analysis/claim-context.js';
import { buildReportModel } from '../../../src/report/model.js';
import { rng, series, storedAsOf } from './fixtures.js';

const claimsConfig = parseClaimsConfig(
  JSON.parse(readFileSync(new URL('../../../config/claims.json', import.meta.url), 'utf8')),
);
const ASOF = '2025-12-31';

/** A seeded random walk on weekdays from `start`. */
function walk(start: string, n: number, seed: number, from = 100): ClosePoint[] {
  const r = rng(seed);
  const closes = [from];
  for (let i = 1; i < n; i++) closes.push(closes[i - 1]! * (1 + (r() - 0.5) * 0.06));
  return series(closes, start);
}

function inputs() {
  const data = new Map<string, ClosePoint[]>([
    ['ORCL', walk('2024-06-03', 420, 1)],
    ['CRWV', walk('2025-03-28', 200, 2)],
    ['AMZN', walk('2024-06-03', 420, 3)],
  ]);
  const quotes: QuoteSnapshot[] = [
    { symbol: 'ORCL', ts: new Date('2025-12-30T20:00:00Z'), price: 100, marketCap: 5e11, volume: null, marketState: 'REGULAR', currency: 'USD' },
  ];
  return { data, quotes };
}

describe(buildReportModel.name, () => {
  it('has the report JSON contract shape', () => {
    const { data, quotes } = inputs();
    const model = buildReportModel({ asOf: ASOF, ...storedAsOf(data, ASOF), quotes, claimsConfig });
    expect(model).toMatchObject({ asOf: ASOF, basis: 'close' });
    const orcl = model.symbols.find((s) => s.symbol === 'ORCL')!;
    for (const key of ['symbol', 'lastDate', 'lastClose', 'athDate', 'athClose', 'drawdown', 'maxDrawdown', 'periods']) {
      expect(orcl).toHaveProperty(key);
    }
    expect(Object.keys(orcl.maxDrawdown)).toEqual(expect.arrayContaining(['peakDate', 'troughDate', 'recoveryDate', 'depth']));
    expect(orcl.periods.length).toBeLessThanOrEqual(5);
    expect(orcl.quote).toEqual({ date: '2025-12-30', price: 100, marketCap: 5e11, currency: 'USD' });
    expect(model.episodes.map((e) => [e.id, e.symbol, e.peakDate, e.troughDate, e.depth, e.source])).toEqual([
      ['dotcom', '^IXIC', '2000-03-10', '2002-10-09', -0.7793, 'config'],
      ['gfc2008', '^GSPC', '2007-10-09', '2009-03-09', -0.5678, 'config'],
    ]);
    const verdicts = Object.fromEntries(model.claims.map((c) => [c.id, c.verdict]));
    expect(Object.keys(verdicts)).toEqual([
      'orcl-crwv-crash-comparable',
      'frenzy-and-doubt',
      'ai-deal-news',
      'us-market-chased-ai',
      'overextended-selling',
      'price-reset',
      'bubble-corrects',
    ]);
    // Both of claim 1's tickers are there, so its index reading gets a real band; its verdict follows
    // the cohort reading, and no stock here traded in 2000 or 2008. Claim 2 names eight tickers and
    // only three have data, so it must not be judged on them.
    const claim1 = model.claims[0]!;
    if (claim1.kind !== 'drawdown_vs_reference') throw new Error('claim 1 is the drawdown claim');
    expect(['as_deep_or_deeper', 'comparable', 'partly_comparable', 'not_comparable']).toContain(claim1.readings[0]!.verdict);
    expect(verdicts['orcl-crwv-crash-comparable']).toBe('insufficient_data');
    expect(verdicts['frenzy-and-doubt']).toBe('insufficient_data');
    // JSON round trip loses nothing (no Dates, Maps or undefined in the model).
    expect(JSON.parse(JSON.stringify(model))).toEqual(model);
  });

  it('is the same with later closes in the database (cut in SQL) and refuses any that slip through', () => {
    const { data, quotes } = inputs();
    const before = buildReportModel({ asOf: ASOF, ...storedAsOf(data, ASOF), quotes, claimsConfig });
    const later = new Map([...data].map(([s, pts]) => [s, [...pts, ...series([1, 1000, 1], '2026-01-02')]]));
    later.set('^IXIC', series([5000, 1000], '2026-01-05'));
    const after = buildReportModel({ asOf: ASOF, ...storedAsOf(later, ASOF), quotes, claimsConfig, symbols: ['ORCL', 'CRWV', 'AMZN'] });
    expect(after).toEqual(before);
    // A close or quote after asOf reaching the model is a programming error, not something to filter.
    const { summaries } = storedAsOf(data, ASOF);
    expect(() => buildReportModel({ asOf: ASOF, series: later, summaries, claimsConfig })).toThrow(/ORCL: a close dated 2026-01-06 is after the report date 2025-12-31/);
    const laterQuotes = [...quotes, { ...quotes[0]!, ts: new Date('2026-01-02T15:00:00Z'), price: 1, marketCap: 1 }];
    expect(() => buildReportModel({ asOf: ASOF, ...storedAsOf(data, ASOF), quotes: laterQuotes, claimsConfig })).toThrow(/ORCL: a quote stamped 2026-01-02T15:00:00.000Z \(2026-01-02\) is after the report date/);
    const laterSummaries = storedAsOf(data, '2026-01-06').summaries;
    expect(() => buildReportModel({ asOf: ASOF, ...storedAsOf(data, ASOF), summaries: laterSummaries, claimsConfig })).toThrow(/its summary ends on 2026-01-06/);
  });

  it('measures reference episodes from index closes that span the window', () => {
    const { data } = inputs();
    data.set('^GSPC', [
      { date: '2007-01-03', close: 1416.6 },
      { date: '2007-10-09', close: 1565.15 },
      { date: '2008-11-20', close: 752.44 },
      { date: '2009-03-09', close: 676.53 },
      { date: '2009-12-31', close: 1115.1 },
    ]);
    const model = buildReportModel({ asOf: ASOF, ...storedAsOf(data, ASOF), claimsConfig });
    const gfc = model.episodes.find((e) => e.id === 'gfc2008')!;
    expect(gfc).toMatchObject({ source: 'data', peakDate: '2007-10-09', troughDate: '2009-03-09', sessionsToTrough: 2 });
    expect(gfc.depth).toBeCloseTo(-0.5678, 4);
    expect(gfc.published.depth).toBe(-0.5678);
    // Only stored history of the index: figures from config when it doesn't span the window.
    const noIndex = buildReportModel({ asOf: ASOF, ...storedAsOf(new Map([...data].filter(([s]) => s !== '^GSPC')), ASOF), claimsConfig });
    expect(noIndex.episodes.find((e) => e.id === 'gfc2008')!.source).toBe('config');
    // Before the episode's window ended its trough was not known: a report as of then leaves it out
    // rather than use figures from after its date.
    const early = buildReportModel({ asOf: '2008-12-31', ...storedAsOf(data, '2008-12-31'), claimsConfig });
    expect(early.episodes.map((e) => e.id)).toEqual(['dotcom']);
  });

  it('lists requested symbols in order and names those without data', () => {
    const { data } = inputs();
    const model = buildReportModel({ asOf: ASOF, ...storedAsOf(data, ASOF), claimsConfig, symbols: ['AMZN', 'NVDA', 'ORCL'] });
    expect(model.symbols.map((s) => s.symbol)).toEqual(['AMZN', 'ORCL']);
    expect(model.missingSymbols).toEqual(['NVDA']);
  });

  it('rejects unsorted closes', () => {
    const bad = new Map([['ORCL', [{ date: '2025-01-03', close: 1 }, { date: '2025-01-02', close: 1 }]]]);
    expect(() => buildReportModel({ asOf: ASOF, series: bad, summaries: new Map(), claimsConfig })).toThrow(/ORCL\[1\]/);
  });
});

describe(latestQuotes.name, () => {
  it('keeps the latest quote per symbol, dating it in New York, and refuses one after asOf', () => {
    const q = (ts: string, price: number): QuoteSnapshot => ({
      symbol: 'X', ts: new Date(ts), price, marketCap: null, volume: null, marketState: null, currency: null,
    });
    // 2026-01-01T03:00Z is still 2025-12-31 in New York.
    const quotes = [q('2025-12-31T15:00:00Z', 1), q('2026-01-01T03:00:00Z', 2)];
    expect(latestQuotes(quotes, ASOF, 'America/New_York').get('X')).toMatchObject({ date: '2025-12-31', price: 2 });
    expect(() => latestQuotes([...quotes, q('2026-01-01T06:00:00Z', 3)], ASOF, 'America/New_York')).toThrow(/after the report date/);
  });
});
