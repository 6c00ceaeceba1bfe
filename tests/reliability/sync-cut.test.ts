// Part 3b, the database cut in the middle of a sync: the test server is reached through a TCP relay in
// this process (tcp-proxy.ts) that resets every connection and refuses new ones at a seeded moment of a
// backfill (0-300 ms after the 1st, 2nd or 3rd chart answer, so cuts land while symbols are fetched,
// mapped and stored). Before the fix pg's 'error' event from the session holding the ingest lock had no
// listener and killed the process.
//   - one-shot `bubblewatch sync`, 10 cuts: each exits 1 with "database connection lost (host:port)",
//     never crashes; every symbol is whole or absent; the next sync marks the cut run aborted; the last
//     one leaves the table equal to the feed's ground truth.
//   - the daemon, cut during its start-up sync: stays up, 503 while the database is away, 200 when it
//     is back, the interrupted run closed as aborted without a restart; the table exact after a sync.
// Figures go to tests/artifacts/reliability/sync-cut.json.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDb, type DbHandle } from '../../src/db/connect.js';
import { lastClosedSession } from '../../src/market/calendar.js';
import type { SimServer } from '../../src/sim/server.js';
import { runCli } from '../helpers/cli.js';
import { createScratchDatabase } from '../helpers/db.js';
import { startTestSim } from '../helpers/sim-harness.js';
import { daemonUrl, spawnDaemon, writeTestConfig } from '../e2e/daemon-harness.js';
import { WATCHLIST, dumpIngested, expectedBars, warmUp } from '../e2e/ingest/harness.js';
import { seededRandom, writeFigures } from './figures.js';
import { startRelay, type ChartEvent, type Relay } from './relay.js';
import { proxiedWithSecret, serverOf, startTcpProxy, type TcpProxy } from './tcp-proxy.js';

vi.setConfig({ testTimeout: 600_000, hookTimeout: 120_000 });

const CUTS = 10;
const CUT_SEED = 20_261_130;
const HISTORY_START = '2021-01-04';
const LATENCY_MS = 60;
const FALLBACK_SECRET = 'Cut-Secret-5d1e';
const CRASH_SIGNS = /Unhandled|uncaught|node:events|at Client\._handleErrorEvent/i;

