// What every chart shares: the plot box, grid lines with tick labels, axis titles. Scales come from
// d3-scale; tick labels go through the report's locale formatter, not d3's English defaults. Each
// chart is drawn twice, wide for a desktop and narrow for a phone (CSS shows one): an SVG scaled down
// to a phone's width would shrink its text to 5 px, so the narrow one is laid out for its own width.
import { scaleLinear, scaleLog, scaleUtc, type ScaleContinuousNumeric, type ScaleTime } from 'd3-scale';
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import type { IsoDate } from '../../../domain.js';
import type { Formatter } from '../number-format.js';
import { spaceTicks, textWidth, type Rect } from './label-placement.js';

export const WIDTH = 760;
export const MARGIN = { top: 26, right: 64, bottom: 42, left: 64 } as const;
/** A phone's content width (390 px less the page's padding): drawn 1:1, text stays 11-12 px. */
export const NARROW_WIDTH = 340;
const NARROW_MARGIN = { top: 26, right: 14, bottom: 42, left: 40 } as const;

/** Font sizes of the frame's text, as styles.ts sets them (labels are measured with these). */
export const TICK_FONT = 11;
export const TITLE_FONT = 12;
export const LABEL_FONT = 12;

/** The two renderings of every chart. */
export type ChartWidth = 'wide' | 'narrow';
export const CHART_WIDTHS: readonly ChartWidth[] = ['wide', 'narrow'];

