// The foundation's acceptance list, through the compiled CLI as users run it, on an empty database of
// the test server (DATABASE_URL; the first command migrates it).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase } from '../helpers/db.js';
import { spawn } from 'node:child_process';
import { CLI, PROJECT_ROOT, runCli } from '../helpers/cli.js';

const HEADER = 'Date,Open,High,Low,Close,Adj Close,Volume';
// Closes 100, 120, 90, 130, 65, 70: the running peak ends at 130, so the deepest drawdown is 65/130 - 1.
const CLOSES = [100, 120, 90, 130, 65, 70];
const DATES = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08', '2024-01-09'];
const goodCsv = [HEADER, ...CLOSES.map((c, i) => `${DATES[i]},${c},${c + 1},${c - 1},${c},${c},1000`)].join('\n');

describe('bubblewatch CLI', () => {
  let env: NodeJS.ProcessEnv;
  let dir: string;
  let dropDatabase = async () => {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bw-cli-'));
    const scratch = await createScratchDatabase();
    dropDatabase = scratch.drop;
    env = { DATABASE_URL: scratch.url, BUBBLEWATCH_DATA_DIR: join(dir, 'data'), BUBBLEWATCH_CONFIG: join(PROJECT_ROOT, 'config/bubblewatch.json') };
  });
  afterAll(async () => {
    await dropDatabase();
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) => runCli(args, { env });

  it('migrates and answers SQL as JSON with numbers as numbers', async () => {
    const migrated = await cli('migrate');
    expect(migrated.stderr).toBe('');
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toMatch(/applied 0001_init/);
    const again = await cli('migrate');
    expect(again.stdout).toMatch(/schema is up to date/);
    const count = await cli('sql', 'select count(*) as n from daily_bars', '--format', 'json');
    expect(count.code).toBe(0);
    expect(JSON.parse(count.stdout)).toEqual([{ n: 0 }]);
  });

  it('imports a Yahoo CSV idempotently and v_drawdowns gives the right drawdown', async () => {
    const file = join(dir, 'TEST.csv');
    writeFileSync(file, goodCsv);
    const first = await cli('import', file);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('TEST 6 rows (6 new, 0 changed, 0 unchanged)');
    const second = await cli('import', file);
    expect(second.stdout).toContain('TEST 6 rows (0 new, 0 changed, 6 unchanged)');

    const worst = await cli('sql', "select trade_date, close, peak_close, drawdown from v_drawdowns where symbol = 'TEST' order by drawdown limit 1", '--format', 'json');
    expect(JSON.parse(worst.stdout)).toEqual([{ trade_date: '2024-01-08', close: 65, peak_close: 130, drawdown: 65 / 130 - 1 }]);
    const latest = await cli('sql', "select last_close, ath_close, ath_date, drawdown from v_latest where symbol = 'TEST'", '--format', 'json');
    expect(JSON.parse(latest.stdout)).toEqual([{ last_close: 70, ath_close: 130, ath_date: '2024-01-05', drawdown: 70 / 130 - 1 }]);
  });

  it('rejects a bad CSV naming file:line and stores nothing from it', async () => {
    const file = join(dir, 'BAD.csv');
    writeFileSync(file, [HEADER, '2024-01-02,10,11,9,10,10,100', '2024-01-03,10,9,11,10,10,100'].join('\n'));
    const result = await cli('import', file);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}:3: high 9 is below low 11`);
    expect(result.stderr).toContain('nothing imported from this file');
    const count = await cli('sql', "select count(*) as n from daily_bars where symbol = 'BAD'", '--format', 'json');
    expect(JSON.parse(count.stdout)).toEqual([{ n: 0 }]);
  });

  it('keeps the session read-only unless --write', async () => {
    const drop = await cli('sql', 'drop table daily_bars');
    expect(drop.code).toBe(2);
    expect(drop.stderr).toMatch(/cannot execute DROP TABLE in a read-only transaction/);
    expect(drop.stderr).toMatch(/the session is read-only/);
    const escape = await cli('sql', 'commit; drop table daily_bars');
    expect(escape.code).toBe(2);
    const still = await cli('sql', 'select count(*) as n from daily_bars', '--format', 'json');
    expect(JSON.parse(still.stdout)).toEqual([{ n: 6 }]);

    const write = await cli('sql', "update symbols set name = 'Test Inc' where symbol = 'TEST'", '--write');
    expect(write.code).toBe(0);
    const name = await cli('sql', "select name from symbols where symbol = 'TEST'", '--format', 'csv');
    expect(name.stdout).toBe('name\nTest Inc\n');
  });

  it("shows Postgres's message and position for garbage SQL, exit 2", async () => {
    const result = await cli('sql', 'selec 1 frm x');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('syntax error at or near "selec"');
    expect(result.stderr).toContain('LINE 1: selec 1 frm x\n        ^');
  });

  it('prints tables for people and CSV for spreadsheets', async () => {
    const table = await cli('sql', "select trade_date, close from daily_bars where symbol = 'TEST' order by trade_date limit 2");
    expect(table.stdout).toBe(['trade_date | close', '-----------+------', '2024-01-02 |   100', '2024-01-03 |   120', '(2 rows)', ''].join('\n'));
    const status = await cli('status', '--json');
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout);
    expect(parsed.database.kind).toBe('postgres');
    expect(parsed.symbols).toContainEqual({ symbol: 'TEST', bars: 6, firstDate: '2024-01-02', lastDate: '2024-01-09' });
    // No credentials in the location (the test server's password shows as *** at most).
    expect(JSON.stringify(parsed)).not.toMatch(/:(?!\*\*\*@)[^@/]*@/);
  });

  it('exits quietly when stdout is closed early (sql ... | head -1)', async () => {
    const child = spawn(process.execPath, [CLI, 'sql', 'select generate_series(1, 200000) as n', '--format', 'csv'], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // What `head -1` does: read the first chunk, then close the pipe.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('bubblewatch CLI usage', () => {
  it('exits 2 naming every config problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-cfg-'));
    const config = JSON.parse(readFileSync(join(PROJECT_ROOT, 'config/bubblewatch.json'), 'utf8'));
    config.watchlist[0].sector = 'tech';
    config.watchlist.push({ symbol: 'NOT A SYMBOL' });
    config.schedules.quotes = 'every minute';
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(config));
    const result = await runCli(['status'], { env: { BUBBLEWATCH_CONFIG: join(dir, 'bad.json'), BUBBLEWATCH_DATA_DIR: join(dir, 'data') } });
    rmSync(dir, { recursive: true, force: true });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('watchlist[0].sector: unknown key');
    expect(result.stderr).toContain('watchlist[10].symbol: must be a Yahoo symbol');
    expect(result.stderr).toContain('schedules.quotes: is not a valid cron expression');
  });

  it('has --help on every command and exits 2 on bad arguments', async () => {
    for (const command of [[], ['run'], ['sync'], ['verify'], ['quotes'], ['report'], ['sql'], ['status'], ['migrate'], ['import'], ['sim'], ['demo'], ['db', 'serve']]) {
      const help = await runCli([...command, '--help']);
      expect(help.code, command.join(' ')).toBe(0);
      expect(help.stdout).toMatch(/^Usage: bubblewatch/);
    }
    const bad = await runCli(['report', '--date', '2025-13-45']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected a date as YYYY-MM-DD');
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    const badOption = await runCli(['verify', '--repaired']);
    expect(badOption.code).toBe(2);
  });

});
