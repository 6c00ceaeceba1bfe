// How each verdict has aged, in words and shapes (pure): the table of verdict changes both renderings
// show, and per claim with a deciding figure the series its HTML chart draws with the verdict bands.
import type { ClaimHistory, VerdictHistory } from '../../../analysis/claims/verdict-history.js';
import type { ReportModel } from '../../model.js';
import type { Formatter } from '../number-format.js';
import { isUpperBands } from '../../../analysis/claims/config.js';
import type { Messages } from '../i18n.js';
import { bandEdges } from './bands-text.js';
import { verdictBadge } from './claim-views.js';
import { pctNearEdges, pValue } from './claim-view-kit.js';
import type { Cell, FigureFormat, HistoryChartView, HistoryBand, HistoryView, Tone } from './types.js';

const P_METRICS = new Set(['own_years_rank_p', 'overextension_fall_rank_p']);

export const figureFormat = (metric: string): FigureFormat => (P_METRICS.has(metric) ? 'p' : 'pct');

/**
 * A deciding figure as its table, chart axis and legend show it: a p-value (0.066) or a percent (72%,
 * with one more decimal within two points of one of `edges`: 74.9%, not 75%).
 */
export function formatFigure(f: Formatter, format: FigureFormat, value: number | null, edges: readonly number[] = []): string {
  if (value === null) return '–';
  return format === 'p' ? pValue(f, value) : pctNearEdges(f, value, edges);
}

// Plain cells only (no second line): the Markdown table stays free of raw HTML.
function rows(h: ClaimHistory, heading: string, history: VerdictHistory, m: Messages, f: Formatter): Cell[][] {
  if (h.kind === 'forward_looking') return [[{ text: heading }, { text: '–' }, { text: '–' }, { text: m.history.notTestable }, { text: '–' }]];
  const format = figureFormat(h.metric);
  const edges = bandEdges(h.bands ?? undefined);
  const first: Cell[] = [
    { text: heading },
    { text: f.date(history.from) },
    { text: m.history.atArticle },
    { text: '', badge: verdictBadge(m, h.verdicts[0]!) },
    { text: formatFigure(f, format, h.figures[0] ?? null, edges) },
  ];
  const changes = h.changes.map((c): Cell[] => [
    { text: heading },
    { text: f.date(c.date) },
    { text: '', badge: verdictBadge(m, c.from) },
    { text: '', badge: verdictBadge(m, c.to) },
    { text: formatFigure(f, format, c.figure, edges) },
  ]);
  // A verdict that never moved still shows where its figure stands on the report date.
  const still: Cell[][] =
    h.changes.length === 0 && history.dates.length > 1
      ? [[{ text: heading }, { text: f.date(history.dates.at(-1)!) }, { text: m.history.unchanged }, { text: '', badge: verdictBadge(m, h.verdicts.at(-1)!) }, { text: formatFigure(f, format, h.figures.at(-1) ?? null, edges) }]]
      : [];
  return [first, ...changes, ...still];
}

/** The claim's bands as ranges of the figure, top verdict first, then the fallback verdict. */
function bandsOf(h: ClaimHistory, m: Messages, f: Formatter): HistoryBand[] {
  if (!h.bands || h.below === null) return [];
  const format = figureFormat(h.metric);
  // p edges as the card writes them (0.05, 0.10); a percent edge as the figure reads.
  const edge = (v: number) => (format === 'p' ? f.fixed(v, 2) : formatFigure(f, format, v));
  const raw: Omit<HistoryBand, 'strong'>[] = [];
  if (isUpperBands(h.bands)) {
    const bands = h.bands;
    bands.forEach((b, i) => raw.push({ lower: i === 0 ? null : bands[i - 1]!.max, upper: b.max, range: `p < ${edge(b.max)}`, ...badgeParts(m, b.verdict) }));
    raw.push({ lower: bands.at(-1)!.max, upper: null, range: `p ≥ ${edge(bands.at(-1)!.max)}`, ...badgeParts(m, h.below) });
  } else {
    const bands = h.bands as readonly { min: number; verdict: string }[];
    bands.forEach((b, i) => raw.push({ lower: b.min, upper: i === 0 ? null : bands[i - 1]!.min, range: `≥ ${edge(b.min)}`, ...badgeParts(m, b.verdict) }));
    raw.push({ lower: null, upper: bands.at(-1)!.min, range: `< ${edge(bands.at(-1)!.min)}`, ...badgeParts(m, h.below) });
  }
  // Two bands of one tone (both green) would look alike: the first of them is drawn stronger.
  return raw.map((b, i) => ({ ...b, strong: raw.slice(i + 1).some((later) => later.tone === b.tone) }));
}

function chartOf(h: ClaimHistory, heading: string, history: VerdictHistory, m: Messages, f: Formatter): HistoryChartView | null {
  if (!h.figures.some((v) => v !== null)) return null;
  return {
    claimId: h.id,
    title: m.history.chart(heading),
    dates: history.dates,
    figures: h.figures,
    bands: bandsOf(h, m, f),
    format: figureFormat(h.metric),
    changes: h.changes.map((c) => c.date),
  };
}

function badgeParts(m: Messages, verdict: string): { label: string; tone: Tone } {
  const b = verdictBadge(m, verdict);
  return { label: b.text, tone: b.tone };
}

export function historyView(model: ReportModel, m: Messages, f: Formatter): HistoryView {
  const history = model.verdictHistory;
  if (!history) return { heading: m.history.heading, intro: m.history.notYet(f.date(model.article.date)), table: null, charts: [] };
  // Claims are numbered as their cards are: by their place in the config.
  const heading = (id: string) => m.claims.claim(history.claims.findIndex((c) => c.id === id) + 1);
  return {
    heading: m.history.heading,
    intro: m.history.intro({ from: f.date(history.from), to: f.date(history.to), sessions: f.int(history.dates.length - 1) }),
    table: {
      columns: [
        { label: m.history.colClaim, nowrap: true },
        { label: m.history.colDate, nowrap: true },
        { label: m.history.colFrom },
        { label: m.history.colTo },
        { label: m.history.colFigure, numeric: true },
      ],
      rows: history.claims.flatMap((h) => rows(h, heading(h.id), history, m, f)),
    },
    charts: history.claims.flatMap((h) => chartOf(h, heading(h.id), history, m, f) ?? []),
  };
}
