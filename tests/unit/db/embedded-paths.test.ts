// Reading postmaster.pid as PostgreSQL writes it, and the URIs the embedded server is reached by.
import { describe, expect, it } from 'vitest';
import { parsePostmasterPid, settingsBlock, socketUrl, tcpUrl } from '../../../src/db/embedded-paths.js';

// Lines as PostgreSQL 18 writes them: pid, data dir, start time, port, socket dir, listen address,
// shared memory key, status (padded).
const READY = '4242\n/d/pg\n1796683236\n5432\n/d/pg\n\n  2181697        13\nready   \n';

describe('postmaster.pid', () => {
  it('reads the pid, port, socket directory, listen address and state', () => {
    expect(parsePostmasterPid(READY)).toEqual({ pid: 4242, port: 5432, socketDir: '/d/pg', listenAddress: '', state: 'ready' });
    const tcp = READY.replace('\n5432\n', '\n5433\n').replace('/d/pg\n\n', '/d/pg\n127.0.0.1\n').replace('ready   ', 'stopping');
    expect(parsePostmasterPid(tcp)).toMatchObject({ port: 5433, listenAddress: '127.0.0.1', state: 'stopping' });
  });

  it('is nothing until the postmaster has written its pid and port', () => {
    expect(parsePostmasterPid('')).toBeNull();
    expect(parsePostmasterPid('4242\n/d/pg\n')).toBeNull();
    expect(parsePostmasterPid('-1\n/d/pg\n1\n5432\n')).toBeNull();
    // Written but not ready yet: the state is empty until the postmaster says so.
    expect(parsePostmasterPid('4242\n/d/pg\n1796683236\n5432\n/d/pg\n')).toMatchObject({ pid: 4242, state: '' });
  });
});

describe('how the server is reached', () => {
  it('gives psql the socket directory in host=, libpq style', () => {
    const url = socketUrl({ host: '/home/me/my data/pg', port: 5432, user: 'postgres', database: 'bubblewatch' });
    expect(url).toBe('postgresql:///bubblewatch?host=/home/me/my%20data/pg&port=5432&user=postgres');
    // The form parses as a URL (config validation does that) and keeps the path whole.
    expect(new URL(url).searchParams.get('host')).toBe('/home/me/my data/pg');
  });

  it('puts the password in the TCP URL encoded', () => {
    expect(tcpUrl('127.0.0.1', 5433, 'a/b+c')).toBe('postgresql://postgres:a%2Fb%2Bc@127.0.0.1:5433/bubblewatch');
  });

  it('writes the settings one per line, under a heading that says whose they are', () => {
    const block = settingsBlock({ shared_buffers: '32MB', timezone: "'UTC'" });
    expect(block.trim().split('\n')).toEqual(['# bubblewatch: the embedded server of one data dir (src/db/embedded-paths.ts)', 'shared_buffers = 32MB', "timezone = 'UTC'"]);
  });
});
