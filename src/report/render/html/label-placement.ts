// Where chart labels go so that none covers another and none leaves the chart (pure). The SVG is
// rendered on the server, so text is measured by estimate: widths per character class, rounded up,
// so that a label the browser draws is never wider than the box we kept free for it. Placement is
// the usual greedy one: labels in priority order, each takes the first candidate position (beside
// its point, then shifted up or down with a leader line) that is inside the bounds and free.

export interface Rect {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Widths in em, rounded up from the widest of the fonts the page asks for (DejaVu, Noto, Arial). */
function charWidth(ch: string): number {
  const code = ch.codePointAt(0)!;
  // CJK, kana, full-width forms: square.
  if (code >= 0x2e80) return 1.02;
  if (/[0-9$]/.test(ch)) return 0.7;
  if (/[%MWmw@]/.test(ch)) return 1.02;
  if (/[A-Z^&]/.test(ch)) return 0.82;
  if (/[a-z]/.test(ch)) return 0.66;
  if (/[\s.,:;'|!()[\]/-]/.test(ch)) return 0.42;
  return 0.75;
}

/** Estimated advance width of `text` at `fontSize`; bold (600+) runs about 8 % wider. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const ch of text) em += charWidth(ch);
  return em * fontSize * (bold ? 1.08 : 1);
}

/**
 * The box of a text drawn with baseline `y`. Browsers size a text's box by the font's ascent and
 * descent (CJK fallbacks reach higher than Latin), so the box is taller than the glyphs.
 */
export function textBox(x: number, y: number, width: number, fontSize: number, anchor: Anchor): Rect {
  const left = anchor === 'start' ? x : anchor === 'end' ? x - width : x - width / 2;
  return { left, right: left + width, top: y - 1.12 * fontSize, bottom: y + 0.36 * fontSize };
}

export type Anchor = 'start' | 'middle' | 'end';
export type Side = 'right' | 'left' | 'above' | 'below';
const SIDES: readonly Side[] = ['right', 'left', 'above', 'below'];

export interface LabelRequest {
  /** The point the label names. */
  x: number;
  y: number;
  text: string;
  fontSize: number;
  bold?: boolean;
  /** Sides to try, in order (default right, left, above, below). */
  sides?: readonly Side[];
  /** Gap between the point and the label. */
  gap?: number;
}

export interface PlacedLabel {
  text: string;
  /** Where to draw the text: x with `anchor`, y the baseline. */
  x: number;
  y: number;
  anchor: Anchor;
  box: Rect;
  /** Set when the label had to move away from its point: a line from the point to the label. */
  leader: { x1: number; y1: number; x2: number; y2: number } | null;
}

export function intersects(a: Rect, b: Rect, pad = 0): boolean {
  return a.left < b.right + pad && b.left < a.right + pad && a.top < b.bottom + pad && b.top < a.bottom + pad;
}

export function contains(outer: Rect, inner: Rect): boolean {
  return inner.left >= outer.left && inner.right <= outer.right && inner.top >= outer.top && inner.bottom <= outer.bottom;
}

interface Candidate {
  x: number;
  y: number;
  anchor: Anchor;
  shifted: boolean;
  /** Steps away from the point (0: beside it). */
  round: number;
}

/** Positions beside the point on each side, then the left/right ones shifted away step by step. */
function candidates(r: LabelRequest, height: number): Candidate[] {
  const gap = r.gap ?? 7;
  const sides = r.sides ?? SIDES;
  // Baseline that centres the text's box on the point.
  const mid = r.y + 0.38 * r.fontSize;
  const step = height + 2;
  const at = (side: Side, dy: number): Candidate => {
    const shifted = dy !== 0;
    const round = Math.round(Math.abs(dy) / step);
    if (side === 'right') return { x: r.x + gap, y: mid + dy, anchor: 'start', shifted, round };
    if (side === 'left') return { x: r.x - gap, y: mid + dy, anchor: 'end', shifted, round };
    if (side === 'above') return { x: r.x, y: r.y - gap - 0.36 * r.fontSize + dy, anchor: 'middle', shifted, round };
    return { x: r.x, y: r.y + gap + 1.12 * r.fontSize + dy, anchor: 'middle', shifted, round };
  };
  const out = sides.map((s) => at(s, 0));
  for (let k = 1; k <= 12; k++) {
    for (const s of sides) {
      if (s === 'above') out.push(at(s, -k * step));
      else if (s === 'below') out.push(at(s, k * step));
      else out.push(at(s, k * step), at(s, -k * step));
    }
  }
  return out;
}

/** Moves a box horizontally into the bounds (a centred label near an edge slides inward). */
function slideInside(c: Candidate, box: Rect, bounds: Rect): { c: Candidate; box: Rect } {
  const dx = box.left < bounds.left ? bounds.left - box.left : box.right > bounds.right ? bounds.right - box.right : 0;
  if (dx === 0 || c.anchor !== 'middle') return { c, box };
  return { c: { ...c, x: c.x + dx }, box: { ...box, left: box.left + dx, right: box.right + dx } };
}

/** Points along polylines, no further apart than `step`, for placeLabels to keep labels off the lines. */
export function alongLines(lines: readonly (readonly { x: number; y: number }[])[], step = 4): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  for (const pts of lines) {
    pts.forEach((p, i) => {
      const q = pts[i + 1];
      out.push(p);
      if (!q) return;
      const n = Math.floor(Math.hypot(q.x - p.x, q.y - p.y) / step);
      for (let k = 1; k < n; k++) out.push({ x: p.x + ((q.x - p.x) * k) / n, y: p.y + ((q.y - p.y) * k) / n });
    });
  }
  return out;
}

/** What moving a label one step away from its point costs, in plotted points it may cover instead. */
const SHIFT_COST = 15;

/**
 * Places labels in the given order (most important first), each clear of `obstacles` (axis labels,
 * markers) and of the labels placed before it, inside `bounds`. Among the free candidates it takes the
 * one covering fewest of `avoid` (points of the plotted lines: covering a line is allowed, just
 * avoided), against how far it moves. When no candidate is free (a crowded chart), it takes the one
 * that overlaps least.
 */
export function placeLabels(
  requests: readonly LabelRequest[],
  bounds: Rect,
  obstacles: readonly Rect[] = [],
  avoid: readonly { x: number; y: number }[] = [],
): PlacedLabel[] {
  const taken: Rect[] = [...obstacles];
  return requests.map((r) => {
    const width = textWidth(r.text, r.fontSize, r.bold);
    const height = 1.48 * r.fontSize;
    let best: { c: Candidate; box: Rect; cost: number; soft: number } | null = null;
    for (const raw of candidates(r, height)) {
      const placed = slideInside(raw, textBox(raw.x, raw.y, width, r.fontSize, raw.anchor), bounds);
      if (!contains(bounds, placed.box)) continue;
      const cost = taken.reduce((sum, t) => sum + overlapArea(placed.box, t, 1), 0);
      if (best && cost > best.cost) continue;
      const soft = cost === 0 ? covered(placed.box, avoid) + raw.round * SHIFT_COST : 0;
      if (!best || cost < best.cost || soft < best.soft) best = { ...placed, cost, soft };
      if (best.cost === 0 && best.soft === 0) break;
    }
    const c = best?.c ?? { x: r.x, y: r.y, anchor: 'middle' as const, shifted: false, round: 0 };
    const box = best?.box ?? textBox(c.x, c.y, width, r.fontSize, c.anchor);
    taken.push(box);
    const leader = c.shifted ? leaderTo(r, box) : null;
    return { text: r.text, x: c.x, y: c.y, anchor: c.anchor, box, leader };
  });
}

function covered(box: Rect, points: readonly { x: number; y: number }[]): number {
  let n = 0;
  for (const p of points) if (p.x >= box.left - 1 && p.x <= box.right + 1 && p.y >= box.top - 1 && p.y <= box.bottom + 1) n++;
  return n;
}

function overlapArea(a: Rect, b: Rect, pad: number): number {
  const w = Math.min(a.right, b.right + pad) - Math.max(a.left, b.left - pad);
  const h = Math.min(a.bottom, b.bottom + pad) - Math.max(a.top, b.top - pad);
  return w > 0 && h > 0 ? w * h : 0;
}

/** From the point to the nearest edge of the label's box. */
function leaderTo(r: LabelRequest, box: Rect) {
  const x2 = r.x <= box.left ? box.left - 2 : r.x >= box.right ? box.right + 2 : r.x;
  const y2 = Math.min(Math.max(r.y, box.top + 2), box.bottom - 2);
  return { x1: r.x, y1: r.y, x2, y2 };
}

/**
 * Axis labels along one line that fit without touching: drops every second tick, then every third,
 * and so on, until neighbours keep `gap` between them and the outer ones stay inside [min, max].
 */
export function spaceTicks<T extends { at: number; label: string }>(
  ticks: readonly T[],
  fontSize: number,
  min: number,
  max: number,
  gap = 8,
): T[] {
  const half = (t: T) => textWidth(t.label, fontSize) / 2;
  const inside = ticks.filter((t) => t.at - half(t) >= min && t.at + half(t) <= max);
  for (let every = 1; every <= inside.length; every++) {
    const kept = inside.filter((_, i) => i % every === 0);
    if (kept.every((t, i) => i === 0 || t.at - half(t) - (kept[i - 1]!.at + half(kept[i - 1]!)) >= gap)) return kept;
  }
  return inside.slice(0, 1);
}
