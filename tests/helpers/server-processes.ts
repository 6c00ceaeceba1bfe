// The bundled PostgreSQL servers running for a data dir, found the way `ps aux | grep 'postgres -D'`
// finds them (the postmaster's command line; its children rename themselves "postgres: ..."). Tests
// use it to check that no server outlives the last bubblewatch process, kill -9 included. Linux (/proc).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { embeddedPaths } from '../../src/db/embedded-paths.js';

export interface ServerProcess {
  pid: number;
  /** Who it runs as (as root, the server runs as an unprivileged user). */
  uid: number;
}

/**
 * The postmasters of `<dataDir>/pg` alive now (`others`: those of any other data dir). A child the
 * postmaster has just forked still carries its command line until it renames itself: processes whose
 * parent is in the set are not counted.
 */
export function serverProcesses(dataDir: string, options: { others?: boolean } = {}): ServerProcess[] {
  const { pgdata } = embeddedPaths(dataDir);
  const found = new Map<number, { uid: number; ppid: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      const d = argv.indexOf('-D');
      if (!/(^|\/)postgres$/.test(argv[0] ?? '') || d < 0) continue;
      if ((argv[d + 1] === pgdata) === Boolean(options.others)) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      found.set(Number(name), { uid: statSync(`/proc/${name}`).uid, ppid });
    } catch {
      // gone meanwhile
    }
  }
  return [...found].filter(([, p]) => !found.has(p.ppid)).map(([pid, p]) => ({ pid, uid: p.uid }));
}
