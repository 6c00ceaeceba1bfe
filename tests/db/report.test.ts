// writeReport against a real database: the files and the reports row, the date cut (rows appended
// later change nothing in an earlier report), data source and quotes, and the errors a user can act on.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../../src/config/load.js';
import { upsertDailyBars } from '../../src/db/bars.js';
import { closesForReport, streamClosesForReport } from '../../src/db/report-data.js';
import { ensureSymbol } from '../../src/db/symbols.js';
import type { BarSource, ClosePoint, DailyBar } from '../../src/domain.js';
import { createLogger } from '../../src/log.js';
import { NoReportDataError, writeReport } from '../../src/report/write-report.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { sampleSeries } from '../unit/report/report-fixture.js';

const CONFIG_PATH = fileURLToPath(new URL('../../config/bubblewatch.json', import.meta.url));
const NOW = new Date('2026-01-01T22:00:00Z');
const D1 = '2025-12-17';
const log = createLogger({ level: 'silent' });

function configFor(dataDir: string): Config {
  return parseConfig(readFileSync(CONFIG_PATH, 'utf8'), { BUBBLEWATCH_DATA_DIR: dataDir, BUBBLEWATCH_CONFIG: CONFIG_PATH }, CONFIG_PATH);
}

function bars(symbol: string, points: readonly ClosePoint[]): DailyBar[] {
  return points.map((p) => ({
    symbol,
    tradeDate: p.date,
    open: null,
    high: null,
    low: null,
    close: p.close,
    adjClose: null,
    volume: null,
    quality: [],
  }));
}

async function store(db: TestDb, series: ReadonlyMap<string, readonly ClosePoint[]>, source: BarSource = 'import'): Promise<void> {
  for (const [symbol, points] of series) {
    await ensureSymbol(db.db, symbol);
    await upsertDailyBars(db.db, bars(symbol, points), source, NOW);
  }
}

/** The fixture's real-looking symbols (the hostile one is for renderer tests only). */
function watched(cut?: (p: ClosePoint) => boolean): Map<string, ClosePoint[]> {
  return new Map([...sampleSeries()].filter(([s]) => !s.startsWith('<')).map(([s, pts]) => [s, cut ? pts.filter(cut) : pts]));
}

