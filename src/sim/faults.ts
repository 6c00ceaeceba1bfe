// Which requests the sim breaks, and how. A roll is derived from (seed, endpoint, path+query, n-th time
// this exact request was seen), so a seed reproduces the same faults however requests interleave.
import { uniformFor } from './rng.js';

export type SimFaultKind = '429' | '500' | '502' | '503' | 'reset' | 'hang' | 'truncated';
export const SIM_FAULT_KINDS: readonly SimFaultKind[] = ['429', '500', '502', '503', 'reset', 'hang', 'truncated'];

/** The Yahoo endpoints the sim speaks (faults can target a subset). */
export type SimEndpoint = 'chart' | 'quote' | 'cookie' | 'crumb';
export const SIM_ENDPOINTS: readonly SimEndpoint[] = ['chart', 'quote', 'cookie', 'crumb'];

export interface SimFaultOptions {
  /** Share of requests that fail, 0..1. */
  rate: number;
  /** Kinds to draw from, equally likely. Default: all. */
  kinds?: readonly SimFaultKind[];
  /** Endpoints that fail. Default: all four. */
  endpoints?: readonly SimEndpoint[];
  /** Default: the server's seed. */
  seed?: number;
}

export interface FaultPlan {
  rate: number;
  kinds: readonly SimFaultKind[];
  endpoints: ReadonlySet<SimEndpoint>;
  seed: number;
}

export function normalizeFaults(faults: number | SimFaultOptions | undefined, seed: number): FaultPlan {
  const opts: SimFaultOptions = typeof faults === 'number' ? { rate: faults } : (faults ?? { rate: 0 });
  if (!(opts.rate >= 0 && opts.rate <= 1)) throw new RangeError(`sim: fault rate must be within 0..1 (got ${opts.rate})`);
  const kinds = opts.kinds ?? SIM_FAULT_KINDS;
  if (kinds.length === 0) throw new RangeError('sim: fault kinds must not be empty');
  return { rate: opts.rate, kinds, endpoints: new Set(opts.endpoints ?? SIM_ENDPOINTS), seed: opts.seed ?? seed };
}

/** The fault for this request, or null. `occurrence` counts earlier identical requests. */
export function rollFault(plan: FaultPlan, endpoint: SimEndpoint, request: string, occurrence: number): SimFaultKind | null {
  if (plan.rate === 0 || !plan.endpoints.has(endpoint)) return null;
  const key = `${plan.seed}|${endpoint}|${request}|${occurrence}`;
  if (uniformFor(key) >= plan.rate) return null;
  const pick = Math.floor(uniformFor(`${key}|kind`) * plan.kinds.length);
  return plan.kinds[Math.min(pick, plan.kinds.length - 1)]!;
}
