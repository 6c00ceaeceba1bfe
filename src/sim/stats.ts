// Request counters and logs of the sim, served at GET /__stats so tests and benchmarks can see what a
// client really did (how many chart calls, which ranges, which faults it had to get through).
import type { SimEndpoint, SimFaultKind } from './faults.js';

export interface SimChartRequest {
  symbol: string;
  period1: number | null;
  period2: number | null;
  /** HTTP status sent, or the fault that replaced the answer ('reset', 'hang', 'truncated'). */
  outcome: string;
}

export interface SimQuoteRequest {
  symbols: string[];
  outcome: string;
}

export interface SimStats {
  requests: number;
  byEndpoint: Record<string, number>;
  /** Keyed by status code, or 'reset' / 'hang' for answers that never came. */
  byStatus: Record<string, number>;
  faults: { total: number; byKind: Partial<Record<SimFaultKind, number>> };
  chartRequests: SimChartRequest[];
  quoteRequests: SimQuoteRequest[];
  /** Cookie+crumb handshakes completed (getcrumb answered 200). */
  crumbsIssued: number;
  /** Hung requests still open (the client has not given up yet). */
  openHangs: number;
}

export type EndpointName = SimEndpoint | 'other';

export class StatsRecorder {
  #stats: SimStats = StatsRecorder.empty();

  static empty(): SimStats {
    return {
      requests: 0,
      byEndpoint: {},
      byStatus: {},
      faults: { total: 0, byKind: {} },
      chartRequests: [],
      quoteRequests: [],
      crumbsIssued: 0,
      openHangs: 0,
    };
  }

  request(endpoint: EndpointName): void {
    this.#stats.requests++;
    this.#stats.byEndpoint[endpoint] = (this.#stats.byEndpoint[endpoint] ?? 0) + 1;
  }

  outcome(outcome: string | number): void {
    const key = String(outcome);
    this.#stats.byStatus[key] = (this.#stats.byStatus[key] ?? 0) + 1;
  }

  fault(kind: SimFaultKind): void {
    this.#stats.faults.total++;
    this.#stats.faults.byKind[kind] = (this.#stats.faults.byKind[kind] ?? 0) + 1;
  }

  chart(entry: SimChartRequest): void {
    this.#stats.chartRequests.push(entry);
  }

  quote(entry: SimQuoteRequest): void {
    this.#stats.quoteRequests.push(entry);
  }

  crumbIssued(): void {
    this.#stats.crumbsIssued++;
  }

  hang(delta: 1 | -1): void {
    this.#stats.openHangs += delta;
  }

  snapshot(): SimStats {
    return structuredClone(this.#stats);
  }

  reset(): void {
    const openHangs = this.#stats.openHangs;
    this.#stats = StatsRecorder.empty();
    this.#stats.openHangs = openHangs;
  }
}
