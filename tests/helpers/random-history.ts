// Seeded random close histories for the drawdown-state property tests: ties, plateaus, new highs,
// long falls, calendar gaps across year ends and leap days, and splits (a whole history rescaled).
// A failing case names its seed, so it can be replayed alone.
import type { ClosePoint, IsoDate } from '../../src/domain.js';
import { addDays } from '../../src/market/iso-date.js';
import { createRng } from '../../src/sim/rng.js';

export type Rng = () => number;

export const seeded = (seed: number): Rng => createRng(seed);
export const intBetween = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

/** Dates from `start`, 1 to `maxGap` calendar days apart (sometimes much more: a listing pause). */
export function randomDates(rng: Rng, start: IsoDate, n: number, maxGap = 4): IsoDate[] {
  const out: IsoDate[] = [];
  let d = start;
  for (let i = 0; i < n; i++) {
    out.push(d);
    d = addDays(d, rng() < 0.01 ? intBetween(rng, 30, 500) : intBetween(rng, 1, maxGap));
  }
  return out;
}

/**
 * Closes in one of a few styles: a random walk (rare ties), a walk on a coarse grid (many ties and
 * exact recoveries), or a few repeated levels (plateaus, equal highs and equal troughs).
 */
export function randomCloses(rng: Rng, n: number): number[] {
  const style = intBetween(rng, 0, 2);
  const out: number[] = [];
  let price = 10 + rng() * 200;
  for (let i = 0; i < n; i++) {
    if (style === 0) price *= Math.exp((rng() - 0.5) * 0.08);
    else if (style === 1) price = Math.max(1, Math.round(price + intBetween(rng, -3, 3)));
    else price = pick(rng, [5, 7.25, 10, 10, 12.5]);
    // Numbers as the database gives them: NUMERIC(?, 6) read back as a JS number.
    out.push(Number(price.toFixed(6)));
  }
  return out;
}

export function randomHistory(rng: Rng, n: number, start: IsoDate = '1999-11-15'): ClosePoint[] {
  const dates = randomDates(rng, start, n);
  const closes = randomCloses(rng, n);
  return dates.map((date, i) => ({ date, close: closes[i]! }));
}

/** Cuts a series into consecutive runs of random length (the order writes arrive in). */
export function randomChunks<T>(rng: Rng, items: readonly T[], maxChunk: number): T[][] {
  const out: T[][] = [];
  for (let at = 0; at < items.length; ) {
    const len = intBetween(rng, 1, maxChunk);
    out.push(items.slice(at, at + len));
    at += len;
  }
  return out;
}
