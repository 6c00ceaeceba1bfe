// The simulated Yahoo feed's public surface.
export { runSim, simServerOptions, type SimCommandOptions, type SimLogger } from './run.js';
export { startSimServer, type SimServer, type SimServerOptions, type SimSourceOptions } from './server.js';
export type { SimAnomaly, SimAnomalyKind, SimRebasing, SimRevision } from './feed.js';
export type { SimEndpoint, SimFaultKind, SimFaultOptions } from './faults.js';
export type { SimStats } from './stats.js';
export type { SimBar, SimDividend, SimSeries, SimSource, SimSplit, SimSymbolInfo } from './types.js';
export { DEFAULT_UNIVERSE, type SymbolSpec } from './universe.js';
