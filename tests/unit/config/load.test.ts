import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, checkStartDates, parseConfig, parseEnv } from '../../../src/config/load.js';
import { loadClaimsConfig } from '../../../src/report/read-claims-file.js';

const shipped = readFileSync(new URL('../../../config/bubblewatch.json', import.meta.url), 'utf8');

function problemsOf(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfig(text, env);
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems, ...err.envProblems];
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe(parseConfig.name, () => {
  it('accepts the shipped config and applies the environment', () => {
    const config = parseConfig(shipped, { DATABASE_URL: 'postgres://u:p@h/db', BUBBLEWATCH_DATA_DIR: '/tmp/bw', LOG_LEVEL: 'DEBUG' });
    expect(config.watchlist.map((w) => w.symbol)).toEqual(['AMZN', 'ORCL', 'CRWV', 'GOOGL', 'QCOM', 'INTC', 'NVDA', 'META', '^IXIC', '^GSPC']);
    expect(config.watchlist.filter((w) => w.benchmark).map((w) => w.symbol)).toEqual(['^IXIC', '^GSPC']);
    expect(config.env).toMatchObject({ databaseUrl: 'postgres://u:p@h/db', dataDir: '/tmp/bw', logLevel: 'debug', yahooBaseUrl: null });
    expect(config.schedules.sync).toBe('30 16 * * 1-5');
    expect(Object.isFrozen(config) && Object.isFrozen(config.watchlist[0])).toBe(true);
  });

  it('fills defaults for every section that is left out', () => {
    const config = parseConfig('{"watchlist":[{"symbol":"ORCL"}]}', {});
    expect(config.history).toEqual({ start: null, overlapSessions: 5, jumpFactor: 3 });
    expect(config.http).toEqual({ host: '127.0.0.1', port: 9464, allowedHosts: [] });
    expect(config.yahoo.minIntervalMs).toBe(1000);
    // The audit is weekly (Saturday morning, New York) and repairs nothing by itself.
    expect(config.schedules.verify).toBe('0 7 * * 6');
    expect(config.verify).toEqual({ repair: false });
    expect(config.watchlist[0]).toEqual({ symbol: 'ORCL', kind: 'equity', benchmark: false });
    expect(config.env.databaseUrl).toBeNull();
  });

  it('names every problem with its key path: unknown key, malformed symbol, bad cron', () => {
    const bad = JSON.parse(shipped);
    bad.colour = 'blue';
    bad.watchlist[1].symbol = 'or cl';
    bad.schedules.sync = '99 16 * * 1-5';
    const problems = problemsOf(JSON.stringify(bad));
    expect(problems).toEqual(
      expect.arrayContaining([
        'colour: unknown key',
        expect.stringMatching(/^watchlist\[1\]\.symbol: must be a Yahoo symbol/),
        'schedules.sync: is not a valid cron expression',
      ]),
    );
    expect(problems).toHaveLength(3);
  });

  it('reports file and environment problems together', () => {
    const problems = problemsOf('{"watchlist":[],"http":{"port":70000}}', { LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', YAHOO_BASE_URL: 'ftp://x' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^LOG_LEVEL: must be one of/),
        expect.stringMatching(/^DATABASE_URL is invalid: must be a postgres:\/\/ or postgresql:\/\/ URL/),
        expect.stringMatching(/^YAHOO_BASE_URL: must be an http\(s\) URL/),
        expect.stringMatching(/^watchlist: /),
        expect.stringMatching(/^http\.port: /),
      ]),
    );
  });

  it('rejects duplicate symbols, bad dates and time zones', () => {
    const problems = problemsOf(
      JSON.stringify({
        watchlist: [{ symbol: 'A' }, { symbol: 'A', historyStart: '2020-02-30' }],
        exchange: { timezone: 'Mars/Olympus' },
        history: { start: 'yesterday' },
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'watchlist: lists a symbol twice',
        'watchlist[1].historyStart: must be a date as YYYY-MM-DD',
        'exchange.timezone: is not an IANA time zone',
        'history.start: must be a date as YYYY-MM-DD',
      ]),
    );
  });

  it('lets the environment move the HTTP server (containers listen on 0.0.0.0)', () => {
    const config = parseConfig(shipped, { BUBBLEWATCH_HTTP_HOST: '0.0.0.0', BUBBLEWATCH_HTTP_PORT: '9999' });
    expect(config.http).toEqual({ host: '0.0.0.0', port: 9999, allowedHosts: [] });
    // A container's service name (or a proxy's), answered for besides the listening address.
    expect(parseConfig(shipped, { BUBBLEWATCH_HTTP_ALLOWED_HOSTS: ' worker, bubblewatch.example ' }).http.allowedHosts).toEqual(['worker', 'bubblewatch.example']);
    expect(problemsOf(`{"watchlist":[{"symbol":"ORCL"}],"http":{"allowedHosts":["evil.example:80"]}}`, {})).toEqual(["http.allowedHosts[0]: must be a host name or an IP address, without a port"]);
    expect(problemsOf(shipped, { BUBBLEWATCH_HTTP_PORT: 'http' })).toEqual([expect.stringMatching(/^BUBBLEWATCH_HTTP_PORT: /)]);
  });

  it('accepts a file saved with a UTF-8 byte-order mark', () => {
    const config = parseConfig(`\uFEFF${shipped}`, {});
    expect(config.watchlist).toHaveLength(10);
  });

  it('accepts claims.json saved with a byte-order mark', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-bom-'));
    const file = join(dir, 'claims.json');
    try {
      writeFileSync(file, `\uFEFF${readFileSync(new URL('../../../config/claims.json', import.meta.url), 'utf8')}`);
      await expect(loadClaimsConfig(file)).resolves.toBeDefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says when the file is not JSON', () => {
    expect(problemsOf('{ nope')).toEqual([expect.stringMatching(/^not valid JSON/)]);
  });
});

