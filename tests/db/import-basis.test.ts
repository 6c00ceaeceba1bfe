// An import that overlaps stored rows (src/import/run.ts): a file on another basis is refused whole,
// saying why (a CSV saved before a split since applied); rows it changes without a common factor are
// revisions, stored and counted; a jump it brings in is kept for `status`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { storedBars } from '../../src/db/bars.js';
import { storedJumps } from '../../src/db/data-checks.js';
import { storeSymbolHistory } from '../../src/db/store.js';
import { ensureSymbol } from '../../src/db/symbols.js';
import type { DailyBar } from '../../src/domain.js';
import { importCsvFiles } from '../../src/import/run.js';
import { createLogger } from '../../src/log.js';
import { addDays } from '../../src/market/iso-date.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

const log = createLogger({ level: 'silent' });
const options = { today: '2026-01-02', now: new Date('2026-01-02T23:00:00Z'), log };

/** Post-split closes around 120 from 2024-06-10, twenty sessions (calendar days, for simplicity). */
const stored: DailyBar[] = Array.from({ length: 20 }, (_, i) => {
  const close = 120 + i / 4;
  return { symbol: 'NVDA', tradeDate: addDays('2024-06-10', i), open: close - 0.5, high: close + 1, low: close - 1, close, adjClose: close, volume: 1000 + i, quality: [] };
});

const csv = (bars: readonly DailyBar[]) =>
  ['Date,Open,High,Low,Close,Adj Close,Volume', ...bars.map((b) => [b.tradeDate, b.open, b.high, b.low, b.close, b.adjClose, b.volume].join(','))].join('\n');

describe('an import overlapping stored rows', () => {
  let db: TestDb;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDb();
    dir = mkdtempSync(join(tmpdir(), 'bw-import-basis-'));
  });
  afterAll(async () => {
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await sql`truncate symbols, ingest_runs restart identity cascade`.execute(db.db);
    await ensureSymbol(db.db, 'NVDA');
    await storeSymbolHistory(db.db, {
      symbol: 'NVDA',
      bars: stored,
      actions: [{ symbol: 'NVDA', tradeDate: '2024-06-10', kind: 'split', numerator: 10, denominator: 1, amount: null }],
      meta: {},
      fullHistory: true,
      source: 'yahoo',
      fetchedAt: new Date('2024-07-01T00:00:00Z'),
    });
  });

  it('refuses a file saved before the split (every price x10), naming the split, and stores nothing of it', async () => {
    const before = stored.slice(0, 10).map((b) => ({ ...b, open: b.open! * 10, high: b.high! * 10, low: b.low! * 10, close: b.close * 10, adjClose: b.adjClose! * 10 }));
    const file = join(dir, 'NVDA.csv');
    writeFileSync(file, csv(before));
    const [outcome] = await importCsvFiles(db, [file], options);
    expect(outcome!.problems).toEqual([
      {
        line: 0,
        reason:
          'its prices are on another basis than the NVDA rows stored (prices x10: the file predates the 10:1 split of 2024-06-10; 10 of 10 overlapping sessions agree): ' +
          'refused, the table would hold two bases; import a file on the stored basis, or re-fetch from the source (bubblewatch verify --symbols NVDA --repair)',
      },
    ]);
    expect(await storedBars(db.db, 'NVDA')).toEqual(stored);
    expect(await db.db.selectFrom('ingest_runs').select(['status', 'rows_inserted', 'rows_updated']).executeTakeFirstOrThrow()).toMatchObject({ status: 'failed', rows_inserted: 0 });
  });

  it('refuses a silent re-basing too (x2, no split on record has it)', async () => {
    const file = join(dir, 'NVDA.csv');
    writeFileSync(file, csv(stored.map((b) => ({ ...b, open: b.open! * 2, high: b.high! * 2, low: b.low! * 2, close: b.close * 2, adjClose: b.adjClose! * 2 }))));
    const [outcome] = await importCsvFiles(db, [file], options);
    expect(outcome!.problems[0]!.reason).toContain('(prices x2, no split on record; 20 of 20 overlapping sessions agree)');
  });

  it('stores a file that revises one row and adds new ones, counting the revision', async () => {
    const revised = stored.map((b, i) => (i === 19 ? { ...b, close: b.close + 0.5, volume: 999_999 } : b));
    const later = Array.from({ length: 3 }, (_, i) => ({ ...stored[19]!, tradeDate: addDays('2024-06-30', i), volume: 5 }));
    const file = join(dir, 'NVDA.csv');
    writeFileSync(file, csv([...revised, ...later]));
    const [outcome] = await importCsvFiles(db, [file], options);
    expect(outcome).toMatchObject({ problems: [], inserted: 3, updated: 1, revised: 1, jumps: 0 });
    expect((await db.db.selectFrom('ingest_runs').select('rows_revised').executeTakeFirstOrThrow()).rows_revised).toBe(1);
  });

  it('keeps a jump the file brings in, with no split on record to explain it', async () => {
    const file = join(dir, 'NVDA.csv');
    const wild = { ...stored[19]!, tradeDate: '2024-06-30', open: 900, high: 910, low: 890, close: 900, adjClose: 900 };
    writeFileSync(file, csv([wild]));
    const [outcome] = await importCsvFiles(db, [file], options);
    expect(outcome).toMatchObject({ problems: [], inserted: 1, jumps: 1 });
    expect(await storedJumps(db.db)).toEqual([{ symbol: 'NVDA', date: '2024-06-30', previousDate: '2024-06-29', previousClose: stored[19]!.close, close: 900 }]);
  });
});
