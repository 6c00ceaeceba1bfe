// The over-extended claim on hand-built series: each stock's run-up against its own earlier years, the
// peak capped at the day before the article, the fall reading's permutation p and the verdicts it
// gives, the volume reading with its up-day control, and who is judged at all. Prices run in straight
// lines between anchors (weekday closes), so every window's highest close is an anchor and each
// figure below is worked out from the anchors written here.
import { describe, expect, it } from 'vitest';
import type { ClosePoint, IsoDate, VolumePoint } from '../../../src/domain.js';
import type { OverextendedClaimConfig } from '../../../src/analysis/claims/config.js';
import { downUpVolume } from '../../../src/analysis/claims/down-up-volume.js';
import { evaluateOverextendedClaim } from '../../../src/analysis/claims/overextended-claim.js';
import { tickerRunUp } from '../../../src/analysis/claims/overextension.js';
import type { ClaimContext } from '../../../src/analysis/claims/verdict.js';
import { series, weekdays } from '../report/fixtures.js';

/** Weekday closes on straight lines between the anchors (dates must be weekdays). */
function linear(anchors: readonly [IsoDate, number][]): ClosePoint[] {
  const out: ClosePoint[] = [];
  for (let k = 0; k + 1 < anchors.length; k++) {
    const [d0, c0] = anchors[k]!;
    const [d1, c1] = anchors[k + 1]!;
    const days = weekdays(d0, 400).filter((d) => d <= d1);
    days.forEach((d, i) => {
      if (k > 0 && i === 0) return;
      out.push({ date: d, close: c0 + ((c1 - c0) * i) / (days.length - 1) });
    });
  }
  return out;
}

/**
 * A stock whose year-end closes are all 100 from `firstYearEnd` on, peaking mid-year at 100 x (1 + r)
 * for each earlier run-up r (oldest first), in 2025 at 100 x (1 + runUp) on 2 June, closing 2025 at
 * that peak x (1 + fall).
 */
function stock(pastRunUps: readonly number[], runUp: number, fall: number, after: [IsoDate, number][] = []): ClosePoint[] {
  const first = 2025 - pastRunUps.length;
  const anchors: [IsoDate, number][] = [[lastWeekday(first - 1), 100]];
  pastRunUps.forEach((r, i) => {
    const y = first + i;
    anchors.push([`${y}-06-0${firstWeekday(y, 6)}`, 100 * (1 + r)], [lastWeekday(y), 100]);
  });
  anchors.push(['2025-06-02', 100 * (1 + runUp)], ['2025-12-31', 100 * (1 + runUp) * (1 + fall)], ...after);
  return linear(anchors);
}
function lastWeekday(year: number): IsoDate {
  for (let day = 31; ; day--) {
    const d = `${year}-12-${String(day).padStart(2, '0')}`;
    const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (dow !== 0 && dow !== 6) return d;
  }
}
function firstWeekday(year: number, month: number): number {
  for (let day = 1; ; day++) {
    const dow = new Date(`${year}-${String(month).padStart(2, '0')}-0${day}T00:00:00Z`).getUTCDay();
    if (dow !== 0 && dow !== 6) return day;
  }
}

const claim = (over: Partial<OverextendedClaimConfig> = {}): OverextendedClaimConfig => ({
  id: 'ox',
  kind: 'overextended_selling',
  text: { en: 'x', 'zh-Hant': '甲' },
  saidBy: { en: 'x', 'zh-Hant': '甲' },
  tickers: ['P', 'Q', 'R', 'S'],
  metric: 'overextension_fall_rank_p',
  runUpFrom: '2025-01-01',
  runUpTo: '2025-12-31',
  minBaselineYears: 3,
  minBaselineCoverage: 0.5,
  overextendedPercentile: 75,
  recentSessions: 5,
  baselineSessions: 10,
  minBaselineSessions: 10,
  minVolumeRatio: 1.2,
  bands: [
    { max: 0.05, verdict: 'supported' },
    { max: 0.1, verdict: 'partly_supported' },
  ],
  below: 'not_supported',
  underpowered: 'inconclusive',
  ...over,
});

