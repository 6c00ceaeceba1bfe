// The shape of config/claims.json: the article's claims, the reference episodes they are measured
// against, and the news events the article cites. Every claim names the metric that drives its
// verdict and the bands that turn that metric into a verdict id. Pure: the caller reads the file.
import { z } from 'zod';
import { SYMBOL_PATTERN, isIsoDate } from '../../bar-checks.js';

const id = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'must be a lower-case id (a-z, 0-9, _ and -)');
const verdictId = z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a snake_case verdict id');
const symbol = z.string().regex(SYMBOL_PATTERN, 'must be a Yahoo symbol such as ORCL or ^GSPC');
const isoDate = z.string().refine(isIsoDate, { message: 'must be a date as YYYY-MM-DD' });
const fraction = z.number().gt(0).lt(1);
/** The same words in both languages the report is written in. */
const words = z.strictObject({ 'zh-Hant': z.string().min(1), en: z.string().min(1) });

/** Adds a custom issue at `path` (relative to the refined value). */
function flag(ctx: z.RefinementCtx, path: PropertyKey[], message: string): void {
  ctx.addIssue({ code: 'custom', path, message });
}

const band = z.strictObject({ min: z.number(), verdict: verdictId });
/** Bands are tried top-down: the first whose `min` the metric reaches gives the verdict. */
const minBandList = z
  .array(band)
  .min(1)
  .superRefine((list, ctx) => {
    list.forEach((b, i) => {
      if (i > 0 && b.min >= list[i - 1]!.min) flag(ctx, [i, 'min'], 'bands must be listed by strictly decreasing min');
    });
  });
const bands = (defaults: { min: number; verdict: string }[]) => minBandList.default(defaults);

/**
 * A p-value's bands: tried in order, the first whose `max` the p is below (strictly) gives the
 * verdict. p = 0.05 is not below 0.05: the conventional "p < 0.05".
 */
const upperBand = z.strictObject({ max: z.number().gt(0).lte(1), verdict: verdictId });
const maxBandList = z
  .array(upperBand)
  .min(1)
  .superRefine((list, ctx) => {
    list.forEach((b, i) => {
      if (i > 0 && b.max <= list[i - 1]!.max) flag(ctx, [i, 'max'], 'p bands must be listed by strictly increasing max');
    });
  });

export const DEFAULT_DEPTH_BANDS = [
  { min: 1, verdict: 'as_deep_or_deeper' },
  { min: 0.75, verdict: 'comparable' },
  { min: 0.5, verdict: 'partly_comparable' },
];
export const DEFAULT_SHARE_BANDS = [
  { min: 0.75, verdict: 'supported' },
  { min: 0.5, verdict: 'partly_supported' },
];
/** Support at p < 0.05, partial support at p < 0.10 (one-sided, in the direction the claim asserts). */
export const DEFAULT_P_BANDS = [
  { max: 0.05, verdict: 'supported' },
  { max: 0.1, verdict: 'partly_supported' },
];
/** The verdict of a test that could not reach the first p band even with the most extreme data. */
export const INCONCLUSIVE = 'inconclusive';

const referenceEpisode = z
  .strictObject({
    id,
    symbol,
    name: words,
    /** The episode is the index's maximum drawdown within this window when its history is stored. */
    window: z.strictObject({ from: isoDate, to: isoDate }),
    peakDate: isoDate,
    troughDate: isoDate,
    peakClose: z.number().positive(),
    troughClose: z.number().positive(),
    depth: z.number().gt(-1).lt(0),
    /** The published figures' source, in English (kept as is in the JSON) ... */
    citation: z.string().min(1),
    /** ... and in the report's other languages. */
    citationTranslations: z.strictObject({ 'zh-Hant': z.string().min(1) }).partial().optional(),
  })
  .superRefine((e, ctx) => {
    if (e.troughDate <= e.peakDate) flag(ctx, ['troughDate'], 'must come after peakDate');
    if (e.peakDate < e.window.from) flag(ctx, ['window', 'from'], 'must be on or before peakDate');
    if (e.troughDate > e.window.to) flag(ctx, ['window', 'to'], 'must be on or after troughDate');
    const implied = e.troughClose / e.peakClose - 1;
    // The published depth is rounded to 4 decimals; anything further off is a typo in a close.
    if (Math.abs(implied - e.depth) > 1e-4) {
      flag(ctx, ['depth'], `disagrees with troughClose / peakClose - 1 = ${implied.toFixed(6)}`);
    }
  });

