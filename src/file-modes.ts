// Pure: the modes the data dir and the secrets in it must have, and what a looser mode becomes. The
// data dir holds the database, its superuser password, Yahoo's cookie and crumb, and the reports:
// nothing in it is for other local users.

/** What a path in the data dir is, for its mode. */
export type ModeRule =
  /** The data dir itself: 0700; as root 0711 at most (see below). */
  | 'data-dir'
  /** A directory of ours in it (reports): 0700. */
  | 'private-dir'
  /** A file holding a secret (the password file, the cookie jar): 0600. */
  | 'private-file';

export interface ModeContext {
  /** bubblewatch runs as root: the database server then runs as another user (postgres). */
  root: boolean;
}

/**
 * The mode `mode` should become under `rule`, or null when it is fine. Only bits are taken away, never
 * added. As root the data dir may keep the search (x) bits for group and others: the server runs as
 * the unprivileged user `postgres` and must pass through the data dir to its own PGDATA (embedded-
 * binaries.ts `letServerThrough` adds o+x); read and write stay the owner's, so nobody else can list
 * the data dir or open a file in it whose own mode forbids it.
 */
export function tightenedMode(rule: ModeRule, mode: number, context: ModeContext): number | null {
  const permissions = mode & 0o7777;
  const forbidden = rule === 'data-dir' && context.root ? 0o066 : 0o077;
  // setuid/setgid/sticky bits mean nothing useful here; the group/other bits are what leak.
  const tightened = permissions & ~forbidden;
  return tightened === permissions ? null : tightened;
}

/** 0o644 -> "0644", as `ls -l` users and chmod read it. */
export function octal(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
}
