// The report as the renderers see it (pure): the model (the math, in the JSON contract's shape), where
// its data came from, and the series the charts plot. renderMarkdown/renderHtml/renderJson take this.
import type { BarSource } from '../domain.js';
import { NYSE_TIME_ZONE } from '../market/calendar.js';
import type { ClaimsConfig } from '../analysis/claims/config.js';
import { buildCharts, type ReportCharts } from './render/chart-data.js';
import { buildReportModel, type BuildReportInput, type ReportModel } from './model.js';
import { summarizeProvenance, type Provenance, type SourcedQuote } from './provenance.js';

export interface ReportDocument {
  model: ReportModel;
  /** When the report was made (ISO instant): the only thing that differs between two runs on the same data. */
  generatedAt: string;
  exchangeTimeZone: string;
  provenance: Provenance;
  charts: ReportCharts;
  /** The claims config the model was judged with: the views show its bands and sources. */
  claimsConfig: ClaimsConfig;
}

export interface BuildDocumentInput extends Omit<BuildReportInput, 'quotes'> {
  quotes?: readonly SourcedQuote[];
  generatedAt: Date;
  /** daily_bars.source of the rows used (on or before asOf), per symbol. */
  barSources?: ReadonlyMap<string, readonly BarSource[]>;
  names?: ReadonlyMap<string, string | null>;
  maxChartPoints?: number;
}

export function buildReportDocument(input: BuildDocumentInput): ReportDocument {
  const model = buildReportModel(input);
  const exchangeTimeZone = input.exchangeTimeZone ?? NYSE_TIME_ZONE;
  const bars = new Map<string, { sources: readonly BarSource[]; lastDate: string }>();
  for (const [symbol, s] of input.summaries) bars.set(symbol, { sources: input.barSources?.get(symbol) ?? [], lastDate: s.lastDate });
  return {
    model,
    generatedAt: input.generatedAt.toISOString(),
    exchangeTimeZone,
    provenance: summarizeProvenance({
      symbols: input.symbols ?? [...input.summaries.keys()],
      names: input.names,
      bars,
      quotes: input.quotes,
    }),
    charts: buildCharts(model, input.series, input.claimsConfig, input.maxChartPoints),
    claimsConfig: input.claimsConfig,
  };
}
