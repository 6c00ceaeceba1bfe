// Each claim in words: the article's sentence, the verdict badge, the figures behind it as sentences and
// a table. One function per claim kind, mirroring claim-*.ts.
import type { DrawdownClaimResult } from '../../../analysis/claims/drawdown-claim.js';
import type { ClaimResult } from '../../../analysis/claims/evaluate.js';
import type { DrawdownClaimConfig } from '../../../analysis/claims/config.js';
import type { ReportDocument } from '../../document.js';
import type { ReportClaim } from '../../model.js';
import { claimSymbols } from '../../../analysis/claims/claim-symbols.js';
import type { Formatter } from '../number-format.js';
import { metricLabel, pick, verdictLabel, type KnownVerdict, type Messages } from '../i18n.js';
import type { Badge, ClaimView, Table, Tone } from './types.js';
import { forwardParts, type ClaimViewParts } from './article-claim-views.js';
import { bandEdges, bandsText } from './bands-text.js';
import { chaseParts } from './chase-view.js';
import { cell, fallSize, pctNearEdges, referenceName, type ClaimViewContext } from './claim-view-kit.js';
import { newsParts } from './news-view.js';
import { overextendedParts } from './overextended-view.js';
import { sensitivitySentence, staleSentences } from './robustness-view.js';
import { readingsSentences, readingsTable } from './drawdown-readings-view.js';
import { swingParts } from './swing-baseline-view.js';

const TONES: Record<KnownVerdict, Tone> = {
  as_deep_or_deeper: 'holds',
  comparable: 'holds',
  supported: 'holds',
  partly_comparable: 'partly',
  partly_supported: 'partly',
  partly_measured: 'partly',
  not_comparable: 'fails',
  not_supported: 'fails',
  // Whether the market moved on the news says nothing for or against the article: neutral.
  abnormal_reactions: 'neutral',
  some_abnormal_reactions: 'neutral',
  no_abnormal_reaction: 'neutral',
  reactions_measured: 'neutral',
  insufficient_data: 'unknown',
  inconclusive: 'unknown',
  not_testable_yet: 'unknown',
};

export function verdictBadge(m: Messages, id: string): Badge {
  return { text: verdictLabel(m, id), tone: (TONES as Record<string, Tone>)[id] ?? 'neutral' };
}

type Ctx = ClaimViewContext;

function drawdownParts(ctx: Ctx, claim: DrawdownClaimResult, config: DrawdownClaimConfig | undefined): ClaimViewParts {
  const { m, f, doc } = ctx;
  const edges = bandEdges(config?.bands);
  const refs = [...new Set(claim.comparisons.map((c) => c.referenceId))];
  const sentences: string[] = [];
  for (const t of claim.tickers) {
    sentences.push(
      m.drawdownClaim.tickerFall({
        ticker: t.ticker,
        drawdown: f.pct(t.drawdown),
        fall: fallSize(f, t.drawdown),
        peakClose: f.price(t.peakClose),
        peakDate: f.date(t.peakDate),
        lastClose: f.price(t.lastClose),
        sessions: f.int(t.sessionsSincePeak),
      }),
    );
  }
  sentences.push(m.drawdownClaim.rule(claim.aggregate));
  // Every reading with its rule and result; the one the verdict follows says so.
  sentences.push(...readingsSentences(ctx, claim));
  if (claim.deciding) {
    const d = claim.deciding;
    // Speed is measured against the index episode of the deciding window, whatever the reading.
    const c = claim.comparisons.find((x) => x.ticker === d.ticker && x.referenceId === d.referenceId);
    if (c && c.speed.referenceDrawdown !== null) {
      sentences.push(
        m.drawdownClaim.speed({
          reference: referenceName(ctx, d.referenceId),
          sessions: f.int(c.speed.sessions),
          refDrawdown: f.pct(c.speed.referenceDrawdown),
          refSessions: c.speed.referenceSessionsToSameDepth === null ? null : f.int(c.speed.referenceSessionsToSameDepth),
        }),
      );
    }
  }
  for (const t of claim.tickers) {
    const mv = t.marketValue;
    if (!mv) continue;
    sentences.push(
      m.drawdownClaim.marketValue({
        ticker: t.ticker,
        lost: f.money(mv.lost, mv.currency),
        peak: f.money(mv.marketCapAtPeak, mv.currency),
        now: f.money(mv.marketCapAtLastClose, mv.currency),
        quoteDate: f.date(mv.quoteDate),
      }),
    );
  }
  if (claim.missing.length) sentences.push(m.drawdownClaim.missing(claim.missing.join(', ')));

  const table: Table = {
    columns: [
      { label: m.symbols.colSymbol },
      { label: m.symbols.colPeak, numeric: true },
      { label: m.symbols.colLastClose, numeric: true },
      { label: m.symbols.colDrawdown, numeric: true },
      ...refs.map((id) => ({ label: m.drawdownClaim.colRatio(referenceName(ctx, id)), numeric: true })),
      { label: m.drawdownClaim.colMarketValueLost, numeric: true },
    ],
    rows: claim.tickers.map((t) => [
      cell(t.ticker),
      cell(f.price(t.peakClose), f.date(t.peakDate)),
      cell(f.price(t.lastClose), f.date(t.lastDate)),
      cell(f.pct(t.drawdown)),
      ...refs.map((id) => {
        const c = claim.comparisons.find((x) => x.ticker === t.ticker && x.referenceId === id);
        return c ? cell(pctNearEdges(f, c.ratio, edges), f.pct(c.referenceDepth), verdictBadge(m, c.band)) : cell('–');
      }),
      cell(t.marketValue ? f.money(t.marketValue.lost, t.marketValue.currency) : '–'),
    ]),
  };
  const comparison = doc.charts.comparisons.find((c) => c.claimId === claim.id) ?? null;
  return { sentences, table, extraTables: [readingsTable(ctx, claim, (id) => verdictBadge(m, id))], comparison };
}

