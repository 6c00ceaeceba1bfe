// A constructed report document for renderer and browser tests: synthetic closes with exact anchors
// (ORCL peaks at 328.33 on 2025-09-10 and closes at 194.91), a symbol and a headline that try to inject
// markup, optionally a simulated symbol. Pure; reads only the repository's config/claims.json.
import { readFileSync } from 'node:fs';
import type { BarSource, ClosePoint, IsoDate } from '../../../src/domain.js';
import { zonedDate } from '../../../src/market/zoned-time.js';
import { parseClaimsConfig, type ClaimsConfig } from '../../../src/analysis/claims/config.js';
import { buildReportDocument, type ReportDocument } from '../../../src/report/document.js';
import type { SourcedQuote } from '../../../src/report/provenance.js';
import { rng, storedAsOf, weekdays } from './fixtures.js';

export const EVIL_SYMBOL = '<script>window.__pwned=1</script>';
export const EVIL_HEADLINE = 'Amazon <script>window.__pwned=2</script> & OpenAI | talks';
export const ASOF: IsoDate = '2025-12-31';

/**
 * Weekday closes through the anchors (date, close), in order. Between two anchors each close lies
 * between the segment's lower end and the straight line, so anchors stay the exact highs and lows.
 */
export function anchored(anchors: readonly [IsoDate, number][], seed: number): ClosePoint[] {
  const r = rng(seed);
  const [first] = anchors[0]!;
  const [last] = anchors[anchors.length - 1]!;
  const dates = weekdays(first, 20_000).filter((d) => d <= last);
  const out: ClosePoint[] = [];
  let seg = 0;
  for (const date of dates) {
    while (seg < anchors.length - 2 && date > anchors[seg + 1]![0]) seg++;
    const [d0, c0] = anchors[seg]!;
    const [d1, c1] = anchors[seg + 1]!;
    if (date === d0 || date === d1) {
      out.push({ date, close: date === d0 ? c0 : c1 });
      continue;
    }
    const t = (Date.parse(date) - Date.parse(d0)) / (Date.parse(d1) - Date.parse(d0));
    const line = c0 + (c1 - c0) * t;
    const lo = Math.min(c0, c1);
    out.push({ date, close: lo + (line - lo) * (1 - 0.25 * r()) });
  }
  return out;
}

/**
 * The shipped claims, with a hostile headline. `verdictReading` overrides claim 1's: the shipped one
 * (the cohort) needs 2000 and 2008 stock histories, which the sample series do not reach.
 */
export function sampleClaimsConfig(options: { verdictReading?: 'index' | 'own_history' | 'cohort' } = {}): ClaimsConfig {
  const json = JSON.parse(readFileSync(new URL('../../../config/claims.json', import.meta.url), 'utf8'));
  json.newsEvents[0].headline = { en: EVIL_HEADLINE, 'zh-Hant': `亞馬遜 ${EVIL_HEADLINE}` };
  if (options.verdictReading) json.claims.find((c: { kind: string }) => c.kind === 'drawdown_vs_reference').verdictReading = options.verdictReading;
  return parseClaimsConfig(json);
}

/**
 * `crowded`: ORCL peaks on CRWV's peak day and falls as far (-60.4 % against -61.0 %), so the two
 * falls end on the same point of the comparison chart and their labels compete for one place.
 */
export function sampleSeries(options: { crowded?: boolean } = {}): Map<string, ClosePoint[]> {
  const orcl: [IsoDate, number][] = options.crowded
    ? [['2023-12-01', 100], ['2024-06-03', 140], ['2025-06-20', 328.33], ['2025-12-17', 120], [ASOF, 130]]
    : [['2023-12-01', 100], ['2024-06-03', 140], ['2025-09-10', 328.33], ['2025-12-17', 178.46], [ASOF, 194.91]];
  return new Map<string, ClosePoint[]>([
    ['ORCL', anchored(orcl, 1)],
    ['CRWV', anchored([['2025-03-28', 40], ['2025-06-20', 183.58], ['2025-12-17', 65], [ASOF, 71.61]], 2)],
    ['AMZN', anchored([['2023-01-03', 85], ['2024-07-08', 200], ['2025-04-08', 170], ['2025-11-03', 254], [ASOF, 230.82]], 3)],
    ['NVDA', anchored([['2023-01-03', 15], ['2025-01-06', 149], ['2025-04-04', 94.31], ['2025-10-29', 207.04], [ASOF, 186.5]], 4)],
    ['META', anchored([['2023-01-03', 124], ['2025-08-12', 790], ['2025-11-20', 590], [ASOF, 660.09]], 5)],
    // Spans the 2008 window, so that reference is measured from data; ^IXIC is absent (config figures).
    ['^GSPC', anchored([['2007-01-02', 1416.6], ['2007-10-09', 1565.15], ['2009-03-09', 676.53], ['2013-03-28', 1569.19], ['2025-12-24', 6932.05], [ASOF, 6845.5]], 6)],
    [EVIL_SYMBOL, anchored([['2025-06-02', 10], ['2025-09-01', 20], [ASOF, 5]], 7)],
  ]);
}

export const SAMPLE_SYMBOLS = ['AMZN', 'ORCL', 'CRWV', 'NVDA', 'META', 'GOOGL', '^GSPC', EVIL_SYMBOL];

export function sampleDocument(
  options: { simulated?: boolean; asOf?: IsoDate; crowded?: boolean; verdictReading?: 'index' | 'own_history' | 'cohort' } = {},
): ReportDocument {
  const series = sampleSeries(options);
  const barSources = new Map<string, BarSource[]>([...series.keys()].map((s) => [s, ['import']]));
  if (options.simulated) barSources.set('NVDA', ['sim']);
  const quotes: SourcedQuote[] = [
    {
      symbol: 'ORCL',
      ts: new Date('2025-12-31T21:00:00Z'),
      price: 194.91,
      marketCap: 5.5e11,
      volume: null,
      marketState: 'POST',
      currency: 'USD',
      source: 'yahoo',
    },
  ];
  const asOf = options.asOf ?? ASOF;
  return buildReportDocument({
    asOf,
    ...storedAsOf(series, asOf),
    // As the database hands them over: only quotes stamped (New York date) on or before asOf.
    quotes: quotes.filter((q) => zonedDate(q.ts, 'America/New_York') <= asOf),
    claimsConfig: sampleClaimsConfig({ verdictReading: options.verdictReading }),
    symbols: SAMPLE_SYMBOLS,
    generatedAt: new Date('2026-01-01T22:00:00Z'),
    barSources,
    names: new Map([
      ['ORCL', 'Oracle Corporation'],
      [EVIL_SYMBOL, 'Evil | <b>Corp</b>'],
    ]),
  });
}
