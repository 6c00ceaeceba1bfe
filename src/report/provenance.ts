// Where the report's numbers came from and how fresh they are (pure). The header of every rendering is
// built from this, and anything that came from the simulated feed is flagged here once so each view
// can mark it without re-deriving the rule.
import type { BarSource, IsoDate, QuoteSnapshot } from '../domain.js';

export type QuoteSource = 'yahoo' | 'sim';

/** A stored quote with the feed it came from. */
export interface SourcedQuote extends QuoteSnapshot {
  source: QuoteSource;
}

export interface SymbolProvenance {
  symbol: string;
  name: string | null;
  /** Distinct daily_bars.source of the rows used, sorted; empty when the symbol has no rows. */
  sources: BarSource[];
  lastDate: IsoDate | null;
  /** The latest quote on or before asOf (ISO instant), and its feed. */
  quote: { ts: string; source: QuoteSource } | null;
  /** Some of its bars or its quote came from the simulated feed. */
  simulated: boolean;
}

export interface Provenance {
  /** daily_bars.source of every row used: 'import', 'yahoo', 'sim' or a sorted mix 'import,yahoo'. */
  dataSource: string;
  simulated: boolean;
  /** Earliest and latest last-bar dates over the symbols with data (equal when all are current). */
  lastBar: { min: IsoDate; max: IsoDate } | null;
  /** The most recent quote of any symbol. */
  lastQuote: { symbol: string; ts: string; source: QuoteSource } | null;
  symbols: SymbolProvenance[];
}

export interface ProvenanceInput {
  symbols: readonly string[];
  names?: ReadonlyMap<string, string | null>;
  /** Per symbol: the sources of the bars used and the last bar date (all on or before asOf). */
  bars: ReadonlyMap<string, { sources: readonly BarSource[]; lastDate: IsoDate }>;
  /** Quotes on or before asOf (the model has checked them). */
  quotes?: readonly SourcedQuote[];
}

export function summarizeProvenance(input: ProvenanceInput): Provenance {
  const latest = new Map<string, SourcedQuote>();
  for (const q of input.quotes ?? []) {
    const seen = latest.get(q.symbol);
    if (!seen || q.ts.getTime() > seen.ts.getTime()) latest.set(q.symbol, q);
  }
  const symbols = input.symbols.map((symbol): SymbolProvenance => {
    const bars = input.bars.get(symbol);
    const q = latest.get(symbol);
    const sources = [...new Set(bars?.sources ?? [])].sort();
    return {
      symbol,
      name: input.names?.get(symbol) ?? null,
      sources,
      lastDate: bars?.lastDate ?? null,
      quote: q ? { ts: q.ts.toISOString(), source: q.source } : null,
      simulated: sources.includes('sim') || q?.source === 'sim',
    };
  });
  const allSources = [...new Set([...input.bars.values()].flatMap((b) => b.sources))].sort();
  const lastDates = symbols.flatMap((s) => (s.lastDate ? [s.lastDate] : [])).sort();
  const newest = [...latest.values()].reduce<SourcedQuote | null>((a, q) => (!a || q.ts > a.ts ? q : a), null);
  return {
    dataSource: allSources.join(',') || 'none',
    simulated: symbols.some((s) => s.simulated) || allSources.includes('sim'),
    lastBar: lastDates.length ? { min: lastDates[0]!, max: lastDates[lastDates.length - 1]! } : null,
    lastQuote: newest && { symbol: newest.symbol, ts: newest.ts.toISOString(), source: newest.source },
    symbols,
  };
}
