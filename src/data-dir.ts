// The data dir's modes (I/O shell over file-modes.ts). Every command that opens the database checks
// them at start: a new data dir is made 0700, and the data dir, its reports directory, the database
// password file and the Yahoo cookie jar are tightened when they are looser than they should be
// (logged at warn, since something or someone made them so), or warned about when they cannot be.
// The database files themselves (<data dir>/pg) are PostgreSQL's: initdb makes them 0700/0600 and the
// server refuses to start on a looser PGDATA.
import { chmodSync, lstatSync, mkdirSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import { embeddedPaths } from './db/embedded-paths.js';
import { octal, tightenedMode, type ModeRule } from './file-modes.js';

/** Yahoo's cookie and crumb (providers/yahoo/cookie-jar.ts keeps them there). */
export const COOKIE_FILE_NAME = 'yahoo-cookies.json';
/** Where `report` writes by default (write-report.ts). */
export const REPORTS_DIR_NAME = 'reports';

/** The paths the check looks at, with their rule. */
export function dataDirEntries(dataDir: string): { path: string; rule: ModeRule }[] {
  const cookies = join(dataDir, COOKIE_FILE_NAME);
  return [
    { path: dataDir, rule: 'data-dir' },
    { path: join(dataDir, REPORTS_DIR_NAME), rule: 'private-dir' },
    { path: embeddedPaths(dataDir).passwordFile, rule: 'private-file' },
    { path: cookies, rule: 'private-file' },
    { path: `${cookies}.corrupt`, rule: 'private-file' },
  ];
}

export function runningAsRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * A directory of ours (the data dir, its reports): its parents as the umask makes them (as root the
 * database server's user must pass through them), the directory itself 0700.
 */
export function ensurePrivateDir(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  try {
    mkdirSync(path, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

/**
 * Checks (and where it can, fixes) the modes of the data dir and its secrets. `create`: make the data
 * dir when it is missing (the embedded database is about to live there); else a missing one is left
 * to whatever first writes into it. Never throws: a mode it cannot change is a warning, not a reason
 * to stop a command.
 */
export function secureDataDir(dataDir: string, log: Logger, options: { create: boolean }): void {
  const context = { root: runningAsRoot() };
  try {
    if (options.create) ensurePrivateDir(dataDir);
  } catch (err) {
    log.warn({ dataDir, err }, 'could not create the data dir');
    return;
  }
  for (const { path, rule } of dataDirEntries(dataDir)) {
    let st: Stats;
    try {
      st = lstatSync(path);
    } catch {
      continue; // not there (yet)
    }
    // A symbolic link's target is not ours to change; chmod would follow it.
    if (!(rule === 'private-file' ? st.isFile() : st.isDirectory())) continue;
    const wanted = tightenedMode(rule, st.mode, context);
    if (wanted === null) continue;
    try {
      chmodSync(path, wanted);
      log.warn({ path, mode: octal(st.mode), now: octal(wanted) }, 'file mode was too open; tightened');
    } catch (err) {
      log.warn({ path, mode: octal(st.mode), wanted: octal(wanted), err }, 'file mode is too open and could not be changed');
    }
  }
}
