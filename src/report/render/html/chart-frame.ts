// What every chart shares: the plot box, grid lines with tick labels, axis titles. Scales come from
// d3-scale; tick labels go through the report's locale formatter, not d3's English defaults.
import { scaleLinear, scaleLog, scaleUtc, type ScaleContinuousNumeric, type ScaleTime } from 'd3-scale';
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import type { IsoDate } from '../../../domain.js';
import type { Formatter } from '../number-format.js';

export const WIDTH = 760;
export const MARGIN = { top: 26, right: 64, bottom: 42, left: 64 } as const;

export interface Box {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export function box(height: number): Box {
  return {
    width: WIDTH,
    height,
    left: MARGIN.left,
    right: WIDTH - MARGIN.right,
    top: MARGIN.top,
    bottom: height - MARGIN.bottom,
  };
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

/** Years on a long span, months on a short one. */
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

/** Horizontal grid with y labels on the left, x ticks along the bottom, axis titles. */
export function frame(b: Box, xTicks: Tick[], yTicks: Tick[], titles: { x?: string; y?: string } = {}): VNode {
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
    ${titles.x ? html`<text class="axis-title" x=${b.right} y=${b.height - 4} text-anchor="end">${titles.x}</text>` : null}
  </g>`;
}
