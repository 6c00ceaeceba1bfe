// The chase judged against the stocks' own years: the same share in each earlier year by the same
// rule, the judged year's percentile and rank p-value among them, years with too few stocks left out,
// and the verdicts the p bands give. Hand-built year-end closes: each index is flat, and in each year
// a stock either gains 10 % (beats both) or loses 10 % (beats neither), as the year's count says.
import { describe, expect, it } from 'vitest';
import type { ClosePoint, IsoDate } from '../../../src/domain.js';
import { evaluateChaseClaim } from '../../../src/analysis/claims/chase-claim.js';
import { parseClaimsConfig, type ChaseClaimConfig } from '../../../src/analysis/claims/config.js';
import type { ClaimContext } from '../../../src/analysis/claims/verdict.js';
import { readFileSync } from 'node:fs';

const TICKERS = ['A', 'B', 'C', 'D'];
/** The last weekday of each year, as the closes are dated. */
const yearEnd = (year: number): IsoDate => {
  for (let day = 31; ; day--) {
    const d = `${year}-12-${String(day).padStart(2, '0')}`;
    const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (dow !== 0 && dow !== 6) return d;
  }
};

/**
 * Year-end closes from `first - 1` to 2025: in year y the first `beats[y]` stocks rise 10 %, the rest
 * fall 10 %. `listed[t]`: the year before which stock t has no closes (it appears at that year's start).
 */
function closesFor(beats: ReadonlyMap<number, number>, first: number, listed: Record<string, number> = {}): Map<string, ClosePoint[]> {
  const out = new Map<string, ClosePoint[]>();
  const years = Array.from({ length: 2025 - first + 2 }, (_, i) => first - 1 + i);
  out.set('I1', years.map((y) => ({ date: yearEnd(y), close: 1000 })));
  out.set('I2', years.map((y) => ({ date: yearEnd(y), close: 2000 })));
  TICKERS.forEach((t, k) => {
    let price = 100;
    const points: ClosePoint[] = [];
    for (const y of years) {
      if (y > first - 1) price *= k < (beats.get(y) ?? 0) ? 1.1 : 0.9;
      if (y >= (listed[t] ?? 0) - 1) points.push({ date: yearEnd(y), close: price });
    }
    out.set(t, points);
  });
  return out;
}

const claim = (over: Partial<ChaseClaimConfig> = {}): ChaseClaimConfig => ({
  id: 'chase',
  kind: 'returns_vs_benchmarks',
  text: { en: 'x', 'zh-Hant': '甲' },
  saidBy: { en: 'x', 'zh-Hant': '甲' },
  tickers: TICKERS,
  benchmarks: ['I1', 'I2'],
  period: { from: '2025-01-01', to: '2025-12-31' },
  metric: 'own_years_rank_p',
  beatMargin: 0,
  minBaselineYears: 10,
  minStockCoverage: 0.5,
  bands: [
    { max: 0.05, verdict: 'supported' },
    { max: 0.1, verdict: 'partly_supported' },
  ],
  below: 'not_supported',
  underpowered: 'inconclusive',
  ...over,
});

const context = (closes: Map<string, ClosePoint[]>): ClaimContext => ({
  asOf: '2025-12-31',
  closes,
  volumes: new Map(),
  stats: new Map(),
  episodes: new Map(),
  quotes: new Map(),
  newsEvents: new Map(),
});

// 24 earlier years, 2001-2024, with these counts of the four stocks beating both indexes.
const COUNTS_2001_2024 = [1, 2, 1, 3, 2, 1, 2, 4, 0, 1, 2, 2, 1, 3, 2, 1, 0, 2, 1, 2, 3, 1, 2, 2];
/** Year -> count: `earlier` for the years up to 2024 (ending there), `judged` for 2025. */
const counts = (judged: number, earlier = COUNTS_2001_2024) => new Map([...earlier.map((c, i) => [2025 - earlier.length + i, c] as const), [2025, judged]]);

