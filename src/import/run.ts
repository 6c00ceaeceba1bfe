// `bubblewatch import FILE.csv...`: each file is checked whole, then stored in one transaction, so a
// file with any bad row stores nothing and a good file is stored completely. Re-importing is a no-op.
// Files are streamed twice rather than held in memory: a first pass checks every row (and lists every
// problem), a second reads them again into the one transaction in chunks. Should the file change in
// between and a row fail, the error rolls the transaction back: still all or nothing.
// A file whose rows overlap stored ones on another basis (a CSV saved before a split, a history
// re-based since) is refused whole, naming the factor: storing it would leave the table on two bases,
// and which side is current only the source can say (`sync --from`, `verify --repair`). Overlapping
// rows that differ without a common factor are revisions: stored as the file has them, and counted.
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { parse } from 'csv-parse';
import { basename, extname } from 'node:path';
import type { Logger } from 'pino';
import { isValidSymbol } from '../bar-checks.js';
import { storedBars, type UpsertCounts } from '../db/bars.js';
import type { DbHandle } from '../db/connect.js';
import { readSyncState } from '../db/ingest-state.js';
import { finishRun, startRun } from '../db/runs.js';
import { storeImport } from '../db/store.js';
import type { DailyBar, IsoDate } from '../domain.js';
import { formatFactor } from '../integrity/common-factor.js';
import { readOverlap } from '../integrity/overlap.js';
import { splitExplaining, splitRatio } from '../integrity/splits.js';
import { DEFAULT_JUMP_FACTOR } from '../integrity/invariants.js';
import { describeRebase, rebaseFinding } from '../ingest/refetch.js';
import { CSV_OPTIONS, NO_ROWS, checkHeader, createRowChecker, parseErrorProblem, type CsvProblem, type CsvRecord } from './csv.js';

/** Bars per write inside the file's transaction: bounded memory, few round trips. */
const STORE_CHUNK = 5000;

export interface FileOutcome extends Partial<UpsertCounts> {
  file: string;
  symbol: string;
  rows: number;
  skippedEmpty: number;
  /** Stored rows the file changed without a common factor (revisions). */
  revised?: number;
  /** Unexplained jumps over the dates imported (src/integrity/invariants.ts). */
  jumps?: number;
  problems: CsvProblem[];
}

export interface ImportOptions {
  symbol?: string | undefined;
  today: IsoDate;
  now: Date;
  log: Logger;
  jumpFactor?: number;
}

/** ^GSPC.csv -> ^GSPC; orcl.csv -> ORCL */
export function symbolFromFileName(file: string): string {
  return basename(file, extname(file)).toUpperCase();
}

export async function importCsvFiles(
  handle: DbHandle,
  files: readonly string[],
  options: ImportOptions,
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
    rowsRevised: sum(outcomes, 'revised'),
    rowsRejected: failed.reduce((n, o) => n + o.problems.length, 0),
    failures: failed.map((o) => ({ symbol: o.symbol, kind: 'bad_input', reason: `${o.file}: ${o.problems[0]!.reason}` })),
  });
  return outcomes;
}

function sum(outcomes: FileOutcome[], key: 'inserted' | 'updated' | 'revised'): number {
  return outcomes.reduce((n, o) => n + (o[key] ?? 0), 0);
}

