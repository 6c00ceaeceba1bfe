// The daemon in-process on a fresh migrated database of the test server, fed by the simulated Yahoo over loopback, its HTTP server on an ephemeral
// port: /healthz, /metrics (checked line by line as Prometheus text), the live page and its events, the
// report pages in both languages, and a 503
// once the database is gone. The clock is injected: Friday 2026-01-02 17:00 New York, after the
// close of the sim's last session.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Daemon } from '../../src/daemon/daemon.js';
import type { DbHandle } from '../../src/db/connect.js';
import { createLogger } from '../../src/log.js';
import type { SimServer } from '../../src/sim/server.js';
import { daemonTestConfig, guardNetwork, startTestSim, TEST_NOW } from '../helpers/sim-harness.js';
import { parsePrometheusText } from '../daemon/prom-text.js';
import { startInProcessDaemon, type InProcessDaemon } from './in-process-daemon.js';

guardNetwork();

/** The first `count` events of an SSE stream (or what came within `waitMs`), then the stream is dropped. */
async function readEvents(url: string, count: number, headers: Record<string, string> = {}, waitMs = 10_000) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), waitMs);
  const events: { id?: string; event?: string; data: string }[] = [];
  try {
    const res = await fetch(url, { headers, signal: abort.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const e: { id?: string; event?: string; data: string } = { data: '' };
        for (const line of block.split('\n')) {
          const [field, ...rest] = line.split(': ');
          const value = rest.join(': ');
          if (field === 'id') e.id = value;
          else if (field === 'event') e.event = value;
          else if (field === 'data') e.data += value;
        }
        if (e.event) events.push(e);
        if (events.length >= count) return events;
      }
    }
  } catch (err) {
    if ((err as Error).name !== 'AbortError') throw err;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  return events;
}

const NOW = new Date('2026-01-02T22:00:00Z');


