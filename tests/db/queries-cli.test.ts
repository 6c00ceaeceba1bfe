// `bubblewatch sql --file ... --param name=value` through the compiled CLI (built by `npm test`), on a
// scratch database the CLI migrates on first use (DATABASE_URL: the point here is binding, not the
// embedded server, so no initdb). Parameters are bound by the server: quotes and SQL in a value stay data.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli } from '../helpers/cli.js';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/db.js';
import { LIBRARY, near } from './queries-fixture.js';

const BIG_MOVES = 'sql/queries/big-moves.sql';

describe('bubblewatch sql with named parameters', () => {
  let env: NodeJS.ProcessEnv;
  let dir: string;
  let scratch: ScratchDatabase;
  const cli = (...args: string[]) => runCli(args, { env });
  const json = async (...args: string[]) => {
    const r = await cli(...args, '--format', 'json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as Record<string, unknown>[];
  };
  const barCount = async () => (await json('sql', 'select count(*) as n from daily_bars'))[0]!.n;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bw-sqlp-'));
    scratch = await createScratchDatabase();
    env = { DATABASE_URL: scratch.url, BUBBLEWATCH_DATA_DIR: join(dir, 'data'), BUBBLEWATCH_CONFIG: join(PROJECT_ROOT, 'config/bubblewatch.json') };
    const csv = join(dir, 'ORCL.csv');
    writeFileSync(csv, ['Date,Open,High,Low,Close,Adj Close,Volume', ...LIBRARY.ORCL.map(([d, c]) => `${d},${c},${c},${c},${c},${c},1000`)].join('\n'));
    const imported = await cli('import', csv);
    expect(imported.code, imported.stderr).toBe(0);
  });
  afterAll(async () => {
    await scratch?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a library query with the defaults from its header', async () => {
    const rows = await json('sql', '--file', BIG_MOVES);
    expect(rows.map((r) => [r.trade_date, r.return_pct])).toEqual([['2025-01-02', 12], ['2025-02-03', -20], ['2025-03-31', -17.36]]);
  });

  it('binds --param values over the defaults', async () => {
    const rows = await json('sql', '--file', BIG_MOVES, '--param', 'symbol=ORCL', '--param', 'threshold=0.15');
    expect(rows.map((r) => r.trade_date)).toEqual(['2025-02-03', '2025-03-31']);
    expect(await json('sql', '--file', BIG_MOVES, '--param', 'symbol=NVDA')).toEqual([]);
  });

  it('treats quotes and SQL in a parameter as data: no rows, and the table survives', async () => {
    const before = await barCount();
    expect(before).toBe(8);
    expect(await json('sql', '--file', BIG_MOVES, '--param', "symbol=ORCL'; drop table daily_bars; --")).toEqual([]);
    expect(await json('sql', '--file', BIG_MOVES, '--param', 'symbol=ORCL" or 1=1 --')).toEqual([]);
    // Even with --write: the value is still one bound parameter, never text of the statement.
    const written = await cli('sql', "select count(*) as n from daily_bars where symbol = :s", '--param', "s=x'); delete from daily_bars; --", '--write', '--format', 'json');
    expect(JSON.parse(written.stdout)).toEqual([{ n: 0 }]);
    // A value that is not a number where one is needed is rejected by the server, not executed.
    const numeric = await cli('sql', '--file', BIG_MOVES, '--param', 'threshold=0) or (1=1');
    expect(numeric.code).toBe(2);
    expect(numeric.stderr).toMatch(/invalid input syntax for type numeric: "0\) or \(1=1"/);
    expect(await barCount()).toBe(before);
  });

  it('takes parameters in an inline query too', async () => {
    expect(await json('sql', 'select cast(:a as int) + 1 as n, :b as b', '--param', 'a=41', '--param', "b=it's")).toEqual([{ n: 42, b: "it's" }]);
  });

  it('exits 2 naming a missing or unknown parameter, before touching the database', async () => {
    const missing = await cli('sql', 'select :a, :b');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('bubblewatch: missing value for :a, :b: pass --param a=VALUE --param b=VALUE\n');
    const unknown = await cli('sql', '--file', BIG_MOVES, '--param', 'symbl=ORCL');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('bubblewatch: unknown parameter symbl: it uses :symbol, :threshold\n');
    const malformed = await cli('sql', 'select 1', '--param', 'novalue');
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/expected NAME=VALUE/);
  });

  it('exports CSV for spreadsheets', async () => {
    const csv = await cli('sql', '--file', 'sql/queries/monthly-returns.sql', '--format', 'csv');
    expect(csv.code).toBe(0);
    const [header, ...lines] = csv.stdout.trimEnd().split('\n');
    expect(header).toBe('month,trade_date,close,monthly_return');
    const cells = lines.map((l) => l.split(','));
    expect(cells.map((c) => c.slice(0, 3))).toEqual([['2024-12', '2024-12-31', '100'], ['2025-01', '2025-01-31', '121'], ['2025-02', '2025-02-28', '99'], ['2025-03', '2025-03-31', '90']]);
    expect(cells[0]![3]).toBe(''); // no previous month: an empty cell
    expect(cells.slice(1).map((c) => Number(c[3]))).toEqual([near(0.21), near(99 / 121 - 1), near(90 / 99 - 1)]);
  });

  it('points the caret at the rewritten text for an error in a parameterised query', async () => {
    const result = await cli('sql', 'select :a::int from nowhere', '--param', 'a=1');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('relation "nowhere" does not exist');
    expect(result.stderr).toContain(`LINE 1: select $1::int from nowhere\n${' '.repeat('LINE 1: select $1::int from '.length)}^`);
  });
});
