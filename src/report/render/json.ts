// The report JSON (DESIGN.md contract): { asOf, basis, symbols, episodes, claims } with every figure the
// model has, plus provenance. Chart series are left out: they are a view of the stored history, which
// SQL reaches directly, and would make the JSON grow with the years.
import type { ReportDocument } from '../document.js';

/** The JSON object (for the reports table's jsonb and for tests). */
export function reportJson(doc: ReportDocument) {
  const { model, provenance } = doc;
  const bySymbol = new Map(provenance.symbols.map((s) => [s.symbol, s]));
  return {
    asOf: model.asOf,
    basis: model.basis,
    generatedAt: doc.generatedAt,
    dataSource: provenance.dataSource,
    simulated: provenance.simulated,
    provenance,
    article: model.article,
    symbols: model.symbols.map((s) => ({
      ...s,
      name: bySymbol.get(s.symbol)?.name ?? null,
      sources: bySymbol.get(s.symbol)?.sources ?? [],
      simulated: bySymbol.get(s.symbol)?.simulated ?? false,
    })),
    episodes: model.episodes,
    claims: model.claims,
    /** Inputs whose last close is more than two sessions before asOf (each claim lists its own too). */
    staleInputs: model.staleInputs,
    verdictHistory: model.verdictHistory,
    missingSymbols: model.missingSymbols,
  };
}

export function renderJson(doc: ReportDocument): string {
  return `${JSON.stringify(reportJson(doc), null, 2)}\n`;
}
