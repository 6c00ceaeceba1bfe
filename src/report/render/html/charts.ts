// The three charts of the HTML report, as inline SVG built with d3-scale and d3-shape: a symbol's close
// (all-time high, the low since it and the cited news marked), its drawdown below the all-time high
// ("underwater"), and the current falls against the reference episodes aligned at their peaks.
// Each is drawn at both widths (chart-frame.ts); every label goes through placeLabels, so none covers
// another, an axis label or a news marker, and none leaves the chart.
import { scaleLinear } from 'd3-scale';
import { area, line } from 'd3-shape';
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { thinIndices, type FallComparison, type FallLine, type PricePoint, type SymbolChart } from '../chart-data.js';
import type { Formatter } from '../number-format.js';
import { pick, type Messages } from '../i18n.js';
import {
  CHART_WIDTHS,
  LABEL_FONT,
  box,
  chartBounds,
  drawdownScale,
  fitLeft,
  frame,
  numberTicks,
  pctTicks,
  priceScale,
  priceTicks,
  timeScale,
  timeTicks,
  toDate,
  type Box,
  type ChartWidth,
} from './chart-frame.js';
import { alongLines, placeLabels, textWidth, type LabelRequest, type PlacedLabel, type Rect } from './label-placement.js';

export const TICKER_COLORS = ['#d9480f', '#7048e8', '#0c8599', '#c2255c', '#5c940d'];
export const REFERENCE_COLORS = ['#1c6ed6', '#495057', '#2b8a3e', '#e67700'];

interface ChartProps {
  chart: SymbolChart;
  f: Formatter;
  m: Messages;
}

/** A chart at both widths; the stylesheet shows the one that fits the screen. */
export function atBothWidths(draw: (at: ChartWidth) => VNode): VNode[] {
  return CHART_WIDTHS.map(draw);
}

/** The svg element every chart shares: its kind, width class and accessible title. */
function svg(b: Box, at: ChartWidth, attrs: Record<string, string>, title: string, children: unknown): VNode {
  return html`<svg class=${`chart ${at}`} ...${attrs} data-width=${at} viewBox="0 0 ${b.width} ${b.height}" role="img" aria-label=${title}>
    <title>${title}</title>
    ${children}
  </svg>`;
}

/** A placed label: its leader line (when it moved away from its point) and its text. */
function labelNode(l: PlacedLabel, fill?: string): VNode {
  return html`${l.leader
      ? html`<line class="leader" x1=${l.leader.x1} y1=${l.leader.y1} x2=${l.leader.x2} y2=${l.leader.y2} stroke=${fill} />`
      : null}<text x=${l.x} y=${l.y} text-anchor=${l.anchor} fill=${fill}>${l.text}</text>`;
}

function xDomain(chart: SymbolChart) {
  const first = chart.points[0]!.date;
  const last = chart.points[chart.points.length - 1]!.date;
  return { first, last: last > first ? last : `${Number(last.slice(0, 4)) + 1}${last.slice(4)}` };
}

const EVENT_RADIUS = 8;

/** Points per line on the narrow chart: 340 units wide needs no more, and the page stays small. */
const NARROW_POINTS = 240;

/** The points a rendering plots: all on the wide chart, thinned (highs, lows and `keep` kept) on the narrow one. */
function pointsFor<P extends object>(
  points: readonly P[],
  at: ChartWidth,
  values: readonly ((p: P) => number)[],
  keep: readonly (string | undefined)[] = [],
): P[] {
  if (at === 'wide') return [...points];
  const kept = keep.map((d) => (d ? points.findIndex((p) => 'date' in p && p.date === d) : -1));
  return thinIndices(points.length, NARROW_POINTS, values.map((v) => (i: number) => v(points[i]!)), kept).map((i) => points[i]!);
}

