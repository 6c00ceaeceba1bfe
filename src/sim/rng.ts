// Seeded randomness for the simulated feed. Everything the sim invents (prices, faults, crumbs) comes
// from here, so a seed reproduces a run exactly.

/** FNV-1a over a string: a stable 32-bit seed from names like "42:NVDA". */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: tiny, fast and good enough for simulation; returns floats in [0, 1). */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box-Muller); always consumes exactly two uniforms so streams stay aligned. */
export function normal(rng: () => number): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** One uniform draw derived from a key, independent of any stream (used for per-request fault rolls). */
export function uniformFor(key: string): number {
  return createRng(hashString(key))();
}
