// Issue 13's claims in words: the chase (returns against the indexes), the over-extended names (run-up
// against fall, down-day volume) and the sentences about the future. Each states its rule, so a reader
// can redo it, then the figures; the same shape as claim-views.ts, which calls these.
import type { ChaseClaimResult } from '../../claims/chase-claim.js';
import type { ForwardClaimResult } from '../../claims/forward-claim.js';
import type { OverextendedClaimResult } from '../../claims/overextended-claim.js';
import type { Formatter } from '../number-format.js';
import { pick, type Messages } from '../i18n.js';
import type { Badge, Cell, ClaimView, Table } from './types.js';

type Parts = Pick<ClaimView, 'sentences' | 'table' | 'comparison'>;

const cell = (text: string, sub?: string, badge?: Badge): Cell => ({ text, ...(sub ? { sub } : {}), ...(badge ? { badge } : {}) });
const yesNo = (yes: boolean, words: { yes: string; no: string }): Badge =>
  yes ? { text: words.yes, tone: 'holds' } : { text: words.no, tone: 'unknown' };

export function chaseParts(m: Messages, f: Formatter, claim: ChaseClaimResult): Parts {
  const w = m.chaseClaim;
  const benchmarks = w.list(claim.benchmarks);
  const sentences = [w.rule({ from: f.date(claim.period.from), to: f.date(claim.period.to), benchmarks })];
  if (!claim.periodComplete) sentences.push(w.partial({ to: f.date(claim.period.to) }));
  if (claim.measured > 0) {
    sentences.push(w.summary({ counted: f.int(claim.counted), measured: f.int(claim.measured), share: f.pct(claim.share, 0), benchmarks }));
    claim.medianExcess.forEach((e, i) =>
      sentences.push(
        w.medianExcess({ benchmark: e.benchmark, median: f.change(e.median), counted: f.int(claim.beating[i]!.counted), measured: f.int(claim.measured) }),
      ),
    );
  }
  for (const t of claim.tickers) if (t.listedInPeriod) sentences.push(w.listed({ ticker: t.ticker, date: f.date(t.baseDate) }));
  if (claim.missing.length) sentences.push(w.missing(claim.missing.join(', ')));
  const table: Table = {
    columns: [
      { label: m.symbols.colSymbol },
      { label: w.colReturn, numeric: true },
      ...claim.benchmarks.map((b) => ({ label: w.colVs(b), numeric: true })),
      { label: w.colBeats },
    ],
    rows: claim.tickers.map((t) => [
      cell(t.ticker),
      cell(f.change(t.return), `${f.date(t.baseDate)} – ${f.date(t.endDate)}`),
      ...t.vs.map((v) => cell(f.change(v.excess), `${v.benchmark} ${f.change(v.return)}`)),
      cell('', undefined, yesNo(t.beatsAll, w)),
    ]),
  };
  return { sentences, table, comparison: null };
}

export function overextendedParts(m: Messages, f: Formatter, claim: OverextendedClaimResult): Parts {
  const w = m.overextendedClaim;
  // Ratios always with two decimals (1.40×, not 1.4×), so a column of them lines up.
  const twoDecimals = new Intl.NumberFormat(f.locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const times = (v: number) => w.times(twoDecimals.format(v));
  const byRank = claim.metric === 'runup_fall_rank_correlation';
  const ratio = times(claim.minVolumeRatio);
  const rule = byRank
    ? w.ruleRank({ from: f.date(claim.runUpFrom) })
    : w.ruleVolume({ recent: f.int(claim.recentSessions), baseline: f.int(claim.baselineSessions), minBaseline: f.int(claim.minBaselineSessions), ratio });
  const figures = byRank
    ? claim.rankCorrelation === null
      ? w.rankUndefined
      : w.rank({ rho: f.num(claim.rankCorrelation, 2), n: f.int(claim.runUps.length) })
    : w.volume({ counted: f.int(claim.counted), measured: f.int(claim.volumes.length), share: f.pct(claim.share, 0), ratio });
  const sentences = [rule, figures];
  if (claim.missing.length) sentences.push(w.missing(claim.missing.join(', ')));
  const volumes = new Map(claim.volumes.map((v) => [v.ticker, v]));
  const runUps = new Map(claim.runUps.map((r) => [r.ticker, r]));
  const tickers = [...new Set([...claim.runUps.map((r) => r.ticker), ...claim.volumes.map((v) => v.ticker)])];
  // The rule that decides comes first; the other is context.
  const runUpColumns = [
    { label: w.colRunUp, numeric: true },
    { label: w.colFall, numeric: true },
  ];
  const volumeColumns = [
    { label: w.colDownRatio, numeric: true },
    { label: w.colUpRatio, numeric: true },
  ];
  const runUpCells = (t: string): Cell[] => {
    const r = runUps.get(t);
    return r
      ? [cell(f.change(r.runUp), `${f.date(r.baseDate)} – ${f.date(r.peakDate)}`), cell(f.pct(r.fall), f.date(r.lastDate))]
      : [cell('–'), cell('–')];
  };
  const volumeCells = (t: string): Cell[] => {
    const v = volumes.get(t);
    return v
      ? [
          cell(times(v.downRatio), `${f.date(v.recentFrom)} – ${f.date(v.recentTo)}`),
          cell(v.upRatio === null ? '–' : times(v.upRatio)),
        ]
      : [cell('–'), cell('–')];
  };
  const table: Table = {
    columns: [
      { label: m.symbols.colSymbol },
      ...(byRank ? [...runUpColumns, ...volumeColumns] : [...volumeColumns, ...runUpColumns]),
      ...(byRank ? [] : [{ label: w.colHeavier }]),
    ],
    rows: tickers.map((t) => [
      cell(t),
      ...(byRank ? [...runUpCells(t), ...volumeCells(t)] : [...volumeCells(t), ...runUpCells(t)]),
      ...(byRank ? [] : [cell('', undefined, yesNo(volumes.get(t)?.heavier ?? false, m.swingClaim))]),
    ]),
  };
  return { sentences, table, comparison: null };
}

export function forwardParts(m: Messages, f: Formatter, claim: ForwardClaimResult): Parts {
  return { sentences: [m.forwardClaim.whyNot, m.forwardClaim.wouldTestIt(pick(claim.wouldTestIt, f.lang))], table: null, comparison: null };
}
