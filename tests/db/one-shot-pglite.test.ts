// A one-shot command's PGlite starts lighter than a daemon's (src/db/pglite-one-shot.ts): the smaller
// buffer pool reaches Postgres, and the data is the same either way. (The other half, Liftoff-only
// WebAssembly, changes speed and memory only: the bench measures it, docs/PERFORMANCE.md section 6.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/connect.js';
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
  it(`runs with a ${ONE_SHOT_SHARED_BUFFERS} buffer pool where the daemon keeps initdb's 128 MB, on the same data`, async () => {
    const daemon = await sharedBuffersAs('daemon');
    const command = await sharedBuffersAs('command');
    expect(daemon.sharedBuffers).toBe('128MB');
    expect(command.sharedBuffers).toBe(ONE_SHOT_SHARED_BUFFERS);
    expect(command.symbols).toBe(daemon.symbols);
  });
});
