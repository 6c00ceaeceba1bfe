// Locks that survive containers (issue 12): the embedded database's lock file (src/db/dir-lock.ts) is
// stale when its writer is gone *or* its pid now belongs to another process (pid reuse; in a container
// node is PID 1, so a killed daemon's lock names pid 1, which is alive again at the next start).
// Faked lock files cover each rule; one real PID-1 case runs node as PID 1 in a fresh pid namespace
// twice (root and unshare only).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireDirLock, bootId, LockHeldError, processStartTime, type LockHolderInfo } from '../../src/db/dir-lock.js';
import { PROJECT_ROOT } from '../helpers/cli.js';

let dir: string;
let path: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bw-stale-lock-'));
  path = join(dir, 'pglite.lock');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeLock(holder: Partial<LockHolderInfo>): void {
  const base: LockHolderInfo = { pid: process.pid, host: hostname(), command: 'run', since: '2026-01-01T00:00:00.000Z', role: 'daemon', bootId: bootId(), startTime: processStartTime(process.pid) };
  writeFileSync(path, JSON.stringify({ ...base, ...holder }));
}

function takes(): boolean {
  try {
    acquireDirLock(path, 'embedded database').release();
    return true;
  } catch (err) {
    if (err instanceof LockHeldError) return false;
    throw err;
  }
}

const onLinux = bootId() !== null && processStartTime(1) !== null;

describe.runIf(onLinux)('a lock file naming a live pid', () => {
  it('is held while that pid is still its writer (same boot, same start time)', () => {
    writeLock({});
    expect(takes()).toBe(false);
  });

  it('is taken over when the pid now has another start time (pid reuse)', () => {
    writeLock({ startTime: `${processStartTime(process.pid)}1` });
    expect(takes()).toBe(true);
    expect(existsSync(path)).toBe(false);
  });

  it('is taken over when it names pid 1 but not pid 1 as it runs now (a container restarted)', () => {
    writeLock({ pid: 1, startTime: `${processStartTime(1)}7` });
    expect(takes()).toBe(true);
  });

  it('is taken over when written on another boot', () => {
    writeLock({ bootId: '00000000-0000-0000-0000-000000000000' });
    expect(takes()).toBe(true);
  });

  it("of another host is held (its pid can't be judged from here)", () => {
    writeLock({ host: `${hostname()}-elsewhere`, pid: 999_999 });
    expect(takes()).toBe(false);
  });
});

it('a lock file naming a dead pid is taken over, with or without the new fields (older versions)', () => {
  writeFileSync(path, JSON.stringify({ pid: 2 ** 22 + 1, host: hostname(), command: 'run', since: 'x' }));
  expect(takes()).toBe(true);
});

const canUnshare = process.getuid?.() === 0 && spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true']).status === 0;

it.runIf(canUnshare)('a lock left by PID 1 of one pid namespace does not block PID 1 of the next', () => {
  const lock = join(dir, 'ns.lock');
  // Takes the lock and exits without releasing it, as a killed process would leave it.
  const script = (leave: boolean) =>
    `import('${join(PROJECT_ROOT, 'dist/db/dir-lock.js')}').then((m) => { const l = m.acquireDirLock(${JSON.stringify(lock)}, 'embedded database'); ` +
    `if (!${leave}) l.release(); console.log(process.pid); process.exit(0); }, (e) => { console.error(e.message); process.exit(3); })`;
  const run = (leave: boolean) => spawnSync('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, '-e', script(leave)], { encoding: 'utf8' });
  const first = run(true);
  expect(first.status, first.stderr).toBe(0);
  expect(first.stdout.trim()).toBe('1');
  expect((JSON.parse(readFileSync(lock, 'utf8')) as LockHolderInfo).pid).toBe(1);
  const second = run(false); // PID 1 again, alive: only the start time tells it apart
  expect(second.status, second.stderr).toBe(0);
  expect(second.stdout.trim()).toBe('1');
  expect(existsSync(lock)).toBe(false);
});
