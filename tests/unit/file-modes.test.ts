import { describe, expect, it } from 'vitest';
import { octal, tightenedMode } from '../../src/file-modes.js';

const user = { root: false };
const root = { root: true };

describe(tightenedMode.name, () => {
  it('the data dir: 0700, or with the search bits only for group and others as root (the server passes through)', () => {
    expect(tightenedMode('data-dir', 0o40755, user)).toBe(0o700);
    expect(tightenedMode('data-dir', 0o700, user)).toBeNull();
    expect(tightenedMode('data-dir', 0o711, user)).toBe(0o700);
    // As root: listing (r) and writing (w) go, passing through (x) stays.
    expect(tightenedMode('data-dir', 0o755, root)).toBe(0o711);
    expect(tightenedMode('data-dir', 0o777, root)).toBe(0o711);
    expect(tightenedMode('data-dir', 0o701, root)).toBeNull();
    expect(tightenedMode('data-dir', 0o711, root)).toBeNull();
    expect(tightenedMode('data-dir', 0o700, root)).toBeNull();
  });

  it('secrets 0600 and our own directories 0700, root or not; only bits are taken, never added', () => {
    for (const context of [user, root]) {
      expect(tightenedMode('private-file', 0o100644, context)).toBe(0o600);
      expect(tightenedMode('private-file', 0o640, context)).toBe(0o600);
      expect(tightenedMode('private-file', 0o600, context)).toBeNull();
      expect(tightenedMode('private-file', 0o400, context)).toBeNull();
      expect(tightenedMode('private-dir', 0o755, context)).toBe(0o700);
      expect(tightenedMode('private-dir', 0o711, context)).toBe(0o700);
      expect(tightenedMode('private-dir', 0o500, context)).toBeNull();
    }
  });

  it('writes modes as chmod reads them', () => {
    expect([0o100644, 0o700, 0o40711, 0o7].map(octal)).toEqual(['0644', '0700', '0711', '0007']);
  });
});