describe(parseEnv.name, () => {
  it('parses everything the environment says in one pass: variables, HTTP overrides, problems', () => {
    const parsed = parseEnv({ LOG_LEVEL: 'warn', BUBBLEWATCH_HTTP_HOST: ' 0.0.0.0 ', BUBBLEWATCH_HTTP_PORT: 'x' });
    expect(parsed.env).toMatchObject({ logLevel: 'warn', logLevelSet: true, databaseUrl: null });
    expect(parsed.http).toEqual({ host: '0.0.0.0' });
    expect(parsed.problems).toEqual([expect.stringMatching(/^BUBBLEWATCH_HTTP_PORT: /)]);
  });

  it('says whether LOG_LEVEL was given (the demo quiets its logs unless it was)', () => {
    expect(parseEnv({}).env).toMatchObject({ logLevel: 'info', logLevelSet: false });
    expect(parseEnv({ LOG_LEVEL: 'info' }).env.logLevelSet).toBe(true);
  });
});

describe(checkStartDates.name, () => {
  const withStarts = (start: string | null, historyStart?: string) =>
    parseConfig(JSON.stringify({ watchlist: [{ symbol: 'ORCL', ...(historyStart ? { historyStart } : {}) }], history: { start } }), {});

  it('accepts starts on or before today, and no start', () => {
    expect(() => checkStartDates(withStarts(null), '2026-01-02')).not.toThrow();
    expect(() => checkStartDates(withStarts('2026-01-02', '2020-01-01'), '2026-01-02')).not.toThrow();
  });

  it('refuses a history.start or a historyStart after today, naming each with today and the zone', () => {
    const err = (() => {
      try {
        checkStartDates(withStarts('2026-01-03', '2027-01-01'), '2026-01-02');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual([
      'history.start: 2026-01-03 is after today (2026-01-02 in America/New_York)',
      'watchlist[0].historyStart: 2027-01-01 is after today (2026-01-02 in America/New_York)',
    ]);
  });
});