export function PriceChart({ chart, f, m, at = 'wide' }: ChartProps & { at?: ChartWidth }): VNode {
  const { first, last } = xDomain(chart);
  let lo = Infinity;
  let hi = 0;
  for (const p of chart.points) {
    lo = Math.min(lo, p.close);
    hi = Math.max(hi, p.close);
  }
  // The y scale first: its tick labels decide the left margin, and with it the x range.
  const y = priceScale(box(280, at), lo, hi, chart.logScale);
  const yTicks = priceTicks(y, f, chart.logScale);
  const b = fitLeft(box(280, at), yTicks);
  const x = timeScale(b, first, last);
  const px = (p: { date: string }) => x(toDate(p.date));
  const points = pointsFor(chart.points, at, [(p) => p.close], [chart.ath.date, chart.trough?.date]);
  const path = line<PricePoint>().x(px).y((p) => y(p.close)).digits(1)(points) ?? '';
  const fill = area<PricePoint>().x(px).y0(b.bottom).y1((p) => y(p.close)).digits(1)(points) ?? '';
  const ath = { x: px(chart.ath), y: y(chart.ath.close) };
  const trough = chart.trough && { x: px(chart.trough), y: y(chart.trough.close) };
  const lastPoint = chart.points[chart.points.length - 1]!;
  const lastAt = { x: px(lastPoint), y: y(lastPoint.close) };
  // At a new high the last close is the all-time high: one label says it.
  const lastIsAth = lastPoint.date === chart.ath.date;
  const fr = frame(b, timeTicks(x, f), yTicks, { y: chart.logScale ? `${m.charts.close} (${m.charts.logScale})` : m.charts.close });
  const events = chart.events.map((e) => ({ e, x: x(toDate(e.date)) }));
  const eventBoxes: Rect[] = events.map((ev) => ({
    left: ev.x - EVENT_RADIUS - 1,
    right: ev.x + EVENT_RADIUS + 1,
    top: b.top - 1,
    bottom: b.top + 2 * EVENT_RADIUS + 1,
  }));
  const request = (p: { x: number; y: number }, text: string, sides: LabelRequest['sides']): LabelRequest => ({
    ...p,
    text,
    fontSize: LABEL_FONT,
    bold: true,
    sides,
  });
  const [athLabel, troughLabel, lastLabel] = placeLabels(
    [
      request(ath, f.price(chart.ath.close), ['above', 'below', 'left', 'right']),
      ...(trough && chart.trough ? [request(trough, f.price(chart.trough.close), ['below', 'above', 'right', 'left'])] : []),
      ...(lastIsAth ? [] : [request(lastAt, f.price(lastPoint.close), ['right', 'above', 'below', 'left'])]),
    ],
    chartBounds(b),
    [...fr.taken, ...eventBoxes],
    alongLines([points.map((p) => ({ x: px(p), y: y(p.close) }))]),
  );
  const lastPlaced = trough ? lastLabel : troughLabel;
  return svg(
    b,
    at,
    { 'data-chart': 'price', 'data-symbol': chart.symbol },
    m.charts.price(chart.symbol),
    html`${fr.node}
    <path class="price-area" d=${fill} />
    <path class="price-line" d=${path} />
    ${events.map(({ e, x: ex }, i) => {
      return html`<g class="event" data-event=${e.id}>
        <title>${`${f.date(e.date)}${m.colon}${pick(e.headline, f.lang)}`}</title>
        <line x1=${ex} x2=${ex} y1=${b.top + EVENT_RADIUS} y2=${b.bottom} />
        <circle cx=${ex} cy=${b.top + EVENT_RADIUS} r=${EVENT_RADIUS} />
        <text x=${ex} y=${b.top + EVENT_RADIUS} text-anchor="middle" dominant-baseline="central">${i + 1}</text>
      </g>`;
    })}
    <g class="marker ath">
      <circle cx=${ath.x} cy=${ath.y} r="4.5" />
      ${labelNode(athLabel!)}
    </g>
    ${trough && troughLabel && chart.trough
      ? html`<g class="marker trough">
          <circle cx=${trough.x} cy=${trough.y} r="4.5" />
          ${labelNode(troughLabel)}
        </g>`
      : null}
    <g class="marker last">
      <circle cx=${lastAt.x} cy=${lastAt.y} r="3.5" />
      ${lastPlaced && !lastIsAth ? labelNode(lastPlaced) : null}
    </g>`,
  );
}

