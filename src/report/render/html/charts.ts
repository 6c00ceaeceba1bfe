// The three charts of the HTML report, as inline SVG built with d3-scale and d3-shape: a symbol's close
// (all-time high, the low since it and the cited news marked), its drawdown below the all-time high
// ("underwater"), and the current falls against the reference episodes aligned at their peaks.
import { scaleLinear } from 'd3-scale';
import { area, line } from 'd3-shape';
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import type { FallComparison, FallLine, PricePoint, SymbolChart } from '../chart-data.js';
import type { Formatter } from '../number-format.js';
import { pick, type Messages } from '../i18n.js';
import {
  box,
  drawdownScale,
  frame,
  numberTicks,
  pctTicks,
  priceScale,
  priceTicks,
  timeScale,
  timeTicks,
  toDate,
  type Box,
} from './chart-frame.js';

export const TICKER_COLORS = ['#d9480f', '#7048e8', '#0c8599', '#c2255c', '#5c940d'];
export const REFERENCE_COLORS = ['#1c6ed6', '#495057', '#2b8a3e', '#e67700'];

interface ChartProps {
  chart: SymbolChart;
  f: Formatter;
  m: Messages;
}

/** A marker label that stays inside the plot: anchored to the left of points near the right edge. */
function anchorFor(b: Box, at: number): 'start' | 'end' {
  return at > b.left + (b.right - b.left) * 0.6 ? 'end' : 'start';
}

/** A centred label's x, kept clear of the y axis labels and the right edge. */
function inside(b: Box, at: number): number {
  return Math.min(b.right - 24, Math.max(b.left + 28, at));
}

function xDomain(chart: SymbolChart) {
  const first = chart.points[0]!.date;
  const last = chart.points[chart.points.length - 1]!.date;
  return { first, last: last > first ? last : `${Number(last.slice(0, 4)) + 1}${last.slice(4)}` };
}

export function PriceChart({ chart, f, m }: ChartProps): VNode {
  const b = box(280);
  const { first, last } = xDomain(chart);
  const x = timeScale(b, first, last);
  let lo = Infinity;
  let hi = 0;
  for (const p of chart.points) {
    lo = Math.min(lo, p.close);
    hi = Math.max(hi, p.close);
  }
  const y = priceScale(b, lo, hi, chart.logScale);
  const px = (p: { date: string }) => x(toDate(p.date));
  const path = line<PricePoint>().x(px).y((p) => y(p.close)).digits(1)(chart.points) ?? '';
  const fill = area<PricePoint>().x(px).y0(b.bottom).y1((p) => y(p.close)).digits(1)(chart.points) ?? '';
  const ath = { x: px(chart.ath), y: y(chart.ath.close) };
  const trough = chart.trough && { x: px(chart.trough), y: y(chart.trough.close) };
  const lastPoint = chart.points[chart.points.length - 1]!;
  const title = m.charts.price(chart.symbol);
  return html`<svg class="chart" data-chart="price" data-symbol=${chart.symbol} viewBox="0 0 ${b.width} ${b.height}" role="img" aria-label=${title}>
    <title>${title}</title>
    ${frame(b, timeTicks(x, f), priceTicks(y, f, chart.logScale), { y: chart.logScale ? `${m.charts.close} (${m.charts.logScale})` : m.charts.close })}
    <path class="price-area" d=${fill} />
    <path class="price-line" d=${path} />
    ${chart.events.map((e, i) => {
      const ex = x(toDate(e.date));
      return html`<g class="event" data-event=${e.id}>
        <title>${`${f.date(e.date)}: ${pick(e.headline, f.lang)}`}</title>
        <line x1=${ex} x2=${ex} y1=${b.top + 8} y2=${b.bottom} />
        <circle cx=${ex} cy=${b.top + 8} r="8" />
        <text x=${ex} y=${b.top + 8} text-anchor="middle" dominant-baseline="central">${i + 1}</text>
      </g>`;
    })}
    <g class="marker ath">
      <circle cx=${ath.x} cy=${ath.y} r="4.5" />
      <text x=${inside(b, ath.x)} y=${Math.max(b.top + 4, ath.y - 9)} text-anchor="middle">${f.price(chart.ath.close)}</text>
    </g>
    ${trough && chart.trough
      ? html`<g class="marker trough">
          <circle cx=${trough.x} cy=${trough.y} r="4.5" />
          <text x=${inside(b, trough.x)} y=${Math.min(b.bottom - 4, trough.y + 18)} text-anchor="middle">${f.price(chart.trough.close)}</text>
        </g>`
      : null}
    <g class="marker last">
      <circle cx=${px(lastPoint)} cy=${y(lastPoint.close)} r="3.5" />
      <text x=${px(lastPoint) + 8} y=${y(lastPoint.close) + 4}>${f.price(lastPoint.close)}</text>
    </g>
  </svg>`;
}