describe('writeReport', () => {
  let db: TestDb;
  let dir: string;
  let config: Config;
  const deps = () => ({ handle: db, config, log, clock: () => NOW });

  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => {
    await db.drop();
  });
  afterEach(async () => {
    await db.db.deleteFrom('reports').execute();
    await db.db.deleteFrom('quotes').execute();
    await db.db.deleteFrom('daily_bars').execute();
    await db.db.deleteFrom('ingest_runs').execute();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const fresh = async () => {
    dir = await mkdtemp(join(tmpdir(), 'bw-report-'));
    config = configFor(dir);
  };

  it('writes <asOf>.{md,html,json} under <dataDir>/reports and stores the report', async () => {
    await fresh();
    await store(db, watched());
    const result = await writeReport(deps(), { date: '2025-12-31' });
    const out = join(dir, 'reports');
    expect(result).toEqual({
      asOf: '2025-12-31',
      dataSource: 'import',
      files: ['md', 'html', 'json'].map((f) => join(out, `2025-12-31.${f}`)),
      simulated: false,
      lang: 'en',
    });
    expect(readdirSync(out).sort()).toEqual(['2025-12-31.html', '2025-12-31.json', '2025-12-31.md']);
    const json = JSON.parse(await readFile(join(out, '2025-12-31.json'), 'utf8'));
    const orcl = json.symbols.find((s: { symbol: string }) => s.symbol === 'ORCL');
    expect(orcl).toMatchObject({ athDate: '2025-09-10', athClose: 328.33, lastClose: 194.91, lastDate: '2025-12-31' });
    expect(json.episodes.map((e: { id: string; source: string }) => [e.id, e.source])).toEqual([['dotcom', 'config'], ['gfc2008', 'data']]);

    const row = await db.db.selectFrom('reports').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ as_of: '2025-12-31', data_source: 'import', generated_at: NOW });
    expect(row.json).toEqual(json);
    expect(row.markdown).toContain('# Bubble watch');
    expect(row.html).toMatch(/^<!doctype html>/);
    const runs = await db.db.selectFrom('ingest_runs').select(['job', 'status']).execute();
    expect(runs).toEqual([{ job: 'report', status: 'ok' }]);
  });

  it('uses only data on or before --date: rows and quotes appended later change nothing', async () => {
    await fresh();
    await store(db, watched((p) => p.date <= D1));
    await db.db
      .insertInto('quotes')
      .values({ symbol: 'ORCL', ts: new Date(`${D1}T20:30:00Z`), price: 178.46, market_cap: 5.0e11, currency: 'USD', source: 'yahoo' })
      .execute();
    const before = await writeReport(deps(), { date: D1, formats: ['json', 'md', 'html'], lang: 'zh-Hant' });
    const read = () => Promise.all(before.files.map((f) => readFile(f, 'utf8')));
    const first = await read();
    const firstRow = await db.db.selectFrom('reports').select(['json', 'markdown', 'html', 'data_source']).executeTakeFirstOrThrow();

    // Later rows: the rest of the history, a new all-time high, a simulated symbol, a later quote.
    await store(db, watched((p) => p.date > D1));
    await store(db, new Map([['ORCL', [{ date: '2026-01-02', close: 999 }]]]));
    await store(db, new Map([['QCOM', [{ date: '2025-12-18', close: 170 }, { date: '2025-12-19', close: 172 }]]]), 'sim');
    await db.db
      .insertInto('quotes')
      .values({ symbol: 'ORCL', ts: new Date('2025-12-18T15:00:00Z'), price: 1, market_cap: 1, currency: 'USD', source: 'sim' })
      .execute();

    const again = await writeReport(deps(), { date: D1, formats: ['json', 'md', 'html'], lang: 'zh-Hant' });
    expect(again).toEqual(before);
    expect(await read()).toEqual(first);
    const rows = await db.db.selectFrom('reports').select(['json', 'markdown', 'html', 'data_source']).execute();
    expect(rows).toEqual([firstRow]);
    const json = JSON.parse(first[0]!);
    expect(json.provenance.lastQuote).toEqual({ symbol: 'ORCL', ts: `${D1}T20:30:00.000Z`, source: 'yahoo' });
    expect(json.symbols.find((s: { symbol: string }) => s.symbol === 'ORCL').lastDate).toBe(D1);
    expect(first[1]).toContain('泡沫觀察');

    // Without --date: the latest stored bar, and now the simulated rows are part of it.
    const latest = await writeReport(deps(), { formats: ['json'] });
    expect(latest).toMatchObject({ asOf: '2026-01-02', dataSource: 'import,sim' });
    expect(await db.db.selectFrom('reports').select('as_of').orderBy('as_of').execute()).toEqual([{ as_of: D1 }, { as_of: '2026-01-02' }]);
  });

  it('writes to --out, only the formats asked for, leaving no temporary files', async () => {
    await fresh();
    await store(db, watched());
    const out = join(dir, 'elsewhere', 'nested');
    const result = await writeReport(deps(), { date: '2025-12-31', outDir: out, formats: ['html'] });
    expect(result.files).toEqual([join(out, '2025-12-31.html')]);
    expect(readdirSync(out)).toEqual(['2025-12-31.html']);
    expect(existsSync(join(dir, 'reports'))).toBe(false);
    // The table keeps every rendering whatever the files.
    const row = await db.db.selectFrom('reports').select(['markdown', 'html']).executeTakeFirstOrThrow();
    expect(row.markdown).not.toBeNull();
  });

  it('refuses a date before any stored price, and an empty database, with a clear message', async () => {
    await fresh();
    await expect(writeReport(deps(), {})).rejects.toThrow(NoReportDataError);
    await store(db, watched());
    await expect(writeReport(deps(), { date: '1999-12-31' })).rejects.toThrow(
      'no prices are stored on or before 1999-12-31 (the stored history starts on 2007-01-02)',
    );
    expect(await db.db.selectFrom('reports').selectAll().execute()).toEqual([]);
  });

  it('reads all closes in one ordered pass with exact values and their sources', async () => {
    await store(db, new Map([['ORCL', [{ date: '1986-03-13', close: 0.064815 }, { date: '1986-03-12', close: 0.063272 }]]]));
    await store(db, new Map([['ORCL', [{ date: '2025-12-31', close: 194.910004 }]]]), 'yahoo');
    const got = await closesForReport(db.db, ['ORCL', 'NOPE'], '2025-12-31');
    expect([...got.keys()]).toEqual(['ORCL']);
    expect(got.get('ORCL')).toEqual({
      closes: [
        { date: '1986-03-12', close: 0.063272 },
        { date: '1986-03-13', close: 0.064815 },
        { date: '2025-12-31', close: 194.910004 },
      ],
      sources: ['import', 'yahoo'],
    });
    expect((await closesForReport(db.db, ['ORCL'], '1986-03-12')).get('ORCL')!.closes).toHaveLength(1);
  });

  it('reads volumes in the same pass and cut, only for the symbols asked, skipping sessions without one', async () => {
    const withVolume = (symbol: string, rows: [string, number, number | null][]): DailyBar[] =>
      rows.map(([date, close, volume]) => ({ ...bars(symbol, [{ date, close }])[0]!, volume }));
    await ensureSymbol(db.db, 'ORCL');
    await ensureSymbol(db.db, 'NVDA');
    await upsertDailyBars(db.db, withVolume('ORCL', [['2025-12-29', 195, 9_000_000_000], ['2025-12-30', 197, null], ['2025-12-31', 194.91, 12_345], ['2026-01-02', 190, 7]]), 'import', NOW);
    await upsertDailyBars(db.db, withVolume('NVDA', [['2025-12-31', 186.5, 100]]), 'import', NOW);
    const got = new Map<string, { volumes?: unknown; closes: unknown[] }>();
    for await (const s of streamClosesForReport(db.db, ['ORCL', 'NVDA'], '2025-12-31', undefined, ['ORCL'])) got.set(s.symbol, s);
    expect(got.get('ORCL')!.closes).toHaveLength(3);
    expect(got.get('ORCL')!.volumes).toEqual([
      { date: '2025-12-29', volume: 9_000_000_000 },
      { date: '2025-12-31', volume: 12_345 },
    ]);
    expect(got.get('NVDA')!.volumes).toBeUndefined();
  });
});