const claimBase = {
  id,
  text: words,
  /**
   * Who says it, in the article's own words where it has them: the reporter's framing, or the view of
   * the person the article reports (「她觀察到」). Shown with the quote.
   */
  saidBy: words.optional(),
  tickers: z.array(symbol).min(1),
};

/** The three things a drawdown claim's falls are set against; see `verdictReading`. */
export const DRAWDOWN_READINGS = ['index', 'own_history', 'cohort'] as const;
export type DrawdownReading = (typeof DRAWDOWN_READINGS)[number];

const drawdownClaim = z.strictObject({
  ...claimBase,
  kind: z.literal('drawdown_vs_reference'),
  references: z.array(id).min(1),
  /** The ticker figure divided by each reference depth to give the depth ratio. */
  metric: z.enum(['drawdown_from_ath', 'drawdown_from_52w_high']).default('drawdown_from_ath'),
  /** "ORCL and CRWV" = all tickers; "2000 or 2008" = any reference. */
  aggregate: z
    .strictObject({ tickers: z.enum(['all', 'any']).default('all'), references: z.enum(['all', 'any']).default('any') })
    .prefault({}),
  /**
   * What each ticker's fall is measured against (all three are reported; this one gives the verdict):
   * the reference index's fall (index), the ticker's own deepest fall inside each reference window
   * (own_history), or the median deepest fall inside each window of the `cohort` stocks that traded
   * throughout it (cohort).
   */
  verdictReading: z.enum(DRAWDOWN_READINGS).default('index'),
  /** The stocks whose falls in each reference window make the cohort reading (those that traded throughout it). */
  cohort: z.array(symbol).default([]),
  bands: bands(DEFAULT_DEPTH_BANDS),
  below: verdictId.default('not_comparable'),
});

/** The shares a swings claim measures; `metric` picks the one its verdict follows. */
export const SWING_METRICS = [
  'share_with_min_swings',
  'share_with_elevated_volatility',
  'share_above_own_median_swings',
  'share_above_own_median_volatility',
] as const;
export type SwingMetric = (typeof SWING_METRICS)[number];

const swingClaim = z.strictObject({
  ...claimBase,
  kind: z.literal('swings'),
  /**
   * The share that drives the verdict (all four are reported): tickers with >= minSwings swings in the
   * judged year; whose judged-year volatility beats their full-history volatility; whose judged-year
   * swings, or volatility, are above the median of their own full calendar years before it.
   */
  metric: z.enum(SWING_METRICS).default('share_with_min_swings'),
  swingThreshold: fraction.default(0.1),
  minSwings: z.int().min(1).max(250).default(3),
  /** A ticker with fewer full calendar years before the judged year has no baseline: it is left out of the baseline shares. */
  minBaselineYears: z.int().min(1).max(100).default(3),
  /**
   * The baseline shares give a verdict only when at least this share of the named tickers has a
   * baseline: a stock not yet listed at asOf (CRWV before 2025) cannot block it, half the list missing does.
   */
  minBaselineCoverage: z.number().gt(0).lte(1).default(0.5),
  bands: bands(DEFAULT_SHARE_BANDS),
  below: verdictId.default('not_supported'),
});

