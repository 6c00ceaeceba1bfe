// The over-extended claim in words and two tables: how over-extension is read from each stock's own
// years, the fall reading (rho and its permutation p), the volume reading (down days against up days,
// over-extended stocks only), which one decides, and the earlier rule's rho for comparison.
import type { OverextendedClaimResult } from '../../../analysis/claims/overextended-claim.js';
import type { Formatter } from '../number-format.js';
import { verdictLabel, type Messages } from '../i18n.js';
import { cell, joinList, oneDecimal, pValue, rhoText } from './claim-view-kit.js';
import type { Badge, Cell, Table } from './types.js';
import type { ClaimViewParts } from './article-claim-views.js';

function ratioFormat(f: Formatter, m: Messages): (v: number | null) => string {
  // Ratios always with two decimals (1.40×, not 1.4×), so a column of them lines up.
  return (v) => (v === null ? '–' : m.overextendedClaim.times(f.fixed(v, 2)));
}

function fallSentences(m: Messages, f: Formatter, claim: OverextendedClaimResult): string[] {
  const w = m.overextendedClaim;
  const follows = claim.metric === 'overextension_fall_rank_p';
  const out = [w.ruleFall({ follows })];
  const t = claim.fallTest;
  out.push(
    t
      ? w.fall({
          rho: rhoText(f, t.rho),
          n: f.int(t.n),
          p: pValue(f, t.p),
          permutations: f.int(t.permutations),
          exact: t.method === 'exact',
          verdict: follows ? verdictLabel(m, claim.verdict) : null,
        })
      : w.rankUndefined,
  );
  const raw = claim.rawRunUpTest;
  if (raw) out.push(w.rawRunUps({ rho: rhoText(f, raw.rho), n: f.int(raw.n), p: pValue(f, raw.p) }));
  return out;
}

function volumeSentences(m: Messages, f: Formatter, claim: OverextendedClaimResult, times: (v: number | null) => string): string[] {
  const w = m.overextendedClaim;
  const follows = claim.metric === 'share_with_heavier_down_day_volume';
  const rule = w.ruleVolume({
    recent: f.int(claim.recentSessions),
    baseline: f.int(claim.baselineSessions),
    minBaseline: f.int(claim.minBaselineSessions),
    ratio: times(claim.minVolumeRatio),
    follows,
  });
  if (claim.judgedVolumes === 0) return [rule, w.noneOverextended];
  const heavier = claim.volumes.filter((v) => v.heavier).map((v) => v.ticker);
  return [
    rule,
    w.volume({ counted: f.int(claim.counted), measured: f.int(claim.judgedVolumes), list: joinList(f, heavier), verdict: follows ? verdictLabel(m, claim.verdict) : null }),
  ];
}

function runUpTable(m: Messages, f: Formatter, claim: OverextendedClaimResult): Table {
  const w = m.overextendedClaim;
  const mark = (overextended: boolean | null): Badge =>
    overextended === null ? { text: w.notJudged, tone: 'unknown' } : overextended ? { text: w.overextended, tone: 'partly' } : { text: w.notOverextended, tone: 'neutral' };
  return {
    caption: w.captionRunUps,
    columns: [{ label: m.symbols.colSymbol }, { label: w.colRunUp, numeric: true }, { label: w.colPercentile, numeric: true }, { label: w.colFall, numeric: true }],
    rows: claim.runUps.map((r): Cell[] => [
      cell(r.ticker),
      cell(f.change(r.runUp), `${f.date(r.baseDate)} – ${f.date(r.peakDate)}`),
      r.percentile === null
        ? cell(w.noBaselineCell, undefined, mark(null))
        : cell(oneDecimal(f, r.percentile), w.years(f.int(r.pastRunUps.length)), mark(r.overextended)),
      cell(f.change(r.fall), f.date(r.lastDate)),
    ]),
  };
}

function volumeTable(m: Messages, f: Formatter, claim: OverextendedClaimResult, times: (v: number | null) => string): Table {
  const w = m.overextendedClaim;
  return {
    caption: w.captionVolumes,
    columns: [
      { label: m.symbols.colSymbol },
      { label: w.colDownRatio, numeric: true },
      { label: w.colUpRatio, numeric: true },
      { label: w.colRelative, numeric: true },
      { label: w.colHeavier },
    ],
    rows: claim.volumes.map((v): Cell[] => [
      cell(v.ticker),
      cell(times(v.downRatio), `${f.date(v.recentFrom)} – ${f.date(v.recentTo)}`),
      cell(times(v.upRatio)),
      cell(times(v.relativeRatio)),
      v.judged
        ? cell('', undefined, v.heavier ? { text: m.swingClaim.yes, tone: 'holds' } : { text: m.swingClaim.no, tone: 'unknown' })
        : cell('', undefined, { text: w.notJudged, tone: 'unknown' }),
    ]),
  };
}

export function overextendedParts(m: Messages, f: Formatter, claim: OverextendedClaimResult): ClaimViewParts {
  const w = m.overextendedClaim;
  const times = ratioFormat(f, m);
  const sentences = [
    w.ruleOverextension({
      from: f.date(claim.runUpFrom),
      to: f.date(claim.runUpTo),
      percentile: f.num(claim.overextendedPercentile, 1),
      minYears: f.int(claim.minBaselineYears),
    }),
  ];
  // The deciding reading first; the other is context.
  const fall = fallSentences(m, f, claim);
  const volume = volumeSentences(m, f, claim, times);
  sentences.push(...(claim.metric === 'overextension_fall_rank_p' ? [...fall, ...volume] : [...volume, ...fall]));
  if (claim.unmeasured.length) sentences.push(w.unmeasured(joinList(f, claim.unmeasured)));
  if (claim.missing.length) sentences.push(w.missing(joinList(f, claim.missing)));
  return { sentences, table: runUpTable(m, f, claim), extraTables: [volumeTable(m, f, claim, times)], comparison: null };
}
