// Issue 20's comparison: the four figures it names (report from bars, v_drawdowns, the first import's
// memory, the idle daemon's memory with its database) on the embedded server and the external
// Postgres of this run, beside the PGlite release's (pglite-baseline.ts). Pure: results in, text out.
import type { BenchResults } from './results.js';
import { fmt, table, type Row } from './table.js';
import type { TargetName } from './targets.js';

const shape = (symbols: number, bars: number) => `${fmt(symbols)} x ${fmt(symbols ? bars / symbols : 0)}`;

/**
 * Issue 20's four figures: this run's embedded and external Postgres beside the PGlite release's. A
 * figure measured on another shape than PGlite's (a quick run) names its shape in brackets.
 */
export function comparisonTable(results: BenchResults, markdown: boolean): string {
  const base = results.pgliteBaseline;
  const at = (t: TargetName) => results.targets[t];
  const baseReport = base?.reportFromBars;
  const baseShape = baseReport ? shape(baseReport.symbols, baseReport.bars) : null;
  const report = (t: TargetName) => {
    const r = at(t)?.history?.report;
    if (!r) return '-';
    if (r.exitCode !== 0) return 'failed';
    const own = shape(r.symbols, r.bars);
    return `${fmt(r.ms / 1000, 1)}${own !== baseShape ? ` (${own})` : ''}`;
  };
  const drawdowns = (t: TargetName) => {
    const h = at(t)?.history;
    const q = h?.queries.find((x) => x.name.startsWith('v_drawdowns'));
    if (!h || !q) return '-';
    return `${fmt(q.medianMs, 1)}${h.load.bars !== base?.drawdowns?.bars ? ` (${fmt(h.load.bars)} bars)` : ''}`;
  };
  const imported = (t: TargetName) => {
    const i = at(t)?.importMemory;
    if (!i) return '-';
    if (i.error) return 'failed';
    return i.serverPeakPssMb !== null ? `${fmt(i.peakTotalMb)} (Node ${fmt(i.nodePeakRssMb)} + server ${fmt(i.serverPeakPssMb)})` : `${fmt(i.peakTotalMb)} (Node only)`;
  };
  const daemon = (t: TargetName) => {
    const d = at(t)?.daemon;
    if (!d) return '-';
    return d.serverPssMb !== null ? `${fmt(d.idleTotalMb)} (Node ${fmt(d.idleRssMb)} + server ${fmt(d.serverPssMb)})` : `${fmt(d.idleTotalMb)} (Node only)`;
  };
  const body: Row[] = [
    [`report from bars (\`--date\`, ${baseShape ?? '1,000 x 7,500'} bars), s`, '< 10 s', report('embedded'), baseReport ? fmt(baseReport.ms / 1000, 1) : '-', report('postgres')],
    [`v_drawdowns, one symbol (${fmt(base?.drawdowns?.bars ?? 7_500_000)} bars), ms`, '< 30 ms', drawdowns('embedded'), base?.drawdowns ? fmt(base.drawdowns.ms, 1) : '-', drawdowns('postgres')],
    ['first import of the real CSVs: peak MB', '< 300 MB', imported('embedded'), base?.importPeak ? `${fmt(base.importPeak.mb)} (in process)` : '-', imported('postgres')],
    ['idle daemon and its database, MB', '< 200 MB', daemon('embedded'), base && base.daemonIdleMb !== null ? `${fmt(base.daemonIdleMb)} (in process)` : '-', daemon('postgres')],
  ];
  return table(['', 'goal', 'embedded', 'PGlite (release)', 'postgres (external)'], body, markdown);
}

/** Where the PGlite column comes from, and what the Postgres column leaves out. */
function comparisonNotes(results: BenchResults): string[] {
  const base = results.pgliteBaseline;
  return [
    base
      ? `PGlite column: ${base.source}${base.importPeak ? `; import: ${base.importPeak.source}` : ''}.`
      : 'PGlite column: no PGlite figures found (bench/results.json holds neither a PGlite run nor a carried baseline).',
    'Memory on the embedded target is Node RSS + the PSS of the server\'s processes (postmaster and children); ' +
      'on external Postgres the server is not counted (Node only); PGlite\'s engine was inside the Node process.',
    ...(results.quick ? ['Quick sizes: figures in brackets were measured on a smaller shape than PGlite\'s and do not compare.'] : []),
  ];
}

export function comparisonText(results: BenchResults, markdown: boolean): string {
  return [comparisonTable(results, markdown), '', ...comparisonNotes(results)].join('\n');
}