describe('a database cut in the middle of a sync (PostgreSQL through a TCP relay)', () => {
  let sim: SimServer;
  let relay: Relay;
  let root: string;
  const figures: Record<string, unknown> = {};

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'bw-cut-'));
    sim = warmUp(await startTestSim({ now: lastClosedSession(new Date()) }));
    relay = await startRelay(sim.url, { latencyMs: LATENCY_MS });
  });
  afterAll(async () => {
    await relay?.close();
    await sim?.close();
    if (root) rmSync(root, { recursive: true, force: true });
    if (Object.keys(figures).length > 0) writeFigures('sync-cut', figures);
  });

  /** A new empty database, the relay in front of its server, a direct handle for the checks. */
  async function database() {
    const scratch = await createScratchDatabase();
    const proxy = await startTcpProxy(serverOf(scratch.url));
    const viaProxy = proxiedWithSecret(proxy, scratch.url, FALLBACK_SECRET);
    const direct = await openDb({ kind: 'postgres', url: scratch.url });
    return {
      proxy,
      url: viaProxy.url,
      /** The password in `url`: never to be printed. */
      secret: viaProxy.secret,
      direct,
      async close() {
        await direct.close();
        await proxy.close();
        await scratch.drop();
      },
    };
  }

  /** Cuts the relay `delayMs` after the nth chart answer; resolves once it has cut (or never, if the run ends first). */
  function cutAfterAnswer(proxy: TcpProxy, nth: number, delayMs: number): { cut: Promise<void>; cancel(): void } {
    let seen = 0;
    let timer: NodeJS.Timeout | undefined;
    let resolveCut: () => void = () => {};
    const cut = new Promise<void>((resolve) => (resolveCut = resolve));
    const onChart = (e: ChartEvent) => {
      if (e.phase !== 'response' || ++seen !== nth) return;
      timer = setTimeout(() => void proxy.cut().then(resolveCut), delayMs);
    };
    relay.events.on('chart', onChart);
    return {
      cut,
      cancel() {
        relay.events.off('chart', onChart);
        if (timer) clearTimeout(timer);
      },
    };
  }

  /** Per symbol: nothing, or exactly the feed's history; never a part of it. */
  async function expectWholeOrAbsent(handle: DbHandle): Promise<number> {
    const { bars } = await dumpIngested(handle);
    let complete = 0;
    for (const symbol of WATCHLIST) {
      const stored = bars.filter((b) => b.symbol === symbol);
      if (stored.length === 0) continue;
      expect(stored, `${symbol}: partial or wrong bars`).toEqual(expectedBars(sim, symbol, HISTORY_START).map((b) => ({ ...b, source: 'sim' })));
      complete++;
    }
    return complete;
  }

  function configFile(): string {
    const path = join(root, 'sync-config.json');
    writeFileSync(
      path,
      JSON.stringify({
        watchlist: WATCHLIST.map((symbol) => ({ symbol, ...(symbol.startsWith('^') ? { kind: 'index' } : {}) })),
        history: { start: HISTORY_START, overlapSessions: 5 },
        yahoo: { minIntervalMs: 0, concurrency: 2, timeoutMs: 20_000, retries: 2, breakerThreshold: 5, breakerCooldownMs: 1000 },
      }),
    );
    return path;
  }

  it(`one-shot sync, ${CUTS} cuts at seeded moments: exit 1 "database connection lost", no crash, then the exact table`, async () => {
    const db = await database();
    const random = seededRandom(CUT_SEED);
    const env = { DATABASE_URL: db.url, BUBBLEWATCH_CONFIG: configFile(), BUBBLEWATCH_DATA_DIR: join(root, 'data'), YAHOO_BASE_URL: relay.url };
    const rounds: { nth: number; delayMs: number; exit: number | null; completeAfter: number }[] = [];
    try {
      for (let i = 0; i < CUTS; i++) {
        const nth = 1 + Math.floor(random() * 3);
        const delayMs = Math.round(random() * 300);
        const cutter = cutAfterAnswer(db.proxy, nth, delayMs);
        const run = await runCli(['sync'], { env, timeoutMs: 120_000 });
        cutter.cancel();
        await db.proxy.restore();
        expect(run.stderr, run.stderr).not.toMatch(CRASH_SIGNS);
        expect(run.stderr + run.stdout).not.toContain(db.secret);
        if (run.code === 1) expect(run.stderr).toContain(`bubblewatch: database connection lost (127.0.0.1:${db.proxy.port})\n`);
        else expect(run.code, `round ${i}: ${run.stderr.slice(-2000)}`).toBe(0); // the run outpaced its cut
        const completeAfter = await expectWholeOrAbsent(db.direct);
        rounds.push({ nth, delayMs, exit: run.code, completeAfter });
        // Every round is a backfill from scratch, so every cut lands in one (the run records stay).
        await sql`delete from corporate_actions`.execute(db.direct.db);
        await sql`delete from daily_bars`.execute(db.direct.db);
        await sql`update symbols set last_full_fetch_at = null`.execute(db.direct.db);
      }
      const last = await runCli(['sync'], { env, timeoutMs: 120_000 });
      expect(last.code, last.stderr).toBe(0);
      expect(await expectWholeOrAbsent(db.direct)).toBe(WATCHLIST.length);
      const runs = await db.direct.db.selectFrom('ingest_runs').select(['id', 'status', 'error']).orderBy('id').execute();
      expect(runs.filter((r) => r.status === 'running')).toEqual([]);
      const cut = rounds.filter((r) => r.exit === 1).length;
      expect(runs.filter((r) => r.status === 'aborted')).toHaveLength(cut);
      expect(cut).toBeGreaterThan(0);
      figures.oneShot = { cuts: CUTS, exit1: cut, outpaced: CUTS - cut, rounds, runs: runs.map((r) => r.status) };
    } finally {
      await db.close();
    }
  });

  it('the daemon, cut during its start-up sync: stays up, 503 then 200, the run closed, the table exact', async () => {
    const db = await database();
    const configPath = writeTestConfig(join(root, 'daemon-config'), { history: { start: HISTORY_START, overlapSessions: 5 } });
    const cutter = cutAfterAnswer(db.proxy, 2, 100);
    const daemon = spawnDaemon(['run'], { DATABASE_URL: db.url, BUBBLEWATCH_DATA_DIR: join(root, 'daemon-data'), BUBBLEWATCH_CONFIG: configPath, YAHOO_BASE_URL: relay.url });
    try {
      const url = await daemonUrl(daemon, 120_000);
      await cutter.cut;
      cutter.cancel();
      const down = await waitForHealth(url, (s) => s === 503, daemon);
      await daemon.waitForMsg('job stopped: database connection lost', 60_000);
      expect(daemon.alive()).toBe(true);
      await db.proxy.restore();
      // The start-up sync failed with the cut; a sync now (it would wait for the daemon's, if any) completes the table.
      const sync = await runCli(['sync'], { env: { DATABASE_URL: db.url, BUBBLEWATCH_CONFIG: configPath, BUBBLEWATCH_DATA_DIR: join(root, 'daemon-data-cli'), YAHOO_BASE_URL: relay.url }, timeoutMs: 120_000 });
      expect(sync.code, sync.stderr).toBe(0);
      const up = await waitForHealth(url, (s) => s === 200, daemon);
      expect(daemon.alive()).toBe(true);
      expect(await expectWholeOrAbsent(db.direct)).toBe(WATCHLIST.length);
      const runs = await db.direct.db.selectFrom('ingest_runs').select(['pid', 'status', 'error']).orderBy('id').execute();
      expect(runs.filter((r) => r.status === 'running')).toEqual([]);
      const daemonRuns = runs.filter((r) => r.pid === daemon.pid && r.status === 'aborted');
      expect(daemonRuns.map((r) => r.error)).toContain('the database connection was lost before the run finished');
      const stop = await daemon.stop('SIGTERM');
      expect(stop.code, daemon.stderr().slice(-3000)).toBe(0);
      expect(daemon.stderr()).not.toMatch(CRASH_SIGNS);
      expect(daemon.stderr()).not.toContain(db.secret);
      figures.daemon = { healthPollsTo503: down, healthPollsTo200: up, runs: runs.map((r) => r.status), exitCode: stop.code };
    } finally {
      cutter.cancel();
      if (daemon.alive()) daemon.child.kill('SIGKILL');
      await db.close();
    }
  });
});

/** Polls /healthz until `want(status)`; returns how many polls it took. */
async function waitForHealth(url: string, want: (status: number) => boolean, daemon: { alive(): boolean; stderr(): string }): Promise<number> {
  for (let polls = 1; ; polls++) {
    const status = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(10_000) }).then((r) => r.status, () => 0);
    if (want(status)) return polls;
    if (!daemon.alive()) throw new Error(`the daemon exited; stderr:\n${daemon.stderr().slice(-4000)}`);
    if (polls > 600) throw new Error(`/healthz never matched; last ${status}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
