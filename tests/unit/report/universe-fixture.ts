// A generated universe for tests that need every claim measured: the eight stocks and both indexes
// on NYSE-like weekdays from December 1999 (GOOGL from its 2004 listing, META from 2012, CRWV from
// March 2025), seeded random walks with volumes, long enough for the 2000 and 2008 windows, the chase's
// earlier years and each stock's own run-ups. Generated, not copied: no real prices. Pure.
import { readFileSync } from 'node:fs';
import type { BarSource, ClosePoint, IsoDate, VolumePoint } from '../../../src/domain.js';
import { parseClaimsConfig, type ClaimsConfig } from '../../../src/analysis/claims/config.js';
import { buildReportDocument, type ReportDocument } from '../../../src/report/document.js';
import { normal } from '../../../src/sim/rng.js';
import { rng, storedAsOf, weekdays } from './fixtures.js';

export const UNIVERSE_TICKERS = ['AMZN', 'ORCL', 'CRWV', 'GOOGL', 'QCOM', 'INTC', 'NVDA', 'META'] as const;
const LISTED: Record<string, IsoDate> = { GOOGL: '2004-08-19', META: '2012-05-18', CRWV: '2025-03-28' };
const DATES = weekdays('1999-12-01', 7000).filter((d) => d <= '2026-06-30');

/** A random walk of daily log returns (drift, volatility), from 100, over the dates from `from`. */
function walk(seed: number, from: IsoDate, drift: number, vol: number, market: readonly number[]): ClosePoint[] {
  const random = rng(seed);
  let price = 100;
  const out: ClosePoint[] = [];
  DATES.forEach((date, i) => {
    // Every stock moves partly with the market (beta 1.2), partly on its own.
    price *= Math.exp(drift + 1.2 * market[i]! + vol * normal(random));
    if (date >= from) out.push({ date, close: Math.round(price * 100) / 100 });
  });
  return out;
}

export interface Universe {
  closes: Map<string, ClosePoint[]>;
  volumes: Map<string, VolumePoint[]>;
}

export function universe(): Universe {
  const m = rng(99);
  const market = DATES.map(() => 0.012 * normal(m));
  const index = (scale: number) => {
    let level = 1000 * scale;
    return DATES.map((date, i) => {
      level *= Math.exp(0.0003 + market[i]!);
      return { date, close: Math.round(level * 100) / 100 };
    });
  };
  const closes = new Map<string, ClosePoint[]>([
    ['^GSPC', index(1)],
    ['^IXIC', index(2)],
  ]);
  const volumes = new Map<string, VolumePoint[]>();
  UNIVERSE_TICKERS.forEach((t, k) => {
    const points = walk(11 + k, LISTED[t] ?? DATES[0]!, 0.0003 + 0.0001 * k, 0.015 + 0.002 * k, market);
    closes.set(t, points);
    const v = rng(50 + k);
    volumes.set(t, points.map((p) => ({ date: p.date, volume: Math.round(1e6 * (0.6 + v())) })));
  });
  return { closes, volumes };
}

export function shippedClaims(): ClaimsConfig {
  return parseClaimsConfig(JSON.parse(readFileSync(new URL('../../../config/claims.json', import.meta.url), 'utf8')));
}

/** The report document on `asOf` over the generated universe, as the report job builds it. */
export function universeDocument(asOf: IsoDate, options: { staleIndexesFrom?: IsoDate } = {}): ReportDocument {
  const { closes, volumes } = universe();
  if (options.staleIndexesFrom) {
    // The indexes stop updating: their history ends before the stocks' (as the real CSVs do).
    for (const s of ['^GSPC', '^IXIC']) closes.set(s, closes.get(s)!.filter((p) => p.date < options.staleIndexesFrom!));
  }
  const stored = storedAsOf(closes, asOf);
  const cut = new Map([...volumes].map(([s, v]) => [s, v.filter((p) => p.date <= asOf)]));
  return buildReportDocument({
    asOf,
    ...stored,
    volumes: cut,
    claimsConfig: shippedClaims(),
    generatedAt: new Date(`${asOf}T22:00:00Z`),
    barSources: new Map<string, BarSource[]>([...closes.keys()].map((s) => [s, ['import']])),
  });
}
