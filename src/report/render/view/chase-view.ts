// The chase claim in words and as a table: the rule, the judged year's share, the same share in the
// stocks' own earlier years with the percentile and rank p-value the verdict reads, why the indexes
// alone are partly circular, the independent index, and the earlier rule for comparison.
import type { ChaseClaimResult } from '../../../analysis/claims/chase-claim.js';
import { median } from '../../../analysis/math/rank-correlation.js';
import type { Formatter } from '../number-format.js';
import type { Messages } from '../i18n.js';
import { cell, oneDecimal, pValue } from './claim-view-kit.js';
import type { Badge, Table } from './types.js';
import type { ClaimViewParts } from './article-claim-views.js';

const badge = (yes: boolean, words: { yes: string; no: string }): Badge => (yes ? { text: words.yes, tone: 'holds' } : { text: words.no, tone: 'unknown' });

function baselineSentences(m: Messages, f: Formatter, claim: ChaseClaimResult): string[] {
  const w = m.chaseClaim;
  const b = claim.baseline;
  if (b.years.length === 0 || claim.share === null) return [];
  if (b.years.length < claim.minBaselineYears) return [w.noBaseline({ years: f.int(b.years.length), min: f.int(claim.minBaselineYears) })];
  const shares = b.years.map((y) => y.share);
  const atLeast = shares.filter((s) => s >= claim.share!).length;
  const named = claim.tickers.length + claim.missing.length;
  return [
    w.baseline({
      years: f.int(b.years.length),
      first: b.years.at(-1)!.from.slice(0, 4),
      last: b.years[0]!.to.slice(0, 4),
      minStocks: f.int(Math.ceil(named * claim.minStockCoverage)),
      median: f.pct(median(shares), 0),
      share: f.pct(claim.share, 0),
      percentile: oneDecimal(f, b.percentile!),
      atLeast: f.int(atLeast + 1),
      total: f.int(b.years.length + 1),
      p: pValue(f, b.p),
      follows: claim.metric === 'own_years_rank_p',
    }),
    w.years(b.years.map((y) => w.yearItem({ year: y.from.slice(0, 4), counted: f.int(y.counted), measured: f.int(y.measured) })).join(m.listSeparator)),
  ];
}

function independentSentence(m: Messages, f: Formatter, claim: ChaseClaimResult): string[] {
  const r = claim.independent;
  if (!r) return [];
  const name = f.lang === 'zh-Hant' ? r.name['zh-Hant'] : r.name.en;
  if (!r.measured) return [m.chaseClaim.independentMissing({ name, symbol: r.symbol })];
  return [
    m.chaseClaim.independent({
      name,
      equalWeight: f.change(r.equalWeightReturn),
      index: f.change(r.benchmarkReturn),
      excess: f.change(r.excess),
      counted: f.int(r.counted),
      measured: f.int(r.measuredStocks),
    }),
  ];
}

export function chaseParts(m: Messages, f: Formatter, claim: ChaseClaimResult): ClaimViewParts {
  const w = m.chaseClaim;
  const benchmarks = w.list(claim.benchmarks);
  const sentences = [w.rule({ from: f.date(claim.period.from), to: f.date(claim.period.to), benchmarks })];
  if (!claim.periodComplete) sentences.push(w.partial({ to: f.date(claim.period.to) }));
  if (claim.measured > 0) {
    sentences.push(w.summary({ counted: f.int(claim.counted), measured: f.int(claim.measured), share: f.pct(claim.share, 0), benchmarks }));
    sentences.push(...baselineSentences(m, f, claim));
    sentences.push(w.circular(benchmarks));
    sentences.push(...independentSentence(m, f, claim));
    const e = claim.earlierShare;
    sentences.push(w.earlierRule({ counted: f.int(e.counted), measured: f.int(e.measured), share: f.pct(e.share, 0) }));
    claim.medianExcess.forEach((x, i) =>
      sentences.push(w.medianExcess({ benchmark: x.benchmark, median: f.change(x.median), counted: f.int(claim.beating[i]!.counted), measured: f.int(claim.measured) })),
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
      t.listedInPeriod ? cell('', undefined, { text: w.notCounted, tone: 'unknown' }) : cell('', undefined, badge(t.beatsAll, w)),
    ]),
  };
  return { sentences, table, comparison: null };
}
