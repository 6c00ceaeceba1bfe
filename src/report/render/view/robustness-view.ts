// Two sentences every judged claim may carry: how far its verdict leans on its threshold (the sweep in
// claims/sensitivity.ts, in words) and which of its inputs stopped updating.
import type { Sensitivity } from '../../../analysis/claims/sensitivity.js';
import type { StaleInput } from '../../../analysis/claims/stale-inputs.js';
import { verdictLabel } from '../i18n.js';
import { joinAnd, type ClaimViewContext } from './claim-view-kit.js';

/** A threshold's value as its parameter reads: percents, session offsets, p levels or ratios. */
function thresholdValue({ f, m }: ClaimViewContext, s: Sensitivity, v: number): string {
  switch (s.parameter) {
    case 'band_edge':
    case 'swing_threshold':
      return f.pct(v, 0);
    case 'beat_margin':
      return f.change(v, 0);
    case 'event_window_end':
      return `+${f.int(v)}`;
    case 'significance':
      return f.fixed(v, 2);
    case 'min_volume_ratio':
      return m.overextendedClaim.times(f.fixed(v, 2));
  }
}

export function sensitivitySentence(ctx: ClaimViewContext, s: Sensitivity): string {
  const { m } = ctx;
  const value = (v: number) => thresholdValue(ctx, s, v);
  const outside = [s.below, s.above].flatMap((o) => (o ? [m.claims.sensitivityOutside({ at: value(o.at), verdict: verdictLabel(m, o.verdict) })] : []));
  return m.claims.sensitivity({
    parameter: m.claims.sensitivityParameters[s.parameter](s.band === null ? null : verdictLabel(m, s.band)),
    from: value(s.holdsFrom),
    to: value(s.holdsTo),
    configured: value(s.configured),
    outside,
    whole: outside.length === 0,
  });
}

/** The claim's stale inputs in one sentence, grouped by their last date; null when none is stale. */
export function staleSentences(ctx: ClaimViewContext, stale: readonly StaleInput[]): string[] {
  const { m, f } = ctx;
  const byDate = new Map<string, StaleInput[]>();
  for (const s of stale) byDate.set(s.lastDate, [...(byDate.get(s.lastDate) ?? []), s]);
  return [...byDate].map(([date, list]) =>
    m.claims.stale({ symbols: joinAnd(f, list.map((s) => s.symbol)), date: f.date(date), sessions: f.int(list[0]!.sessionsBehind) }),
  );
}
