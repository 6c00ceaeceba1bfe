// The permutation test of Spearman's rho against values derived outside the code: by hand for three
// values, from Spearman's exact null distribution for eight (the tables, e.g. Zar, "Biostatistical
// Analysis", Table B.20: one-sided P(rho >= 0.643) = 0.048 for n = 8; the counts below were
// enumerated over all 8! pairings of D = sum of squared rank differences, rho = 1 - 6D / 504), and
// against a brute-force enumeration written here for data with ties.
import { describe, expect, it } from 'vitest';
import { averageRanks, spearman } from '../../../src/analysis/math/rank-correlation.js';
import { MONTE_CARLO_DRAWS, rankPermutationTest } from '../../../src/analysis/math/rank-permutation.js';
import { rng } from '../report/fixtures.js';

/** Every ordering of `values` (the test's own enumeration, by recursion). */
function permutations<T>(values: readonly T[]): T[][] {
  if (values.length <= 1) return [[...values]];
  return values.flatMap((v, i) => permutations([...values.slice(0, i), ...values.slice(i + 1)]).map((rest) => [v, ...rest]));
}

/** One-sided p by brute force: the share of pairings of y with x whose rho is at least the observed. */
function bruteForceP(x: readonly number[], y: readonly number[]): number {
  const observed = spearman(x, y)!;
  const all = permutations(y);
  return all.filter((p) => spearman(x, p)! >= observed - 1e-12).length / all.length;
}

describe('rankPermutationTest', () => {
  it('counts the pairings as strong as the observed: 3 of the 6 orderings of three values reach rho = 0.5', () => {
    // x ranks 1,2,3 against y ranks 1,3,2 (rho = 1 - 6*2/24 = 0.5). The six orderings of y give
    // sum x*y = 14, 13, 13, 11, 11, 10; three reach the observed 13.
    const t = rankPermutationTest([1, 2, 3], [10, 30, 20])!;
    expect(t.rho).toBeCloseTo(0.5, 12);
    expect(t).toMatchObject({ p: 0.5, n: 3, method: 'exact', permutations: 6 });
    // Perfect agreement is one ordering in six: the smallest p three values can give.
    expect(rankPermutationTest([1, 2, 3], [1, 2, 3])).toMatchObject({ rho: 1, p: 1 / 6, minP: 1 / 6 });
  });

  it("matches Spearman's exact distribution for eight stocks at the issue's figures", () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8];
    const dOf = (y: number[]) => y.reduce((s, r, i) => s + (r - (i + 1)) ** 2, 0);
    // D = 30: rho = 1 - 180/504 = 0.643, P(D <= 30) = 1,939 / 40,320 = 0.0481 (the table's 5 % value).
    const d30 = [2, 3, 1, 6, 5, 8, 7, 4];
    expect(dOf(d30)).toBe(30);
    expect(rankPermutationTest(x, d30)).toMatchObject({ p: 1939 / 40320, permutations: 40320, method: 'exact', minP: 1 / 40320 });
    // D = 34, rho = 0.595 (the raw run-up reading at 2025-12-31 in issue 22): 2,667 / 40,320 = 0.066.
    const d34 = [2, 1, 3, 8, 5, 6, 7, 4];
    expect(dOf(d34)).toBe(34);
    expect(rankPermutationTest(x, d34)!.p).toBeCloseTo(2667 / 40320, 12);
    // D = 44, rho = 0.476 (the same at 2026-05-29, peaks uncapped): 4,900 / 40,320 = 0.12.
    const d44 = [2, 1, 4, 8, 5, 6, 7, 3];
    expect(dOf(d44)).toBe(44);
    const t = rankPermutationTest(x, d44)!;
    expect(t.p).toBeCloseTo(4900 / 40320, 12);
    expect(t.rho).toBeCloseTo(1 - (6 * 44) / 504, 12);
  });

  it('keeps ties at their average ranks in every pairing, as a brute-force enumeration does', () => {
    // x has a tie, y two: 38 of the 120 pairings reach rho = 0.289 (the enumeration here agrees).
    const x = [1, 2, 2, 4, 5];
    const y = [3, 1, 4, 1, 5];
    const t = rankPermutationTest(x, y)!;
    expect(averageRanks(x)).toEqual([1, 2.5, 2.5, 4, 5]);
    expect(t.p).toBeCloseTo(38 / 120, 12);
    expect(t.p).toBeCloseTo(bruteForceP(x, y), 12);
    // The most extreme pairing is reached by 4 orderings (the tied values swapped among themselves).
    expect(t.minP).toBeCloseTo(4 / 120, 12);
    const random = rng(7);
    for (let trial = 0; trial < 12; trial++) {
      const n = 4 + (trial % 4);
      const a = Array.from({ length: n }, () => Math.floor(random() * 5));
      const b = Array.from({ length: n }, () => Math.floor(random() * 5));
      const test = rankPermutationTest(a, b);
      if (test === null) continue; // a constant side: no rho
      expect(test.p, `${a} / ${b}`).toBeCloseTo(bruteForceP(a, b), 12);
    }
  });

  it('does not depend on the order the stocks come in', () => {
    const x = [0.16, 0.97, 0.71, 0.22, 1.18, 0.54, 0.35];
    const y = [0.09, 0.41, 0.03, 0.09, 0.16, 0.1, 0.16];
    const shuffled = [3, 0, 6, 1, 5, 2, 4];
    const a = rankPermutationTest(x, y)!;
    const b = rankPermutationTest(shuffled.map((i) => x[i]!), shuffled.map((i) => y[i]!))!;
    expect(b.p).toBe(a.p);
    expect(b.rho).toBeCloseTo(a.rho, 12);
  });

  it('draws a seed-fixed Monte Carlo beyond ten values, the same on every run, with the count stated', () => {
    const x = Array.from({ length: 12 }, (_, i) => i);
    // Perfect agreement: no random pairing of twelve is likely to reach it (1 in 479 million).
    const perfect = rankPermutationTest(x, x)!;
    expect(perfect).toMatchObject({ method: 'monte_carlo', permutations: MONTE_CARLO_DRAWS, n: 12 });
    expect(perfect.p).toBeCloseTo(1 / (1 + MONTE_CARLO_DRAWS), 12);
    // Perfect disagreement: every pairing reaches it.
    expect(rankPermutationTest(x, [...x].reverse())!.p).toBe(1);
    // No relation (rho near 0): p near one half, and the same p twice.
    const y = [5, 11, 2, 8, 0, 9, 3, 6, 10, 1, 7, 4];
    const once = rankPermutationTest(x, y)!;
    expect(rankPermutationTest(x, y)!.p).toBe(once.p);
    expect(Math.abs(once.rho)).toBeLessThan(0.2);
    expect(once.p).toBeGreaterThan(0.25);
    expect(once.p).toBeLessThan(0.75);
  });

  it('is undefined where rho is: fewer than three values, or a constant side', () => {
    expect(rankPermutationTest([1, 2], [1, 2])).toBeNull();
    expect(rankPermutationTest([1, 2, 3], [4, 4, 4])).toBeNull();
  });
});