function context(asOf: IsoDate, closes: Record<string, ClosePoint[]>, volumes: Record<string, VolumePoint[]> = {}): ClaimContext {
  const cut = Object.fromEntries(Object.entries(closes).map(([s, pts]) => [s, pts.filter((p) => p.date <= asOf)]));
  return {
    asOf,
    closes: new Map(Object.entries(cut)),
    volumes: new Map(Object.entries(volumes)),
    stats: new Map(),
    episodes: new Map(),
    quotes: new Map(),
    newsEvents: new Map(),
  };
}

// Four earlier years with run-ups of 10, 20, 30 and 40 %: a 2025 run-up of 45 % ranks above all four
// (percentile 100), 35 % above three (75), 25 % above two (50), 15 % above one (25).
const PAST = [0.1, 0.2, 0.3, 0.4];

describe('over-extension, each stock against its own years', () => {
  it('ranks the run-up into the peak among the same span of each earlier year', () => {
    const r = tickerRunUp('P', stock(PAST, 0.35, -0.2), claim(), '2025-12-31')!;
    expect(r).toMatchObject({ baseDate: '2024-12-31', baseClose: 100, peakDate: '2025-06-02', listedInWindow: false });
    expect(r.runUp).toBeCloseTo(0.35, 12);
    expect(r.pastRunUps.map((p) => [p.from, p.to])).toEqual([
      ['2024-01-01', '2024-12-31'],
      ['2023-01-01', '2023-12-31'],
      ['2022-01-01', '2022-12-31'],
      ['2021-01-01', '2021-12-31'],
    ]);
    expect(r.pastRunUps.map((p) => p.runUp)).toEqual([0.4, 0.3, 0.2, 0.1].map((v) => expect.closeTo(v, 12)));
    // Three of four earlier run-ups below 35 %: percentile 75, the over-extended line itself.
    expect(r.percentile).toBe(75);
    expect(r.overextended).toBe(true);
    expect(tickerRunUp('P', stock(PAST, 0.3, -0.2), claim(), '2025-12-31')).toMatchObject({ percentile: 62.5, overextended: false });
    expect(r.fall).toBeCloseTo(-0.2, 12);
  });

  it('stops the run-up the day before the article: a later, higher peak does not count, the fall can turn into a rise', () => {
    // After 2025 the stock climbs to 200 (a peak after the article) and ends January at 180.
    const s = stock(PAST, 0.5, -0.2, [['2026-01-15', 200], ['2026-01-30', 180]]);
    const r = tickerRunUp('P', s, claim(), '2026-01-30')!;
    expect(r).toMatchObject({ peakDate: '2025-06-02', peakClose: 150, lastDate: '2026-01-30', lastClose: 180 });
    expect(r.fall).toBeCloseTo(180 / 150 - 1, 12);
    // Before the article's date the window ends at the report date, and the earlier windows with it.
    const early = tickerRunUp('P', s, claim(), '2025-03-31')!;
    expect(early.pastRunUps[0]).toMatchObject({ from: '2024-01-01', to: '2024-03-31' });
  });

  it('has no baseline for a stock listed inside the window or with too few earlier years', () => {
    const listed = linear([['2025-03-03', 40], ['2025-06-02', 180], ['2025-12-31', 72]]);
    expect(tickerRunUp('L', listed, claim(), '2025-12-31')).toMatchObject({ baseDate: '2025-03-03', listedInWindow: true, percentile: null, overextended: null, pastRunUps: [] });
    const young = stock([0.1, 0.2], 0.5, -0.1);
    const r = tickerRunUp('Y', young, claim(), '2025-12-31')!;
    expect(r.pastRunUps).toHaveLength(2);
    expect(r.percentile).toBeNull();
    expect(tickerRunUp('Y', young, claim({ minBaselineYears: 2 }), '2025-12-31')!.percentile).toBe(100);
  });
});