describe('the chase against its own years', () => {
  it('measures every earlier year by the same rule and ranks the judged one among them', () => {
    const r = evaluateChaseClaim(claim(), context(closesFor(counts(3), 2001)));
    expect(r).toMatchObject({ counted: 3, measured: 4, share: 0.75 });
    expect(r.baseline.years).toHaveLength(24);
    // Newest first, each year's window the judged one moved back by whole years.
    expect(r.baseline.years[0]).toMatchObject({ from: '2024-01-01', to: '2024-12-31', counted: 2, measured: 4, share: 0.5 });
    expect(r.baseline.years.at(-1)).toMatchObject({ from: '2001-01-01', counted: 1 });
    // Years with 3 or 4 of 4 (>= 0.75): 2004, 2008, 2014, 2021, four of them. p = (1 + 4) / (1 + 24).
    const atLeast = COUNTS_2001_2024.filter((c) => c >= 3).length;
    expect(atLeast).toBe(4);
    expect(r.baseline.p).toBeCloseTo(5 / 25, 12);
    expect(r.figure).toBe(r.baseline.p);
    // Mid-rank: 20 years below 0.75 (counts 0-2), 3 equal to it (2004, 2014, 2021): (20 + 1.5) / 24.
    expect(r.baseline.percentile).toBeCloseTo((100 * (20 + 1.5)) / 24, 12);
    expect(r.baseline.minP).toBeCloseTo(1 / 25, 12);
    expect(r.verdict).toBe('not_supported');
  });

  it('supports the claim only when hardly any earlier year was as high: p < 0.05, partly below 0.10', () => {
    // Four of four in 2025 and in 2008 alone: p = (1 + 1) / 25 = 0.08, partly supported.
    expect(evaluateChaseClaim(claim(), context(closesFor(counts(4), 2001)))).toMatchObject({ verdict: 'partly_supported' });
    // With 2008's four made three, no earlier year reaches it: p = 1 / 25 = 0.04, supported.
    const none = COUNTS_2001_2024.map((c) => Math.min(c, 3));
    const r = evaluateChaseClaim(claim(), context(closesFor(counts(4, none), 2001)));
    expect(r.baseline.p).toBeCloseTo(0.04, 12);
    expect(r.verdict).toBe('supported');
  });

  it('leaves out earlier years in which fewer than half the stocks were listed', () => {
    // B, C and D list at the start of 2010: 2001-2009 hold A alone (1 of 4 < 0.5) and are left out.
    const r = evaluateChaseClaim(claim(), context(closesFor(counts(3), 2001, { B: 2010, C: 2010, D: 2010 })));
    expect(r.baseline.years.map((y) => Number(y.from.slice(0, 4)))).toEqual(Array.from({ length: 15 }, (_, i) => 2024 - i));
    // 2010-2024: the years with >= 3 are 2014 and 2021: p = 3 / 16.
    expect(r.baseline.p).toBeCloseTo(3 / 16, 12);
  });

  it('says inconclusive when the baseline is too short for p < 0.05, and insufficient below minBaselineYears', () => {
    // Twelve earlier years: the smallest p is 1/13 = 0.077, above 0.05 whatever the data.
    const twelve = COUNTS_2001_2024.slice(12).map(() => 0);
    const short = evaluateChaseClaim(claim(), context(closesFor(counts(4, twelve), 2013)));
    expect(short.baseline.years).toHaveLength(12);
    expect(short.baseline.p).toBeCloseTo(1 / 13, 12);
    expect(short.verdict).toBe('inconclusive');
    const nine = evaluateChaseClaim(claim(), context(closesFor(counts(4, COUNTS_2001_2024.slice(15)), 2016)));
    expect(nine.baseline.years).toHaveLength(9);
    expect(nine.verdict).toBe('insufficient_data');
  });

  it('applies the beat margin to every year alike', () => {
    // Every beat is by exactly 10 points (+10 % against flat indexes): a margin of 10 points counts none.
    const r = evaluateChaseClaim(claim({ beatMargin: 0.1 + 1e-9 }), context(closesFor(counts(3), 2001)));
    expect(r.counted).toBe(0);
    expect(r.baseline.years.every((y) => y.counted === 0)).toBe(true);
    // All 24 years tie at 0 with it: p = 25 / 25.
    expect(r.baseline.p).toBe(1);
  });

  it('names an independent benchmark and measures it only when its closes are stored', () => {
    const closes = closesFor(counts(3), 2001);
    const independent = { symbol: 'EW', name: { en: 'Equal weight', 'zh-Hant': '等權重' } };
    expect(evaluateChaseClaim(claim({ independentBenchmark: independent }), context(closes)).independent).toMatchObject({ symbol: 'EW', measured: false });
    // EW +5 % in 2025: the four stocks' mean return is (3 x 10 % - 10 %) / 4 = +5 %, excess 0; three beat it.
    closes.set('EW', [{ date: yearEnd(2024), close: 100 }, { date: yearEnd(2025), close: 105 }]);
    const r = evaluateChaseClaim(claim({ independentBenchmark: independent }), context(closes)).independent!;
    expect(r).toMatchObject({ measured: true, counted: 3, measuredStocks: 4 });
    expect(r.equalWeightReturn).toBeCloseTo(0.05, 12);
    expect(r.excess).toBeCloseTo(0, 12);
  });

  it('is judged so by the shipped config: own years, p bands', () => {
    const shipped = parseClaimsConfig(JSON.parse(readFileSync(new URL('../../../config/claims.json', import.meta.url), 'utf8')));
    const c = shipped.claims.find((x) => x.kind === 'returns_vs_benchmarks')!;
    expect(c).toMatchObject({ metric: 'own_years_rank_p', bands: [{ max: 0.05 }, { max: 0.1 }], minBaselineYears: 10, minStockCoverage: 0.5 });
  });
});
