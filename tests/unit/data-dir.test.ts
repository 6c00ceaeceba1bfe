// secureDataDir on real files in a temp dir: what it makes, what it tightens (and says), what it leaves.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runningAsRoot, secureDataDir } from '../../src/data-dir.js';
import { createLogger } from '../../src/log.js';

const root = mkdtempSync(join(tmpdir(), 'bw-datadir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o777;

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { log: createLogger({ destination: stream, level: 'debug' }), lines };
}

describe(secureDataDir.name, () => {
  it('makes a missing data dir 0700 (its parents as usual) when asked, and leaves it missing otherwise', () => {
    const { log, lines } = capture();
    secureDataDir(join(root, 'a', 'missing'), log, { create: false });
    expect(() => statSync(join(root, 'a'))).toThrow();
    const dataDir = join(root, 'b', 'c', 'data');
    secureDataDir(dataDir, log, { create: true });
    expect(mode(dataDir)).toBe(0o700);
    // The database server's user (as root) must pass through the parents: they keep the umask's mode.
    expect(mode(join(root, 'b', 'c')) & 0o055).not.toBe(0);
    expect(lines).toEqual([]);
  });

  it('tightens what an earlier version left open, saying so, and leaves links and other files alone', () => {
    const dataDir = join(root, 'old');
    mkdirSync(join(dataDir, 'reports'), { recursive: true });
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'reports'), 0o755);
    for (const name of ['pg-password', 'yahoo-cookies.json', 'notes.txt']) writeFileSync(join(dataDir, name), 'x', { mode: 0o644 });
    writeFileSync(join(root, 'elsewhere.json'), '{}', { mode: 0o644 });
    symlinkSync(join(root, 'elsewhere.json'), join(dataDir, 'yahoo-cookies.json.corrupt'));
    const { log, lines } = capture();
    secureDataDir(dataDir, log, { create: false });
    expect(mode(dataDir)).toBe(runningAsRoot() ? 0o711 : 0o700);
    expect(mode(join(dataDir, 'reports'))).toBe(0o700);
    expect(mode(join(dataDir, 'pg-password'))).toBe(0o600);
    expect(mode(join(dataDir, 'yahoo-cookies.json'))).toBe(0o600);
    expect(mode(join(dataDir, 'notes.txt'))).toBe(0o644);
    expect(mode(join(root, 'elsewhere.json'))).toBe(0o644);
    expect(lines.map((l) => [l.msg, String(l.path).slice(dataDir.length), l.mode, l.now])).toEqual([
      ['file mode was too open; tightened', '', '0755', runningAsRoot() ? '0711' : '0700'],
      ['file mode was too open; tightened', '/reports', '0755', '0700'],
      ['file mode was too open; tightened', '/pg-password', '0644', '0600'],
      ['file mode was too open; tightened', '/yahoo-cookies.json', '0644', '0600'],
    ]);
    // A second start finds nothing to say.
    const again = capture();
    secureDataDir(dataDir, again.log, { create: false });
    expect(again.lines).toEqual([]);
  });
});
