// The PGlite release's figures, kept beside the new ones (issue 20, "Done when" 5): report from bars,
// v_drawdowns, import memory and the daemon's idle memory, from the last full run on PGlite. They are
// read from the committed bench/results.json: from its `pglite` target when that file is the PGlite
// release's run, or from its `pgliteBaseline` when it is a later run that carried them on, so a full run
// that replaces the file keeps them. The import was not a bench section on PGlite: its figure is the
// one issue 20 measured by hand.
import { readFileSync } from 'node:fs';

export interface PgliteBaseline {
  /** Where the figures come from: the run's date, PGlite version, machine. */
  source: string;
  /** `report --date` from bars: wall time and Node's peak RSS (PGlite's engine inside it). */
  reportFromBars: { ms: number; peakRssMb: number; symbols: number; bars: number } | null;
  /** `select * from v_drawdowns where symbol = $1` on the big history, median through the driver. */
  drawdowns: { ms: number; bars: number } | null;
  /** First import of the real CSVs: Node's peak RSS (the engine in the process). */
  importPeak: { mb: number; source: string } | null;
  /** The idle daemon's RSS: its engine lived in the process, so this is the daemon and its database. */
  daemonIdleMb: number | null;
}

/**
 * Issue 20, "Why": a first import of the real history peaks at 701 MB on PGlite (main 5d84214). Run
 * again on that commit the way import-memory.ts measures (GNU time's %M, a new data dir, the 10 CSVs):
 * 690 and 687 MB.
 */
const PGLITE_IMPORT: NonNullable<PgliteBaseline['importPeak']> = {
  mb: 701,
  source: 'issue 20 (main 5d84214): peak RSS of a first `bubblewatch import` of the 10 real CSVs (690 and 687 MB when run again on that commit)',
};

interface OldResults {
  generatedAt?: string;
  quick?: boolean;
  machine?: { pglite?: string; cpu?: string; nproc?: number; node?: string };
  targets?: {
    pglite?: {
      history?: {
        load?: { bars?: number };
        report?: { ms?: number; peakRssMb?: number; symbols?: number; bars?: number; exitCode?: number | null } | null;
        queries?: { name?: string; medianMs?: number }[];
      };
      daemon?: { idleRssMb?: number };
    };
  };
  pgliteBaseline?: PgliteBaseline | null;
}

/** The baseline from a results file; null when it holds neither a PGlite run nor a carried baseline. */
export function pgliteBaseline(file: string): PgliteBaseline | null {
  let old: OldResults;
  try {
    old = JSON.parse(readFileSync(file, 'utf8')) as OldResults;
  } catch {
    return null;
  }
  if (old.pgliteBaseline) return old.pgliteBaseline;
  const p = old.targets?.pglite;
  if (!p || old.quick) return null;
  const report = p.history?.report;
  const drawdowns = p.history?.queries?.find((q) => q.name?.startsWith('v_drawdowns'));
  const m = old.machine;
  return {
    source: `full run of ${old.generatedAt?.slice(0, 10) ?? '?'}, PGlite ${m?.pglite ?? '?'}, Node ${m?.node ?? '?'}, ${m?.nproc ?? '?'} cores (${m?.cpu ?? '?'})`,
    reportFromBars:
      report && report.exitCode === 0 && report.ms !== undefined
        ? { ms: report.ms, peakRssMb: report.peakRssMb ?? Number.NaN, symbols: report.symbols ?? 0, bars: report.bars ?? 0 }
        : null,
    drawdowns: drawdowns?.medianMs !== undefined ? { ms: drawdowns.medianMs, bars: p.history?.load?.bars ?? 0 } : null,
    importPeak: PGLITE_IMPORT,
    daemonIdleMb: p.daemon?.idleRssMb ?? null,
  };
}
