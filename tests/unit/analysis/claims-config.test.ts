import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ClaimsConfigError, parseClaimsConfig } from '../../../src/analysis/claims/config.js';

// The project's own config (not ../shared): it must always parse.
const shipped = (): unknown => JSON.parse(readFileSync(new URL('../../../config/claims.json', import.meta.url), 'utf8'));

function problemsOf(json: unknown): readonly string[] {
  try {
    parseClaimsConfig(json);
  } catch (err) {
    expect(err).toBeInstanceOf(ClaimsConfigError);
    return (err as ClaimsConfigError).problems;
  }
  throw new Error('expected the config to be rejected');
}

describe(parseClaimsConfig.name, () => {
  it('parses config/claims.json into a frozen object with the article’s claims', () => {
    const cfg = parseClaimsConfig(shipped());
    expect(cfg.claims.map((c) => [c.id, c.kind, c.metric])).toEqual([
      ['orcl-crwv-crash-comparable', 'drawdown_vs_reference', 'drawdown_from_ath'],
      ['frenzy-and-doubt', 'swings', 'share_above_own_median_swings'],
      ['ai-deal-news', 'news_events', 'event_window_return'],
      ['us-market-chased-ai', 'returns_vs_benchmarks', 'own_years_rank_p'],
      // One sentence of the article (「顯示投資人正加速拋售被認為過度擴張的標的」), one claim: its two readings.
      ['overextended-selling', 'overextended_selling', 'overextension_fall_rank_p'],
      ['price-reset', 'forward_looking', 'not_measurable'],
      ['bubble-corrects', 'forward_looking', 'not_measurable'],
    ]);
    // Claim 1's verdict follows the like-for-like reading: the watchlist's own falls in 2000 and 2008.
    const claim1 = cfg.claims[0]!;
    expect(claim1.kind === 'drawdown_vs_reference' && [claim1.verdictReading, claim1.cohort.length]).toEqual(['cohort', 8]);
    expect(cfg.referenceEpisodes.map((e) => [e.id, e.symbol, e.peakDate, e.troughDate, e.depth])).toEqual([
      ['dotcom', '^IXIC', '2000-03-10', '2002-10-09', -0.7793],
      ['gfc2008', '^GSPC', '2007-10-09', '2009-03-09', -0.5678],
    ]);
    // Each event dated by its first report; Lepton's completion measured beside it.
    expect(cfg.newsEvents.map((e) => [e.ticker, e.date, e.completed ?? null])).toEqual([
      ['AMZN', '2025-12-16', null],
      ['NVDA', '2025-03-26', '2025-04-08'],
      ['META', '2025-12-29', null],
    ]);
    expect(Object.isFrozen(cfg)).toBe(true);
    expect(Object.isFrozen(cfg.claims[0]!.tickers)).toBe(true);
  });

  it('fills defaults for bands, aggregate and thresholds', () => {
    const json = shipped() as { claims: Record<string, unknown>[] };
    for (const c of json.claims) for (const k of ['bands', 'below', 'aggregate', 'swingThreshold', 'minSwings', 'sessionsAfter']) delete c[k];
    // The chase's default bands are a share's: with its p-value metric they must be given.
    json.claims[3]!.metric = 'share_beating_benchmarks';
    const cfg = parseClaimsConfig(json);
    const [dd, sw, news, chase, overextended] = cfg.claims;
    expect(chase).toMatchObject({ bands: [{ min: 0.75, verdict: 'supported' }, { min: 0.5, verdict: 'partly_supported' }], beatMargin: 0 });
    // The over-extended claim's default bands are p bands: support at p < 0.05, partial at p < 0.10.
    expect(overextended).toMatchObject({ bands: [{ max: 0.05, verdict: 'supported' }, { max: 0.1, verdict: 'partly_supported' }], underpowered: 'inconclusive' });
    expect(dd).toMatchObject({ aggregate: { tickers: 'all', references: 'any' }, below: 'not_comparable' });
    expect(dd!.kind === 'drawdown_vs_reference' && dd!.bands.map((b) => b.min)).toEqual([1, 0.75, 0.5]);
    expect(sw).toMatchObject({ swingThreshold: 0.1, minSwings: 3, below: 'not_supported' });
    expect(news).toMatchObject({ sessionsAfter: 5 });
  });

  it('lists every problem with its key path', () => {
    const json = shipped() as any;
    json.referenceEpisodes[0].peakDate = '2000-02-30';
    json.referenceEpisodes[1].depth = -0.6;
    json.claims[0].bands[1].min = 2;
    json.claims[1].typo = true;
    json.newsEvents[2].ticker = 'bad ticker';
    const problems = problemsOf(json);
    expect(problems).toEqual(
      expect.arrayContaining([
        'referenceEpisodes[0].peakDate: must be a date as YYYY-MM-DD',
        expect.stringMatching(/^referenceEpisodes\[1\]\.depth: disagrees with troughClose \/ peakClose - 1 = -0\.5677/),
        'claims[0].bands[1].min: bands must be listed by strictly decreasing min',
        'claims[1].typo: unknown key',
        expect.stringMatching(/^newsEvents\[2\]\.ticker: must be a Yahoo symbol/),
      ]),
    );
  });

  it('refuses bands with equal minimums (the second could never be reached) and accepts strictly decreasing ones', () => {
    const withBands = (bands: object[]) => {
      const json = shipped() as any;
      json.claims[0].bands = bands;
      json.claims[1].bands = bands;
      return json;
    };
    const equal = [{ min: 0.75, verdict: 'comparable' }, { min: 0.75, verdict: 'partly_comparable' }];
    expect(problemsOf(withBands(equal))).toEqual([
      'claims[0].bands[1].min: bands must be listed by strictly decreasing min',
      'claims[1].bands[1].min: bands must be listed by strictly decreasing min',
    ]);
    const decreasing = [{ min: 0.75, verdict: 'comparable' }, { min: 0.7499, verdict: 'partly_comparable' }];
    const cfg = parseClaimsConfig(withBands(decreasing));
    expect(cfg.claims[0]!.kind === 'drawdown_vs_reference' && cfg.claims[0]!.bands.map((b) => b.min)).toEqual([0.75, 0.7499]);
  });

  it('checks cross-references once the shape is right', () => {
    const json = shipped() as any;
    json.claims[0].references.push('dotcomm');
    json.claims[2].events.push('nope');
    json.claims[2].tickers = ['AMZN', 'NVDA'];
    json.newsEvents.push({ ...json.newsEvents[0] });
    expect(problemsOf(json)).toEqual(
      expect.arrayContaining([
        'claims[0].references[2]: unknown reference episode "dotcomm"',
        'claims[2].events[2]: event ticker META is not among the claim\'s tickers',
        'claims[2].events[3]: unknown news event "nope"',
        'newsEvents[3].id: duplicate id "amzn-openai-talks"',
      ]),
    );
  });

  it('rejects a non-object and an unknown claim kind', () => {
    expect(problemsOf(null)).toEqual(['(root): Invalid input: expected object, received null']);
    const json = shipped() as any;
    json.claims[0].kind = 'vibes';
    expect(problemsOf(json).some((p) => p.startsWith('claims[0].kind:'))).toBe(true);
  });

  it('checks the new claims: a period that ends after it starts, who said it, what would test a forward sentence', () => {
    const json = shipped() as any;
    const byId = (id: string) => json.claims.find((c: { id: string }) => c.id === id);
    byId('us-market-chased-ai').period = { from: '2025-12-31', to: '2025-12-31' };
    delete byId('overextended-selling').saidBy;
    delete byId('price-reset').wouldTestIt;
    const at = (id: string) => json.claims.findIndex((c: { id: string }) => c.id === id);
    expect(problemsOf(json)).toEqual(
      expect.arrayContaining([
        `claims[${at('overextended-selling')}].saidBy: Invalid input: expected object, received undefined`,
        `claims[${at('price-reset')}].wouldTestIt: Invalid input: expected object, received undefined`,
      ]),
    );
    // The period is checked once the shape is right.
    byId('overextended-selling').saidBy = { en: 'x', 'zh-Hant': '甲' };
    byId('price-reset').wouldTestIt = { en: 'x', 'zh-Hant': '甲' };
    expect(problemsOf(json)).toEqual([`claims[${at('us-market-chased-ai')}].period.to: must come after period.from`]);
  });
});