/** Symbols a claim's figures rest on: its tickers, plus the indexes it compares with. */
function symbolsOf(doc: ReportDocument, claim: ClaimResult): string[] {
  const config = doc.claimsConfig.claims.find((c) => c.id === claim.id);
  if (!config) return [];
  if (config.kind === 'drawdown_vs_reference') {
    const refs = doc.model.episodes.filter((e) => config.references.includes(e.id) && e.source === 'data');
    return [...config.tickers, ...refs.map((e) => e.symbol)];
  }
  return claimSymbols(config);
}

export function claimViews(doc: ReportDocument, m: Messages, f: Formatter): ClaimView[] {
  const ctx: Ctx = { doc, m, f };
  const simulated = new Set(doc.provenance.symbols.filter((s) => s.simulated).map((s) => s.symbol));
  return doc.model.claims.map((claim: ReportClaim, i) => {
    const config = doc.claimsConfig.claims.find((c) => c.id === claim.id);
    const facts: [string, string][] = [[m.claims.metric, metricLabel(m, claim.metric)]];
    if (config && 'bands' in config) {
      facts.push([m.claims.bands, bandsText(m, f, config)]);
    }
    const parts: ClaimViewParts =
      claim.kind === 'drawdown_vs_reference'
        ? drawdownParts(ctx, claim, config?.kind === 'drawdown_vs_reference' ? config : undefined)
        : claim.kind === 'swings'
          ? swingParts(ctx, claim)
          : claim.kind === 'returns_vs_benchmarks'
            ? chaseParts(m, f, claim)
            : claim.kind === 'overextended_selling'
              ? overextendedParts(m, f, claim)
              : claim.kind === 'forward_looking'
                ? forwardParts(m, f, claim)
                : newsParts(ctx, claim, config?.kind === 'news_events' ? config.benchmark : null);
    const sim = symbolsOf(doc, claim).some((s) => simulated.has(s));
    const robustness = [...staleSentences(ctx, claim.staleInputs), ...(claim.sensitivity ? [sensitivitySentence(ctx, claim.sensitivity)] : [])];
    const sentences = [...parts.sentences, ...robustness, ...(sim ? [m.provenance.simulatedClaim] : [])];
    return {
      id: claim.id,
      heading: m.claims.claim(i + 1),
      quote: claim.text['zh-Hant'],
      translation: f.lang === 'zh-Hant' ? null : pick(claim.text, f.lang),
      saidBy: config?.saidBy ? pick(config.saidBy, f.lang) : null,
      verdict: verdictBadge(m, claim.verdict),
      verdictId: claim.verdict,
      simulated: sim ? { text: m.provenance.simulatedBadge, tone: 'sim' } : null,
      facts,
      ...parts,
      sentences,
    };
  });
}
