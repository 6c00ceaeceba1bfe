// The verdicts at a glance, for the top of the report: per claim its verdict badge, the one number
// that decides it and how to read that number. Built from the claim views (same badges, same words)
// and the model's results; a claim kind without its own line still gets its verdict.
import type { ClaimResult } from '../../../analysis/claims/evaluate.js';
import type { ReportDocument } from '../../document.js';
import type { Formatter } from '../number-format.js';
import { pick, type Messages } from '../i18n.js';
import { bandEdges, bandsText } from './bands-text.js';
import { joinAnd, oneDecimal, pValue, pctNearEdges, rhoText } from './claim-view-kit.js';
import type { ClaimView, GlanceRow } from './types.js';

function figureOf(doc: ReportDocument, claim: ClaimResult, m: Messages, f: Formatter): string | null {
  if (claim.kind === 'drawdown_vs_reference') {
    const d = claim.deciding;
    const fall = d && claim.tickers.find((t) => t.ticker === d.ticker);
    if (!d || !fall) return null;
    const ref = doc.model.episodes.find((e) => e.id === d.referenceId);
    // The verdict follows one of the claim's three readings: say which fall the ratio is of.
    const reference = ref ? pick(ref.name, f.lang) : d.referenceId;
    const config = doc.claimsConfig.claims.find((c) => c.id === claim.id);
    return m.glance.drawdownFigure({
      ticker: d.ticker,
      fall: f.pct(-fall.drawdown),
      ratio: pctNearEdges(f, d.ratio, bandEdges(config && 'bands' in config ? config.bands : undefined)),
      basis: m.glance.drawdownReadingBasis[claim.verdictReading](reference),
    });
  }
  if (claim.kind === 'swings') {
    return m.glance.swingFigure({ counted: f.int(claim.counted), measured: f.int(claim.measured), share: f.pct(claim.share, 0) });
  }
  if (claim.kind === 'news_events') {
    return claim.events
      .map((e) =>
        m.glance.newsEvent({
          ticker: e.ticker,
          reaction: e.reaction === 'insufficient_data' ? m.verdicts.insufficient_data : m.newsClaim.reactions[e.reaction],
          t: e.marketModel ? f.num(e.marketModel.t, 2) : null,
        }),
      )
      .join(m.listSeparator);
  }
  if (claim.kind === 'returns_vs_benchmarks' && claim.share !== null) {
    const benchmarks = claim.benchmarks.join(m.glance.andJoiner);
    const share = m.glance.chaseFigure({ counted: f.int(claim.counted), measured: f.int(claim.measured), share: f.pct(claim.share, 0), benchmarks });
    const b = claim.baseline;
    if (b.p === null || b.percentile === null) return share;
    return `${share}${m.listSeparator}${m.glance.chaseBaselineFigure({ percentile: oneDecimal(f, b.percentile!), years: f.int(b.years.length), p: pValue(f, b.p) })}`;
  }
  if (claim.kind === 'overextended_selling') {
    if (claim.metric === 'overextension_fall_rank_p') {
      const t = claim.fallTest;
      return t ? m.glance.overextendedFigure({ rho: rhoText(f, t.rho), n: f.int(t.n), p: pValue(f, t.p) }) : null;
    }
    return claim.share === null ? null : m.glance.downVolumeFigure({ counted: f.int(claim.counted), measured: f.int(claim.judgedVolumes), share: f.pct(claim.share, 0) });
  }
  return null;
}

function readingOf(doc: ReportDocument, claim: ClaimResult, m: Messages, f: Formatter): string | null {
  const config = doc.claimsConfig.claims.find((c) => c.id === claim.id);
  if (!config) return null;
  // The underpowered rule is said on the claim's card; the glance keeps to the bands.
  if ('bands' in config) return m.glance.bandsReading(bandsText(m, f, { bands: config.bands, below: config.below }));
  if (config.kind === 'news_events' && config.benchmark && claim.kind === 'news_events') {
    return m.glance.newsReading({ benchmark: config.benchmark, criticalT: f.num(claim.eventStudy.criticalT, 2) });
  }
  return null;
}

/** One line per last date among the stale inputs: the symbols, how far behind, the claims that read them. */
export function glanceStale(doc: ReportDocument, m: Messages, f: Formatter): string[] {
  const byDate = new Map<string, string[]>();
  for (const s of doc.model.staleInputs) byDate.set(s.lastDate, [...(byDate.get(s.lastDate) ?? []), s.symbol]);
  return [...byDate].map(([date, symbols]) => {
    const sessions = doc.model.staleInputs.find((s) => s.lastDate === date)!.sessionsBehind;
    const claims = doc.model.claims.flatMap((c, i) => (c.staleInputs.some((s) => symbols.includes(s.symbol)) ? [m.claims.claim(i + 1)] : []));
    return m.glance.stale({ symbols: joinAnd(f, symbols), date: f.date(date), sessions: f.int(sessions), claims: joinAnd(f, claims) });
  });
}

export function glanceRows(doc: ReportDocument, views: readonly ClaimView[], m: Messages, f: Formatter): GlanceRow[] {
  return views.flatMap((view) => {
    const claim = doc.model.claims.find((c) => c.id === view.id);
    if (!claim) return [];
    return [
      {
        claimId: view.id,
        heading: view.heading,
        claim: view.translation ?? view.quote,
        verdict: view.verdict,
        figure: figureOf(doc, claim, m, f),
        reading: readingOf(doc, claim, m, f),
      },
    ];
  });
}
