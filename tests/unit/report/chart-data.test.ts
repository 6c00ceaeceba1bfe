import { describe, expect, it } from 'vitest';
import { buildCharts, thinIndices } from '../../../src/report/render/chart-data.js';
import { formatterFor } from '../../../src/report/render/number-format.js';
import { summarizeProvenance } from '../../../src/report/provenance.js';
import { rng } from './fixtures.js';
import { ASOF, sampleDocument, sampleSeries } from './report-fixture.js';

describe(thinIndices.name, () => {
  it('keeps everything when short enough', () => {
    expect(thinIndices(5, 10, [(i) => i])).toEqual([0, 1, 2, 3, 4]);
  });

  it('thins a long series but keeps its extremes, ends and requested points', () => {
    const r = rng(9);
    const values = Array.from({ length: 10_000 }, () => r());
    values[4321] = 5;
    values[7777] = -5;
    const kept = thinIndices(values.length, 600, [(i) => values[i]!], [1234]);
    expect(kept.length).toBeLessThanOrEqual(604);
    expect(kept).toEqual(expect.arrayContaining([0, 9999, 4321, 7777, 1234]));
    expect([...kept].sort((a, b) => a - b)).toEqual(kept);
  });
});

describe(buildCharts.name, () => {
  const doc = sampleDocument();

  it('shows each symbol from the peak of its current fall, at least two years back', () => {
    const orcl = doc.charts.symbols.find((c) => c.symbol === 'ORCL')!;
    expect(orcl.points[0]!.date >= '2023-12-31' && orcl.points[0]!.date <= '2024-01-03').toBe(true);
    expect(orcl.points.at(-1)).toMatchObject({ date: ASOF, close: 194.91 });
    expect(orcl.ath).toEqual({ date: '2025-09-10', close: 328.33 });
    expect(orcl.trough).toMatchObject({ date: '2025-12-17', close: 178.46 });
    // ^GSPC's current fall began 2025-12-24, so two years is the binding rule.
    const gspc = doc.charts.symbols.find((c) => c.symbol === '^GSPC')!;
    expect(gspc.points[0]!.date >= '2023-12-31').toBe(true);
  });

  it('keeps the drawdown from the all-time high, not from the window start', () => {
    const orcl = doc.charts.symbols.find((c) => c.symbol === 'ORCL')!;
    const last = orcl.points.at(-1)!;
    expect(last.drawdown).toBeCloseTo(194.91 / 328.33 - 1, 12);
    expect(Math.min(...orcl.points.map((p) => p.drawdown))).toBeCloseTo(178.46 / 328.33 - 1, 12);
  });

  it('marks only the news of that ticker, dated in the window and not after asOf', () => {
    const events = (s: string) => doc.charts.symbols.find((c) => c.symbol === s)!.events.map((e) => e.id);
    expect(events('AMZN')).toEqual(['amzn-openai-talks']);
    expect(events('NVDA')).toEqual(['nvda-lepton']);
    expect(events('META')).toEqual(['meta-manus']);
    expect(events('ORCL')).toEqual([]);
    const early = buildCharts(sampleDocument({ asOf: '2025-12-20' }).model, sampleSeries(), doc.claimsConfig);
    expect(early.symbols.find((c) => c.symbol === 'META')!.events).toEqual([]);
  });

  it('aligns the current falls and the reference falls at their peaks', () => {
    const [cmp] = doc.charts.comparisons;
    expect(cmp!.claimId).toBe('orcl-crwv-crash-comparable');
    const line = (id: string) => cmp!.lines.find((l) => l.id === id)!;
    expect(line('ORCL').points[0]).toEqual({ session: 0, drawdown: 0 });
    expect(line('ORCL').points.at(-1)!.drawdown).toBeCloseTo(194.91 / 328.33 - 1, 12);
    // ^GSPC is stored: the 2008 fall is drawn from data, peak to trough.
    expect(line('gfc2008')).toMatchObject({ source: 'data', peakDate: '2007-10-09' });
    expect(line('gfc2008').points.at(-1)!.drawdown).toBeCloseTo(676.53 / 1565.15 - 1, 12);
    // ^IXIC is not: two published points, the sessions between them counted on the NYSE calendar
    // (647, as the real index history has, 9/11 closures included).
    expect(line('dotcom')).toMatchObject({ source: 'config', points: [{ session: 0, drawdown: 0 }, { session: 647, drawdown: -0.7793 }] });
  });
});

describe(summarizeProvenance.name, () => {
  it('names the sources of the rows used, the freshness and the simulated ones', () => {
    const p = summarizeProvenance({
      symbols: ['A', 'B', 'C'],
      bars: new Map([
        ['A', { sources: ['yahoo', 'import'], lastDate: '2025-12-31' }],
        ['B', { sources: ['sim'], lastDate: '2025-12-30' }],
      ]),
      quotes: [
        { symbol: 'A', ts: new Date('2025-12-31T20:00:00Z'), price: 1, marketCap: null, volume: null, marketState: null, currency: null, source: 'yahoo' },
        { symbol: 'A', ts: new Date('2025-12-31T15:00:00Z'), price: 1, marketCap: null, volume: null, marketState: null, currency: null, source: 'sim' },
      ],
    });
    expect(p).toMatchObject({
      dataSource: 'import,sim,yahoo',
      simulated: true,
      lastBar: { min: '2025-12-30', max: '2025-12-31' },
      lastQuote: { symbol: 'A', ts: '2025-12-31T20:00:00.000Z', source: 'yahoo' },
    });
    expect(p.symbols.map((s) => [s.symbol, s.sources, s.simulated])).toEqual([
      ['A', ['import', 'yahoo'], false],
      ['B', ['sim'], true],
      ['C', [], false],
    ]);
  });
});

describe(formatterFor.name, () => {
  it('formats for English and Traditional Chinese (Taiwan) readers', () => {
    const en = formatterFor('en');
    const zh = formatterFor('zh-Hant');
    expect([en.pct(-0.4064), en.pct(-0), en.change(0.052), en.change(0), en.price(5048.62), en.int(12345)]).toEqual([
      '-40.6%', '0.0%', '+5.2%', '0.0%', '5,048.62', '12,345',
    ]);
    expect([en.date('2025-09-10'), zh.date('2025-09-10')]).toEqual(['Sep 10, 2025', '2025年9月10日']);
    expect([en.money(1.234e11, 'USD'), zh.money(1.234e11, 'USD'), en.money(5e9, 'USD')]).toEqual(['$123.4B', 'US$1234億', '$5B']);
    expect(en.pct(null)).toBe('–');
    expect(en.dateTime('2025-12-31T21:00:00Z', 'America/New_York')).toBe('Dec 31, 2025, 4:00 PM EST');
  });
});