const newsClaim = z.strictObject({
  ...claimBase,
  kind: z.literal('news_events'),
  events: z.array(id).min(1),
  /** Prices cannot confirm news; the verdict follows each event's market-model reaction (t of the CAR). */
  metric: z.literal('event_window_return').default('event_window_return'),
  sessionsAfter: z.int().min(1).max(60).default(5),
  /** The market model's regressor (and returns are also shown net of it); null: no event study. */
  benchmark: symbol.nullable().default(null),
  /** The earlier rule, kept in each event's `reaction`: |excess return| at or above this is 'rallied' or 'sold_off'. */
  reactionThreshold: fraction.default(0.05),
});

// Issue 13: the article's other claims. Each says who made it (the reporter's framing, or Zhang Lu's
// view), because the article reports her observations as hers.

/** The chase's metrics: the judged year against its own earlier years (p), or the earlier shares. */
export const CHASE_METRICS = ['own_years_rank_p', 'share_beating_benchmarks', 'median_excess_return'] as const;
export type ChaseMetric = (typeof CHASE_METRICS)[number];

const chaseClaim = z.strictObject({
  ...claimBase,
  kind: z.literal('returns_vs_benchmarks'),
  saidBy: words,
  benchmarks: z.array(symbol).min(1),
  /** Returns from the last close before `from` (or a later listing's first close) to the last close on or before `to`. */
  period: z.strictObject({ from: isoDate, to: isoDate }),
  /**
   * own_years_rank_p: the share of stocks beating every benchmark in the period, against the same
   * share in each earlier year's same span (the rank p-value); share_beating_benchmarks: that share
   * alone; median_excess_return: the lowest (over benchmarks) median excess return.
   */
  metric: z.enum(CHASE_METRICS).default('share_beating_benchmarks'),
  /** A stock beats a benchmark when its return exceeds the benchmark's by more than this (0: any excess). */
  beatMargin: z.number().gt(-1).lt(1).default(0),
  /** Fewer earlier years than this: no baseline, no verdict by own_years_rank_p. */
  minBaselineYears: z.int().min(1).max(200).default(10),
  /**
   * A year (the judged one too) is measured only when at least this share of the named stocks were
   * listed before it began: a year of two stocks says little about eight.
   */
  minStockCoverage: z.number().gt(0).lte(1).default(0.5),
  /**
   * An index not made of the claim's stocks, for a reading that is not circular (the stocks are a
   * large part of ^IXIC): the stocks' equal-weight return against it. Shown, never deciding.
   */
  independentBenchmark: z.strictObject({ symbol, name: words }).optional(),
  bands: z.union([minBandList, maxBandList]).default(DEFAULT_SHARE_BANDS),
  below: verdictId.default('not_supported'),
  /** The verdict when the baseline is too short for the first p band to be reachable. */
  underpowered: verdictId.default(INCONCLUSIVE),
});

/** Which reading of the over-extended claim decides its verdict. */
export const OVEREXTENDED_METRICS = ['overextension_fall_rank_p', 'share_with_heavier_down_day_volume'] as const;
export type OverextendedMetric = (typeof OVEREXTENDED_METRICS)[number];