async function importOne(handle: DbHandle, file: string, symbol: string, options: ImportOptions): Promise<FileOutcome> {
  const base = { file, symbol, rows: 0, skippedEmpty: 0 };
  if (!isValidSymbol(symbol)) {
    return { ...base, problems: [{ line: 0, reason: `"${symbol}" is not a valid symbol (name the file SYMBOL.csv or pass --symbol)` }] };
  }
  const stored = new Map((await storedBars(handle.db, symbol)).map((b) => [b.tradeDate, b]));
  let checked: CheckedFile;
  try {
    checked = await checkFile(file, symbol, options.today, stored);
  } catch (err) {
    return { ...base, problems: [{ line: 0, reason: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` }] };
  }
  if (checked.problems.length > 0) {
    options.log.warn({ file, symbol, problems: checked.problems.length }, 'csv rejected');
    return { ...base, skippedEmpty: checked.skippedEmpty, problems: checked.problems };
  }
  const overlap = readOverlap(checked.overlap.map((b) => stored.get(b.tradeDate)!), checked.overlap);
  const splits = (await readSyncState(handle.db, [symbol])).splits.get(symbol) ?? [];
  const rebase = rebaseFinding(overlap, splits);
  if (rebase) {
    // A file saved before a split is the other way round from a source that applied it: x10 for 10:1.
    const older = rebase.split === null && rebase.factor !== 1 ? splitExplaining(1 / rebase.factor, splits) : null;
    const why = older ? `prices x${formatFactor(rebase.factor)}: the file predates the ${splitRatio(older)} split of ${older.tradeDate}` : describeRebase(rebase);
    const reason =
      `its prices are on another basis than the ${symbol} rows stored (${why}; ${rebase.agreeing} of ${rebase.compared} overlapping sessions agree): ` +
      `refused, the table would hold two bases; import a file on the stored basis, or re-fetch from the source (bubblewatch verify --symbols ${symbol} --repair)`;
    options.log.warn({ file, symbol, factor: rebase.factor, adjCloseFactor: rebase.adjCloseFactor, split: rebase.split, compared: rebase.compared }, 'csv refused: another basis');
    return { ...base, skippedEmpty: checked.skippedEmpty, problems: [{ line: 0, reason }] };
  }
  let counts: UpsertCounts & { jumps: number };
  try {
    counts = await storeImport(handle.db, symbol, readBars(file, symbol, options.today), options.now, options.jumpFactor ?? DEFAULT_JUMP_FACTOR);
  } catch (err) {
    if (!(err instanceof FileChangedError)) throw err;
    return { ...base, problems: [err.problem] };
  }
  const revised = overlap.revised.length;
  options.log.info({ file, symbol, rows: checked.rows, ...counts, revised }, 'csv imported');
  return { ...base, rows: checked.rows, skippedEmpty: checked.skippedEmpty, problems: [], ...counts, revised };
}

/** The file's rows, parsed as a stream: csv-parse's own errors carry the line they stopped at. */
function records(file: string): AsyncIterable<CsvRecord> {
  const parser = parse(CSV_OPTIONS);
  // pipeline (not .pipe) hands a read error (ENOENT...) to the parser, so iterating it throws instead
  // of waiting forever; the callback only keeps the error from going unhandled: the iterator has it.
  pipeline(createReadStream(file), parser, () => {});
  return parser as AsyncIterable<CsvRecord>;
}

interface CheckedFile {
  rows: number;
  skippedEmpty: number;
  problems: CsvProblem[];
  /** The file's bars of the dates already stored, in date order (no more than the stored history). */
  overlap: DailyBar[];
}

/** First pass: every row checked, every problem listed, nothing kept but counts and the rows that overlap `stored`. */
async function checkFile(file: string, symbol: string, today: IsoDate, stored: ReadonlyMap<IsoDate, DailyBar>): Promise<CheckedFile> {
  const check = createRowChecker(symbol, today);
  const problems: CsvProblem[] = [];
  const overlap: DailyBar[] = [];
  const none = (problem: CsvProblem): CheckedFile => ({ rows: 0, skippedEmpty: 0, problems: [problem], overlap: [] });
  let rows = 0;
  let skippedEmpty = 0;
  let first = true;
  try {
    for await (const row of records(file)) {
      if (first) {
        first = false;
        const header = checkHeader(Object.keys(row.record));
        if (header) return none(header);
      }
      const result = check(row);
      if (result === 'empty') skippedEmpty++;
      else if ('reason' in result) problems.push(result);
      else {
        rows++;
        if (stored.has(result.tradeDate)) overlap.push(result);
      }
    }
  } catch (err) {
    // A read error (missing file...) is not a CSV problem: the caller says "cannot read".
    if ((err as NodeJS.ErrnoException).syscall !== undefined) throw err;
    return none(parseErrorProblem(err));
  }
  if (first) return none(NO_ROWS);
  overlap.sort((a, b) => (a.tradeDate < b.tradeDate ? -1 : a.tradeDate > b.tradeDate ? 1 : 0));
  return { rows, skippedEmpty, problems, overlap };
}

/** The file changed between the check and the store: the row that now fails rolls the import back. */
class FileChangedError extends Error {
  constructor(readonly problem: CsvProblem) {
    super(`${problem.line}: ${problem.reason}`);
  }
}

/** Second pass: the checked file's bars again, in chunks, for the one transaction. */
async function* readBars(file: string, symbol: string, today: IsoDate): AsyncGenerator<DailyBar[]> {
  const check = createRowChecker(symbol, today);
  let chunk: DailyBar[] = [];
  try {
    for await (const row of records(file)) {
      const result = check(row);
      if (result === 'empty') continue;
      if ('reason' in result) throw new FileChangedError({ line: result.line, reason: `${result.reason} (the file changed while it was imported)` });
      chunk.push(result);
      if (chunk.length >= STORE_CHUNK) {
        yield chunk;
        chunk = [];
      }
    }
  } catch (err) {
    if (err instanceof FileChangedError || (err as NodeJS.ErrnoException).syscall !== undefined) throw err;
    throw new FileChangedError(parseErrorProblem(err));
  }
  if (chunk.length > 0) yield chunk;
}
