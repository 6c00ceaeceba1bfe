// How often chance alone gives a rank correlation as strong as the one observed (pure). With eight
// stocks, rho = 0.48 looks like a relationship but one pairing in eight does as well by luck: the
// permutation test says so exactly. Under the null hypothesis (no relation), every pairing of the y
// values with the x values is equally likely, so the one-sided p-value is the share of the n!
// pairings whose rho is at least the observed one (Good, "Permutation, Parametric and Bootstrap Tests
// of Hypotheses", 2005, ch. 3). Ties keep their average ranks in every pairing.
//
// Exact up to EXACT_UP_TO values (10! = 3,628,800 pairings, enumerated by Heap's algorithm with the
// statistic updated per swap); beyond that a seed-fixed Monte Carlo of MONTE_CARLO_DRAWS pairings,
// p = (1 + hits) / (1 + draws), the count stated in the result. The statistic is S = sum of
// (2 rank_x)(2 rank_y): average ranks are multiples of one half, so S is an exact integer, and rho is
// increasing in S for fixed ranks, so S >= S_observed is rho >= rho_observed without rounding.
import { averageRanks, spearman } from './rank-correlation.js';

export const EXACT_UP_TO = 10;
export const MONTE_CARLO_DRAWS = 100_000;
const MONTE_CARLO_SEED = 20260101;

export interface RankPermutationTest {
  rho: number;
  /** One-sided: the share of pairings with rho at least the observed (the claim predicts rho > 0). */
  p: number;
  /** The smallest p any data with these ranks could give: below the first band's max or the test cannot support anything. */
  minP: number;
  n: number;
  method: 'exact' | 'monte_carlo';
  /** Pairings counted: n! when exact, the draws when Monte Carlo. */
  permutations: number;
}

/** Each distinct statistic value and how many of the n! pairings give it. */
type NullDistribution = Map<number, number>;

// The null distribution depends only on the two rank multisets, so a report judging the same eight
// stocks on a hundred sessions enumerates it once. Deterministic: a cache, not state.
const distributions = new Map<string, { counts: NullDistribution; total: number }>();
const MAX_CACHED = 64;

function factorial(n: number): number {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
}

/** Heap's algorithm over b's orderings, S = sum a[i] * b[i] kept up to date with each swap. */
function enumerate(a: readonly number[], b: readonly number[]): NullDistribution {
  const n = a.length;
  const y = [...b];
  const c = new Array<number>(n).fill(0);
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]! * y[i]!;
  const counts: NullDistribution = new Map([[s, 1]]);
  for (let i = 1; i < n; ) {
    if (c[i]! < i) {
      const j = i % 2 === 0 ? 0 : c[i]!;
      // Swapping y[j] and y[i] changes S by (a[j] - a[i]) (y[i] - y[j]).
      s += (a[j]! - a[i]!) * (y[i]! - y[j]!);
      const t = y[j]!;
      y[j] = y[i]!;
      y[i] = t;
      counts.set(s, (counts.get(s) ?? 0) + 1);
      c[i]!++;
      i = 1;
    } else {
      c[i] = 0;
      i++;
    }
  }
  return counts;
}

/** mulberry32: a small seeded generator, so the Monte Carlo p is the same on every run. */
function mulberry32(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

/** How many of `draws` random pairings give a statistic at least `observed`. */
function monteCarloHits(a: readonly number[], b: readonly number[], observed: number, draws: number): number {
  const random = mulberry32(MONTE_CARLO_SEED);
  const y = [...b];
  let hits = 0;
  for (let d = 0; d < draws; d++) {
    // Fisher-Yates shuffle.
    for (let i = y.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = y[i]!;
      y[i] = y[j]!;
      y[j] = t;
    }
    let s = 0;
    for (let i = 0; i < y.length; i++) s += a[i]! * y[i]!;
    if (s >= observed) hits++;
  }
  return hits;
}

/**
 * Spearman's rho of x and y with its one-sided permutation p-value; null where rho is undefined
 * (fewer than three pairs, or a constant side).
 */
export function rankPermutationTest(x: readonly number[], y: readonly number[]): RankPermutationTest | null {
  const rho = spearman(x, y);
  if (rho === null) return null;
  const n = x.length;
  const a = averageRanks(x).map((r) => Math.round(2 * r));
  const b = averageRanks(y).map((r) => Math.round(2 * r));
  let observed = 0;
  for (let i = 0; i < n; i++) observed += a[i]! * b[i]!;
  if (n > EXACT_UP_TO) {
    const hits = monteCarloHits(a, b, observed, MONTE_CARLO_DRAWS);
    return {
      rho,
      p: (1 + hits) / (1 + MONTE_CARLO_DRAWS),
      // Eleven or more values: the extreme pairing is rarer than 1 in 39 million; the draws bound what p can show.
      minP: 1 / (1 + MONTE_CARLO_DRAWS),
      n,
      method: 'monte_carlo',
      permutations: MONTE_CARLO_DRAWS,
    };
  }
  const key = `${[...a].sort((p, q) => p - q).join(',')}|${[...b].sort((p, q) => p - q).join(',')}`;
  let dist = distributions.get(key);
  if (!dist) {
    // Sorted a against sorted b: the same distribution whichever order the stocks came in.
    dist = { counts: enumerate([...a].sort((p, q) => p - q), [...b].sort((p, q) => p - q)), total: factorial(n) };
    if (distributions.size >= MAX_CACHED) distributions.clear();
    distributions.set(key, dist);
  }
  let atLeast = 0;
  let max = -Infinity;
  for (const [s, count] of dist.counts) {
    if (s >= observed) atLeast += count;
    if (s > max) max = s;
  }
  return { rho, p: atLeast / dist.total, minP: dist.counts.get(max)! / dist.total, n, method: 'exact', permutations: dist.total };
}
