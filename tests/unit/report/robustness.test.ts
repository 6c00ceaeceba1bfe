// How far each verdict leans on its threshold (the sweeps), and inputs that stopped updating: counted
// in NYSE sessions, named in every claim that reads them and at a glance, never read past their last bar.
import { describe, expect, it } from 'vitest';
import type { ClosePoint } from '../../../src/domain.js';
import { evaluateClaims, type ClaimResult } from '../../../src/analysis/claims/evaluate.js';
import { claimSensitivity, sweep } from '../../../src/analysis/claims/sensitivity.js';
import { staleInputs } from '../../../src/analysis/claims/stale-inputs.js';
import type { ClaimConfig, ClaimsConfig } from '../../../src/analysis/claims/config.js';
import { buildClaimContext } from '../../../src/analysis/claim-context.js';
import { renderMarkdown } from '../../../src/report/render/markdown.js';
import { storedAsOf } from './fixtures.js';
import { shippedClaims, universe, universeDocument } from './universe-fixture.js';

describe('sweep', () => {
  it('reports the run of grid values around the configured one with the same verdict, and the verdicts just outside', () => {
    const s = sweep('significance', { from: 0.01, to: 0.2, step: 0.01 }, 0.05, 'a', (v) => (v <= 0.07 ? 'a' : 'b'));
    expect(s).toMatchObject({ holdsFrom: 0.01, holdsTo: 0.07, below: null, above: { at: 0.08, verdict: 'b' } });
    // Grid values are exact multiples of the step: 0.07, not 0.07000000000000001.
    expect(s.holdsTo).toBe(0.07);
    const both = sweep('swing_threshold', { from: 0.05, to: 0.2, step: 0.01 }, 0.1, 'mid', (v) => (v < 0.08 ? 'low' : v > 0.14 ? 'high' : 'mid'));
    expect(both).toMatchObject({ holdsFrom: 0.08, holdsTo: 0.14, below: { at: 0.07, verdict: 'low' }, above: { at: 0.15, verdict: 'high' } });
  });

  it('puts an off-grid configured value on the grid and never asks for the configured verdict', () => {
    const asked: number[] = [];
    const s = sweep('beat_margin', { from: 0, to: 0.1, step: 0.05 }, 0.025, 'x', (v) => (asked.push(v), 'x'));
    expect(s).toMatchObject({ holdsFrom: 0, holdsTo: 0.1, below: null, above: null });
    expect(asked.sort()).toEqual([0, 0.05, 0.1]);
  });
});

/** The claim config with one threshold set, as the sweep moves it. */
function withThreshold(claim: ClaimConfig, parameter: string, value: number): ClaimConfig {
  switch (parameter) {
    case 'swing_threshold':
      return { ...claim, swingThreshold: value } as ClaimConfig;
    case 'event_window_end':
      return { ...claim, sessionsAfter: value } as ClaimConfig;
    case 'beat_margin':
      return { ...claim, beatMargin: value } as ClaimConfig;
    case 'min_volume_ratio':
      return { ...claim, minVolumeRatio: value } as ClaimConfig;
    case 'significance': {
      const bands = (claim as unknown as { bands: { max: number; verdict: string }[] }).bands;
      return { ...claim, bands: bands.map((b) => ({ ...b, max: (b.max * value) / bands[0]!.max })) } as ClaimConfig;
    }
    default:
      return claim;
  }
}

