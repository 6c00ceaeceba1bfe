// What every claim evaluator shares: the inputs already cut at asOf, and the band rule.
import type { ClosePoint, IsoDate, VolumePoint } from '../../domain.js';
import { isUpperBands, type AnyBand, type NewsEventConfig } from './config.js';
import type { SymbolDrawdown } from '../math/drawdown.js';
import type { ReferenceEpisode } from './reference-episodes.js';

/** Verdict of a claim whose figures are missing for the symbols it needs. */
export const INSUFFICIENT_DATA = 'insufficient_data';

/** The latest quote dated (exchange-local) on or before asOf. */
export interface LatestQuote {
  date: IsoDate;
  price: number;
  marketCap: number | null;
  currency: string | null;
}

export interface ClaimContext {
  asOf: IsoDate;
  /** Closes on or before asOf, ascending, by symbol. */
  closes: ReadonlyMap<string, readonly ClosePoint[]>;
  /** Volumes on or before asOf, ascending, of the symbols whose claims read volume (absent: none stored). */
  volumes: ReadonlyMap<string, readonly VolumePoint[]>;
  /** analyzeSymbol of those closes, by symbol. */
  stats: ReadonlyMap<string, SymbolDrawdown>;
  episodes: ReadonlyMap<string, ReferenceEpisode>;
  quotes: ReadonlyMap<string, LatestQuote>;
  newsEvents: ReadonlyMap<string, NewsEventConfig>;
}

/**
 * Lower bands (listed by decreasing min): the first whose min the value reaches. Upper bands (a
 * p-value's, listed by increasing max): the first whose max the value is below. Else `below`.
 */
export function bandVerdict(value: number, bands: readonly AnyBand[], below: string): string {
  if (isUpperBands(bands)) return bands.find((b) => value < b.max)?.verdict ?? below;
  return (bands as readonly { min: number; verdict: string }[]).find((b) => value >= b.min)?.verdict ?? below;
}
