// The lease race of the bundled server, made to happen every time: a process has connected to the
// server but not yet taken its lease when the last user lets go and stops it (the stop ends every
// session, that new one too). It must look again, start the server and get in, as when it had come a
// moment later; CI once met it as "terminating connection due to administrator command" from one of
// three one-shot commands started at once. In-process: two users of one data dir, the second's client
// held at its lease query until the first has stopped the server.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { newEmbeddedClient } from '../../src/db/connect.js';
import { useEmbeddedServer } from '../../src/db/embedded-server.js';
import { serverProcesses } from '../helpers/server-processes.js';
import { stopLeftOverServer, tempRoot } from './daemon-harness.js';

const root = tempRoot('bw-lease-race-');
const dataDir = join(root, 'data');

afterAll(async () => {
  await stopLeftOverServer(dataDir);
  rmSync(root, { recursive: true, force: true });
});

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('a lease asked for while the last user stops the server', () => {
  it('is taken on the server started again, not failed with the stopped session’s error', async () => {
    const plain = await newEmbeddedClient();
    const first = await useEmbeddedServer(dataDir, plain, { label: 'first' });
    const firstServer = serverProcesses(dataDir);
    expect(firstServer).toHaveLength(1);

    // The second user's first lease query waits, on its open session, until the first has let go.
    const atLease = deferred();
    const go = deferred();
    let held = false;
    const gated = ((address, name) => {
      const client = plain(address, name);
      const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
      (client as { query: unknown }).query = async (...args: unknown[]) => {
        if (!held && typeof args[0] === 'string' && args[0].includes('pg_try_advisory_lock_shared')) {
          held = true;
          atLease.resolve();
          await go.promise;
        }
        return query(...args);
      };
      return client;
    }) as typeof plain;
    const second = useEmbeddedServer(dataDir, gated, { label: 'second' });
    await atLease.promise;

    // No lease but the first's: letting go, it is the last user and stops the server.
    expect(await first.release()).toEqual({ stopped: true });
    expect(serverProcesses(dataDir)).toEqual([]);
    go.resolve();

    const server = await second;
    const running = serverProcesses(dataDir);
    expect(running).toHaveLength(1);
    expect(running[0]!.pid).not.toBe(firstServer[0]!.pid);
    const client: Client = plain(server.address(), 'check');
    await client.connect();
    expect((await client.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
    await client.end();
    expect(await server.release()).toEqual({ stopped: true });
    expect(serverProcesses(dataDir)).toEqual([]);
  }, 120_000);
});
