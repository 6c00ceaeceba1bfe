// Part 4, concurrency on one PostgreSQL database (a new, empty database of the test server): two
// daemons and a manual `bubblewatch sync`, all started at once against it.
// What "one ingest at a time" means here:
//   - one daemon per database: the daemons race for the instance lock (src/db/instance-lock.ts); the
//     loser exits 2 naming the holder and never ingests;
//   - one history sync at a time per database: every sync (the daemon's and a manual one) holds the
//     ingest lock (src/db/ingest-lock.ts) for its whole run, so a manual sync started while the daemon
//     syncs waits for it (and says so) instead of fetching and writing the same symbols alongside it.
//     Quote snapshots only add rows to `quotes` and are not serialised with syncs.
// Checked: the table equals the feed's ground truth (no duplicate, no missing row), every sync run is
// 'ok' (no deadlock, no serialization failure), and no two sync runs overlap in ingest_runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDb, type DbHandle } from '../../src/db/connect.js';
import { lastClosedSession } from '../../src/market/calendar.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { runCli } from '../helpers/cli.js';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/db.js';
import { WATCHLIST, expectedBars, storedBars, warmUp } from '../e2e/ingest/harness.js';
import { spawnDaemon, writeTestConfig, type DaemonProcess } from '../e2e/daemon-harness.js';
import { writeFigures } from './figures.js';
import { startRelay, type Relay } from './relay.js';

vi.setConfig({ testTimeout: 240_000, hookTimeout: 120_000 });

const HISTORY_START = '2020-01-02';

describe('two daemons and a manual sync on one database', () => {
  let sim: SimServer;
  let relay: Relay;
  let root: string;
  let scratch: ScratchDatabase;
  let handle: DbHandle;
  const daemons: DaemonProcess[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'bw-concurrency-'));
    // The feed's last session is the last closed one: the daemon's catch-up sync then has work to do.
    sim = warmUp(await startSimServer({ now: lastClosedSession(new Date()), seed: 9 }));
    // Latency per answer keeps each sync busy for a couple of seconds (10 requests, 2 at a time), so
    // a manual sync started alongside the daemon's surely meets it.
    relay = await startRelay(sim.url, { latencyMs: 600 });
    scratch = await createScratchDatabase();
    handle = await openDb({ kind: 'postgres', url: scratch.url }, { maxConnections: 1 });
  });
  afterAll(async () => {
    for (const d of daemons) if (d.alive()) d.child.kill('SIGKILL');
    await handle?.close();
    await scratch?.drop();
    await relay?.close();
    await sim?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('one daemon runs, the other exits 2, syncs never overlap, the table is exact', async () => {
    const configPath = writeTestConfig(join(root, 'config'), {
      watchlist: WATCHLIST.map((symbol) => ({ symbol, ...(symbol.startsWith('^') ? { kind: 'index' } : {}) })),
      history: { start: HISTORY_START, overlapSessions: 5 },
    });
    const env = { DATABASE_URL: scratch.url, BUBBLEWATCH_DATA_DIR: join(root, 'data'), BUBBLEWATCH_CONFIG: configPath, YAHOO_BASE_URL: relay.url };

    // Both daemons at once; the manual sync the moment the winner's start-up sync begins (a fixed point
    // inside "at once", so the two syncs surely meet instead of missing each other on a slow start).
    const [a, b] = [spawnDaemon(['run'], env), spawnDaemon(['run'], env)];
    daemons.push(a, b);
    const winner = await Promise.any([a, b].map((d) => d.waitForMsg('sync started', 120_000).then(() => d)));
    const loser = winner === a ? b : a;
    const manual = runCli(['sync'], { env, timeoutMs: 180_000 });

    // The other daemon lost the instance lock: exit 2 naming the holder.
    expect((await loser.exited).code, loser.stderr()).toBe(2);
    expect(loser.stderr()).toMatch(/the daemon lock on postgres(ql)?:\/\/.* is in use by another process \(pid \d+/);
    expect(loser.stderr()).toContain(`pid ${winner.pid} on `);
    expect(loser.lines.some((l) => l.msg === 'sync started')).toBe(false);

    // The manual sync finishes whole, whichever of the two got the ingest lock first.
    const sync = await manual;
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stdout).toMatch(/^sync #\d+ ok: 10 symbol\(s\)/);
    // It found the daemon's sync running and waited for it, saying so (a warning: shown at LOG_LEVEL=warn).
    expect(sync.stderr).toContain('another sync is running on this database; waiting for it');

    // The daemon's start-up sync (catch-up) and its report, then a clean stop.
    await winner.waitFor((l) => l.job === 'sync' && l.msg === 'job finished', 180_000);
    const stop = await winner.stop('SIGTERM');
    expect(stop.code, winner.stderr().slice(-3000)).toBe(0);

    for (const text of [sync.stderr, winner.stderr(), loser.stderr()]) expect(text).not.toMatch(/deadlock|could not serialize/i);

    // No duplicate, nothing missing: exactly the ground truth per symbol.
    let total = 0;
    for (const symbol of WATCHLIST) {
      const expected = expectedBars(sim, symbol, HISTORY_START);
      expect(await storedBars(handle, symbol), symbol).toEqual(expected);
      total += expected.length;
    }
    const count = await handle.db.selectFrom('daily_bars').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(total);

    // One sync at a time: sorted by start, each sync started after the previous one finished.
    const runs = await handle.db
      .selectFrom('ingest_runs')
      .select(['id', 'pid', 'status', 'started_at', 'finished_at', 'rows_inserted'])
      .where('job', '=', 'sync')
      .orderBy('started_at')
      .execute();
    expect(runs.length).toBeGreaterThanOrEqual(2);
    // The daemon's run(s) and the manual one; none by the daemon that lost.
    expect(runs.some((r) => r.pid === winner.pid)).toBe(true);
    expect(runs.some((r) => r.pid !== winner.pid)).toBe(true);
    expect(runs.some((r) => r.pid === loser.pid)).toBe(false);
    expect(runs.map((r) => r.status)).toEqual(runs.map(() => 'ok'));
    for (let i = 1; i < runs.length; i++) {
      expect(runs[i]!.started_at.getTime(), `sync #${runs[i]!.id} started before #${runs[i - 1]!.id} finished`).toBeGreaterThanOrEqual(
        runs[i - 1]!.finished_at!.getTime(),
      );
    }
    // The daemon's backfill came first and inserted every row; the manual sync after it found it done.
    expect(runs[0]).toMatchObject({ pid: winner.pid, rows_inserted: total });
    expect(runs.slice(1).every((r) => r.rows_inserted === 0)).toBe(true);

    writeFigures('concurrency', {
      rows: total,
      loserExitCode: 2,
      relayLatencyMs: 600,
      manualSyncWaited: true,
      syncRuns: runs.map((r) => ({
        by: r.pid === winner.pid ? 'daemon' : 'manual',
        status: r.status,
        startedAt: r.started_at.toISOString(),
        finishedAt: r.finished_at!.toISOString(),
        rowsInserted: r.rows_inserted,
      })),
    });
  });
});