describe('daemon HTTP', () => {
  let sim: SimServer;
  let running: InProcessDaemon;
  /** What the daemon uses; the last test closes it under the daemon's feet. */
  let handle: DbHandle;
  let daemon: Daemon;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'bw-daemon-http-'));
    sim = await startTestSim();
    const config = daemonTestConfig(sim.url, dataDir, '2025-06-02');
    const log = createLogger({ level: 'warn', destination: { write: () => {} } });
    running = await startInProcessDaemon({ config, log, clock: () => NOW });
    ({ daemon, handle } = running);
  });

  afterAll(async () => {
    await running?.close();
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

  it('/ is the live page (never a 404), with its CSP, script and style from the daemon itself', async () => {
    for (const path of ['/', '/?lang=zh-Hant']) {
      const res = await fetch(`${daemon.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
      const text = await res.text();
      expect(text).toContain('<script src="/live.js" defer></script>');
      expect(text).not.toMatch(/<script>|<style>| on[a-z]+=/i);
      expect(text).toMatch(/data-symbol="ORCL"/);
    }
    expect(await (await fetch(`${daemon.url}/?lang=zh-Hant`)).text()).toContain('<html lang="zh-Hant">');
    expect((await fetch(`${daemon.url}/live.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(`${daemon.url}/live.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await fetch(`${daemon.url}/?lang=fr`)).status).toBe(400);
  });

  it('/events sends a snapshot on connect, and nothing again to a client that already has it', async () => {
    const first = await readEvents(`${daemon.url}/events`, 1);
    expect(first[0]!.event).toBe('snapshot');
    expect(first[0]!.id).toMatch(/^[0-9a-z]+-\d+$/);
    const data = JSON.parse(first[0]!.data) as { html: string; snapshot: { symbols: { symbol: string }[] } };
    expect(data.html).toContain('data-symbol="ORCL"');
    expect(data.snapshot.symbols.map((s) => s.symbol)).toContain('ORCL');
    // A client that has the current state gets no snapshot again; a job may have changed the state
    // meanwhile (an update with a new id is then its due).
    const again = await readEvents(`${daemon.url}/events`, 1, { 'last-event-id': first[0]!.id! }, 500);
    expect(again.filter((e) => e.event === 'snapshot' || e.id === first[0]!.id)).toEqual([]);
    const stale = await readEvents(`${daemon.url}/events`, 1, { 'last-event-id': 'old-1' });
    expect(stale[0]!.event).toBe('snapshot');
  });

  it('/reports/ lists the stored reports; /reports/DATE[.html|.md|.json] in either language; /reports/latest redirects', async () => {
    const index = await fetch(`${daemon.url}/reports/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain(`data-report="${TEST_NOW}"`);
    const latest = await fetch(`${daemon.url}/reports/latest?lang=zh-Hant`, { redirect: 'manual' });
    expect(latest.status).toBe(302);
    expect(latest.headers.get('location')).toBe(`/reports/${TEST_NOW}.html?lang=zh-Hant`);
    const html = await fetch(`${daemon.url}/reports/${TEST_NOW}`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('x-bubblewatch-data-source')).toBe('sim');
    expect(await html.text()).toContain('<html lang="en">');
    const zh = await fetch(`${daemon.url}/reports/${TEST_NOW}.html?lang=zh-Hant`);
    expect(await zh.text()).toContain('<html lang="zh-Hant">');
    const md = await fetch(`${daemon.url}/reports/${TEST_NOW}.md?lang=zh-Hant`);
    expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(await md.text()).toContain('泡沫觀察');
    const json = await fetch(`${daemon.url}/reports/${TEST_NOW}.json?lang=zh-Hant`);
    expect(json.status).toBe(200);
    expect((await json.json()).asOf).toBe(TEST_NOW);
    for (const path of ['/reports/2025-12-31', '/reports/2025-12-31.json', '/reports/2026-02-30', '/reports/2026-1-2', '/nope']) {
      expect((await fetch(`${daemon.url}${path}`)).status, path).toBe(404);
    }
    expect((await fetch(`${daemon.url}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('a scheduled verify finds a row changed by SQL: named in /healthz and /metrics, alerted, not repaired (verify.repair is off)', async () => {
    const row = await handle.db.selectFrom('daily_bars').select(['trade_date', 'close']).where('symbol', '=', 'INTC').orderBy('trade_date').offset(40).limit(1).executeTakeFirstOrThrow();
    await sql`update daily_bars set close = close * 1.5 where symbol = 'INTC' and trade_date = ${row.trade_date}`.execute(handle.db);
    const tick = await daemon.scheduler.tick('verify', NOW);
    expect(tick.ran).toEqual([{ job: 'verify', status: 'ok' }]);

    const health = await fetch(`${daemon.url}/healthz`);
    // Told, not failed on: the daemon itself is fine.
    expect(health.status).toBe(200);
    const body = await health.json();
    expect(body.integrity.verify).toMatchObject({ differences: 1, unrepaired: 1, symbols: ['INTC'] });
    expect(body.warnings).toContain(`INTC: verify #${body.integrity.verify.runId} found the stored history different from the source: ${row.trade_date} close`);

    const { samples, types } = parsePrometheusText(await (await fetch(`${daemon.url}/metrics`)).text());
    const gauge = (symbol: string) => samples.find((s) => s.name === 'bubblewatch_verify_differences' && s.labels.symbol === symbol)?.value;
    expect(types.get('bubblewatch_verify_differences')).toBe('gauge');
    expect([gauge('INTC'), gauge('ORCL'), gauge('^GSPC')]).toEqual([1, 0, 0]);
    expect(samples.find((s) => s.name === 'bubblewatch_runs_total' && s.labels.job === 'verify')?.value).toBe(1);

    const alerts = await handle.db.selectFrom('alerts').select(['rule', 'symbol', 'message']).where('rule', '=', 'verify_difference').execute();
    expect(alerts).toEqual([{ rule: 'verify_difference', symbol: 'INTC', message: expect.stringContaining(`INTC ${row.trade_date} close`) }]);
    const after = await handle.db.selectFrom('daily_bars').select('close').where('symbol', '=', 'INTC').where('trade_date', '=', row.trade_date).executeTakeFirstOrThrow();
    expect(after.close).toBeCloseTo(row.close * 1.5, 6);
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
