// Issue 15's acceptance: the latest-day report, which takes every symbol's figures from its stored
// drawdown state, is byte for byte the report built from the bars alone (the same date asked for
// explicitly, which recomputes from every bar), after each of the writes that keep the state: a
// backfill, a day's sync, a split re-fetch and an import of older rows, all through the real ingest
// and import paths against the simulated feed. The watchlist is larger than the charts show, so most
// symbols' closes are not read at all by the latest-day report.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simSpecs, syntheticSymbols } from '../../../src/bench/synthetic.js';
import { loadSymbolStates } from '../../../src/db/symbol-state.js';
import { importCsvFiles } from '../../../src/import/run.js';
import { runSync } from '../../../src/ingest/sync.js';
import { CHART_ALL_UP_TO } from '../../../src/report/render/chart-data.js';
import { writeReport } from '../../../src/report/write-report.js';
import { DEFAULT_UNIVERSE } from '../../../src/sim/universe.js';
import type { SimServer } from '../../../src/sim/server.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { guardNetwork, startTestSim } from '../../helpers/sim-harness.js';
import { HISTORY_START, SIM_NOW, YOUNG_SYMBOLS, captureLog, expectedBars, simClock, testConfig, testDeps } from '../ingest/harness.js';

guardNetwork();

const CLAIMS = fileURLToPath(new URL('../../../config/claims.json', import.meta.url));
// More than the charts show: the rest are neither charted nor claimed, so only their state is read.
const EXTRA = syntheticSymbols('X', CHART_ALL_UP_TO - YOUNG_SYMBOLS.length + 4);
const WATCHLIST = [...YOUNG_SYMBOLS, ...EXTRA];

describe('latest-day report from the drawdown state', () => {
  let db: TestDb;
  let feed: SimServer;
  let dir: string;
  const config = testConfig({ watchlist: WATCHLIST });

  beforeAll(async () => {
    db = await createTestDb();
    feed = await startTestSim({
      now: SIM_NOW,
      source: { kind: 'synthetic', symbols: [...DEFAULT_UNIVERSE.filter((s) => YOUNG_SYMBOLS.includes(s.symbol)), ...simSpecs(EXTRA, SIM_NOW, 900)] },
    });
    dir = await mkdtemp(join(tmpdir(), 'bubblewatch-state-report-'));
  }, 120_000);
  afterAll(async () => {
    await feed?.close();
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const states = async () => db.db.selectFrom('symbol_state').select(['symbol', 'last_change', 'last_date']).orderBy('symbol').execute();
  const changeOf = async (symbol: string) => (await states()).find((s) => s.symbol === symbol)?.last_change;

  /** The latest-day report and the same date's report from bars: the same bytes, in every format. */
  async function expectLatestEqualsBars(step: string): Promise<void> {
    const deps = { handle: db, config, log: captureLog().log, clock: simClock(feed) };
    const loaded = await loadSymbolStates(db.db, WATCHLIST);
    expect(loaded.trusted, step).toBe(true);
    expect([...loaded.states.keys()].sort(), step).toEqual([...WATCHLIST].sort());
    const formats = ['json', 'md', 'html'] as const;
    const latest = await writeReport(deps, { outDir: join(dir, `${step}-latest`), formats: [...formats], claimsPath: CLAIMS });
    const fromBars = await writeReport(deps, { date: latest.asOf, outDir: join(dir, `${step}-bars`), formats: [...formats], claimsPath: CLAIMS });
    expect(latest.asOf, step).toBe(feed.now());
    for (const [i, file] of latest.files.entries()) {
      expect(await readFile(file, 'utf8'), `${step}: ${file}`).toBe(await readFile(fromBars.files[i]!, 'utf8'));
    }
    const json = JSON.parse(await readFile(latest.files[0]!, 'utf8')) as { symbols: unknown[] };
    expect(json.symbols, step).toHaveLength(WATCHLIST.length);
  }

  it('backfill: every state built, the report identical to the one from bars', async () => {
    const sync = await runSync(testDeps(feed, db, { config }));
    expect(sync.status).toBe('ok');
    expect((await states()).map((s) => s.symbol)).toEqual([...WATCHLIST].sort());
    await expectLatestEqualsBars('backfill');
  }, 180_000);

  it("a day's sync: the states advanced (overlapping rows re-sent unchanged), the report identical", async () => {
    feed.advance();
    const sync = await runSync(testDeps(feed, db, { config }));
    expect(sync.status).toBe('ok');
    for (const s of await states()) expect([s.symbol, s.last_change, s.last_date]).toEqual([s.symbol, 'advanced', feed.now()]);
    await expectLatestEqualsBars('day');
  }, 120_000);

  it('a split re-fetch: the split symbol rebuilt, the others advanced, the report identical', async () => {
    const next = feed.advance();
    feed.addSplit('META', { date: next, numerator: 4, denominator: 1 });
    feed.addSplit(EXTRA[0]!, { date: next, numerator: 3, denominator: 2 });
    const sync = await runSync(testDeps(feed, db, { config }));
    expect(sync.status).toBe('ok');
    expect(sync.symbols.find((s) => s.symbol === 'META')).toMatchObject({ splitRefetch: true });
    expect(await changeOf('META')).toBe('rebuilt');
    expect(await changeOf(EXTRA[0]!)).toBe('rebuilt');
    expect(await changeOf('NVDA')).toBe('advanced');
    await expectLatestEqualsBars('split');
  }, 120_000);

  it('an import of older rows: the symbol rebuilt from its longer history, the report identical', async () => {
    const files: string[] = [];
    for (const symbol of ['NVDA', EXTRA[1]!]) {
      const older = expectedBars(feed, symbol, '2023-01-03').filter((b) => b.trade_date < HISTORY_START);
      expect(older.length).toBeGreaterThan(50);
      const file = join(dir, `${symbol}.csv`);
      const lines = older.map((b) => [b.trade_date, b.open, b.high, b.low, b.close, b.adj_close, b.volume].join(','));
      await writeFile(file, ['Date,Open,High,Low,Close,Adj Close,Volume', ...lines].join('\n'));
      files.push(file);
    }
    const outcomes = await importCsvFiles(db, files, { today: feed.now(), now: simClock(feed)(), log: captureLog().log });
    expect(outcomes.every((o) => o.problems.length === 0 && (o.inserted ?? 0) > 50)).toBe(true);
    expect(await changeOf('NVDA')).toBe('rebuilt');
    expect(await changeOf(EXTRA[1]!)).toBe('rebuilt');
    await expectLatestEqualsBars('import');
  }, 120_000);
});