describe('p-value bands', () => {
  it('takes a p-value metric with bands by max, increasing, and a share metric with bands by min', () => {
    const json = shipped() as any;
    const byId = (id: string) => json.claims.find((c: { id: string }) => c.id === id);
    const at = (id: string) => json.claims.findIndex((c: { id: string }) => c.id === id);
    byId('us-market-chased-ai').bands = [{ min: 0.75, verdict: 'supported' }];
    byId('overextended-selling').bands = [{ max: 0.1, verdict: 'supported' }, { max: 0.05, verdict: 'partly_supported' }];
    expect(problemsOf(json)).toEqual([
      `claims[${at('overextended-selling')}].bands[1].max: p bands must be listed by strictly increasing max`,
      `claims[${at('us-market-chased-ai')}].bands: metric own_years_rank_p is a p-value: its bands take "max"`,
    ]);
    byId('us-market-chased-ai').metric = 'share_beating_benchmarks';
    byId('overextended-selling').bands = [{ max: 0.05, verdict: 'supported' }];
    byId('overextended-selling').metric = 'share_with_heavier_down_day_volume';
    expect(problemsOf(json)).toEqual([`claims[${at('overextended-selling')}].bands: metric share_with_heavier_down_day_volume takes bands with "min"`]);
  });

  it('refuses a completion dated before the first report, and a run-up that ends before it starts', () => {
    const json = shipped() as any;
    json.newsEvents[1].completed = '2025-03-25';
    const ox = json.claims.findIndex((c: { id: string }) => c.id === 'overextended-selling');
    json.claims[ox].runUpTo = '2024-12-31';
    expect(problemsOf(json)).toEqual([
      'newsEvents[1].completed: must not come before date (the first report)',
      `claims[${ox}].runUpTo: must not come before runUpFrom`,
    ]);
  });
});

