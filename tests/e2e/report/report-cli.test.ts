// `bubblewatch report` as users run it: the compiled CLI in a child process, an empty database of the
// test server (the import migrates it), reports under a temporary data dir, prices imported from
// generated Yahoo-format CSV files.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClosePoint } from '../../../src/domain.js';
import { runCli } from '../../helpers/cli.js';
import { createScratchDatabase, type ScratchDatabase } from '../../helpers/db.js';
import { sampleSeries } from '../../unit/report/report-fixture.js';

function yahooCsv(points: readonly ClosePoint[]): string {
  const rows = points.map((p) => {
    const c = p.close.toFixed(6);
    return `${p.date},${c},${c},${c},${c},${c},1000`;
  });
  return `Date,Open,High,Low,Close,Adj Close,Volume\n${rows.join('\n')}\n`;
}

let dir: string;
let env: NodeJS.ProcessEnv;
let scratch: ScratchDatabase | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bw-report-cli-'));
  scratch = await createScratchDatabase();
  env = { DATABASE_URL: scratch.url, BUBBLEWATCH_DATA_DIR: join(dir, 'data') };
  const series = sampleSeries();
  const files: string[] = [];
  for (const symbol of ['ORCL', 'CRWV', 'AMZN', '^GSPC']) {
    const file = join(dir, `${symbol}.csv`);
    await writeFile(file, yahooCsv(series.get(symbol)!));
    files.push(file);
  }
  const imported = await runCli(['import', ...files], { env });
  expect(imported.stderr).toBe('');
  expect(imported.code).toBe(0);
}, 120_000);

afterAll(async () => {
  await scratch?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('bubblewatch report', () => {
  it('writes the formats asked for, in the language asked for, and prints their paths', async () => {
    const r = await runCli(['report', '--date', '2025-12-17', '--format', 'json,md,html', '--lang', 'zh-Hant'], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const reports = join(dir, 'data', 'reports');
    const files = ['json', 'md', 'html'].map((f) => join(reports, `2025-12-17.${f}`));
    expect(r.stdout.trim().split('\n')).toEqual(files);
    const json = JSON.parse(readFileSync(files[0]!, 'utf8'));
    expect(json).toMatchObject({ asOf: '2025-12-17', basis: 'close', dataSource: 'import', simulated: false });
    expect(json.symbols.find((s: { symbol: string }) => s.symbol === 'ORCL')).toMatchObject({ athClose: 328.33, lastDate: '2025-12-17' });
    expect(readFileSync(files[1]!, 'utf8')).toContain('# 泡沫觀察');
    expect(readFileSync(files[2]!, 'utf8')).toContain('<html lang="zh-Hant">');
  }, 60_000);

  it('defaults to the latest stored date, the configured formats and <dataDir>/reports', async () => {
    const r = await runCli(['report'], { env });
    expect(r.code).toBe(0);
    const paths = r.stdout.trim().split('\n');
    expect(paths).toEqual(['md', 'html', 'json'].map((f) => join(dir, 'data', 'reports', `2025-12-31.${f}`)));
    for (const p of paths) expect(existsSync(p)).toBe(true);
    expect(readFileSync(paths[0]!, 'utf8')).toContain('# Bubble watch: As of Dec 31, 2025');
  }, 60_000);

  it('writes to --out', async () => {
    const out = join(dir, 'out');
    const r = await runCli(['report', '--out', out, '--format', 'md'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(join(out, '2025-12-31.md'));
  }, 60_000);

  it('exits 2 with a clear message for a date before any stored price', async () => {
    const r = await runCli(['report', '--date', '1990-01-01'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no prices are stored on or before 1990-01-01 (the stored history starts on 2007-01-02)');
    expect(r.stdout).toBe('');
  }, 60_000);

  it('exits 2 for a date in the future, writing nothing', async () => {
    const r = await runCli(['report', '--date', '2999-01-04', '--format', 'json'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--date 2999-01-04 is in the future/);
    expect(r.stdout).toBe('');
  });

  it('exits 2 on a bad format or language', async () => {
    expect((await runCli(['report', '--format', 'pdf'], { env })).code).toBe(2);
    expect((await runCli(['report', '--lang', 'fr'], { env })).code).toBe(2);
  }, 60_000);
});
