// What every claim evaluator shares: the inputs already cut at asOf, and the band rule.
import type { ClosePoint, IsoDate, VolumePoint } from '../../domain.js';
import type { Band, NewsEventConfig } from './config.js';
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

/** The first band (listed by decreasing min) whose min the value reaches, else `below`. */
export function bandVerdict(value: number, bands: readonly Band[], below: string): string {
  return bands.find((b) => value >= b.min)?.verdict ?? below;
}
