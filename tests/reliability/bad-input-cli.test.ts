// Part 5, bad input through the compiled CLI: malformed CSV files, SQL injection attempts through every
// place a user's text reaches the database (symbols, dates, `sql --param`, report --date, import
// --symbol), and bad command-line arguments. Each must fail with its clear message and exit 2, and store
// nothing: the database holds exactly what the one good import put there, every table intact.
// The commands reach a new, empty database of the test server through DATABASE_URL (the first import
// migrates it, as on a new install).
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDb, type DbHandle } from '../../src/db/connect.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/db.js';
import { closedPort } from '../e2e/daemon-harness.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

const HEADER = 'Date,Open,High,Low,Close,Adj Close,Volume';
const GOOD = [HEADER, '2024-01-02,10,11,9,10.5,10.4,1000', '2024-01-03,10.5,12,10,11,10.9,1200', '2024-01-04,11,11.5,10.2,10.8,10.7,900'].join('\n');

/** [file (= symbol), content, the problem lines expected on stderr (file:line: reason)] */
const BAD_CSV: [string, string, string[]][] = [
  ['MISSCOL', ['Date,Open,Close', '2024-01-02,10,10.5'].join('\n'), ['MISSCOL.csv:1: missing column(s) High, Low, Volume; expected Date,Open,High,Low,Close,Adj Close,Volume']],
  [
    'BADDATE',
    [HEADER, '2024-01-02,10,11,9,10.5,10.4,1000', '2024-02-30,10,11,9,10.5,10.4,1000', '01/04/2024,10,11,9,10.5,10.4,1000'].join('\n'),
    ['BADDATE.csv:3: invalid date "2024-02-30"', 'BADDATE.csv:4: invalid date "01/04/2024"'],
  ],
  ['NEGATIVE', [HEADER, '2024-01-02,10,11,9,10.5,10.4,1000', '2024-01-03,10,11,9,-5,-5,1000'].join('\n'), ['NEGATIVE.csv:3: close must be > 0 (got -5)']],
  ['HIGHLOW', [HEADER, '2024-01-02,10,9,10,9.5,9.5,1000'].join('\n'), ['HIGHLOW.csv:2: high 9 is below low 10']],
  [
    'DUPDATE',
    [HEADER, '2024-01-02,10,11,9,10.5,10.4,1000', '2024-01-03,10,11,9,10.5,10.4,1000', '2024-01-03,10,11,9,10.6,10.5,1000'].join('\n'),
    ['DUPDATE.csv:4: date 2024-01-03 already appears on line 3'],
  ],
  ['HUGELINE', `${HEADER}\n2024-01-02,${'1'.repeat(10 * 1024 * 1024)},11,9,10.5,10.4,1000\n`, ['HUGELINE.csv:2: a record is longer than 65536 bytes: not a Yahoo price file']],
  ['NOTNUM', [HEADER, '2024-01-02,10,11,9,abc,10.4,1000'].join('\n'), ['NOTNUM.csv:2: not a number in close']],
];