describe('the fall reading', () => {
  // Percentiles 100, 75, 50, 25 against falls of 50, 30, 20 and 10 %: the most over-extended fell
  // most, rho = 1; the permutation p is the one pairing in 4! = 24 that is as strong: 1/24 = 0.042.
  const four = (falls: [number, number, number, number]) => ({
    P: stock(PAST, 0.45, falls[0]),
    Q: stock(PAST, 0.35, falls[1]),
    R: stock(PAST, 0.25, falls[2]),
    S: stock(PAST, 0.15, falls[3]),
  });

  it('supports the claim at p < 0.05: the four stocks fell in the order they were over-extended', () => {
    const r = evaluateOverextendedClaim(claim(), context('2025-12-31', four([-0.5, -0.3, -0.2, -0.1])));
    expect(r.runUps.map((x) => x.percentile)).toEqual([100, 75, 50, 25]);
    expect(r.fallTest).toMatchObject({ n: 4, method: 'exact', permutations: 24 });
    expect(r.fallTest!.rho).toBeCloseTo(1, 12);
    expect(r.fallTest!.p).toBeCloseTo(1 / 24, 12);
    expect(r).toMatchObject({ verdict: 'supported', rankCorrelation: r.fallTest!.rho });
    expect(r.figure).toBe(r.fallTest!.p);
  });

  it('does not at p = 0.167: one pair out of order (D = 2: 4 of 24 pairings as strong)', () => {
    const r = evaluateOverextendedClaim(claim(), context('2025-12-31', four([-0.3, -0.5, -0.2, -0.1])));
    expect(r.fallTest!.rho).toBeCloseTo(0.8, 12);
    expect(r.fallTest!.p).toBeCloseTo(4 / 24, 12);
    expect(r.verdict).toBe('not_supported');
    // The opposite order: the most over-extended fell least. p = 1.
    expect(evaluateOverextendedClaim(claim(), context('2025-12-31', four([-0.1, -0.2, -0.3, -0.5])))).toMatchObject({ verdict: 'not_supported', figure: 1 });
  });

  it('is inconclusive with three stocks: even a perfect order gives p = 1/6', () => {
    const { S: _, ...three } = four([-0.5, -0.3, -0.2, -0.1]);
    const r = evaluateOverextendedClaim(claim({ tickers: ['P', 'Q', 'R'] }), context('2025-12-31', three));
    expect(r.fallTest).toMatchObject({ p: 1 / 6, minP: 1 / 6 });
    expect(r.verdict).toBe('inconclusive');
  });

  it('judges only the stocks with a baseline, and needs half the named ones to have one', () => {
    const listed = linear([['2025-03-03', 40], ['2025-06-02', 180], ['2025-12-31', 72]]);
    const closes = { ...four([-0.5, -0.3, -0.2, -0.1]), L: listed };
    const r = evaluateOverextendedClaim(claim({ tickers: ['P', 'Q', 'R', 'S', 'L'] }), context('2025-12-31', closes));
    expect(r.unmeasured).toEqual(['L']);
    expect(r.fallTest!.n).toBe(4);
    // The earlier rule ranks raw run-ups and counts L (+350 % from its listing, down 60 %): 5 stocks.
    expect(r.rawRunUpTest!.n).toBe(5);
    const few = evaluateOverextendedClaim(claim({ tickers: ['P', 'Q', 'R', 'S', 'L', 'X', 'Y', 'Z', 'W'] }), context('2025-12-31', closes));
    // 4 of 9 named have a baseline (< 0.5): no verdict; X, Y, Z, W have no prices at all.
    expect(few).toMatchObject({ verdict: 'insufficient_data', missing: ['X', 'Y', 'Z', 'W'] });
  });
});

