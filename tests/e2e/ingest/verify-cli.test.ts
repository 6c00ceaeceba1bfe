// `bubblewatch verify` as users run it (issue 21, done when 3): the compiled CLI in a child process on
// a database of the test server, pointed at the simulated feed with YAHOO_BASE_URL. After
// `update daily_bars set close = close * 1.5` on one INTC row: `verify --symbols INTC` exits 1 naming
// that date, `verify` of every symbol exits 1, `status` names it, `verify --symbols INTC --repair`
// restores the table exactly, and `verify` then exits 0.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { runSync } from '../../../src/ingest/sync.js';
import type { SimServer } from '../../../src/sim/server.js';
import { runCli } from '../../helpers/cli.js';
import { createTestDb, type TestDb } from '../../helpers/db.js';
import { startTestSim } from '../../helpers/sim-harness.js';
import { tempRoot } from '../daemon-harness.js';
import { SIM_NOW, expectedBars, storedBars, testConfig, testConfigJson, testDeps } from './harness.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const WATCHLIST = ['INTC', 'ORCL', 'NVDA'];
let sim: SimServer;
let db: TestDb;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  sim = await startTestSim({ now: SIM_NOW, source: { kind: 'synthetic', symbols: WATCHLIST } });
  db = await createTestDb();
  dir = tempRoot('bw-verify-cli-');
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify(testConfigJson({ watchlist: WATCHLIST })));
  env = { DATABASE_URL: db.url, BUBBLEWATCH_DATA_DIR: join(dir, 'data'), BUBBLEWATCH_CONFIG: configPath, YAHOO_BASE_URL: sim.url };
  const sync = await runSync(testDeps(sim, db, { config: testConfig({ watchlist: WATCHLIST }) }));
  expect(sync.status).toBe('ok');
});
afterAll(async () => {
  await sim?.close();
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('refuses bad usage with exit 2 before fetching anything', async () => {
  sim.resetStats();
  const bad = await runCli(['verify', '--symbols', 'INTC,A$B'], { env });
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('"A$B" is not a Yahoo symbol');
  expect(sim.stats().requests).toBe(0);
});

it('finds the row changed by SQL, names its date, repairs it exactly, then finds nothing', async () => {
  const bars = await storedBars(db, 'INTC');
  const date = bars[120]!.trade_date;
  const source = bars[120]!.close;
  await sql`update daily_bars set close = close * 1.5 where symbol = 'INTC' and trade_date = ${date}`.execute(db.db);
  const changed = (await storedBars(db, 'INTC'))[120]!.close;

  sim.resetStats();
  const one = await runCli(['verify', '--symbols', 'INTC'], { env });
  expect(one.code).toBe(1);
  // On stderr (LOG_LEVEL=warn) one line for the run, naming what differs.
  const said = one.stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(said).toMatchObject([{ level: 40, msg: 'verify finished', different: ['INTC'], differences: 1 }]);
  const lines = one.stdout.trim().split('\n');
  expect(lines).toEqual([
    `INTC ${date} close: stored ${changed} source ${source} (1 session; not one common factor)`,
    expect.stringMatching(/^verify #\d+ ok: 1 symbol\(s\), 1 different, 1 differing range\(s\), 0 not verified; 1 request\(s\) in [\d.]+ s \(source: sim; prices equal within 0\.000001 \+ 1 ppm of the price; volume exactly\)$/),
    "daily_bars was written outside bubblewatch: the report trusts no drawdown state until 'bubblewatch db rebuild-state' (or 'verify --repair')",
  ]);
  expect(sim.stats().chartRequests.map((r) => r.symbol)).toEqual(['INTC']);

  const all = await runCli(['verify'], { env });
  expect(all.code).toBe(1);
  const allLines = all.stdout.trim().split('\n');
  expect(allLines.slice(0, 3)).toEqual([
    `INTC ${date} close: stored ${changed} source ${source} (1 session; not one common factor)`,
    expect.stringMatching(/^ORCL equal: \d+ sessions 2024-01-02\.\.2026-01-02$/),
    expect.stringMatching(/^NVDA equal: \d+ sessions 2024-01-02\.\.2026-01-02$/),
  ]);
  expect(allLines[3]).toMatch(/^verify #\d+ ok: 3 symbol\(s\), 1 different, 1 differing range\(s\)/);

  // `status` names what the last verify found.
  const status = await runCli(['status', '--json'], { env });
  expect(status.code).toBe(0);
  const checks = (JSON.parse(status.stdout) as { checks: { warnings: string[]; verify: { differences: unknown[] } } }).checks;
  expect(checks.verify.differences).toEqual([{ symbol: 'INTC', kind: 'changed', firstDate: date, lastDate: date, rows: 1, fields: ['close'], factor: null, repaired: false }]);
  expect(checks.warnings).toContain(`INTC: verify #${allLines[3]!.match(/#(\d+)/)![1]} found the stored history different from the source: ${date} close`);

  const repair = await runCli(['verify', '--symbols', 'INTC', '--repair'], { env });
  // Something differed, repaired or not: exit 1, and what changed is said.
  expect(repair.code).toBe(1);
  expect(repair.stdout).toContain('INTC repaired from the source: 0 row(s) added, 1 changed, 0 removed');
  expect(repair.stdout).toContain('daily_bars had been written outside bubblewatch: the drawdown state of 3 symbol(s) was rebuilt');
  expect(await storedBars(db, 'INTC')).toEqual(expectedBars(sim, 'INTC'));

  const clean = await runCli(['verify'], { env });
  expect(clean.stdout).toMatch(/verify #\d+ ok: 3 symbol\(s\), 0 different, 0 differing range\(s\)/);
  expect(clean.code).toBe(0);
});
