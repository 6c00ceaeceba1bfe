// `bubblewatch import FILE.csv...`: each file is checked whole, then stored in one transaction, so a
// file with any bad row stores nothing and a good file is stored completely. Re-importing is a no-op.
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Logger } from 'pino';
import { isValidSymbol } from '../bar-checks.js';
import type { UpsertCounts } from '../db/bars.js';
import type { DbHandle } from '../db/connect.js';
import { finishRun, startRun } from '../db/runs.js';
import { storeImport } from '../db/store.js';
import type { IsoDate } from '../domain.js';
import { parseYahooCsv, type CsvProblem } from './csv.js';

export interface FileOutcome extends Partial<UpsertCounts> {
  file: string;
  symbol: string;
  rows: number;
  skippedEmpty: number;
  problems: CsvProblem[];
}

/** ^GSPC.csv -> ^GSPC; orcl.csv -> ORCL */
export function symbolFromFileName(file: string): string {
  return basename(file, extname(file)).toUpperCase();
}

export async function importCsvFiles(
  handle: DbHandle,
  files: readonly string[],
  options: { symbol?: string; today: IsoDate; now: Date; log: Logger },
): Promise<FileOutcome[]> {
  const { db } = handle;
  const symbols = files.map((f) => options.symbol?.toUpperCase() ?? symbolFromFileName(f));
  const runId = await startRun(db, 'import', [...new Set(symbols)], options.now);
  const outcomes: FileOutcome[] = [];
  try {
    for (const [i, file] of files.entries()) {
      const symbol = symbols[i]!;
      outcomes.push(await importOne(handle, file, symbol, options));
    }
  } catch (err) {
    await finishRun(db, runId, { status: 'failed', finishedAt: new Date(), error: (err as Error).message });
    throw err;
  }
  const failed = outcomes.filter((o) => o.problems.length > 0);
  await finishRun(db, runId, {
    status: failed.length === 0 ? 'ok' : failed.length === outcomes.length ? 'failed' : 'partial',
    finishedAt: new Date(),
    rowsInserted: sum(outcomes, 'inserted'),
    rowsUpdated: sum(outcomes, 'updated'),
    rowsRejected: failed.reduce((n, o) => n + o.problems.length, 0),
    failures: failed.map((o) => ({ symbol: o.symbol, kind: 'bad_input', reason: `${o.file}: ${o.problems[0]!.reason}` })),
  });
  return outcomes;
}

function sum(outcomes: FileOutcome[], key: 'inserted' | 'updated'): number {
  return outcomes.reduce((n, o) => n + (o[key] ?? 0), 0);
}

async function importOne(
  handle: DbHandle,
  file: string,
  symbol: string,
  options: { today: IsoDate; now: Date; log: Logger },
): Promise<FileOutcome> {
  const base = { file, symbol, rows: 0, skippedEmpty: 0 };
  if (!isValidSymbol(symbol)) {
    return { ...base, problems: [{ line: 0, reason: `"${symbol}" is not a valid symbol (name the file SYMBOL.csv or pass --symbol)` }] };
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return { ...base, problems: [{ line: 0, reason: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` }] };
  }
  const parsed = parseYahooCsv(text, symbol, options.today);
  if (parsed.problems.length > 0) {
    options.log.warn({ file, symbol, problems: parsed.problems.length }, 'csv rejected');
    return { ...base, skippedEmpty: parsed.skippedEmpty, problems: parsed.problems };
  }
  const counts = await storeImport(handle.db, symbol, parsed.bars, options.now);
  options.log.info({ file, symbol, rows: parsed.bars.length, ...counts }, 'csv imported');
  return { ...base, rows: parsed.bars.length, skippedEmpty: parsed.skippedEmpty, problems: [], ...counts };
}
