// Yahoo's cookie (and the crumb yahoo-finance2 stores beside it) persisted in the data dir, so the
// handshake that quote() needs happens once per cookie lifetime rather than once per process: fewer
// chances to meet a 429 or an EU consent page (gadicc/yahoo-finance2#977, #990).
import { mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FileCookieStore } from 'tough-cookie-file-store';
import { ExtendedCookieJar } from 'yahoo-finance2/lib/cookieJar';

export const COOKIE_FILE_NAME = 'yahoo-cookies.json';

export function defaultCookieFile(dataDir: string): string {
  return join(dataDir, COOKIE_FILE_NAME);
}

/**
 * A jar backed by `file` (created on first write), or in memory when no file is given. A corrupt file
 * is moved aside (".corrupt") and replaced: a lost cookie only costs one handshake.
 */
export function openCookieJar(file?: string, onCorrupt?: (info: { file: string; movedTo: string }) => void): ExtendedCookieJar {
  if (!file) return new ExtendedCookieJar();
  mkdirSync(dirname(file), { recursive: true });
  try {
    return new ExtendedCookieJar(new FileCookieStore(file));
  } catch {
    const movedTo = `${file}.corrupt`;
    renameSync(file, movedTo);
    onCorrupt?.({ file, movedTo });
    return new ExtendedCookieJar(new FileCookieStore(file));
  }
}