export function UnderwaterChart({ chart, f, m, at = 'wide' }: ChartProps & { at?: ChartWidth }): VNode {
  const { first, last } = xDomain(chart);
  let min = 0;
  for (const p of chart.points) min = Math.min(min, p.drawdown);
  const y = drawdownScale(box(200, at), min);
  const yTicks = pctTicks(y, f, 4);
  const b = fitLeft(box(200, at), yTicks);
  const x = timeScale(b, first, last);
  const px = (p: PricePoint) => x(toDate(p.date));
  const points = pointsFor(chart.points, at, [(p) => p.drawdown], [chart.trough?.date]);
  const fill = area<PricePoint>().x(px).y0(y(0)).y1((p) => y(p.drawdown)).digits(1)(points) ?? '';
  const edge = line<PricePoint>().x(px).y((p) => y(p.drawdown)).digits(1)(points) ?? '';
  const lastPoint = chart.points[chart.points.length - 1]!;
  const now = { x: px(lastPoint), y: y(lastPoint.drawdown) };
  const fr = frame(b, timeTicks(x, f), yTicks, { y: m.charts.drawdown });
  const [nowLabel] = placeLabels(
    [{ ...now, text: f.pct(lastPoint.drawdown), fontSize: LABEL_FONT, bold: true, sides: ['right', 'below', 'above', 'left'] }],
    chartBounds(b),
    fr.taken,
    alongLines([points.map((p) => ({ x: px(p), y: y(p.drawdown) }))]),
  );
  return svg(
    b,
    at,
    { 'data-chart': 'underwater', 'data-symbol': chart.symbol },
    m.charts.underwater(chart.symbol),
    html`${fr.node}
    <path class="dd-area" d=${fill} />
    <path class="dd-line" d=${edge} />
    <g class="marker now">
      <circle cx=${now.x} cy=${now.y} r="4" />
      ${labelNode(nowLabel!)}
    </g>`,
  );
}

/** The cohort medians' colour: apart from the tickers' and the references' palettes. */
export const LEVEL_COLOR = '#862e9c';

export function fallColor(lines: readonly FallLine[], l: FallLine): string {
  const same = lines.filter((o) => o.kind === l.kind);
  const palette = l.kind === 'ticker' ? TICKER_COLORS : REFERENCE_COLORS;
  return palette[same.indexOf(l) % palette.length]!;
}

/** Short label at a line's end: the ticker, or the index and the year its fall began. */
function endLabel(l: FallLine): string {
  return l.kind === 'ticker' ? l.symbol : `${l.symbol} ${l.peakDate.slice(0, 4)}`;
}

