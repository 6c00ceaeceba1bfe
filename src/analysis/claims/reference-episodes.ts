// Reference episodes (dot-com, 2008): measured from the stored index history when it spans the
// episode's window, otherwise taken from the published figures in config/claims.json.
import type { ClosePoint, IsoDate } from '../../domain.js';
import type { ReferenceEpisodeConfig } from './config.js';
import { maxDrawdownOf } from '../math/episodes.js';
import { closesBetween } from '../math/series.js';
import { coversWindow } from '../math/series.js';

export interface ReferenceEpisode {
  id: string;
  symbol: string;
  name: ReferenceEpisodeConfig['name'];
  window: { from: IsoDate; to: IsoDate };
  peakDate: IsoDate;
  peakClose: number;
  troughDate: IsoDate;
  troughClose: number;
  /** Negative fraction: troughClose / peakClose - 1. */
  depth: number;
  /** Sessions from peak to trough; null when the figures come from config. */
  sessionsToTrough: number | null;
  source: 'data' | 'config';
  citation: string;
  /** The published figures, kept beside the measured ones so a report can show they agree. */
  published: { peakDate: IsoDate; peakClose: number; troughDate: IsoDate; troughClose: number; depth: number };
}

/**
 * `indexCloses` must already be cut at asOf. With source "data" the episode is the index's maximum
 * drawdown within the window (its running max starts at the window's start). Returns null while the
 * episode's window has not ended by asOf: its trough was not known yet, and a report as of that date
 * must not use figures from after it.
 */
export function resolveReferenceEpisode(
  ref: ReferenceEpisodeConfig,
  indexCloses: readonly ClosePoint[] | undefined,
  asOf: IsoDate,
): ReferenceEpisode | null {
  if (asOf < ref.window.to) return null;
  const published = {
    peakDate: ref.peakDate,
    peakClose: ref.peakClose,
    troughDate: ref.troughDate,
    troughClose: ref.troughClose,
    depth: ref.depth,
  };
  const base = {
    id: ref.id,
    symbol: ref.symbol,
    name: ref.name,
    window: { ...ref.window },
    citation: ref.citation,
    published,
  };
  const measured =
    indexCloses && coversWindow(indexCloses, ref.window.from, ref.window.to)
      ? maxDrawdownOf(closesBetween(indexCloses, ref.window.from, ref.window.to))
      : null;
  if (measured && measured.depth < 0) {
    return {
      ...base,
      peakDate: measured.peakDate,
      peakClose: measured.peakClose,
      troughDate: measured.troughDate,
      troughClose: measured.troughClose,
      depth: measured.depth,
      sessionsToTrough: measured.sessionsToTrough,
      source: 'data',
    };
  }
  return { ...base, ...published, sessionsToTrough: null, source: 'config' };
}
