// A one-shot command's PGlite starts differently from a daemon's (src/db/pglite-one-shot.ts): its
// buffer pool reaches Postgres, and the data is the same either way. (The other half, Liftoff-only
// WebAssembly, changes speed and memory only: the bench measures it, docs/PERFORMANCE.md section 6.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EMBEDDED_SETTINGS, openDb } from '../../src/db/connect.js';
import { migrate } from '../../src/db/migrate.js';
import { ONE_SHOT_SHARED_BUFFERS } from '../../src/db/pglite-one-shot.js';

const dataDir = mkdtempSync(join(tmpdir(), 'bw-one-shot-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function sharedBuffersAs(role: 'daemon' | 'command'): Promise<{ sharedBuffers: string; symbols: number }> {
  const handle = await openDb({ kind: 'pglite', dataDir }, { role });
  try {
    await migrate(handle);
    const [row] = (await handle.withSession((s) => s.query('select current_setting($1) as v, (select count(*) from symbols) as n', ['shared_buffers']))).rows;
    return { sharedBuffers: String(row!.v), symbols: Number(row!.n) };
  } finally {
    await handle.close();
  }
}

describe('PGlite opened by a one-shot command', () => {
  // The daemon lives for days and holds its pool: a small one keeps its idle memory down (connect.ts).
  const DAEMON_SHARED_BUFFERS = EMBEDDED_SETTINGS.find((s) => s.startsWith('shared_buffers='))!.split('=')[1];

  it(`runs with a ${ONE_SHOT_SHARED_BUFFERS} buffer pool where the daemon has ${DAEMON_SHARED_BUFFERS}, on the same data`, async () => {
    const daemon = await sharedBuffersAs('daemon');
    const command = await sharedBuffersAs('command');
    expect(daemon.sharedBuffers).toBe(DAEMON_SHARED_BUFFERS);
    expect(DAEMON_SHARED_BUFFERS).not.toBe(ONE_SHOT_SHARED_BUFFERS);
    expect(command.sharedBuffers).toBe(ONE_SHOT_SHARED_BUFFERS);
    expect(command.symbols).toBe(daemon.symbols);
  });
});