describe('the volume reading: down days against up days, over-extended stocks only', () => {
  // 16 weekday closes alternating 100 (even index: a down day from 101) and 101 (odd: an up day).
  // Recent window: the last 5 (indexes 11-15: down days 12 and 14, up days 11, 13, 15); baseline: the
  // 10 before (1-10: down days 2, 4, 6, 8, 10, up days 1, 3, 5, 7, 9). Baseline volume 1,000 a day.
  const closes = series(Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 100 : 101)), '2025-12-01');
  const volumesWith = (recentDown: number, recentUp: number): VolumePoint[] =>
    closes.map((p, i) => ({ date: p.date, volume: i < 11 ? 1000 : i % 2 === 0 ? recentDown : recentUp }));
  const c = claim();

  it('counts a stock whose down-day ratio is at least 1.2 times its up-day ratio', () => {
    // Down 1,800 / 1,000 = 1.8, up 1,500 / 1,000 = 1.5: 1.8 / 1.5 = 1.2, the margin exactly.
    const v = downUpVolume('V', c, closes, volumesWith(1800, 1500), true)!;
    expect(v).toMatchObject({ recentDownDays: 2, baselineDownDays: 5, recentFrom: closes[11]!.date, baselineFrom: closes[1]!.date, baselineTo: closes[10]!.date });
    expect(v.downRatio).toBeCloseTo(1.8, 12);
    expect(v.upRatio).toBeCloseTo(1.5, 12);
    expect(v.relativeRatio).toBeCloseTo(1.2, 12);
    expect(v.heavier).toBe(true);
    expect(downUpVolume('V', c, closes, volumesWith(1799, 1500), true)!.heavier).toBe(false);
  });

  it('does not count heavy down days when the up days were as heavy (busier trading, not selling)', () => {
    // INTC at 2026-05-29 in issue 22: down days at 1.43x its usual, up days at 1.40x.
    const v = downUpVolume('V', c, closes, volumesWith(1430, 1400), true)!;
    expect(v.downRatio).toBeCloseTo(1.43, 12);
    expect(v.heavier).toBe(false);
    // Even with no margin at all, a down-day ratio equal to the up-day one is not heavier.
    expect(downUpVolume('V', claim({ minVolumeRatio: 1 }), closes, volumesWith(1400, 1400), true)!.heavier).toBe(false);
    expect(downUpVolume('V', claim({ minVolumeRatio: 1 }), closes, volumesWith(1401, 1400), true)!.heavier).toBe(true);
  });

  it('never counts a stock the claim does not judge, and leaves one with too short a baseline unmeasured', () => {
    expect(downUpVolume('V', c, closes, volumesWith(3000, 1000), false)).toMatchObject({ judged: false, heavier: false });
    expect(downUpVolume('V', c, closes.slice(0, 15), volumesWith(3000, 1000).slice(0, 15), true)).toBeNull();
  });

  it('decides the verdict as the share of over-extended stocks that count, when the claim says so', () => {
    // P and Q over-extended (percentiles 100 and 75), R and S not. Their last 70 closes alternate
    // between L and 1.01 L (L the close before them): in the last 5 (k = 65-69) the down days are
    // k = 66 and 68. P and R trade 3,000 on those two days, everything else 1,000: P's down-day ratio
    // is 3.0 against an up-day ratio of 1.0 and counts; Q's is 1.0 and does not; R is not judged. 1 of 2.
    const byVolume = claim({ metric: 'share_with_heavier_down_day_volume', bands: [{ min: 0.5, verdict: 'partly_supported' }], recentSessions: 5, baselineSessions: 60, minBaselineSessions: 20 });
    const tail: [IsoDate, number][] = [['2026-01-30', 100]];
    const closesOf = { P: stock(PAST, 0.45, -0.3, tail), Q: stock(PAST, 0.35, -0.3, tail), R: stock(PAST, 0.25, -0.3, tail), S: stock(PAST, 0.15, -0.3, tail) };
    for (const pts of Object.values(closesOf)) {
      const n = pts.length;
      const level = pts[n - 71]!.close;
      for (let k = 0; k < 70; k++) pts[n - 70 + k] = { ...pts[n - 70 + k]!, close: level * (k % 2 === 0 ? 1 : 1.01) };
    }
    const volumes = Object.fromEntries(
      Object.entries(closesOf).map(([t, pts]) => [
        t,
        pts.map((p, i) => ({ date: p.date, volume: (t === 'P' || t === 'R') && (i === pts.length - 4 || i === pts.length - 2) ? 3000 : 1000 })),
      ]),
    );
    const r = evaluateOverextendedClaim(byVolume, context('2026-01-30', closesOf, volumes));
    expect(r.runUps.map((x) => x.overextended)).toEqual([true, true, false, false]);
    expect(r.volumes.filter((v) => v.judged).map((v) => v.ticker)).toEqual(['P', 'Q']);
    const p = r.volumes.find((v) => v.ticker === 'P')!;
    expect([p.downRatio, p.upRatio]).toEqual([expect.closeTo(3, 12), expect.closeTo(1, 12)]);
    expect(r.volumes.find((v) => v.ticker === 'R')).toMatchObject({ judged: false, heavier: false });
    expect(r).toMatchObject({ counted: 1, judgedVolumes: 2, share: 0.5, verdict: 'partly_supported' });
  });
});
