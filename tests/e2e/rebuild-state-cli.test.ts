// `bubblewatch db rebuild-state` through the compiled CLI, as a user runs it after writing daily_bars
// by hand: the hand write makes the states untrusted (the report then reads bars), the command
// rebuilds them from the bars and clears the mark. On an empty database of the test server.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase } from '../helpers/db.js';
import { PROJECT_ROOT, runCli } from '../helpers/cli.js';

const CSV = ['Date,Open,High,Low,Close,Adj Close,Volume', '2024-01-02,10,10,10,10,10,100', '2024-01-03,12,12,12,12,12,100', '2024-01-04,9,9,9,9,9,100'].join('\n');

describe('db rebuild-state', () => {
  let env: NodeJS.ProcessEnv;
  let dir: string;
  let dropDatabase = async () => {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bw-rebuild-'));
    const scratch = await createScratchDatabase();
    dropDatabase = scratch.drop;
    env = { DATABASE_URL: scratch.url, BUBBLEWATCH_DATA_DIR: join(dir, 'data'), BUBBLEWATCH_CONFIG: join(PROJECT_ROOT, 'config/bubblewatch.json') };
  });
  afterAll(async () => {
    await dropDatabase();
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) => runCli(args, { env, timeoutMs: 120_000 });
  const stateOf = async () => JSON.parse((await cli('sql', "select last_change, (state->'peak'->>'close')::numeric as peak, (select count(*) from symbol_state_untracked_writes) as marks from symbol_state where symbol = 'ZZTEST'", '--format', 'json')).stdout) as unknown[];

  it('rebuilds the states after a hand write, and says how many', async () => {
    const file = join(dir, 'ZZTEST.csv');
    writeFileSync(file, CSV);
    expect((await cli('import', file)).code).toBe(0);
    expect(await stateOf()).toEqual([{ last_change: 'rebuilt', peak: 12, marks: 0 }]);

    const write = await cli('sql', "update daily_bars set close = 30, high = 30 where symbol = 'ZZTEST' and trade_date = '2024-01-04'", '--write');
    expect(write.code, write.stderr).toBe(0);
    expect(await stateOf()).toEqual([{ last_change: 'rebuilt', peak: 12, marks: 1 }]);

    const rebuilt = await cli('db', 'rebuild-state');
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.stdout).toMatch(/^rebuilt the drawdown state of 1 symbol\(s\) on /);
    expect(await stateOf()).toEqual([{ last_change: 'rebuilt', peak: 30, marks: 0 }]);
    expect((await cli('db', 'rebuild-state', '--help')).stdout).toMatch(/^Usage: bubblewatch db rebuild-state/);
  }, 300_000);
});
