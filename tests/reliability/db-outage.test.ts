// Part 3, database outage: the daemon (`bubblewatch run`, a child process) reaches the test server
// through a TCP relay in this process, so "the database" can be taken away without stopping the
// server other suites use. While it is away the daemon must keep running and /healthz must answer 503
// with the reason; when it is back the daemon must recover (200) without a restart. Two outages:
//   1. connections refused: the pool's connections are reset and new ones refused, while the session
//      that holds the daemon's instance lock survives (a pooler or network path failing);
//   2. Postgres stopped: every connection is reset, the lock's too, and new ones are refused.
// In the second the daemon also loses the connection holding its instance lock: it keeps running,
// says so in /healthz, and takes the lock again once Postgres answers.
// The DATABASE_URL carries a password (the bundled test server's own; on a trust-auth server one the
// server ignores): it must never reach the daemon's logs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { lastClosedSession } from '../../src/market/calendar.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/db.js';
import { daemonUrl, spawnDaemon, writeTestConfig, type DaemonProcess } from '../e2e/daemon-harness.js';
import { writeFigures } from './figures.js';
import { proxiedWithSecret, serverOf, startTcpProxy, type TcpProxy } from './tcp-proxy.js';

vi.setConfig({ testTimeout: 180_000, hookTimeout: 120_000 });

/** How long the database stays away: several health polls and more than one pool/lock retry cycle. */
const OUTAGE_MS = 8_000;

interface Health {
  status: number;
  body: { status?: string; reason?: string; reasons?: string[]; daemon?: { pid?: number } } | null;
}

async function health(url: string): Promise<Health> {
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(10_000) });
    return { status: res.status, body: (await res.json()) as Health['body'] };
  } catch {
    return { status: 0, body: null };
  }
}

async function waitForHealth(url: string, want: (h: Health) => boolean, timeoutMs: number, daemon: DaemonProcess): Promise<{ health: Health; ms: number }> {
  const t0 = performance.now();
  for (;;) {
    const h = await health(url);
    if (want(h)) return { health: h, ms: Math.round(performance.now() - t0) };
    if (!daemon.alive()) throw new Error(`the daemon exited (${(await daemon.exited).code}) while waiting; stderr:\n${daemon.stderr().slice(-4000)}`);
    if (performance.now() - t0 > timeoutMs) throw new Error(`/healthz never matched; last: ${JSON.stringify(h)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The lock session's startup message names it (src/db/instance-lock.ts applicationName). */
const isLockSession = (startup: string) => startup.includes('bubblewatch daemon pid=');
const FALLBACK_SECRET = 'Outage-Secret-7f3a';

describe('database outage under a running daemon (PostgreSQL through a TCP relay)', () => {
  let sim: SimServer;
  let root: string;
  let scratch: ScratchDatabase;
  let proxy: TcpProxy;
  /** The password in the daemon's DATABASE_URL. */
  let secret: string;
  let configPath: string;
  const daemons: DaemonProcess[] = [];
  const figures: Record<string, unknown> = {};

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'bw-outage-'));
    sim = await startSimServer({ now: lastClosedSession(new Date()), seed: 3 });
    scratch = await createScratchDatabase();
    proxy = await startTcpProxy(serverOf(scratch.url));
    configPath = writeTestConfig(join(root, 'config'), {
      history: { start: '2025-06-02', overlapSessions: 5 },
    });
  });
  afterAll(async () => {
    for (const d of daemons) if (d.alive()) d.child.kill('SIGKILL');
    await proxy?.close();
    await scratch?.drop();
    await sim?.close();
    if (root) rmSync(root, { recursive: true, force: true });
    if (Object.keys(figures).length > 0) writeFigures('db-outage', { outageMs: OUTAGE_MS, ...figures });
  });

  /** A daemon on the relay, caught up and healthy. */
  async function healthyDaemon(): Promise<{ daemon: DaemonProcess; url: string }> {
    await proxy.restore();
    const viaProxy = proxiedWithSecret(proxy, scratch.url, FALLBACK_SECRET);
    secret = viaProxy.secret;
    const daemon = spawnDaemon(['run'], {
      DATABASE_URL: viaProxy.url,
      BUBBLEWATCH_DATA_DIR: join(root, 'data'),
      BUBBLEWATCH_CONFIG: configPath,
      YAHOO_BASE_URL: sim.url,
    });
    daemons.push(daemon);
    const url = await daemonUrl(daemon, 120_000);
    await daemon.waitForMsg('daemon scheduled', 120_000);
    const before = await waitForHealth(url, (h) => h.status === 200, 30_000, daemon);
    expect(before.health.body?.status).toBe('ok');
    return { daemon, url };
  }

  /** Cut, stay down for OUTAGE_MS answering 503 with the reason, restore, come back to 200: same process. */
  async function outage(daemon: DaemonProcess, url: string, cut: () => Promise<void>) {
    const cutAt = performance.now();
    await cut();
    // The instance lock's held connection may notice the cut before the next database probe does:
    // wait until the probe reports it too.
    const down = await waitForHealth(url, (h) => h.status === 503 && /^database unreachable: /.test(String(h.body?.reason ?? '')), 30_000, daemon);
    expect(down.health.body?.status).toBe('fail');
    expect(down.health.body?.reason).toMatch(/^database unreachable: /);

    let polls = 0;
    while (performance.now() - cutAt < OUTAGE_MS) {
      const h = await health(url);
      polls++;
      expect(daemon.alive(), daemon.stderr().slice(-3000)).toBe(true);
      expect(h.status).toBe(503);
      expect(h.body?.reasons?.[0]).toMatch(/^database unreachable: /);
      await new Promise((r) => setTimeout(r, 500));
    }

    await proxy.restore();
    const up = await waitForHealth(url, (h) => h.status === 200, 60_000, daemon);
    expect(up.health.body?.status).toBe('ok');
    expect(up.health.body?.daemon?.pid).toBe(daemon.pid);
    expect(daemon.alive()).toBe(true);

    const stop = await daemon.stop('SIGTERM');
    expect(stop.code, daemon.stderr().slice(-3000)).toBe(0);
    expect(daemon.stderr()).not.toContain(secret);
    // Lost pool connections are logged in one short line, not with pg's whole Client (cancel key...).
    expect(daemon.stderr()).not.toMatch(/secretKey|connectionParameters/);
    return { healthTo503Ms: down.ms, healthPollsDuringOutage: polls, recoveryTo200Ms: up.ms, exitCode: stop.code, daemonRestarted: false };
  }

  it('connections refused (the lock session survives): keeps running, 503 with the reason, recovers without a restart', async () => {
    const { daemon, url } = await healthyDaemon();
    figures.connectionsRefused = await outage(daemon, url, () => proxy.cut({ spare: isLockSession }));
  });

  it('Postgres stopped (every connection reset and refused): keeps running, 503 with the reason, recovers without a restart', async () => {
    const { daemon, url } = await healthyDaemon();
    figures.postgresStopped = await outage(daemon, url, () => proxy.cut());
    expect(daemon.stderr()).toContain('instance lock lost with its database connection');
    expect(daemon.stderr()).toContain('instance lock taken again; resuming');
    expect(daemon.stderr()).not.toContain(secret);
  });
});
