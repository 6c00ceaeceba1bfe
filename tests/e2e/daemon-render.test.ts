// The daemon's HTTP server under the load the adversarial run found: several first requests at once
// for a report in the other language (rendered once, in the worker thread, while /healthz answers),
// and requests naming another host (421); and the scheduled report, written by the same worker. The daemon runs in-process on a fresh database of the test
// server, fed by the simulated Yahoo over loopback; its report renderer is the compiled worker
// (dist/, built before vitest), as in production.
import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { Daemon } from '../../src/daemon/daemon.js';
import { createLogger } from '../../src/log.js';
import type { SimServer } from '../../src/sim/server.js';
import { PROJECT_ROOT } from '../helpers/cli.js';
import { guardNetwork, startTestSim, TEST_NOW } from '../helpers/sim-harness.js';
import { startInProcessDaemon, type InProcessDaemon } from './in-process-daemon.js';

guardNetwork();
vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

/** Friday 2026-01-02 17:00 New York, after the close of the sim's last session. */
const NOW = new Date('2026-01-02T22:00:00Z');

/** One raw HTTP/1.1 request with the Host header and request target given as they are. */
function rawGet(port: number, target: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: target, headers: { host }, setHost: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('daemon HTTP under concurrent renders and foreign hosts', () => {
  let sim: SimServer;
  let running: InProcessDaemon;
  let daemon: Daemon;
  let dataDir: string;
  let port: number;
  const lines: Record<string, unknown>[] = [];
  const rendered = () => lines.filter((l) => l.msg === 'report rendered on request');

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'bw-daemon-render-'));
    sim = await startTestSim();
    const file = JSON.parse(readFileSync(join(PROJECT_ROOT, 'config/bubblewatch.json'), 'utf8'));
    // Ten years of ten symbols: a render long enough to be seen beside a /healthz.
    file.history.start = '2016-01-04';
    file.yahoo.minIntervalMs = 0;
    file.http = { host: '127.0.0.1', port: 0, allowedHosts: ['bubblewatch.example'] };
    file.schedules.jitterSeconds = 0;
    const config = parseConfig(JSON.stringify(file), { BUBBLEWATCH_DATA_DIR: dataDir, YAHOO_BASE_URL: sim.url, LOG_LEVEL: 'info' });
    const log = createLogger({ level: 'info', destination: { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) } });
    running = await startInProcessDaemon({ config, log, clock: () => NOW });
    daemon = running.daemon;
    port = Number(new URL(daemon.url).port);
  });

  afterAll(async () => {
    await running?.close();
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('five first requests at once for the other language render it once; /healthz answers before that render is done', async () => {
    expect(daemon.scheduler.state).toMatchObject({ reportedSession: TEST_NOW });
    expect(rendered()).toEqual([]);
    const finished: { what: string; at: number }[] = [];
    const page = `${daemon.url}/reports/${TEST_NOW}.html?lang=zh-Hant`;
    const five = Array.from({ length: 5 }, async () => {
      const res = await fetch(page);
      const body = await res.text();
      finished.push({ what: 'report', at: performance.now() });
      return { status: res.status, body };
    });
    const health = (async () => {
      const res = await fetch(`${daemon.url}/healthz`);
      await res.text();
      finished.push({ what: 'healthz', at: performance.now() });
      return res.status;
    })();
    const [answers, healthStatus] = await Promise.all([Promise.all(five), health]);
    expect(healthStatus).toBe(200);
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.body).toBe(answers[0]!.body);
    }
    expect(answers[0]!.body).toContain('<html lang="zh-Hant">');
    expect(rendered()).toHaveLength(1);
    // The render ran beside the event loop: /healthz, asked after the five, came back first.
    expect(finished[0]!.what).toBe('healthz');
    // Asked again later: from the cache, no second render.
    expect(await (await fetch(page)).text()).toBe(answers[0]!.body);
    expect(rendered()).toHaveLength(1);
    expect(rendered()[0]).toMatchObject({ asOf: TEST_NOW, format: 'html', lang: 'zh-Hant', readMs: expect.any(Number), renderMs: expect.any(Number) });
  });

  it('the Markdown in the other language too, rendered in the worker from the same data', async () => {
    const md = await fetch(`${daemon.url}/reports/${TEST_NOW}.md?lang=zh-Hant`);
    expect(md.status).toBe(200);
    expect(await md.text()).toContain('泡沫觀察');
    expect(rendered()).toHaveLength(2);
  });

  it('writes the scheduled report in the worker, on the daemon’s clock: its files, its row and run, its line in the daemon’s log', async () => {
    const logged = () => lines.filter((l) => l.msg === 'report written');
    const before = logged().length;
    const outcome = await running.jobs.report({ session: TEST_NOW });
    const reports = join(dataDir, 'reports');
    expect(outcome).toEqual({ asOf: TEST_NOW, files: ['md', 'html', 'json'].map((f) => join(reports, `${TEST_NOW}.${f}`)), dataSource: 'sim' });
    const row = await running.handle.db.selectFrom('reports').select(['generated_at', 'json', 'markdown']).where('as_of', '=', TEST_NOW).executeTakeFirstOrThrow();
    expect(JSON.parse(readFileSync(join(reports, `${TEST_NOW}.json`), 'utf8'))).toEqual(row.json);
    expect(readFileSync(join(reports, `${TEST_NOW}.md`), 'utf8')).toBe(row.markdown);
    // The worker's clock runs on from the daemon's (a fixed Friday evening here), not from the machine's.
    const generatedAt = new Date(row.generated_at).getTime();
    expect(generatedAt).toBeGreaterThanOrEqual(NOW.getTime());
    expect(generatedAt).toBeLessThan(NOW.getTime() + 10 * 60_000);
    const run = await running.handle.db.selectFrom('ingest_runs').select(['status', 'started_at', 'pid']).where('job', '=', 'report').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(run).toMatchObject({ status: 'ok', pid: process.pid });
    expect(new Date(run.started_at).getTime()).toBeGreaterThanOrEqual(NOW.getTime());
    expect(logged()).toHaveLength(before + 1);
    expect(logged().at(-1)).toMatchObject({ asOf: TEST_NOW, files: outcome.files, dataSource: 'sim', simulated: true, lang: 'en' });
  });

  it('a scheduled report the worker cannot write fails the job with its reason', async () => {
    // Monday is after the daemon's today (Friday), though long past on the machine's clock.
    await expect(running.jobs.report({ session: '2026-01-05' })).rejects.toThrow('--date 2026-01-05 is in the future (today is 2026-01-02 in America/New_York)');
    await expect(running.jobs.report({ session: '1990-01-02' })).rejects.toThrow('no prices are stored on or before 1990-01-02 (the stored history starts on 2016-01-04)');
  });

  it('answers 421 to a request for another host (DNS rebinding, an absolute-form proxy request), and serves its own names', async () => {
    expect(await rawGet(port, '/healthz', 'evil.example')).toMatchObject({ status: 421, body: expect.stringContaining('misdirected request') });
    expect(await rawGet(port, `/reports/${TEST_NOW}.html`, `evil.example:${port}`)).toMatchObject({ status: 421 });
    expect(await rawGet(port, 'http://evil.example/healthz', `127.0.0.1:${port}`)).toMatchObject({ status: 421 });
    expect((await rawGet(port, '/', 'bad host')).status).toBe(400);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'bubblewatch.example']) {
      expect((await rawGet(port, '/healthz', host)).status, host).toBe(200);
    }
    expect((await rawGet(port, `http://localhost:${port}/healthz`, 'evil.example')).status).toBe(200);
  });
});