/** [what, args, the message expected on stderr] — all refused before anything is opened. */
const BAD_ARGS: [string, string[], string | RegExp][] = [
  ['an unknown command', ['frobnicate'], "error: unknown command 'frobnicate'"],
  ['an unknown option', ['sync', '--bogus'], "error: unknown option '--bogus'"],
  ['an empty symbol list', ['sync', '--symbols', ' , '], 'expected symbols separated by commas, e.g. ORCL,CRWV'],
  ['a date that does not exist (--from)', ['sync', '--from', '2025-02-30'], "error: option '--from <date>' argument '2025-02-30' is invalid. expected a date as YYYY-MM-DD"],
  ['a date that does not exist (--date)', ['report', '--date', '2026-02-30'], "error: option '--date <date>' argument '2026-02-30' is invalid. expected a date as YYYY-MM-DD"],
  ['a date in another format', ['report', '--date', '02/01/2026'], 'expected a date as YYYY-MM-DD'],
  ['an unknown report format', ['report', '--format', 'md,pdf'], 'expected a comma-separated list of md, html, json'],
  ['an unknown language', ['report', '--lang', 'fr'], /argument 'fr' is invalid\. Allowed choices are en, zh-Hant/],
  ['an unknown output format', ['sql', 'select 1', '--format', 'xml'], /argument 'xml' is invalid\. Allowed choices are table, csv, json/],
  ['sql without a query', ['sql'], 'bubblewatch: give either a query or --file FILE'],
  ['sql with both a query and --file', ['sql', 'select 1', '--file', 'x.sql'], 'bubblewatch: give either a query or --file FILE'],
  ['a --param without a name', ['sql', 'select :a', '--param', '=1'], 'expected NAME=VALUE'],
  ['a --param the query does not use', ['sql', 'select 1', '--param', 'a=1'], 'bubblewatch: unknown parameter a'],
  ['a fault rate above 1', ['sim', '--faults', '2'], 'expected a number between 0 and 1'],
  ['a port out of range', ['sim', '--port', '70000'], 'expected a port number 0-65535'],
  ['import without files', ['import'], "error: missing required argument 'files'"],
  ['run with an unknown option', ['run', '--bogus'], "error: unknown option '--bogus'"],
];

