// Part 5, bad configuration: one case per field of config/bubblewatch.json (and per environment
// variable), each with a bad value, run through the compiled CLI (`bubblewatch sync`, the command that
// would write). Each must exit 2 with "invalid configuration in <file>:" and a line naming the key path
// and what is wrong, print nothing on stdout, and write nothing: the data dir is never created.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tempRoot } from '../e2e/daemon-harness.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli } from '../helpers/cli.js';
import { closedPort } from '../e2e/daemon-harness.js';

// The cases reach into the parsed JSON freely.
type ConfigJson = Record<string, any>;

const BASE = JSON.parse(readFileSync(join(PROJECT_ROOT, 'config/bubblewatch.json'), 'utf8')) as ConfigJson;

/** [case, how to break the file, the problem line expected (after "  - ")] */
const FILE_CASES: [string, (c: ConfigJson) => void, string][] = [
  ['watchlist (not a list)', (c) => (c.watchlist = 'AMZN'), 'watchlist: Invalid input: expected array, received string'],
  ['watchlist (empty)', (c) => (c.watchlist = []), 'watchlist: Too small: expected array to have >=1 items'],
  ['watchlist (a symbol twice)', (c) => (c.watchlist[1].symbol = 'AMZN'), 'watchlist: lists a symbol twice'],
  ['watchlist[].symbol', (c) => (c.watchlist[0].symbol = "ORCL';drop table daily_bars;--"), 'watchlist[0].symbol: must be a Yahoo symbol such as ORCL or ^GSPC (A-Z, 0-9, ^ . - =)'],
  ['watchlist[].name', (c) => (c.watchlist[2].name = ''), 'watchlist[2].name: Too small: expected string to have >=1 characters'],
  ['watchlist[].kind', (c) => (c.watchlist[0].kind = 'etf'), 'watchlist[0].kind: Invalid option: expected one of "equity"|"index"'],
  ['watchlist[].benchmark', (c) => (c.watchlist[9].benchmark = 'yes'), 'watchlist[9].benchmark: Invalid input: expected boolean, received string'],
  ['watchlist[].historyStart', (c) => (c.watchlist[0].historyStart = '2020-02-30'), 'watchlist[0].historyStart: must be a date as YYYY-MM-DD'],
  ['watchlist[] unknown key', (c) => (c.watchlist[0].ticker = 'AMZN'), 'watchlist[0].ticker: unknown key'],
  ['history', (c) => (c.history = 5), 'history: Invalid input: expected object, received number'],
  ['history.start', (c) => (c.history.start = 'yesterday'), 'history.start: must be a date as YYYY-MM-DD'],
  ['history.overlapSessions', (c) => (c.history.overlapSessions = -1), 'history.overlapSessions: Too small: expected number to be >=0'],
  ['history.jumpFactor', (c) => (c.history.jumpFactor = 1), 'history.jumpFactor: Too small: expected number to be >1'],
  ['exchange.timezone', (c) => (c.exchange.timezone = 'Mars/Olympus'), 'exchange.timezone: is not an IANA time zone'],
  ['schedules.quotes', (c) => (c.schedules.quotes = 'every minute'), 'schedules.quotes: is not a valid cron expression'],
  ['schedules.sync', (c) => (c.schedules.sync = '61 16 * * 1-5'), 'schedules.sync: is not a valid cron expression'],
  ['schedules.revision', (c) => (c.schedules.revision = '0 25 * * 1-5'), 'schedules.revision: is not a valid cron expression'],
  ['schedules.report', (c) => (c.schedules.report = 42), 'schedules.report: Invalid input: expected string, received number'],
  ['schedules.jitterSeconds', (c) => (c.schedules.jitterSeconds = 601), 'schedules.jitterSeconds: Too big: expected number to be <=600'],
  ['schedules.verify', (c) => (c.schedules.verify = 'weekly'), 'schedules.verify: is not a valid cron expression'],
  ['verify.repair', (c) => (c.verify.repair = 'yes'), 'verify.repair: Invalid input: expected boolean, received string'],
  ['yahoo.minIntervalMs', (c) => (c.yahoo.minIntervalMs = -5), 'yahoo.minIntervalMs: Too small: expected number to be >=0'],
  ['yahoo.concurrency', (c) => (c.yahoo.concurrency = 0), 'yahoo.concurrency: Too small: expected number to be >=1'],
  ['yahoo.timeoutMs', (c) => (c.yahoo.timeoutMs = 10), 'yahoo.timeoutMs: Too small: expected number to be >=1000'],
  ['yahoo.retries', (c) => (c.yahoo.retries = 2.5), 'yahoo.retries: Invalid input: expected int, received number'],
  ['yahoo.breakerThreshold', (c) => (c.yahoo.breakerThreshold = 0), 'yahoo.breakerThreshold: Too small: expected number to be >=1'],
  ['yahoo.breakerCooldownMs', (c) => (c.yahoo.breakerCooldownMs = '5m'), 'yahoo.breakerCooldownMs: Invalid input: expected number, received string'],
  ['http.host', (c) => (c.http.host = ''), 'http.host: Too small: expected string to have >=1 characters'],
  ['http.port', (c) => (c.http.port = 70000), 'http.port: Too big: expected number to be <=65535'],
  ['report.formats', (c) => (c.report.formats = ['pdf']), 'report.formats[0]: Invalid option: expected one of "md"|"html"|"json"'],
  ['report.lang', (c) => (c.report.lang = 'fr'), 'report.lang: Invalid option: expected one of "en"|"zh-Hant"'],
  ['$schema', (c) => (c.$schema = 42), '$schema: Invalid input: expected string, received number'],
  ['unknown top-level key', (c) => (c.watchlistt = []), 'watchlistt: unknown key'],
];

