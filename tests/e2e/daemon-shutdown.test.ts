// SIGTERM in the middle of the first back-fill: the compiled daemon exits 0 within 10 s, and a restart
// ends with exactly the data of a run that was never interrupted (each symbol commits whole or not at
// all, and the restart's catch-up finishes the rest). On the shipped default, the embedded server under
// the data dir: the 10 s include stopping it (the daemon is its last user).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/connect.js';
import { runningServer } from '../../src/db/embedded-server.js';
import { lastClosedSession } from '../../src/market/calendar.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { spawnDaemon, stopLeftOverServer, tempRoot, writeTestConfig, type DaemonProcess } from './daemon-harness.js';

let sim: SimServer;
let root: string;
let configPath: string;
const started: DaemonProcess[] = [];

beforeAll(async () => {
  root = tempRoot('bw-daemon-stop-');
  // The sim's last session is the real last session, so the restarted daemon finds its data current.
  sim = await startSimServer({ now: lastClosedSession(new Date()), seed: 11 });
  // Spaced requests make the back-fill last a few seconds, long enough to interrupt in the middle.
  configPath = writeTestConfig(join(root, 'config'), {
    history: { start: '2015-01-02', overlapSessions: 5 },
    yahoo: { minIntervalMs: 400, concurrency: 1 },
  });
});

afterAll(async () => {
  for (const d of started) if (d.alive()) d.child.kill('SIGKILL');
  await Promise.all(started.map((d) => d.exited));
  await sim?.close();
  if (root) for (const name of ['interrupted', 'clean']) await stopLeftOverServer(join(root, name));
  rmSync(root, { recursive: true, force: true });
});

function daemon(dataDir: string): DaemonProcess {
  const d = spawnDaemon(['run'], { BUBBLEWATCH_DATA_DIR: dataDir, BUBBLEWATCH_CONFIG: configPath, YAHOO_BASE_URL: sim.url });
  started.push(d);
  return d;
}

/** Opens the data dir's server again (the daemon stopped it); close() stops it. */
async function storedRows(dataDir: string) {
  const handle = await openDb({ kind: 'embedded', dataDir });
  try {
    const bars = await handle.db
      .selectFrom('daily_bars')
      .select(['symbol', 'trade_date', 'open', 'high', 'low', 'close', 'adj_close', 'volume', 'quality', 'source'])
      .orderBy('symbol')
      .orderBy('trade_date')
      .execute();
    const actions = await handle.db
      .selectFrom('corporate_actions')
      .select(['symbol', 'trade_date', 'kind', 'numerator', 'denominator', 'amount'])
      .orderBy('symbol')
      .orderBy('trade_date')
      .orderBy('kind')
      .execute();
    const runs = await handle.db.selectFrom('ingest_runs').select(['job', 'status']).orderBy('id').execute();
    return { bars, actions, runs };
  } finally {
    await handle.close();
  }
}

describe('SIGTERM during a back-fill', () => {
  it('exits 0 in under 10 s, and a restart ends with the data of an uninterrupted run', async () => {
    const interrupted = join(root, 'interrupted');
    const first = daemon(interrupted);
    // Two symbols stored and more to come: we are inside the back-fill.
    await first.waitFor((l) => l.msg === 'symbol synced' && l.symbol === 'ORCL', 90_000);
    const stop = await first.stop('SIGTERM');
    expect(stop.code, first.stderr().slice(-3000)).toBe(0);
    expect(stop.ms).toBeLessThan(10_000);
    expect(first.lines.some((l) => l.msg === 'daemon stopped')).toBe(true);
    // Its last user gone, the server went with it.
    expect(runningServer(interrupted)).toBeNull();

    const partial = await storedRows(interrupted);
    expect(partial.runs.at(-1)).toEqual({ job: 'sync', status: 'aborted' });
    const partialSymbols = new Set(partial.bars.map((b) => b.symbol));
    expect(partialSymbols.size).toBeGreaterThan(0);
    expect(partialSymbols.size).toBeLessThan(10);

    const second = daemon(interrupted);
    await second.waitForMsg('daemon scheduled', 120_000);
    expect((await second.stop('SIGTERM')).code).toBe(0);

    const clean = join(root, 'clean');
    const reference = daemon(clean);
    await reference.waitForMsg('daemon scheduled', 120_000);
    expect((await reference.stop('SIGTERM')).code).toBe(0);

    const [resumed, whole] = await Promise.all([storedRows(interrupted), storedRows(clean)]);
    expect(new Set(whole.bars.map((b) => b.symbol)).size).toBe(10);
    expect(resumed.bars.length).toBe(whole.bars.length);
    expect(resumed.bars).toEqual(whole.bars);
    expect(resumed.actions).toEqual(whole.actions);
    expect(whole.bars.every((b) => b.source === 'sim')).toBe(true);
  }, 300_000);
});
