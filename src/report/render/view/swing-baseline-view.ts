// The swing claim ("frenzy and doubt") in words and as a table: the judged year and the baseline years as dates, how swings,
// volatility, median and percentile are measured, the two baseline shares (the verdict's one marked),
// the earlier rule for comparison, and beside each stock its judged year against its own median year.
import { countsFor, type SwingClaimResult, type SwingShare, type TickerSwings } from '../../../analysis/claims/swing-claim.js';
import type { SwingMetric } from '../../../analysis/claims/config.js';
import type { BaselineComparison } from '../../../analysis/math/baseline.js';
import { INSUFFICIENT_DATA } from '../../../analysis/claims/verdict.js';
import { verdictLabel } from '../i18n.js';
import { cell, joinList, type ClaimViewContext } from './claim-view-kit.js';
import type { Badge, Cell, ClaimView, Table } from './types.js';

const shareOf = (claim: SwingClaimResult, metric: SwingMetric): SwingShare | undefined => claim.shares.find((s) => s.metric === metric);

function baselineSentences({ m, f }: ClaimViewContext, claim: SwingClaimResult): string[] {
  const out: string[] = [];
  const sayShare = (metric: SwingMetric, say: typeof m.swingBaseline.shareSwings) => {
    const s = shareOf(claim, metric);
    if (!s || s.share === null) return;
    out.push(
      say({
        counted: f.int(s.counted),
        measured: f.int(s.measured),
        share: f.pct(s.share, 0),
        verdict: verdictLabel(m, s.verdict),
        follows: claim.metric === metric,
      }),
    );
  };
  sayShare('share_above_own_median_swings', m.swingBaseline.shareSwings);
  sayShare('share_above_own_median_volatility', m.swingBaseline.shareVolatility);
  const noBaseline = claim.tickers.filter((t) => t.baseline.swings === null).map((t) => t.ticker);
  if (noBaseline.length) out.push(m.swingBaseline.noBaseline({ list: joinList(f, noBaseline), minYears: f.int(claim.minBaselineYears) }));
  const driving = shareOf(claim, claim.metric);
  const named = claim.tickers.length + claim.missing.length;
  // A baseline share with a value but no verdict: too few of the named stocks have a baseline.
  if (driving && driving.share !== null && driving.verdict === INSUFFICIENT_DATA && claim.metric.startsWith('share_above_own_median')) {
    out.push(
      m.swingBaseline.coverage({ measured: f.int(driving.measured), named: f.int(named), min: f.int(Math.ceil(named * claim.minBaselineCoverage)) }),
    );
  }
  return out;
}

/** The earlier rules' sentences; each says it is the verdict's rule or only for comparison. */
function earlierSentences({ m, f }: ClaimViewContext, claim: SwingClaimResult): string[] {
  const minSwings = shareOf(claim, 'share_with_min_swings');
  const out: string[] = [];
  if (minSwings && minSwings.share !== null) {
    out.push(
      m.swingClaim.summary({
        counted: f.int(minSwings.counted),
        measured: f.int(minSwings.measured),
        share: f.pct(minSwings.share, 0),
        minSwings: f.int(claim.minSwings),
        threshold: f.pct(claim.swingThreshold, 0),
        after: f.date(claim.lastYearAfter),
      }),
    );
    // Its band, not its verdict: a stock not listed yet leaves the earlier rule without a verdict, but
    // the point is that its share passes in ordinary years.
    if (claim.metric !== 'share_with_min_swings' && minSwings.band) out.push(m.swingBaseline.earlierRule({ verdict: verdictLabel(m, minSwings.band) }));
  }
  const elevated = shareOf(claim, 'share_with_elevated_volatility');
  if (claim.metric === 'share_with_elevated_volatility' && elevated && elevated.share !== null) {
    out.push(m.swingClaim.summaryVolatility({ counted: f.int(elevated.counted), measured: f.int(elevated.measured), share: f.pct(elevated.share, 0) }));
  }
  return out;
}

function baselineTable({ m, f }: ClaimViewContext, claim: SwingClaimResult): Table {
  const medianCell = (b: BaselineComparison | null, format: (v: number) => string): Cell =>
    b ? cell(format(b.median), m.swingBaseline.percentile(f.num(b.percentile, 0))) : cell('–');
  const countsBadge = (t: TickerSwings): Badge => {
    const c = countsFor(claim.metric, t);
    if (c === null) return { text: m.swingBaseline.noBaselineCell, tone: 'unknown' };
    return c ? { text: m.swingClaim.yes, tone: 'holds' } : { text: m.swingClaim.no, tone: 'unknown' };
  };
  return {
    columns: [
      { label: m.symbols.colSymbol },
      { label: m.swingBaseline.colYears, numeric: true },
      { label: m.swingBaseline.colSwings, numeric: true },
      { label: m.swingBaseline.colSwingsMedian, numeric: true },
      { label: m.swingBaseline.colVolatility, numeric: true },
      { label: m.swingBaseline.colVolatilityMedian, numeric: true },
      { label: m.swingClaim.colCounts },
    ],
    rows: claim.tickers.map((t) => {
      const years = t.baseline.years;
      return [
        cell(t.ticker),
        cell(f.int(years.length), years.length ? m.swingBaseline.yearsRange(String(years[0]!.year), String(years.at(-1)!.year)) : undefined),
        cell(f.int(t.swingsLastYear)),
        medianCell(t.baseline.swings, (v) => f.num(v, 1)),
        cell(f.pct(t.volatilityLastYear, 0)),
        medianCell(t.baseline.volatility, (v) => f.pct(v, 0)),
        cell('', undefined, countsBadge(t)),
      ];
    }),
  };
}

export function swingParts(ctx: ClaimViewContext, claim: SwingClaimResult): Pick<ClaimView, 'sentences' | 'table' | 'comparison'> {
  const { m, f } = ctx;
  const sentences = [
    m.swingBaseline.judgedYear({
      after: f.date(claim.judgedYear.after),
      asOf: f.date(claim.judgedYear.to),
      lastEnd: f.date(claim.judgedYear.after),
      minYears: f.int(claim.minBaselineYears),
    }),
    m.swingBaseline.method({ threshold: f.pct(claim.swingThreshold, 0) }),
    ...baselineSentences(ctx, claim),
    ...earlierSentences(ctx, claim),
  ];
  if (claim.missing.length) sentences.push(m.swingClaim.missing(claim.missing.join(', ')));
  return { sentences, table: baselineTable(ctx, claim), comparison: null };
}