const overextendedClaim = z.strictObject({
  ...claimBase,
  kind: z.literal('overextended_selling'),
  saidBy: words,
  /**
   * overextension_fall_rank_p: the fall reading, Spearman's rho of each stock's over-extension (its
   * run-up against its own earlier years) with its fall since the peak, and rho's one-sided exact
   * permutation p; share_with_heavier_down_day_volume: the volume reading, the share of the
   * over-extended stocks whose down-day volume ratio is at least minVolumeRatio times their up-day one.
   */
  metric: z.enum(OVEREXTENDED_METRICS),
  /** The run-up runs from the last close before this date to the highest close from it ... */
  runUpFrom: isoDate,
  /** ... through this date: the day before the article, so peaks reached after it do not count (the claim as made). */
  runUpTo: isoDate,
  /** A stock with fewer earlier years' run-ups than this has no baseline: shown, not judged. */
  minBaselineYears: z.int().min(1).max(100).default(3),
  /** The readings give a verdict only when at least this share of the named stocks have a baseline. */
  minBaselineCoverage: z.number().gt(0).lte(1).default(0.5),
  /** Over-extended: the run-up at or above this percentile (0-100, mid-rank) of the stock's own earlier run-ups. */
  overextendedPercentile: z.number().gt(0).lt(100).default(75),
  recentSessions: z.int().min(5).max(250).default(21),
  baselineSessions: z.int().min(20).max(1000).default(252),
  /** A baseline shorter than this (a recent listing) leaves the stock's volume unmeasured. */
  minBaselineSessions: z.int().min(10).max(1000).default(60),
  /** Down days count as heavier when the down-day ratio is at least this many times the up-day ratio (and above it). */
  minVolumeRatio: z.number().min(1).default(1.2),
  bands: z.union([maxBandList, minBandList]).default(DEFAULT_P_BANDS),
  below: verdictId.default('not_supported'),
  /** The verdict when too few stocks are judged for any ordering to reach the first p band. */
  underpowered: verdictId.default(INCONCLUSIVE),
});

/** A sentence about the future: listed with what would test it, never given a verdict by prices. */
const forwardClaim = z.strictObject({
  id,
  text: words,
  tickers: z.array(symbol).default([]),
  kind: z.literal('forward_looking'),
  /** Nothing to measure: kept so every claim names its metric. */
  metric: z.literal('not_measurable').default('not_measurable'),
  saidBy: words,
  wouldTestIt: words,
});

const newsEvent = z.strictObject({
  id,
  /** The first report of the news: the event study's day 0 is the first session on or after it. */
  date: isoDate,
  /** How exact the date is, in words (e.g. reported on the 16th and 17th). */
  dateNote: z.string().min(1).optional(),
  /** When the deal was reported completed, if that is another date: measured too, shown beside it. */
  completed: isoDate.optional(),
  ticker: symbol,
  headline: words,
  source: z.string().min(1),
});

export const claimsConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    article: z.strictObject({
      date: isoDate,
      language: z.string().min(1),
      summary: words,
      /** Who published it (the outlet's own name first). */
      outlet: words.optional(),
      /** Local time of publication as the outlet prints it (HH:MM), and the zone it is taken to be in. */
      time: z.string().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'must be a time as HH:MM').optional(),
      timeZone: z.string().min(1).optional(),
      /** Why the zone is an assumption, when the article does not give one. */
      timeNote: words.optional(),
      /** The title as the article gives it (its own language), its English translation, and any caveat. */
      title: z.string().min(1).optional(),
      titleTranslation: z.string().min(1).optional(),
      titleNote: words.optional(),
    }),
    referenceEpisodes: z.array(referenceEpisode).min(1),
    claims: z.array(z.discriminatedUnion('kind', [drawdownClaim, swingClaim, newsClaim, chaseClaim, overextendedClaim, forwardClaim])).min(1),
    newsEvents: z.array(newsEvent).default([]),
  })
  .superRefine((cfg, ctx) => {
    const dup = (key: 'referenceEpisodes' | 'claims' | 'newsEvents') => {
      const seen = new Set<string>();
      cfg[key].forEach((item, i) => {
        if (seen.has(item.id)) flag(ctx, [key, i, 'id'], `duplicate id "${item.id}"`);
        seen.add(item.id);
      });
    };
    dup('referenceEpisodes');
    dup('claims');
    dup('newsEvents');
    const refs = new Set(cfg.referenceEpisodes.map((e) => e.id));
    const events = new Map(cfg.newsEvents.map((e) => [e.id, e]));
    cfg.newsEvents.forEach((e, i) => {
      if (e.completed !== undefined && e.completed < e.date) flag(ctx, ['newsEvents', i, 'completed'], 'must not come before date (the first report)');
    });
    cfg.claims.forEach((claim, i) => {
      if (claim.kind === 'drawdown_vs_reference') {
        claim.references.forEach((r, j) => {
          if (!refs.has(r)) flag(ctx, ['claims', i, 'references', j], `unknown reference episode "${r}"`);
        });
        if (claim.verdictReading === 'cohort' && claim.cohort.length === 0) {
          flag(ctx, ['claims', i, 'cohort'], 'must list the cohort stocks when verdictReading is "cohort"');
        }
      }
      if (claim.kind === 'returns_vs_benchmarks' && claim.period.to <= claim.period.from) {
        flag(ctx, ['claims', i, 'period', 'to'], 'must come after period.from');
      }
      // A p-value is read against upper bands, a share or ratio against lower ones.
      const pMetric = claim.kind === 'returns_vs_benchmarks' ? claim.metric === 'own_years_rank_p' : claim.kind === 'overextended_selling' && claim.metric === 'overextension_fall_rank_p';
      if ((claim.kind === 'returns_vs_benchmarks' || claim.kind === 'overextended_selling') && pMetric !== isUpperBands(claim.bands)) {
        flag(ctx, ['claims', i, 'bands'], pMetric ? `metric ${claim.metric} is a p-value: its bands take "max"` : `metric ${claim.metric} takes bands with "min"`);
      }
      if (claim.kind === 'overextended_selling' && claim.runUpTo < claim.runUpFrom) {
        flag(ctx, ['claims', i, 'runUpTo'], 'must not come before runUpFrom');
      }
      if (claim.kind === 'news_events') {
        claim.events.forEach((e, j) => {
          const event = events.get(e);
          const at = ['claims', i, 'events', j];
          if (!event) flag(ctx, at, `unknown news event "${e}"`);
          else if (!claim.tickers.includes(event.ticker)) flag(ctx, at, `event ticker ${event.ticker} is not among the claim's tickers`);
        });
      }
    });
  });