let root: string;
let yahoo: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'bw-bad-input-'));
  // Nothing here may reach a feed; should anything try, it finds a closed loopback port.
  yahoo = `http://127.0.0.1:${await closedPort()}`;
});
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe.concurrent('bad command-line arguments: exit 2 with the message, nothing opened', () => {
  it.each(BAD_ARGS)('%s', async (_what, args, message) => {
    const dataDir = join(root, `args-${args.join('-').replace(/[^a-z0-9]+/gi, '_').slice(0, 60)}`);
    const r = await runCli(args, { env: { BUBBLEWATCH_DATA_DIR: dataDir, YAHOO_BASE_URL: yahoo } });
    expect(r.code, r.stderr).toBe(2);
    if (typeof message === 'string') expect(r.stderr).toContain(message);
    else expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('bad input: clear errors, nothing stored, tables intact', () => {
  let env: NodeJS.ProcessEnv;
  let scratch: ScratchDatabase | undefined;
  let csvDir: string;
  let csv: CliResult;

  const cli = (args: string[]) => runCli(args, { env, timeoutMs: 120_000 });
  async function withDb<T>(fn: (handle: DbHandle) => Promise<T>): Promise<T> {
    const handle = await openDb({ kind: 'postgres', url: scratch!.url }, { maxConnections: 1 });
    try {
      return await fn(handle);
    } finally {
      await handle.close();
    }
  }

  beforeAll(async () => {
    csvDir = join(root, 'csv');
    mkdirSync(csvDir);
    scratch = await createScratchDatabase();
    env = { DATABASE_URL: scratch.url, BUBBLEWATCH_DATA_DIR: join(root, 'data'), YAHOO_BASE_URL: yahoo };
    writeFileSync(join(csvDir, 'ORCL.csv'), GOOD);
    const good = await cli(['import', join(csvDir, 'ORCL.csv')]);
    expect(good.code, good.stderr).toBe(0);
    for (const [name, content] of BAD_CSV) writeFileSync(join(csvDir, `${name}.csv`), content);
    // All the bad files in one import: each is judged whole and on its own.
    csv = await cli(['import', ...BAD_CSV.map(([name]) => join(csvDir, `${name}.csv`))]);
  });
  afterAll(async () => {
    await scratch?.drop();
  });

  describe('malformed CSV', () => {
    it('the import exits 2 and imports nothing from any bad file', () => {
      expect(csv.code, csv.stderr).toBe(2);
      expect(csv.stdout).toBe('');
      for (const [name] of BAD_CSV) expect(csv.stderr).toContain(`${join(csvDir, name)}.csv: nothing imported from this file`);
    });

    it.each(BAD_CSV)('%s: names the file, the line and the problem', (_name, _content, problems) => {
      const lines = csv.stderr.split('\n');
      for (const p of problems) expect(lines).toContain(join(csvDir, p));
    });
  });

  describe('SQL injection attempts', () => {
    it('through --symbols: refused as not a symbol', async () => {
      const r = await cli(['sync', '--symbols', "ORCL';drop table daily_bars;--"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`bubblewatch: --symbols: "ORCL';DROP TABLE DAILY_BARS;--" is not a Yahoo symbol (e.g. ORCL, ^GSPC, BRK-B)\n`);
    });

    it('through --from: refused as not a date', async () => {
      const r = await cli(['sync', '--from', "2020-01-01'; drop table daily_bars;--"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`argument '2020-01-01'; drop table daily_bars;--' is invalid. expected a date as YYYY-MM-DD`);
    });

    it('through report --date: refused as not a date', async () => {
      const r = await cli(['report', '--date', "2026-01-02'; drop table reports;--"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('is invalid. expected a date as YYYY-MM-DD');
    });

    it('through import --symbol: refused as not a symbol', async () => {
      const r = await cli(['import', join(csvDir, 'ORCL.csv'), '--symbol', "X';drop table daily_bars;--"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`"X';DROP TABLE DAILY_BARS;--" is not a valid symbol`);
    });

    it('through sql --param: bound as a value, never spliced into the SQL', async () => {
      const quote = "ORCL' or '1'='1";
      const payload = "x'); drop table daily_bars; --";
      const r = await cli([
        'sql',
        `select (select count(*) from daily_bars where symbol = :plain)::int as plain,
                (select count(*) from daily_bars where symbol = :quote)::int as quoted,
                :payload::text as echoed`,
        '--param', 'plain=ORCL', '--param', `quote=${quote}`, '--param', `payload=${payload}`,
        '--format', 'json',
      ]);
      expect(r.code, r.stderr).toBe(0);
      // The quote did not widen the match, and the payload came back as the text it is.
      expect(JSON.parse(r.stdout)).toEqual([{ plain: 3, quoted: 0, echoed: payload }]);
    });

    it('a second statement after the query: refused (one statement only)', async () => {
      const r = await cli(['sql', 'select 1; drop table daily_bars']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('cannot insert multiple commands into a prepared statement');
    });

    // Before the fix in src/db/connect.ts (pg sent parameterless queries with the simple protocol),
    // this dropped the table on Postgres without --write: "commit" ended the read-only transaction.
    it('"commit; drop table ..." without --write: refused (the table is still there below)', async () => {
      const r = await cli(['sql', 'commit; drop table reports']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('cannot insert multiple commands into a prepared statement');
    });
  });

  it('afterwards: only the good import is stored, every table intact', async () => {
    const state = await withDb(async (handle) => ({
      bars: await handle.db.selectFrom('daily_bars').select(['symbol', 'trade_date', 'close']).orderBy('trade_date').execute(),
      symbols: (await handle.db.selectFrom('symbols').select('symbol').orderBy('symbol').execute()).map((s) => s.symbol),
      reports: await handle.db.selectFrom('reports').select('as_of').execute(),
      tables: (await handle.db.introspection.getTables()).map((t) => t.name).sort(),
      imports: await handle.db.selectFrom('ingest_runs').select(['job', 'status', 'failures']).orderBy('id').execute(),
    }));
    expect(state.bars).toEqual([
      { symbol: 'ORCL', trade_date: '2024-01-02', close: 10.5 },
      { symbol: 'ORCL', trade_date: '2024-01-03', close: 11 },
      { symbol: 'ORCL', trade_date: '2024-01-04', close: 10.8 },
    ]);
    expect(state.symbols).toEqual(['ORCL']);
    expect(state.reports).toEqual([]);
    expect(state.tables).toEqual(expect.arrayContaining(['corporate_actions', 'daily_bars', 'ingest_runs', 'quotes', 'reports', 'symbols']));
    // The bad CSV import is on record as failed, one failure per file, each with its first problem.
    const bad = state.imports.find((r) => r.job === 'import' && r.status === 'failed' && (r.failures as unknown[]).length === BAD_CSV.length);
    expect(bad).toBeDefined();
    // No sync or report ever started.
    expect(state.imports.map((r) => r.job)).not.toContain('sync');
  });
});
