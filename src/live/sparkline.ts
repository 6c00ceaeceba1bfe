// Pure: the intraday line as SVG coordinates. The x axis is time within the points' span (not the
// whole session: a few minutes of quotes should still read as a line), the y axis the price range
// with a floor so a flat price draws a flat line in the middle instead of dividing by zero.

export interface SparkGeometry {
  width: number;
  height: number;
  /** "x,y x,y ..." for a <polyline>; empty with fewer than two points. */
  points: string;
  /** The last point, for a dot. */
  last: { x: number; y: number } | null;
  /** Up (last >= first) or down: the line's colour. */
  trend: 'up' | 'down' | 'flat';
}

export function sparkline(series: readonly { t: number; price: number }[], width = 120, height = 32, pad = 3): SparkGeometry {
  const empty: SparkGeometry = { width, height, points: '', last: null, trend: 'flat' };
  if (series.length === 0) return empty;
  const t0 = series[0]!.t;
  const t1 = series.at(-1)!.t;
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of series) {
    lo = Math.min(lo, p.price);
    hi = Math.max(hi, p.price);
  }
  const span = hi - lo || Math.max(hi * 0.001, 1e-9);
  const mid = hi === lo ? lo - span / 2 : lo;
  const x = (t: number) => (t1 === t0 ? width - pad : pad + ((t - t0) / (t1 - t0)) * (width - 2 * pad));
  const y = (p: number) => height - pad - ((p - mid) / span) * (height - 2 * pad);
  const round = (v: number) => Math.round(v * 10) / 10;
  const coords = series.map((p) => ({ x: round(x(p.t)), y: round(y(p.price)) }));
  const first = series[0]!.price;
  const lastPrice = series.at(-1)!.price;
  return {
    width,
    height,
    points: coords.length >= 2 ? coords.map((c) => `${c.x},${c.y}`).join(' ') : '',
    last: coords.at(-1)!,
    trend: lastPrice > first ? 'up' : lastPrice < first ? 'down' : 'flat',
  };
}
