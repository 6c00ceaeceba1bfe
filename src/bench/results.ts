// The shape of a bench run (bench/results.json): what each section returned, per target, the goals
// and the PGlite release's figures carried from run to run. Types only.
import type { DaemonResult } from './daemon.js';
import type { HistoryResult, SmallReportResult } from './history.js';
import type { ImportResult } from './import-memory.js';
import type { IncrementalRun } from './incremental.js';
import type { PgliteBaseline } from './pglite-baseline.js';
import type { TargetName } from './targets.js';
import type { WritePathResult } from './write-path.js';

export interface TargetResults {
  writePath?: WritePathResult;
  incremental?: IncrementalRun[];
  smallReport?: SmallReportResult;
  history?: HistoryResult;
  daemon?: DaemonResult;
  importMemory?: ImportResult;
  errors: Record<string, string>;
}

export interface Machine {
  nproc: number;
  cpu: string;
  memoryGb: number;
  loadAverage: number[];
  os: string;
  node: string;
  /** The external server's version (DATABASE_URL), when that target ran. */
  postgres: string | null;
  /** The bundled server's version and the package it comes from, when that target ran. */
  embedded: string | null;
}

export interface BenchResults {
  generatedAt: string;
  quick: boolean;
  durationSeconds: number;
  machine: Machine;
  options: Record<string, unknown>;
  targets: Partial<Record<TargetName, TargetResults>>;
  goals: Goal[];
  /** The PGlite release's figures (pglite-baseline.ts), carried from run to run. */
  pgliteBaseline: PgliteBaseline | null;
}

export interface Goal {
  target: TargetName;
  id: string;
  goal: string;
  figure: string;
  met: boolean | null;
}
