// Yahoo's cookie (and the crumb yahoo-finance2 stores beside it) persisted in the data dir, so the
// handshake that quote() needs happens once per cookie lifetime rather than once per process: fewer
// chances to meet a 429 or an EU consent page (gadicc/yahoo-finance2#977, #990). The file is a
// credential for Yahoo's session: mode 0600, in a data dir of mode 0700.
import { chmodSync, closeSync, openSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FileCookieStore } from 'tough-cookie-file-store';
import { ExtendedCookieJar } from 'yahoo-finance2/lib/cookieJar';
import { COOKIE_FILE_NAME, ensurePrivateDir } from '../../data-dir.js';

export { COOKIE_FILE_NAME };

export function defaultCookieFile(dataDir: string): string {
  return join(dataDir, COOKIE_FILE_NAME);
}

/**
 * The file made 0600 before the store first writes it (tough-cookie-file-store writes in place with
 * the default 0644, and a write in place keeps the mode a file already has), or tightened to 0600.
 */
function makePrivate(file: string): void {
  closeSync(openSync(file, 'a', 0o600));
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
}

/**
 * A jar backed by `file` (created on first write), or in memory when no file is given. A corrupt file
 * is moved aside (".corrupt") and replaced: a lost cookie only costs one handshake.
 */
export function openCookieJar(file?: string, onCorrupt?: (info: { file: string; movedTo: string }) => void): ExtendedCookieJar {
  if (!file) return new ExtendedCookieJar();
  ensurePrivateDir(dirname(file));
  makePrivate(file);
  try {
    return new ExtendedCookieJar(new FileCookieStore(file));
  } catch {
    const movedTo = `${file}.corrupt`;
    renameSync(file, movedTo);
    onCorrupt?.({ file, movedTo });
    makePrivate(file);
    return new ExtendedCookieJar(new FileCookieStore(file));
  }
}
