// A claim's verdict bands in one line, as the card and the glance show them: lower bands as
// "≥ 75% Supported · ≥ 50% Partly supported · < 50% Not supported", a p-value's upper bands as
// "p < 0.05 Supported · p < 0.10 Partly supported · p ≥ 0.10 Not supported". Symbols, not words, so
// the line reads the same in both languages (no dangling "below:").
import { isUpperBands, type AnyBand } from '../../../analysis/claims/config.js';
import type { Formatter } from '../number-format.js';
import { verdictLabel, type Messages } from '../i18n.js';

export interface BandsConfig {
  bands: readonly AnyBand[];
  below: string;
  underpowered?: string;
}

export function bandsText(m: Messages, f: Formatter, config: BandsConfig): string {
  const bands = config.bands;
  if (isUpperBands(bands)) {
    const p = (v: number) => f.fixed(v, 2);
    const parts = [...bands.map((b) => `p < ${p(b.max)} ${verdictLabel(m, b.verdict)}`), `p ≥ ${p(bands.at(-1)!.max)} ${verdictLabel(m, config.below)}`];
    if (config.underpowered) parts.push(m.claims.underpowered({ verdict: verdictLabel(m, config.underpowered), max: p(bands[0]!.max) }));
    return parts.join(m.listSeparator);
  }
  const lower = bands as readonly { min: number; verdict: string }[];
  const edge = (v: number) => f.pct(v, 0);
  return [...lower.map((b) => `≥ ${edge(b.min)} ${verdictLabel(m, b.verdict)}`), `< ${edge(lower.at(-1)!.min)} ${verdictLabel(m, config.below)}`].join(m.listSeparator);
}

/** The edges of a claim's lower bands (figures near them get one more decimal); none for p bands. */
export function bandEdges(bands: readonly AnyBand[] | undefined): number[] {
  return bands && !isUpperBands(bands) ? (bands as readonly { min: number }[]).map((b) => b.min) : [];
}
