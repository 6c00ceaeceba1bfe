// How each verdict has aged, in words and shapes (pure): the table of verdict changes both renderings
// show, and per claim with a deciding figure the series its HTML chart draws with the verdict bands.
import type { ClaimHistory, VerdictHistory } from '../../claims/verdict-history.js';
import type { ReportModel } from '../../model.js';
import type { Formatter } from '../number-format.js';
import type { Messages } from '../i18n.js';
import { verdictBadge } from './claim-views.js';
import type { Cell, HistoryChartView, HistoryBand, HistoryView, Table, Tone } from './types.js';

export const figureFormat = (metric: string): 'pct' | 'num' => (metric === 'runup_fall_rank_correlation' ? 'num' : 'pct');

/** A deciding figure as its table, chart axis and legend show it: 0.60 (two decimals, always) or 72%. */
export function formatFigure(f: Formatter, format: 'pct' | 'num', value: number | null, digits = 2): string {
  if (value === null) return '–';
  if (format === 'pct') return f.pct(value, 0);
  return new Intl.NumberFormat(f.locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

// Plain cells only (no second line): the Markdown table stays free of raw HTML.
function rows(h: ClaimHistory, heading: string, history: VerdictHistory, m: Messages, f: Formatter): Cell[][] {
  if (h.kind === 'forward_looking') return [[{ text: heading }, { text: '–' }, { text: '–' }, { text: m.history.notTestable }, { text: '–' }]];
  const format = figureFormat(h.metric);
  const first: Cell[] = [
    { text: heading },
    { text: f.date(history.from) },
    { text: m.history.atArticle },
    { text: '', badge: verdictBadge(m, h.verdicts[0]!) },
    { text: formatFigure(f, format, h.figures[0] ?? null) },
  ];
  const changes = h.changes.map((c): Cell[] => [
    { text: heading },
    { text: f.date(c.date) },
    { text: '', badge: verdictBadge(m, c.from) },
    { text: '', badge: verdictBadge(m, c.to) },
    { text: formatFigure(f, format, c.figure) },
  ]);
  // A verdict that never moved still shows where its figure stands on the report date.
  const still: Cell[][] =
    h.changes.length === 0 && history.dates.length > 1
      ? [[{ text: heading }, { text: f.date(history.dates.at(-1)!) }, { text: m.history.unchanged }, { text: '', badge: verdictBadge(m, h.verdicts.at(-1)!) }, { text: formatFigure(f, format, h.figures.at(-1) ?? null) }]]
      : [];
  return [first, ...changes, ...still];
}

function chartOf(h: ClaimHistory, heading: string, history: VerdictHistory, m: Messages): HistoryChartView | null {
  if (!h.figures.some((v) => v !== null)) return null;
  const bands: HistoryBand[] = (h.bands ?? []).map((b) => ({ min: b.min, ...badgeParts(m, b.verdict) }));
  if (h.below !== null) bands.push({ min: null, ...badgeParts(m, h.below) });
  return {
    claimId: h.id,
    title: m.history.chart(heading),
    dates: history.dates,
    figures: h.figures,
    bands,
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
    charts: history.claims.flatMap((h) => chartOf(h, heading(h.id), history, m) ?? []),
  };
}
