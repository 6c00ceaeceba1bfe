// `npm run demo` (= `bubblewatch demo`) ends with a report on disk, marked as simulated, and exits 0
// within about a minute; it keeps its rows in its own embedded database; and its replayed session
// moves: the intraday quotes differ from one snapshot to the next, for the live page it points to; and
// its scripted session fires a new all-time high that its own receiver gets, signed, and prints.
// No DATABASE_URL: the demo's bundled server under <dataDir>/demo, stopped when the demo ends.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/connect.js';
import { runningServer } from '../../src/db/embedded-server.js';
import { lastClosedSession } from '../../src/market/calendar.js';
import { runCli } from '../helpers/cli.js';
import { stopLeftOverServer, tempRoot } from './daemon-harness.js';

const dataDir = tempRoot('bw-demo-');
afterAll(async () => {
  await stopLeftOverServer(join(dataDir, 'demo'));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('bubblewatch demo', () => {
  it('backfills, takes quotes, writes the report and exits 0', async () => {
    const result = await runCli(['demo'], { env: { BUBBLEWATCH_DATA_DIR: dataDir }, timeoutMs: 110_000 });
    expect(result.code, `${result.stdout}\n${result.stderr.slice(-3000)}`).toBe(0);

    const session = lastClosedSession(new Date());
    const reports = join(dataDir, 'demo', 'reports');
    for (const ext of ['md', 'html', 'json']) expect(existsSync(join(reports, `${session}.${ext}`)), ext).toBe(true);
    expect(result.stdout).toMatch(/SIMULATED/);
    expect(result.stdout).toMatch(/quote snapshot 1: 10 prices/);
    expect(result.stdout).toContain(join(reports, `${session}.html`));
    expect(result.stdout).toMatch(/http: +http:\/\/127\.0\.0\.1:\d+\/ \(live page\)/);
    expect(result.stdout).toMatch(/live page: http:\/\/127\.0\.0\.1:\d+\//);
    expect(readFileSync(join(reports, `${session}.json`), 'utf8')).toContain('"sim"');

    // The alert, as the receiver printed it: rule, symbol, message, and the signature checked.
    const scenario = /scenario: (\S+) closed the previous session/.exec(result.stdout)?.[1];
    expect(scenario, result.stdout).toBeDefined();
    expect(result.stdout).toMatch(/alert receiver: http:\/\/127\.0\.0\.1:\d+\/alerts/);
    const received = result.stdout.split('\n').filter((line) => line.includes('alert received:'));
    // Provisional from a quote snapshot; after an early-close session (the sim's intraday path runs to
    // 16:00) it may come confirmed, from the after-close sync instead.
    const newHigh = new RegExp(`alert received: all_time_high ${scenario}( \\(provisional\\))?: ${scenario} made a new all-time high: `);
    expect(received.filter((line) => newHigh.test(line)), result.stdout).toHaveLength(1);
    expect(received.every((line) => line.endsWith('[signature ok]')), received.join('\n')).toBe(true);

    // The demo stopped its server on the way out; opening it starts it again, close() stops it.
    expect(runningServer(join(dataDir, 'demo'))).toBeNull();
    const handle = await openDb({ kind: 'embedded', dataDir: join(dataDir, 'demo') });
    try {
      const sources = await handle.db.selectFrom('daily_bars').select('source').distinct().execute();
      expect(sources).toEqual([{ source: 'sim' }]);
      const report = await handle.db.selectFrom('reports').select(['as_of', 'data_source']).where('as_of', '=', session).executeTakeFirst();
      expect(report?.data_source).toBe('sim');
      const orcl = await handle.db.selectFrom('quotes').select(['price', 'market_state']).where('symbol', '=', 'ORCL').orderBy('ts').execute();
      expect(orcl.length).toBeGreaterThan(3);
      expect(new Set(orcl.map((q) => q.price)).size).toBeGreaterThan(3);
      expect(orcl.every((q) => q.market_state === 'REGULAR')).toBe(true);
      // Stored once, delivered to the receiver (the only channel: the user's own are never used).
      const highs = await handle.db
        .selectFrom('alerts')
        .innerJoin('alert_deliveries', 'alert_deliveries.alert_id', 'alerts.id')
        .select(['alerts.symbol', 'alert_deliveries.channel', 'alert_deliveries.status'])
        .where('alerts.rule', '=', 'all_time_high')
        .execute();
      expect(highs).toEqual([{ symbol: scenario, channel: 'demo-receiver', status: 'delivered' }]);
    } finally {
      await handle.close();
    }
    // The real data dir was not touched: the demo's database lives under <dataDir>/demo only.
    expect(existsSync(join(dataDir, 'pg'))).toBe(false);
  }, 150_000);
});
