// 7. First import of real history: `bubblewatch import DIR/*.csv` (the Yahoo-format CSVs the user
// points --data at) in a child process, as a user's first command after install. On the embedded
// target the data dir is new and no server runs, so the command runs initdb, starts the server,
// migrates, imports and stops it; on Postgres it gets an empty scratch schema and migrates it. The
// figure is memory (issue 20: < 300 MB): Node's exact peak RSS from GNU time and, on the embedded
// target, the server's processes' PSS sampled every 100 ms beside Node's RSS (server-memory.ts), whose
// highest sum is the peak of the two together. The server is outside the command's RSS: PGlite's
// engine was inside it.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { runCli } from './child.js';
import { writeConfigDir } from './history.js';
import { round } from './measure.js';
import { postmasterPid } from './server-memory.js';
import { createScratch, stopLeftoverServer, type TargetName } from './targets.js';

export const IMPORT_GOAL_MB = 300;

export interface ImportResult {
  dataDir: string;
  files: number;
  /** Rows the command reported, summed over the files. */
  rows: number;
  ms: number;
  exitCode: number | null;
  /** The Node process's peak RSS (GNU time's %M). */
  nodePeakRssMb: number;
  /** Embedded target: the highest sampled PSS of the server's processes together; null on Postgres. */
  serverPeakPssMb: number | null;
  /** Embedded: the highest sampled Node RSS + server PSS, never below Node's own peak; Postgres: Node's peak. */
  peakTotalMb: number;
  samples: number;
  goal: { peakMb: number; met: boolean };
  error?: string;
}

/** The CSVs of a directory (absolute paths, sorted); throws when there are none. */
export function csvFiles(dir: string): string[] {
  const files = readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.csv'))
    .sort()
    .map((f) => resolve(dir, f));
  if (files.length === 0) throw new Error(`no .csv files in ${dir}`);
  return files;
}

/** `file: SYMBOL N rows (...)`, one line per imported file. */
const importedRows = (stdout: string) => [...stdout.matchAll(/: \S+ (\d+) rows \(/g)].reduce((sum, m) => sum + Number(m[1]), 0);

export async function benchImport(target: TargetName, baseUrl: string | null, dataFrom: string, say: (msg: string) => void): Promise<ImportResult> {
  const files = csvFiles(dataFrom);
  // The config beside, not inside, the data dir: the data dir is as new as a user's. (Not under the
  // data dir's parent either: run as root, the server's user must reach the data dir, and a mkdtemp
  // directory is 0700.)
  const configDir = mkdtempSync(join(tmpdir(), 'bubblewatch-bench-import-config-'));
  // Postgres: an empty schema; the bench's handle is closed at once, the command opens its own.
  const scratch = target === 'postgres' ? await createScratch(target, baseUrl, { migrated: false }) : null;
  await scratch?.close();
  const dataDir = scratch?.dataDir ?? mkdtempSync(join(tmpdir(), 'bubblewatch-bench-import-embedded-'));
  try {
    // The symbols are the files' names (^GSPC.csv holds ^GSPC), as the import itself reads them.
    const configFile = writeConfigDir(configDir, files.map((f) => basename(f, '.csv')));
    const env: Record<string, string> = { BUBBLEWATCH_CONFIG: configFile, BUBBLEWATCH_DATA_DIR: dataDir };
    if (scratch?.url) env.DATABASE_URL = scratch.url;
    const run = await runCli(['import', ...files], env, target === 'embedded' ? { serverOf: dataDir } : {});
    const nodePeakRssMb = round(run.peakRssMb, 1);
    const serverPeakPssMb = run.memory ? round(run.memory.serverPssMb, 1) : null;
    const peakTotalMb = round(Math.max(run.peakRssMb, run.memory?.combinedMb ?? 0), 1);
    const result: ImportResult = {
      dataDir: target === 'embedded' ? 'a new data dir (initdb by the command)' : 'an empty scratch schema',
      files: files.length,
      rows: importedRows(run.stdout),
      ms: Math.round(run.ms),
      exitCode: run.exitCode,
      nodePeakRssMb,
      serverPeakPssMb,
      peakTotalMb,
      samples: run.memory?.samples ?? 0,
      goal: { peakMb: IMPORT_GOAL_MB, met: run.exitCode === 0 && peakTotalMb < IMPORT_GOAL_MB },
    };
    if (run.exitCode !== 0) result.error = run.stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 500);
    // The last process to let go stops the server (issue 20): none may be left by a one-shot command.
    if (target === 'embedded' && postmasterPid(dataDir) !== null) result.error = 'the embedded server still runs after the import ended';
    say(
      `  import of ${files.length} files (${result.rows} rows): ${result.ms} ms, Node peak ${nodePeakRssMb} MB` +
        `${serverPeakPssMb !== null ? `, server peak PSS ${serverPeakPssMb} MB, together ${peakTotalMb} MB (${result.samples} samples)` : ''}` +
        `${result.error ? ` (failed: ${result.error})` : ''}`,
    );
    return result;
  } finally {
    await scratch?.drop();
    if (target === 'embedded') {
      await stopLeftoverServer(dataDir);
      rmSync(dataDir, { recursive: true, force: true });
    }
    rmSync(configDir, { recursive: true, force: true });
  }
}