describe('claims 1 and 2: the readings and baseline keys', () => {
  it('names each bad key: an unknown reading, a cohort reading without a cohort, a coverage outside (0, 1]', () => {
    const json = shipped() as { claims: Record<string, unknown>[] };
    json.claims[0]!.verdictReading = 'peers';
    json.claims[1]!.minBaselineCoverage = 0;
    json.claims[1]!.minBaselineYears = 0;
    const problems = problemsOf(json);
    expect(problems.some((p) => p.startsWith('claims[0].verdictReading:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('claims[1].minBaselineCoverage:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('claims[1].minBaselineYears:'))).toBe(true);
    const noCohort = shipped() as { claims: Record<string, unknown>[] };
    noCohort.claims[0]!.cohort = [];
    expect(problemsOf(noCohort)).toEqual(['claims[0].cohort: must list the cohort stocks when verdictReading is "cohort"']);
  });

  it('keeps the earlier behaviour when the new keys are left out: index reading, no cohort, the min-swings share', () => {
    const json = shipped() as { claims: Record<string, unknown>[] };
    for (const key of ['verdictReading', 'cohort']) delete json.claims[0]![key];
    for (const key of ['metric', 'minBaselineYears', 'minBaselineCoverage']) delete json.claims[1]![key];
    const [c1, c2] = parseClaimsConfig(json).claims;
    expect(c1!.kind === 'drawdown_vs_reference' && [c1!.verdictReading, c1!.cohort]).toEqual(['index', []]);
    expect(c2!.kind === 'swings' && [c2!.metric, c2!.minBaselineYears, c2!.minBaselineCoverage]).toEqual(['share_with_min_swings', 3, 0.5]);
  });
});
