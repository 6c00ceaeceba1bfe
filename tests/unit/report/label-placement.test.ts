import { describe, expect, it } from 'vitest';
import { alongLines, contains, intersects, placeLabels, spaceTicks, textWidth } from '../../../src/report/render/html/label-placement.js';

const bounds = { left: 0, right: 300, top: 0, bottom: 200 };

describe('placeLabels', () => {
  it('keeps labels of points that coincide apart, inside the bounds, with a leader for the one that moved', () => {
    const same = { x: 150, y: 100, fontSize: 12 };
    const placed = placeLabels(
      [
        { ...same, text: 'ORCL -60.4%' },
        { ...same, text: 'CRWV -61.0%' },
        { ...same, text: '^GSPC 2007 -56.8%' },
      ],
      bounds,
    );
    for (const [i, a] of placed.entries()) {
      expect(contains(bounds, a.box), a.text).toBe(true);
      for (const b of placed.slice(i + 1)) expect(intersects(a.box, b.box), `${a.text} / ${b.text}`).toBe(false);
    }
    expect(placed[0]!.leader).toBeNull();
    expect(placed.slice(1).some((p) => p.leader !== null)).toBe(true);
  });

  it('turns a label at the right edge inward instead of letting it leave the chart', () => {
    const [label] = placeLabels([{ x: 298, y: 100, text: '21,093.10', fontSize: 12 }], bounds);
    expect(label!.anchor).not.toBe('start');
    expect(label!.box.right).toBeLessThanOrEqual(bounds.right);
    expect(label!.box.right - label!.box.left).toBeCloseTo(textWidth('21,093.10', 12), 6);
  });

  it('keeps clear of obstacles such as axis labels', () => {
    const obstacle = { left: 150, right: 250, top: 80, bottom: 120 };
    const [label] = placeLabels([{ x: 140, y: 100, text: '-40.6%', fontSize: 12, sides: ['right', 'left'] }], bounds, [obstacle]);
    expect(intersects(label!.box, obstacle)).toBe(false);
  });
});

describe('placeLabels with lines to avoid', () => {
  it('prefers a free side that no plotted line crosses', () => {
    // A vertical line just right of the point: the label goes left, not over the line.
    const line = alongLines([[{ x: 165, y: 0 }, { x: 165, y: 200 }]]);
    expect(line.length).toBeGreaterThan(40);
    const [label] = placeLabels([{ x: 150, y: 100, text: '-40.6%', fontSize: 12 }], bounds, [], line);
    expect(label!.anchor).toBe('end');
    expect(line.some((p) => p.x >= label!.box.left && p.x <= label!.box.right && p.y >= label!.box.top && p.y <= label!.box.bottom)).toBe(false);
  });
});

describe('spaceTicks', () => {
  it('drops ticks until neighbouring labels no longer touch (CJK month labels are wide)', () => {
    const ticks = Array.from({ length: 9 }, (_, i) => ({ at: 40 + i * 30, label: `2024年${i + 1}月` }));
    const kept = spaceTicks(ticks, 11, 0, 320);
    expect(kept.length).toBeGreaterThan(1);
    expect(kept.length).toBeLessThan(ticks.length);
    kept.forEach((t, i) => {
      if (i === 0) return;
      const prev = kept[i - 1]!;
      expect(t.at - textWidth(t.label, 11) / 2).toBeGreaterThan(prev.at + textWidth(prev.label, 11) / 2);
    });
  });

  it('keeps every tick when they fit', () => {
    const ticks = [0, 100, 200].map((at) => ({ at: at + 50, label: String(at) }));
    expect(spaceTicks(ticks, 11, 0, 300)).toEqual(ticks);
  });
});
