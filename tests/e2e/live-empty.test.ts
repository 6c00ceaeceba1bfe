// `/` never 404s: while the first sync still runs on an empty database the live page answers 200 and
// says what is missing, /events sends that state as its snapshot, and the page fills in from the
// stored rows' notifications alone (the sync here is held open; the rows arrive through the store).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { startDaemon, type Daemon } from '../../src/daemon/daemon.js';
import type { DaemonJobs } from '../../src/daemon/jobs.js';
import { createDaemonMetrics } from '../../src/daemon/metrics.js';
import { storeSymbolHistory } from '../../src/db/store.js';
import { ensureSymbol } from '../../src/db/symbols.js';
import { createLogger } from '../../src/log.js';
import { PROJECT_ROOT } from '../helpers/cli.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

let handle: TestDb;
let daemon: Daemon;
let releaseSync: () => void = () => {};

beforeAll(async () => {
  const file = JSON.parse(readFileSync(join(PROJECT_ROOT, 'config/bubblewatch.json'), 'utf8'));
  file.http.port = 0;
  const config = parseConfig(JSON.stringify(file), { LOG_LEVEL: 'warn', BUBBLEWATCH_DATA_DIR: '/nonexistent-bw-live-empty' });
  const log = createLogger({ level: 'silent' });
  handle = await createTestDb();
  const held = new Promise<void>((resolve) => (releaseSync = resolve));
  // The first sync "runs" until the test ends: nothing is stored by it.
  const jobs: DaemonJobs = {
    sync: async () => {
      await held;
      return { runId: null, status: 'aborted', failures: [], symbols: [], changedRows: 0 };
    },
    quotes: async () => ({ runId: null, status: 'ok', received: 0, rows: 0, failures: [] }),
    report: async () => {
      throw new Error('no report in this test');
    },
  };
  const clock = () => new Date('2026-01-05T22:00:00Z');
  daemon = await startDaemon({
    config,
    log,
    handle,
    jobs,
    yahoo: { circuitOpen: () => false, lastError: () => null },
    metrics: createDaemonMetrics({ defaultMetrics: false }),
    clock,
    stopGraceMs: 500,
  });
}, 60_000);

afterAll(async () => {
  releaseSync();
  await daemon?.stop();
  await handle?.drop();
});

it('answers 200 saying no prices are stored yet, in both languages, and the event stream says the same', async () => {
  const en = await fetch(`${daemon.url}/`);
  expect(en.status).toBe(200);
  expect(await en.text()).toContain('No prices are stored yet.');
  expect(await (await fetch(`${daemon.url}/?lang=zh-Hant`)).text()).toContain('尚未儲存任何價格');
  const reports = await fetch(`${daemon.url}/reports/`);
  expect(reports.status).toBe(200);
  expect(await reports.text()).toContain('No report stored yet');
  expect((await fetch(`${daemon.url}/reports/latest`, { redirect: 'manual' })).status).toBe(404);

  const abort = new AbortController();
  const res = await fetch(`${daemon.url}/events`, { signal: abort.signal });
  let received = '';
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      received += Buffer.from(chunk).toString('utf8');
      if (received.includes('event: snapshot') && received.endsWith('\n\n')) break;
    }
  } finally {
    abort.abort();
  }
  expect(received).toMatch(/^retry: \d+\n\nid: [0-9a-z]+-\d+\nevent: snapshot\ndata: /);
  expect(received).toContain('No prices are stored yet.');
});

it('fills in when a symbol’s history is stored, without the sync finishing', async () => {
  await ensureSymbol(handle.db, 'ORCL');
  const bars = ['2026-01-02', '2026-01-05'].map((tradeDate, i) => ({
    symbol: 'ORCL',
    tradeDate,
    open: 100,
    high: 110,
    low: 90,
    close: 100 - 10 * i,
    adjClose: null,
    volume: 1,
    quality: [],
  }));
  await storeSymbolHistory(handle.db, { symbol: 'ORCL', bars, actions: [], meta: {}, fullHistory: false, source: 'sim', fetchedAt: new Date() });
  const deadline = Date.now() + 10_000;
  let text = '';
  while (Date.now() < deadline) {
    text = await (await fetch(`${daemon.url}/`)).text();
    if (text.includes('data-symbol="ORCL"')) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(text).toMatch(/data-symbol="ORCL" data-kind="close"/);
  expect(text).toContain('-10.0%'); // today's change and the drawdown from the high of 100
});
