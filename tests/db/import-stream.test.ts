// src/import/run.ts: files are streamed twice (check, then store in chunks inside one
// transaction), and stay all or nothing across chunks.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCsvFiles } from '../../src/import/run.js';
import { createLogger } from '../../src/log.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

/** Enough rows for several store chunks (5,000 each). */
const ROWS = 12_345;

function csvOf(rows: number, last = ''): string {
  const lines = ['Date,Open,High,Low,Close,Adj Close,Volume'];
  const day = Date.UTC(1950, 0, 1);
  for (let i = 0; i < rows; i++) {
    const date = new Date(day + i * 86_400_000).toISOString().slice(0, 10);
    lines.push(`${date},10,11,9,10.5,10.5,${1000 + i}`);
  }
  if (last) lines.push(last);
  return `${lines.join('\n')}\n`;
}

describe('streamed CSV import', () => {
  let db: TestDb;
  let dir: string;
  const log = createLogger({ level: 'silent' });
  const options = { today: '2026-01-02', now: new Date('2026-01-02T23:00:00Z'), log };
  const stored = async (symbol: string) =>
    Number((await db.db.selectFrom('daily_bars').select((eb) => eb.fn.countAll().as('n')).where('symbol', '=', symbol).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    db = await createTestDb();
    dir = mkdtempSync(join(tmpdir(), 'bw-import-stream-'));
  });
  afterAll(async () => {
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('stores a file of several chunks whole, and again as a no-op', async () => {
    const file = join(dir, 'BIGA.csv');
    writeFileSync(file, csvOf(ROWS));
    const [first] = await importCsvFiles(db, [file], options);
    expect(first).toMatchObject({ symbol: 'BIGA', rows: ROWS, inserted: ROWS, updated: 0, problems: [] });
    expect(await stored('BIGA')).toBe(ROWS);
    const [again] = await importCsvFiles(db, [file], options);
    expect(again).toMatchObject({ rows: ROWS, inserted: 0, updated: 0, unchanged: ROWS });
  });

  it('stores nothing of a file whose last row is bad, and names its line', async () => {
    const file = join(dir, 'BIGB.csv');
    writeFileSync(file, csvOf(ROWS, '2025-02-30,10,11,9,10.5,10.5,1'));
    const [outcome] = await importCsvFiles(db, [file], options);
    expect(outcome!.problems).toEqual([{ line: ROWS + 2, reason: expect.stringContaining('2025-02-30') }]);
    expect(await stored('BIGB')).toBe(0);
  });

  it('says a missing file cannot be read', async () => {
    const [outcome] = await importCsvFiles(db, [join(dir, 'NOPE.csv')], options);
    expect(outcome!.problems).toEqual([{ line: 0, reason: 'cannot read: ENOENT' }]);
  });
});