describe('claimSensitivity on a generated universe', () => {
  const { closes, volumes } = universe();
  const asOf = '2026-01-30';
  const config = shippedClaims();
  const stored = storedAsOf(closes, asOf);
  const ctx = buildClaimContext({ asOf, ...stored, volumes: new Map([...volumes].map(([s, v]) => [s, v.filter((p) => p.date <= asOf)])), claimsConfig: config });
  const results = evaluateClaims(config, ctx);

  it.each(config.claims.filter((c) => c.kind !== 'drawdown_vs_reference' && c.kind !== 'forward_looking').map((c) => [c.id, c] as const))(
    '%s: the verdict at each edge of the reported range, and just outside it, is what the evaluator itself gives there',
    (_id, claim) => {
      const result = results[config.claims.indexOf(claim)]!;
      const s = claimSensitivity(claim, ctx, result)!;
      expect(s.verdict).toBe(result.verdict);
      const judge = (v: number) => evaluateClaims({ ...config, claims: [withThreshold(claim, s.parameter, v)] } as ClaimsConfig, ctx)[0]!.verdict;
      expect(judge(s.holdsFrom)).toBe(result.verdict);
      expect(judge(s.holdsTo)).toBe(result.verdict);
      if (s.below) expect(judge(s.below.at)).toBe(s.below.verdict);
      if (s.above) expect(judge(s.above.at)).toBe(s.above.verdict);
      if (s.below) expect(s.below.verdict).not.toBe(result.verdict);
      if (s.above) expect(s.above.verdict).not.toBe(result.verdict);
    },
  );

  it("moves claim 1's band edge nearest the deciding ratio between its neighbours", () => {
    const claim = config.claims[0]!;
    // Only the deciding ratio and the verdict enter: the ratio does not depend on the bands.
    const at = (ratio: number, verdict: string) =>
      claimSensitivity(claim, ctx, { kind: 'drawdown_vs_reference', verdict, deciding: { ratio } } as unknown as ClaimResult)!;
    // 0.512 (ORCL at 2026-05-29): 1.2 points above the 50 % edge, far below 75 %: the 50 % edge moves.
    expect(at(0.512, 'partly_comparable')).toMatchObject({
      band: 'partly_comparable',
      configured: 0.5,
      holdsFrom: 0.01,
      holdsTo: 0.51,
      below: null,
      above: { at: 0.52, verdict: 'not_comparable' },
    });
    // 0.6658 (ORCL at 2025-12-31): nearer 75 % than 50 %; the 75 % edge moves between 51 % and 99 %.
    expect(at(0.6658, 'partly_comparable')).toMatchObject({ band: 'comparable', holdsFrom: 0.67, holdsTo: 0.99, below: { at: 0.66, verdict: 'comparable' }, above: null });
    // The top band: its own edge, above 75 % and up to 150 %.
    expect(at(1.2, 'as_deep_or_deeper')).toMatchObject({ band: 'as_deep_or_deeper', holdsFrom: 0.76, holdsTo: 1.2, above: { at: 1.21, verdict: 'comparable' } });
  });
});

describe('stale inputs', () => {
  const daily = (from: string, to: string): ClosePoint[] => {
    const out: ClosePoint[] = [];
    for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 1)) {
      const dow = d.getUTCDay();
      if (dow !== 0 && dow !== 6) out.push({ date: d.toISOString().slice(0, 10), close: 100 });
    }
    return out;
  };

  it('counts NYSE sessions after the last close: 13 from 2026-05-11 to 2026-05-29 (Memorial Day closed)', () => {
    // May 12-15 (4), 18-22 (5), 26-29 (4): 13 sessions; the 25th is Memorial Day.
    const closes = new Map([['^GSPC', daily('2026-04-01', '2026-05-11')], ['AMZN', daily('2026-04-01', '2026-05-29')]]);
    expect(staleInputs(closes, ['AMZN', '^GSPC'], '2026-05-29')).toEqual([{ symbol: '^GSPC', lastDate: '2026-05-11', sessionsBehind: 13 }]);
  });

  it('allows two sessions behind (a sync not run yet), not three', () => {
    const closes = new Map([['A', daily('2026-04-01', '2026-05-27')], ['B', daily('2026-04-01', '2026-05-26')]]);
    expect(staleInputs(closes, ['A', 'B'], '2026-05-29').map((s) => [s.symbol, s.sessionsBehind])).toEqual([['B', 3]]);
    // A weekend after the last close is no session.
    expect(staleInputs(new Map([['A', daily('2026-04-01', '2026-05-29')]]), ['A'], '2026-05-31')).toEqual([]);
  });

  it('names a stale index at a glance and in each claim that reads it, in both languages', () => {
    const doc = universeDocument('2026-05-29', { staleIndexesFrom: '2026-05-12' });
    expect(doc.model.staleInputs.map((s) => [s.symbol, s.lastDate, s.sessionsBehind])).toEqual([
      ['^GSPC', '2026-05-11', 13],
      ['^IXIC', '2026-05-11', 13],
    ]);
    // The news claim reads ^IXIC, the chase both; the others read neither.
    expect(doc.model.claims.map((c) => [c.id, c.staleInputs.map((s) => s.symbol)])).toEqual([
      ['orcl-crwv-crash-comparable', []],
      ['frenzy-and-doubt', []],
      ['ai-deal-news', ['^IXIC']],
      ['us-market-chased-ai', ['^GSPC', '^IXIC']],
      ['overextended-selling', []],
      ['price-reset', []],
      ['bubble-corrects', []],
    ]);
    const en = renderMarkdown(doc, 'en');
    expect(en).toContain('Stale input: the last close of ^GSPC and ^IXIC is of May 11, 2026, 13 sessions before this report\'s date; Claim 3 and Claim 4 read it only up to then.');
    expect(en).toContain('^GSPC and ^IXIC: May 11, 2026 (13 sessions behind)');
    expect(en.match(/this claim reads \^GSPC and \^IXIC only up to its last close/g)).toHaveLength(1);
    expect(en.match(/this claim reads \^IXIC only up to its last close/g)).toHaveLength(1);
    const zh = renderMarkdown(doc, 'zh-Hant');
    expect(zh).toContain('資料過時：^GSPC 與 ^IXIC 的最新收盤為 2026年5月11日，比報告日期早 13 個交易日；說法 3 與說法 4 只讀到該日為止。');
  });
});