export function ComparisonChart({
  comparison,
  f,
  m,
  at = 'wide',
}: {
  comparison: FallComparison;
  f: Formatter;
  m: Messages;
  at?: ChartWidth;
}): VNode {
  const lines = comparison.lines;
  let maxSession = 1;
  let min = 0;
  for (const l of lines) {
    for (const p of l.points) {
      maxSession = Math.max(maxSession, p.session);
      min = Math.min(min, p.drawdown);
    }
  }
  for (const level of comparison.levels) min = Math.min(min, level.depth);
  const y = drawdownScale(box(320, at), min);
  const yTicks = pctTicks(y, f, 5);
  const b = fitLeft(box(320, at), yTicks);
  const x = scaleLinear().domain([0, maxSession]).nice(at === 'wide' ? 8 : 4).range([b.left, b.right]);
  const path = line<FallLine['points'][number]>().x((p) => x(p.session)).y((p) => y(p.drawdown)).digits(1);
  // Tickers last, so the current falls are drawn over the references...
  const order = [...lines].sort((a, c) => (a.kind === c.kind ? 0 : a.kind === 'reference' ? -1 : 1));
  const fr = frame(b, numberTicks(x, f, at === 'wide' ? 8 : 4), yTicks, { x: m.charts.sessionsSincePeak, y: m.charts.drawdown });
  // ...and labelled first, so they keep the place beside their end point.
  const labelOrder = [...order].reverse();
  const ends = labelOrder.map((l) => {
    const end = l.points[l.points.length - 1]!;
    return { l, end: { x: x(end.session), y: y(end.drawdown) }, drawdown: end.drawdown };
  });
  const plotted = new Map(lines.map((l) => [l, pointsFor(l.points, at, [(p) => p.drawdown])]));
  const placed = placeLabels(
    ends.map(({ l, end, drawdown }) => ({ ...end, text: `${endLabel(l)} ${f.pct(drawdown)}`, fontSize: LABEL_FONT, bold: true })),
    chartBounds(b),
    fr.taken,
    alongLines([...plotted.values()].map((pts) => pts.map((p) => ({ x: x(p.session), y: y(p.drawdown) })))),
  );
  // The cohort medians: a level across the plot, labelled just above (or below) its right end. Placed
  // after the falls' labels, clear of them and of the frame but not of the lines: a level's label
  // would otherwise be pushed far from its line; its white halo keeps it legible over them.
  const levels = comparison.levels.map((level) => ({ level, y: y(level.depth), text: m.charts.cohortLevel({ depth: f.pct(level.depth) }) }));
  const taken = [...fr.taken, ...placed.map((p) => p.box)];
  const levelLabels = levels.map(({ y: ly, text }) => {
    const width = textWidth(text, LABEL_FONT, true);
    const at = (x: number) =>
      placeLabels([{ x, y: ly, text, fontSize: LABEL_FONT, bold: true, sides: ['above', 'below'] }], chartBounds(b), taken)[0]!;
    // Beside the line's right end, else its left end, else a point between; only then moved off it (with a leader).
    const half = width / 2 + 4;
    const xs = [b.right - half, b.left + half, ...[0.25, 0.5, 0.75].map((t) => b.left + half + t * (b.right - b.left - 2 * half))];
    const tried = xs.map(at);
    const chosen = tried.find((l) => !l.leader) ?? tried[0]!;
    taken.push(chosen.box);
    return chosen;
  });
  const labels = new Map(ends.map(({ l }, i) => [l, placed[i]!]));
  return svg(
    b,
    at,
    { 'data-chart': 'comparison', 'data-claim': comparison.claimId },
    m.charts.comparison,
    html`${fr.node}
    ${levels.map(
      ({ level, y: ly }, i) => html`<g class=${`fall-level${level.deciding ? ' deciding' : ''}`} data-level=${level.referenceId}>
        <line x1=${b.left} x2=${b.right} y1=${ly} y2=${ly} />
        ${labelNode(levelLabels[i]!, LEVEL_COLOR)}
      </g>`,
    )}
    ${order.map((l) => {
      const end = l.points[l.points.length - 1]!;
      const color = fallColor(lines, l);
      return html`<g class=${`fall ${l.kind} ${l.source}`} data-line=${l.id}>
        <path d=${path(plotted.get(l)!) ?? ''} stroke=${color} />
        <circle cx=${x(end.session)} cy=${y(end.drawdown)} r="4" fill=${color} />
      </g>`;
    })}
    <g class="fall-labels">
      ${order.map((l) => html`<g class="fall-label" data-line=${l.id}>${labelNode(labels.get(l)!, fallColor(lines, l))}</g>`)}
    </g>`,
  );
}
