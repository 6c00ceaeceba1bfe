// The ingest lock (src/db/ingest-lock.ts), which makes "one sync at a time per database" hold for a
// manual `bubblewatch sync` next to the daemon: a second holder waits (and says once who it waits
// for), an abort ends the wait without running anything, and the CLI stopped by Ctrl-C while waiting
// exits 130 having recorded nothing. Two handles (two pools, as two processes would have) on one
// database of the test server. The end-to-end case (two daemons and a manual sync at once) is in
// concurrency.test.ts.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDb, type DbHandle } from '../../src/db/connect.js';
import { withIngestLock, type IngestLockHolder } from '../../src/db/ingest-lock.js';
import { CLI, PROJECT_ROOT } from '../helpers/cli.js';
import { createScratchDatabase, type ScratchDatabase } from '../helpers/db.js';
import { closedPort } from '../e2e/daemon-harness.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('two holders on one database', () => {
  let scratch: ScratchDatabase;
  let a: DbHandle;
  let b: DbHandle;

  beforeAll(async () => {
    scratch = await createScratchDatabase({ migrated: true });
    a = await openDb({ kind: 'postgres', url: scratch.url });
    b = await openDb({ kind: 'postgres', url: scratch.url });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await scratch?.drop();
  });

  it('a second holder waits for the first, told once who holds it, then runs', async () => {
    const release = deferred();
    const firstHolds = deferred();
    const order: string[] = [];
    // The first holder is a sync run in flight, as ingest_runs shows it.
    await a.db.insertInto('ingest_runs').values({ job: 'sync', symbols: ['ORCL'], pid: 4242, host: 'box' }).execute();
    const first = withIngestLock(a, async () => {
      order.push('first start');
      firstHolds.resolve();
      await release.promise;
      order.push('first end');
    });
    await firstHolds.promise;
    const holders: (IngestLockHolder | null)[] = [];
    const told = deferred();
    const second = withIngestLock(b, async () => void order.push('second'), { pollMs: 50, onWait: (h) => { holders.push(h); told.resolve(); } });
    await told.promise;
    // Several more polls while the first still holds it: still waiting, and told only once.
    await new Promise((r) => setTimeout(r, 300));
    expect(order).toEqual(['first start']);
    expect(holders).toEqual([{ runId: expect.any(Number), pid: 4242, host: 'box', startedAt: expect.any(Date) }]);
    release.resolve();
    await Promise.all([first, second]);
    expect(order).toEqual(['first start', 'first end', 'second']);
  });

  it('an abort ends the wait: rejected with the reason, nothing run', async () => {
    const release = deferred();
    const holds = deferred();
    const held = withIngestLock(a, () => (holds.resolve(), release.promise));
    await holds.promise;
    const controller = new AbortController();
    const ran = vi.fn();
    const waiting = withIngestLock(b, async () => ran(), { pollMs: 50, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop waiting')), 200);
    await expect(waiting).rejects.toThrow('stop waiting');
    expect(ran).not.toHaveBeenCalled();
    release.resolve();
    await held;
    // The lock is free again, and the aborted waiter left nothing behind.
    expect(await withIngestLock(b, async () => 'free', { onWait: () => expect.fail('still held') })).toBe('free');
  });

  it('the CLI waiting behind another sync: says so, and Ctrl-C ends it with 130, nothing recorded', async () => {
    const root = mkdtempSync(join(tmpdir(), 'bw-ingest-lock-'));
    const release = deferred();
    const held = withIngestLock(a, () => release.promise);
    try {
      await a.db.deleteFrom('ingest_runs').execute();
      const child = spawn(process.execPath, [CLI, 'sync'], {
        cwd: PROJECT_ROOT,
        env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', DATABASE_URL: scratch.url, BUBBLEWATCH_DATA_DIR: root, YAHOO_BASE_URL: `http://127.0.0.1:${await closedPort()}` },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      const waiting = new Promise<void>((resolve) => child.stderr.on('data', (d) => (stderr += d) && stderr.includes('waiting for it') && resolve()));
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      await waiting;
      expect(stderr).toContain('another sync is running on this database; waiting for it');
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(stderr).toContain('bubblewatch: stopped before the sync began; nothing was fetched or stored');
      expect(stdout).toBe('');
      expect(await a.db.selectFrom('ingest_runs').selectAll().execute()).toEqual([]);
    } finally {
      release.resolve();
      await held;
      rmSync(root, { recursive: true, force: true });
    }
  });
});
