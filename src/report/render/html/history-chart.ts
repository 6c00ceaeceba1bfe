// The verdict-history chart: one claim's deciding figure per session since the article, over
// its verdict bands shaded in the verdict's colour, with a dot where the verdict changed. Band names go
// in an HTML legend under the chart, not into the SVG, so no label can collide with the line or be
// clipped at a narrow width. Built on the shared chart frame.
import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { addDays } from '../../../market/iso-date.js';
import type { Formatter } from '../number-format.js';
import { formatFigure } from '../view/history-view.js';
import type { HistoryChartView } from '../view/types.js';
import { box, fitLeft, frame, timeScale, timeTicks, toDate, type ChartWidth, type Tick } from './chart-frame.js';

/** Room above and below the figures and band edges: a fraction of their span, at least this much. */
const MIN_PAD = 0.05;

function yDomain(chart: HistoryChartView): [number, number] {
  const edges = chart.bands.flatMap((b) => [b.lower, b.upper].filter((v): v is number => v !== null));
  const values = [...chart.figures.filter((v): v is number => v !== null), ...edges];
  // Without bands a percent is a share of the claim's stocks or events: show all of 0-100 % for scale.
  if (chart.bands.length === 0 && chart.format === 'pct') values.push(0, 1);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = Math.max((hi - lo) * 0.15, MIN_PAD);
  return [lo - pad, hi + pad];
}

/** Drawn at both widths like every chart (atBothWidths); the stylesheet shows the one that fits. */
export function HistoryChart({ chart, f, at = 'wide' }: { chart: HistoryChartView; f: Formatter; at?: ChartWidth }): VNode {
  const first = chart.dates[0]!;
  const last = chart.dates.at(-1)!;
  const plot = box(200, at);
  // Not nice()d: rounding a 0-100 % share out to -50..150 % would squeeze the line into the middle.
  const y = scaleLinear().domain(yDomain(chart)).range([plot.bottom, plot.top]);
  const [bottom, top] = y.domain() as [number, number];
  // Axis ticks are plain numbers (0, 0.50, 1.00 for a p-value); the dots' titles give the figure as the table does.
  const tick = (v: number) => (chart.format === 'p' ? f.fixed(Math.abs(v) < 1e-12 ? 0 : v, 2) : formatFigure(f, chart.format, v));
  const label = (v: number) => formatFigure(f, chart.format, v);
  const yTicks: Tick[] = y.ticks(at === 'wide' ? 4 : 3).map((v) => ({ at: y(v), label: tick(v) }));
  const b = fitLeft(plot, yTicks);
  const x = timeScale(b, first, last > first ? last : addDays(first, 1));
  const px = (i: number) => x(toDate(chart.dates[i]!));
  const path =
    line<number | null>()
      .defined((v) => v !== null)
      .x((_, i) => px(i))
      .y((v) => y(v!))
      .digits(1)(chart.figures) ?? '';
  // Each band spans [lower, upper) of the figure, an open end reaching the chart's edge.
  const rects = chart.bands.map((band) => {
    const upper = band.upper === null ? top : Math.min(top, band.upper);
    const lower = band.lower === null ? bottom : Math.max(bottom, band.lower);
    return { band, y: y(upper), height: Math.max(0, y(lower) - y(upper)) };
  });
  const changed = new Set(chart.changes);
  return html`<svg class=${`chart history ${at}`} data-chart="history" data-claim=${chart.claimId} data-width=${at} viewBox="0 0 ${b.width} ${b.height}" role="img" aria-label=${chart.title}>
    <title>${chart.title}</title>
    ${rects.map(
      (r) => html`<rect class=${`band ${r.band.tone}${r.band.strong ? ' strong' : ''}`} x=${b.left} width=${b.right - b.left} y=${r.y} height=${r.height}><title>${r.band.label}</title></rect>`,
    )}
    ${frame(b, timeTicks(x, f), yTicks).node}
    <path class="history-line" d=${path} />
    ${chart.figures.map((v, i) =>
      v !== null && changed.has(chart.dates[i]!)
        ? html`<circle class="history-change" cx=${px(i)} cy=${y(v)} r="3.5"><title>${`${f.date(chart.dates[i]!)}: ${label(v)}`}</title></circle>`
        : null,
    )}
  </svg>`;
}

export const HISTORY_CSS = `
.chart .band { opacity: 0.55; }
.chart .band.holds { fill: var(--holds-bg); }
/* The stronger of two bands of one tone (as deep or deeper, above comparable): a deeper shade. */
.chart .band.holds.strong { fill: var(--holds-strong-bg); opacity: 0.8; }
.chart .band.partly { fill: var(--partly-bg); }
.chart .band.fails { fill: var(--fails-bg); }
.chart .band.neutral { fill: var(--neutral-bg); }
.chart .band.unknown { fill: var(--unknown-bg); }
.chart .history-line { fill: none; stroke: var(--ink); stroke-width: 1.6; }
.chart .history-change { fill: var(--ink); stroke: #fff; stroke-width: 1.5; }
.legend .swatch.band { height: 10px; border: 1px solid currentColor; }
.swatch.holds { color: var(--holds); background: var(--holds-bg); }
.swatch.holds.strong { background: var(--holds-strong-bg); }
.swatch.partly { color: var(--partly); background: var(--partly-bg); }
.swatch.fails { color: var(--fails); background: var(--fails-bg); }
.swatch.neutral { color: var(--neutral); background: var(--neutral-bg); }
.swatch.unknown { color: var(--unknown); background: var(--unknown-bg); }
`;
