// The daemon in-process on a fresh database (in-memory PGlite; a scratch schema on Postgres too when
// TEST_DATABASE_URL is set), fed by the simulated Yahoo over loopback, its HTTP server on an ephemeral
// port: /healthz, /metrics (checked line by line as Prometheus text), the report pages, and a 503
// once the database is gone. The clock is injected: Friday 2026-01-02 17:00 New York, after the
// close of the sim's last session.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../../src/config/load.js';
import { startDaemon, type Daemon } from '../../src/daemon/daemon.js';
import { createIngestJobs } from '../../src/daemon/ingest-jobs.js';
import { createDaemonMetrics } from '../../src/daemon/metrics.js';
import { createDaemonYahoo } from '../../src/daemon/yahoo.js';
import { openDb, type DbHandle } from '../../src/db/connect.js';
import { createLogger } from '../../src/log.js';
import type { SimServer } from '../../src/sim/server.js';
import { PROJECT_ROOT } from '../helpers/cli.js';
import { createTestDb, dbTargetNames, type TestDb } from '../helpers/db.js';
import { guardNetwork, startTestSim, TEST_NOW } from '../helpers/sim-harness.js';
import { parsePrometheusText } from '../daemon/prom-text.js';

guardNetwork();

const NOW = new Date('2026-01-02T22:00:00Z');

function testConfig(simUrl: string, dataDir: string): Config {
  const file = JSON.parse(readFileSync(join(PROJECT_ROOT, 'config/bubblewatch.json'), 'utf8'));
  file.history.start = '2025-06-02';
  file.yahoo.minIntervalMs = 0;
  file.http.port = 0;
  file.schedules.jitterSeconds = 0;
  return parseConfig(JSON.stringify(file), { BUBBLEWATCH_DATA_DIR: dataDir, YAHOO_BASE_URL: simUrl, LOG_LEVEL: 'warn' });
}

describe.each(dbTargetNames())('daemon HTTP on %s', (target) => {
  let sim: SimServer;
  let testDb: TestDb;
  /** What the daemon uses; its own pool on Postgres, so closing it leaves the scratch schema droppable. */
  let handle: DbHandle;
  let daemon: Daemon;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'bw-daemon-http-'));
    sim = await startTestSim();
    const config = testConfig(sim.url, dataDir);
    const log = createLogger({ level: 'warn', destination: { write: () => {} } });
    testDb = await createTestDb(target);
    handle = testDb.url ? await openDb({ kind: 'postgres', url: testDb.url }) : testDb;
    const metrics = createDaemonMetrics();
    const yahoo = createDaemonYahoo(config, log, { onRequest: (e) => metrics.observeYahooRequest(e), overrides: { cookieFile: undefined } });
    await yahoo.clearCrumb();
    metrics.attachYahoo(yahoo);
    const clock = () => NOW;
    daemon = await startDaemon({ config, log, handle, jobs: createIngestJobs({ handle, yahoo, config, log, clock }), yahoo, metrics, clock });
    await daemon.ready;
  });

  afterAll(async () => {
    await daemon?.stop();
    if (handle !== testDb) await handle?.close().catch(() => {});
    await testDb?.drop().catch(() => {});
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('caught up at start-up and wrote the report of the last session', () => {
    expect(daemon.scheduler.state).toMatchObject({ syncedSession: TEST_NOW, reportedSession: TEST_NOW });
  });

  it('/healthz answers 200 with the checks', async () => {
    const res = await fetch(`${daemon.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await res.json();
    expect(body).toMatchObject({
      status: 'ok',
      checks: { db: { ok: true }, data: { ok: true, newestBarDate: TEST_NOW }, yahoo: { ok: true, circuitOpen: false } },
    });
  });

  it('/metrics is valid Prometheus text with the daemon families', async () => {
    const res = await fetch(`${daemon.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const { samples, types, errors } = parsePrometheusText(await res.text());
    expect(errors).toEqual([]);
    const value = (name: string, labels: Record<string, string> = {}) =>
      samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    expect(value('bubblewatch_up')).toBe(1);
    expect(value('bubblewatch_runs_total', { job: 'sync', status: 'ok' })).toBe(1);
    expect(value('bubblewatch_runs_total', { job: 'report', status: 'ok' })).toBe(1);
    expect(value('bubblewatch_rows_written_total', { job: 'sync' })).toBeGreaterThan(1000);
    expect(value('bubblewatch_symbol_last_success_timestamp_seconds', { symbol: 'ORCL' })).toBe(NOW.getTime() / 1000);
    expect(value('bubblewatch_yahoo_request_duration_seconds_count', { endpoint: 'chart', status: '200' })).toBeGreaterThanOrEqual(10);
    expect(value('bubblewatch_yahoo_rate_limited_total')).toBe(0);
    expect(value('bubblewatch_yahoo_circuit_open')).toBe(0);
    expect(types.get('bubblewatch_yahoo_request_duration_seconds')).toBe('histogram');
    expect(types.get('bubblewatch_runs_total')).toBe('counter');
    expect(value('bubblewatch_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('/ serves the latest report and /reports/DATE an older one; other dates are 404', async () => {
    const latest = await fetch(`${daemon.url}/`);
    expect(latest.status).toBe(200);
    expect(latest.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(latest.headers.get('x-bubblewatch-data-source')).toBe('sim');
    expect(await latest.text()).toMatch(/<html/i);
    expect((await fetch(`${daemon.url}/reports/${TEST_NOW}`)).status).toBe(200);
    for (const path of ['/reports/2025-12-31', '/reports/2026-02-30', '/reports/2026-1-2', '/nope']) {
      expect((await fetch(`${daemon.url}${path}`)).status, path).toBe(404);
    }
    expect((await fetch(`${daemon.url}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('/healthz answers 503 with the reason when the database is gone', async () => {
    await handle.close();
    const res = await fetch(`${daemon.url}/healthz`);
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.status).toBe('fail');
    expect(body.reason).toMatch(/^database unreachable: /);
  });
});