export function UnderwaterChart({ chart, f, m }: ChartProps): VNode {
  const b = box(200);
  const { first, last } = xDomain(chart);
  const x = timeScale(b, first, last);
  let min = 0;
  for (const p of chart.points) min = Math.min(min, p.drawdown);
  const y = drawdownScale(b, min);
  const px = (p: PricePoint) => x(toDate(p.date));
  const fill = area<PricePoint>().x(px).y0(y(0)).y1((p) => y(p.drawdown)).digits(1)(chart.points) ?? '';
  const edge = line<PricePoint>().x(px).y((p) => y(p.drawdown)).digits(1)(chart.points) ?? '';
  const lastPoint = chart.points[chart.points.length - 1]!;
  const title = m.charts.underwater(chart.symbol);
  return html`<svg class="chart" data-chart="underwater" data-symbol=${chart.symbol} viewBox="0 0 ${b.width} ${b.height}" role="img" aria-label=${title}>
    <title>${title}</title>
    ${frame(b, timeTicks(x, f), pctTicks(y, f, 4), { y: m.charts.drawdown })}
    <path class="dd-area" d=${fill} />
    <path class="dd-line" d=${edge} />
    <g class="marker now">
      <circle cx=${px(lastPoint)} cy=${y(lastPoint.drawdown)} r="4" />
      <text x=${px(lastPoint) + 8} y=${y(lastPoint.drawdown) + 4}>${f.pct(lastPoint.drawdown)}</text>
    </g>
  </svg>`;
}

export function fallColor(lines: readonly FallLine[], l: FallLine): string {
  const same = lines.filter((o) => o.kind === l.kind);
  const palette = l.kind === 'ticker' ? TICKER_COLORS : REFERENCE_COLORS;
  return palette[same.indexOf(l) % palette.length]!;
}

/** Short label at a line's end: the ticker, or the index and the year its fall began. */
function endLabel(l: FallLine): string {
  return l.kind === 'ticker' ? l.symbol : `${l.symbol} ${l.peakDate.slice(0, 4)}`;
}

export function ComparisonChart({ comparison, f, m }: { comparison: FallComparison; f: Formatter; m: Messages }): VNode {
  const b = box(320);
  const lines = comparison.lines;
  let maxSession = 1;
  let min = 0;
  for (const l of lines) {
    for (const p of l.points) {
      maxSession = Math.max(maxSession, p.session);
      min = Math.min(min, p.drawdown);
    }
  }
  const x = scaleLinear().domain([0, maxSession]).nice(8).range([b.left, b.right]);
  const y = drawdownScale(b, min);
  const path = line<FallLine['points'][number]>().x((p) => x(p.session)).y((p) => y(p.drawdown)).digits(1);
  // Tickers last, so the current falls are drawn over the references.
  const order = [...lines].sort((a, c) => (a.kind === c.kind ? 0 : a.kind === 'reference' ? -1 : 1));
  return html`<svg class="chart" data-chart="comparison" data-claim=${comparison.claimId} viewBox="0 0 ${b.width} ${b.height}" role="img" aria-label=${m.charts.comparison}>
    <title>${m.charts.comparison}</title>
    ${frame(b, numberTicks(x, f), pctTicks(y, f, 5), { x: m.charts.sessionsSincePeak, y: m.charts.drawdown })}
    ${order.map((l) => {
      const end = l.points[l.points.length - 1]!;
      const color = fallColor(lines, l);
      const ex = x(end.session);
      return html`<g class=${`fall ${l.kind} ${l.source}`} data-line=${l.id}>
        <path d=${path(l.points) ?? ''} stroke=${color} />
        <circle cx=${ex} cy=${y(end.drawdown)} r="4" fill=${color} />
        <text x=${ex + (anchorFor(b, ex) === 'start' ? 7 : -7)} y=${y(end.drawdown) + 4} text-anchor=${anchorFor(b, ex)} fill=${color}>
          ${`${endLabel(l)} ${f.pct(end.drawdown)}`}
        </text>
      </g>`;
    })}
  </svg>`;
}
