// `npm start` without internet: Yahoo (here a closed loopback port) cannot be reached. The daemon
// says so in one line with the cause and a pointer to `npm run demo`, keeps running (and answering
// HTTP), and still stops cleanly on SIGTERM. The data: an empty database of the test server (the
// daemon migrates it), as the database is not what this is about.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/db.js';
import { closedPort, daemonUrl, spawnDaemon, writeTestConfig, type DaemonProcess } from './daemon-harness.js';

const root = mkdtempSync(join(tmpdir(), 'bw-offline-'));
let daemon: DaemonProcess | undefined;
let scratch: ScratchDatabase | undefined;
beforeAll(async () => {
  scratch = await createScratchDatabase();
});
afterAll(async () => {
  if (daemon?.alive()) daemon.child.kill('SIGKILL');
  await daemon?.exited;
  await scratch?.drop();
  rmSync(root, { recursive: true, force: true });
});

describe('daemon without Yahoo', () => {
  it('logs one clear "cannot reach Yahoo" line, keeps running, exits 0 on SIGTERM', async () => {
    const port = await closedPort();
    // The shipped config (retries, breaker) except the HTTP port, so parallel runs don't collide.
    const configPath = writeTestConfig(join(root, 'config'));
    daemon = spawnDaemon(['run'], {
      DATABASE_URL: scratch!.url,
      BUBBLEWATCH_DATA_DIR: join(root, 'data'),
      BUBBLEWATCH_CONFIG: configPath,
      YAHOO_BASE_URL: `http://127.0.0.1:${port}`,
    });
    const url = await daemonUrl(daemon);
    const line = await daemon.waitFor((l) => String(l.msg).startsWith('cannot reach Yahoo Finance'), 60_000);
    expect(line.level).toBe(50);
    expect(String(line.cause)).toMatch(/ECONNREFUSED|fetch failed/);
    expect(String(line.msg)).toContain('npm run demo');
    await daemon.waitForMsg('daemon scheduled', 30_000);

    // Still alive and serving: /healthz says why it is unhealthy.
    await new Promise((r) => setTimeout(r, 1000));
    expect(daemon.alive()).toBe(true);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(503);
    expect((await health.json()).reasons.join('; ')).toMatch(/no prices stored yet/);
    expect(daemon.lines.filter((l) => String(l.msg).startsWith('cannot reach Yahoo Finance'))).toHaveLength(1);

    const stop = await daemon.stop('SIGTERM');
    expect(stop.code, daemon.stderr().slice(-3000)).toBe(0);
    expect(stop.ms).toBeLessThan(10_000);
  }, 120_000);
});