type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

export type ClaimsConfig = DeepReadonly<z.output<typeof claimsConfigSchema>>;
export type ClaimConfig = ClaimsConfig['claims'][number];
export type DrawdownClaimConfig = Extract<ClaimConfig, { kind: 'drawdown_vs_reference' }>;
export type SwingClaimConfig = Extract<ClaimConfig, { kind: 'swings' }>;
export type NewsClaimConfig = Extract<ClaimConfig, { kind: 'news_events' }>;
export type ChaseClaimConfig = Extract<ClaimConfig, { kind: 'returns_vs_benchmarks' }>;
export type OverextendedClaimConfig = Extract<ClaimConfig, { kind: 'overextended_selling' }>;
export type ForwardClaimConfig = Extract<ClaimConfig, { kind: 'forward_looking' }>;
export type ReferenceEpisodeConfig = ClaimsConfig['referenceEpisodes'][number];
export type NewsEventConfig = ClaimsConfig['newsEvents'][number];
/** A lower band: the figure at or above `min`. */
export type Band = DrawdownClaimConfig['bands'][number];
/** An upper band: a p-value below `max`. */
export type UpperBand = { readonly max: number; readonly verdict: string };
export type AnyBand = Band | UpperBand;

/** True for a p-value's bands (each with `max`). */
export function isUpperBands(bands: readonly AnyBand[]): bands is readonly UpperBand[] {
  return bands.length > 0 && 'max' in bands[0]!;
}

export class ClaimsConfigError extends Error {
  override name = 'ClaimsConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid claims config:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
    '',
  );
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Validates parsed JSON; throws a ClaimsConfigError listing every problem as "key.path: message". */
export function parseClaimsConfig(json: unknown): ClaimsConfig {
  const result = claimsConfigSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.flatMap((issue) => {
      const at = formatPath(issue.path);
      if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => `${at ? `${at}.` : ''}${k}: unknown key`);
      return [`${at || '(root)'}: ${issue.message}`];
    });
    throw new ClaimsConfigError(problems);
  }
  return deepFreeze(result.data);
}