/** [variable, bad value, the problem line expected] */
const ENV_CASES: [string, string, string][] = [
  ['LOG_LEVEL', 'loud', 'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")'],
  ['DATABASE_URL', 'mysql://root:Db-Secret-1@127.0.0.1/x', 'DATABASE_URL is invalid: must be a postgres:// or postgresql:// URL such as postgres://db.example:5432/bubblewatch (got "mysql://***:***@127.0.0.1/x")'],
  ['DATABASE_URL', 'not-a-url', 'DATABASE_URL is invalid: must be a postgres:// or postgresql:// URL such as postgres://db.example:5432/bubblewatch (got "not-a-url")'],
  // A URL with credentials is echoed with the password masked.
  ['YAHOO_BASE_URL', 'ftp://proxy:Proxy-Secret-2@127.0.0.1/', 'YAHOO_BASE_URL: must be an http(s) URL (got "ftp://***:***@127.0.0.1/")'],
  ['BUBBLEWATCH_HTTP_PORT', '99999', 'BUBBLEWATCH_HTTP_PORT: must be a port number 0-65535 (got "99999")'],
];

let root: string;
let yahoo: string;

beforeAll(async () => {
  // Reachable by the embedded server's user (as root): the BOM case's sync gets as far as Yahoo.
  root = tempRoot('bw-bad-config-');
  // Should a bad config slip through, the sync would reach nothing: a closed loopback port.
  yahoo = `http://127.0.0.1:${await closedPort()}`;
});
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

async function syncWith(name: string, file: string, env: NodeJS.ProcessEnv = {}) {
  const dir = join(root, name.replace(/[^a-z0-9]+/gi, '-'));
  const configPath = join(dir, 'bubblewatch.json');
  const dataDir = join(dir, 'data');
  mkdirSync(dir, { recursive: true });
  writeFileSync(configPath, file);
  const result = await runCli(['sync'], { env: { BUBBLEWATCH_CONFIG: configPath, BUBBLEWATCH_DATA_DIR: dataDir, YAHOO_BASE_URL: yahoo, ...env } });
  return { ...result, configPath, dataDir };
}

function expectRejected(r: Awaited<ReturnType<typeof syncWith>>, problem: string, heading = `invalid configuration in ${r.configPath}:`) {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines[0]).toBe(`bubblewatch: ${heading}`);
  expect(lines.slice(1)).toContain(`  - ${problem}`);
  expect(r.stdout).toBe('');
  // Nothing written: not even the data dir.
  expect(existsSync(r.dataDir)).toBe(false);
}

describe.concurrent('a bad value in config/bubblewatch.json: exit 2 naming the key, nothing written', () => {
  it.each(FILE_CASES)('%s', async (name, breakIt, problem) => {
    const config = structuredClone(BASE);
    breakIt(config);
    expectRejected(await syncWith(name, JSON.stringify(config)), problem);
  });

  it('not JSON at all', async () => {
    const r = await syncWith('not-json', '{"watchlist": [');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bubblewatch: invalid configuration in .*:\n {2}- not valid JSON: /);
    expect(existsSync(r.dataDir)).toBe(false);
  });

  it('history.start after today (checked against the clock at start): exit 2, nothing written', async () => {
    const config = structuredClone(BASE);
    config.history.start = '2999-01-04';
    const r = await syncWith('future-start', JSON.stringify(config));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/\n {2}- history\.start: 2999-01-04 is after today \(\d{4}-\d\d-\d\d in America\/New_York\)\n$/);
    expect(r.stdout).toBe('');
    expect(existsSync(r.dataDir)).toBe(false);
  });

  it('a file saved with a UTF-8 byte-order mark is accepted', async () => {
    // Nothing to reach (a closed port): the sync runs and fails on Yahoo, not on the file.
    const r = await syncWith('bom', `\uFEFF${JSON.stringify(BASE)}`);
    expect(r.stderr).not.toContain('invalid configuration');
    expect(r.stderr).toMatch(/cannot reach Yahoo Finance/);
    expect(r.code).toBe(1);
  });

  it('every problem at once, each on its line', async () => {
    const config = structuredClone(BASE);
    for (const [, breakIt] of FILE_CASES.filter(([name]) => name.startsWith('yahoo.') || name.startsWith('http.'))) breakIt(config);
    const r = await syncWith('all-at-once', JSON.stringify(config));
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n').slice(1)).toHaveLength(8);
  });
});

describe.concurrent('a bad environment variable: exit 2 naming it, no secret echoed, nothing written', () => {
  it.each(ENV_CASES)('%s=%s', async (name, value, problem) => {
    const r = await syncWith(`env-${name}-${value}`, JSON.stringify(BASE), { [name]: value });
    // The environment is named as the culprit, not the config file.
    expectRejected(r, problem, 'invalid environment:');
    expect(r.stderr).not.toContain(r.configPath);
    expect(r.stderr).not.toMatch(/Secret-\d/);
  });

  it('BUBBLEWATCH_CONFIG naming a missing file', async () => {
    const dataDir = join(root, 'missing-config-data');
    const r = await runCli(['sync'], { env: { BUBBLEWATCH_CONFIG: join(root, 'nope.json'), BUBBLEWATCH_DATA_DIR: dataDir, YAHOO_BASE_URL: yahoo } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`bubblewatch: invalid configuration in ${join(root, 'nope.json')}:\n  - cannot read the file: ENOENT\n`);
    expect(existsSync(dataDir)).toBe(false);
  });
});