export interface Box {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** The plot box of a chart `height` high (wide) at one of the two widths; narrow charts are shorter. */
export function box(height: number, at: ChartWidth = 'wide'): Box {
  const width = at === 'wide' ? WIDTH : NARROW_WIDTH;
  const margin = at === 'wide' ? MARGIN : NARROW_MARGIN;
  const h = at === 'wide' ? height : Math.round(height * 0.85);
  return { width, height: h, left: margin.left, right: width - margin.right, top: margin.top, bottom: h - margin.bottom };
}

/** The box with its left margin widened so the widest y tick label fits beside the axis. */
export function fitLeft(b: Box, yTicks: readonly Tick[]): Box {
  const widest = Math.max(0, ...yTicks.map((t) => textWidth(t.label, TICK_FONT)));
  return { ...b, left: Math.max(b.left, Math.ceil(widest + 12)) };
}

/** The whole chart, less a pixel: what any label must stay inside. */
export function chartBounds(b: Box): Rect {
  return { left: 1, right: b.width - 1, top: 1, bottom: b.height - 1 };
}

export interface Tick {
  at: number;
  label: string;
}

export const toDate = (d: IsoDate): Date => new Date(`${d}T00:00:00Z`);
const toIso = (d: Date): IsoDate => d.toISOString().slice(0, 10);

export function timeScale(b: Box, from: IsoDate, to: IsoDate): ScaleTime<number, number> {
  return scaleUtc().domain([toDate(from), toDate(to)]).range([b.left, b.right]);
}

/** Years on a long span, months on a short one; frame() drops those that would touch. */
export function timeTicks(x: ScaleTime<number, number>, f: Formatter): Tick[] {
  const [a, b] = x.domain() as [Date, Date];
  const years = (b.getTime() - a.getTime()) / (365.25 * 86_400_000);
  const ticks = x.ticks(years > 3 ? 8 : 6);
  return ticks.map((d) => ({ at: x(d), label: years > 3 ? f.year(toIso(d)) : f.month(toIso(d)) }));
}

/** A price axis: log when the window spans a wide range (a 30-year chart), else linear. */
export function priceScale(b: Box, lo: number, hi: number, log: boolean): ScaleContinuousNumeric<number, number> {
  return log
    ? scaleLog().domain([lo * 0.9, hi * 1.1]).range([b.bottom, b.top])
    : scaleLinear().domain([Math.max(0, lo - (hi - lo) * 0.08), hi + (hi - lo) * 0.08]).nice(5).range([b.bottom, b.top]);
}

export function priceTicks(y: ScaleContinuousNumeric<number, number>, f: Formatter, log: boolean): Tick[] {
  let ticks = y.ticks(5);
  if (log) {
    // d3 offers 1..9 in every decade; keep 1-2-5 steps, or only powers of ten on long spans.
    const lead = (v: number) => Number(v.toExponential(0).split('e')[0]);
    ticks = ticks.filter((v) => [1, 2, 5].includes(lead(v)));
    if (ticks.length > 7) ticks = ticks.filter((v) => lead(v) === 1);
  }
  return ticks.map((v) => ({ at: y(v), label: f.num(v, v < 10 ? 2 : 0) }));
}

export function drawdownScale(b: Box, min: number): ScaleContinuousNumeric<number, number> {
  return scaleLinear().domain([Math.min(min * 1.08, -0.05), 0]).nice(5).range([b.bottom, b.top]);
}

export function pctTicks(y: ScaleContinuousNumeric<number, number>, f: Formatter, count = 5): Tick[] {
  return y.ticks(count).map((v) => ({ at: y(v), label: f.pct(v, 0) }));
}

export function numberTicks(x: ScaleContinuousNumeric<number, number>, f: Formatter, count = 8): Tick[] {
  return x.ticks(count).map((v) => ({ at: x(v), label: f.int(v) }));
}

export interface Frame {
  node: VNode;
  /** The boxes of the frame's text, which chart labels must keep clear of. */
  taken: Rect[];
}

/**
 * Horizontal grid with y labels on the left, x ticks along the bottom (thinned until none touches),
 * axis titles.
 */
export function frame(b: Box, allXTicks: Tick[], yTicks: Tick[], titles: { x?: string; y?: string } = {}): Frame {
  const xTicks = spaceTicks(allXTicks, TICK_FONT, 1, b.width - 1);
  const taken: Rect[] = [
    ...yTicks.map((t) => ({ left: b.left - 8 - textWidth(t.label, TICK_FONT), right: b.left - 8, top: t.at - 8, bottom: t.at + 8 })),
    ...xTicks.map((t) => {
      const w = textWidth(t.label, TICK_FONT);
      return { left: t.at - w / 2, right: t.at + w / 2, top: b.bottom + 5, bottom: b.bottom + 23 };
    }),
    ...(titles.y ? [{ left: b.left, right: b.left + textWidth(titles.y, TITLE_FONT, true), top: b.top - 26, bottom: b.top - 5 }] : []),
    ...(titles.x ? [{ left: b.right - textWidth(titles.x, TITLE_FONT, true), right: b.right, top: b.height - 20, bottom: b.height }] : []),
  ];
  return { node: frameNode(b, xTicks, yTicks, titles), taken };
}

function frameNode(b: Box, xTicks: Tick[], yTicks: Tick[], titles: { x?: string; y?: string }): VNode {
  return html`<g class="frame">
    ${yTicks.map(
      (t) => html`<g>
        <line class="grid" x1=${b.left} x2=${b.right} y1=${t.at} y2=${t.at} />
        <text class="tick" x=${b.left - 8} y=${t.at} text-anchor="end" dominant-baseline="middle">${t.label}</text>
      </g>`,
    )}
    <line class="axis" x1=${b.left} x2=${b.right} y1=${b.bottom} y2=${b.bottom} />
    ${xTicks.map(
      (t) => html`<g>
        <line class="axis" x1=${t.at} x2=${t.at} y1=${b.bottom} y2=${b.bottom + 5} />
        <text class="tick" x=${t.at} y=${b.bottom + 18} text-anchor="middle">${t.label}</text>
      </g>`,
    )}
    ${titles.y ? html`<text class="axis-title" x=${b.left} y=${b.top - 10} text-anchor="start">${titles.y}</text>` : null}
    ${titles.x ? html`<text class="axis-title" x=${b.right} y=${b.height - 6} text-anchor="end">${titles.x}</text>` : null}
  </g>`;
}
