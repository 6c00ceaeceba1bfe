// The bundled PostgreSQL server as users meet it, through the compiled CLI with no DATABASE_URL: who
// starts it, who stops it, and that nothing is left running for a data dir no bubblewatch process uses.
// One data dir for the whole file (one initdb), each scenario ending with no server running.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runningServer } from '../../src/db/embedded-server.js';
import { lastClosedSession } from '../../src/market/calendar.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { serverProcesses } from '../helpers/server-processes.js';
import { closedPort, spawnDaemon, tempRoot, writeTestConfig, type DaemonProcess } from './daemon-harness.js';

let root: string;
let dataDir: string;
let sim: SimServer;
let env: NodeJS.ProcessEnv;
const daemons: DaemonProcess[] = [];

beforeAll(async () => {
  root = tempRoot('bw-embedded-');
  dataDir = join(root, 'data');
  sim = await startSimServer({ now: lastClosedSession(new Date()), seed: 5 });
  const config = writeTestConfig(join(root, 'config'), { history: { start: '2024-01-02', overlapSessions: 5 } });
  env = { BUBBLEWATCH_DATA_DIR: dataDir, BUBBLEWATCH_CONFIG: config, YAHOO_BASE_URL: sim.url };
});

afterAll(async () => {
  for (const d of daemons) if (d.alive()) d.child.kill('SIGKILL');
  // Whatever a failed test left: the last user stops it.
  if (servers().length) await cli('db', 'stop');
  await sim?.close();
  rmSync(root, { recursive: true, force: true });
});

const cli = (...args: string[]): Promise<CliResult> => runCli(args, { env });

function daemon(...args: string[]): DaemonProcess {
  const d = spawnDaemon(['run', ...args], env);
  daemons.push(d);
  return d;
}

const servers = (options?: { others?: boolean }) => serverProcesses(dataDir, options);

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 50));
}

/** Until a session of the data dir's server runs a statement that contains `fragment`. */
async function waitForStatement(fragment: string): Promise<void> {
  for (;;) {
    const server = runningServer(dataDir);
    if (server) {
      const client = new pg.Client({ connectionString: server.url });
      const seen = await client
        .connect()
        .then(() => client.query('select 1 from pg_stat_activity where pid <> pg_backend_pid() and query like $1', [`%${fragment}%`]))
        .then((r) => r.rowCount! > 0, () => false)
        .finally(() => client.end().catch(() => {}));
      if (seen) return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

const count = async (table: string) => JSON.parse((await cli('sql', `select count(*)::int as n from ${table}`, '--format', 'json')).stdout)[0].n as number;

describe('the embedded database server', () => {
  it('three one-shot commands started at once on a new data dir all succeed and leave nothing running', async () => {
    // As after a command killed during its first initdb: its staging dir, under a pid that is gone.
    const abandoned = join(dataDir, 'pg.init-999999999-abcdef');
    mkdirSync(join(abandoned, 'base'), { recursive: true });
    const results = await Promise.all([cli('migrate'), cli('status', '--json'), cli('sql', 'select 1 as one', '--format', 'json')]);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(results[2]!.stdout)).toEqual([{ one: 1 }]);
    // One cluster came of three initdbs: the losers' staging dirs are gone, and so is the abandoned one.
    expect(readdirSync(dataDir).filter((n) => n.startsWith('pg.init-'))).toEqual([]);
    expect(servers()).toEqual([]);
  });

  it("puts the server's own log lines into the command's log at debug", async () => {
    const r = await runCli(['sql', 'select no_such_column from symbols'], { env: { ...env, LOG_LEVEL: 'debug' } });
    expect(r.code).toBe(2);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string; line?: string });
    expect(lines.some((l) => l.msg === 'database server log' && /ERROR: +column "no_such_column" does not exist/.test(l.line ?? ''))).toBe(true);
    expect(servers()).toEqual([]);
  });

  it('is kept by the daemon, shared with commands, and stopped with it by SIGTERM', async () => {
    const d = daemon();
    await d.waitForMsg('daemon scheduled', 90_000);
    const running = servers();
    expect(running).toHaveLength(1);
    // PostgreSQL refuses root: as root the server runs as an unprivileged user.
    if (process.getuid?.() === 0) expect(running[0]!.uid).not.toBe(0);
    const bars = await count('daily_bars');
    expect(bars).toBeGreaterThan(0);
    // A command beside the daemon leaves the server to it.
    expect(servers()).toEqual(running);
    const stop = await d.stop('SIGTERM');
    expect(stop.code, d.stderr().slice(-2000)).toBe(0);
    expect(servers()).toEqual([]);
  });

  it('is adopted after kill -9 of the daemon by the next command, which stops it; the data is whole', async () => {
    const before = await count('daily_bars');
    const d = daemon();
    await d.waitForMsg('daemon scheduled', 90_000);
    d.child.kill('SIGKILL');
    await d.exited;
    expect(servers()).toHaveLength(1);
    const status = await cli('status', '--json');
    expect(status.code, status.stderr).toBe(0);
    const symbols = JSON.parse(status.stdout).symbols as { bars: number }[];
    expect(symbols.reduce((n, s) => n + s.bars, 0)).toBe(before);
    expect(servers()).toEqual([]);
  });

  it('comes back under the daemon when the server itself is killed', async () => {
    const d = daemon();
    await d.waitForMsg('daemon scheduled', 90_000);
    const [postmaster] = servers();
    process.kill(postmaster!.pid, 'SIGKILL');
    await d.waitForMsg('embedded database server back', 60_000);
    expect(servers().map((s) => s.pid)).not.toContain(postmaster!.pid);
    expect(await count('symbols')).toBeGreaterThan(0);
    expect((await d.stop('SIGTERM')).code).toBe(0);
    expect(servers()).toEqual([]);
  });

  it('db start keeps it for other clients (db url, an open transaction that blocks nobody), db stop ends it', async () => {
    const url = await cli('db', 'url');
    expect(url.code).toBe(2);
    expect(url.stderr).toMatch(/no embedded database server runs for .*db start/);
    expect((await cli('db', 'start')).code).toBe(0);
    expect(servers()).toHaveLength(1);
    // No TCP port unless asked: postmaster.pid lists no listen address, and `db url --tcp` says so.
    expect(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[5]).toBe('');
    const tcp = await cli('db', 'url', '--tcp');
    expect(tcp.code).toBe(2);
    expect(tcp.stderr).toMatch(/does not listen on TCP/);
    const libpq = (await cli('db', 'url')).stdout.trim();
    const psql = new pg.Client({ connectionString: libpq });
    const listener = new pg.Client({ connectionString: libpq });
    await Promise.all([psql.connect(), listener.connect()]);
    try {
      // A session of its own: its SET and its open transaction are its own business.
      await psql.query('set search_path = nowhere');
      await psql.query('begin');
      await psql.query('select count(*) from public.daily_bars');
      const heard = new Promise<string>((resolve) => listener.on('notification', (n) => resolve(n.payload ?? '')));
      await listener.query('listen bubblewatch_changes');
      // A manual sync writes (and notifies) while the transaction stays open; sql reads beside it. Its
      // last bar removed first, so the sync has something to store.
      const removed = await cli('sql', "delete from daily_bars where symbol = 'ORCL' and trade_date = (select max(trade_date) from daily_bars where symbol = 'ORCL')", '--write');
      expect(removed.code, removed.stderr).toBe(0);
      const sync = await cli('sync', '--symbols', 'ORCL');
      expect(sync.code, sync.stderr).toBe(0);
      expect(JSON.parse(await heard).kind).toBe('bars');
      expect(await count('daily_bars')).toBeGreaterThan(0);
      // COPY FROM STDIN, as psql's \copy sends it.
      await psql.query('rollback');
      await psql.query('create temp table pasted (n int)');
      await new Promise<void>((resolve, reject) => {
        const stream = psql.query(copyFrom('copy pasted from stdin'));
        stream.on('finish', resolve).on('error', reject);
        stream.end('1\n2\n3\n');
      });
      expect((await psql.query('select sum(n)::int as s from pasted')).rows).toEqual([{ s: 6 }]);
    } finally {
      await Promise.all([psql.end(), listener.end()]);
    }
    // No process uses it now, yet it stays: db start keeps it.
    expect(servers()).toHaveLength(1);
    const stop = await cli('db', 'stop');
    expect(stop.stdout).toMatch(/stopped the embedded database server/);
    expect(servers()).toEqual([]);
  });

  it('db stop while the daemon runs leaves the server to the daemon and names it', async () => {
    expect((await cli('db', 'start')).code).toBe(0);
    const d = daemon();
    await d.waitForMsg('daemon scheduled', 90_000);
    const stop = await cli('db', 'stop');
    expect(stop.code).toBe(0);
    expect(stop.stdout).toMatch(new RegExp(`keeps running while these use it: .*bubblewatch daemon pid=${d.pid}`));
    expect(servers()).toHaveLength(1);
    expect((await d.stop('SIGTERM')).code).toBe(0);
    expect(servers()).toEqual([]);
  });

  it('listens on loopback TCP with the data dir password only when asked (db serve)', async () => {
    const serve = spawnDaemon(['db', 'serve', '--port', '0'], env);
    daemons.push(serve);
    const line = await serve.waitForMsg('serving the embedded database on TCP', 60_000);
    const port = Number(line.port);
    const password = readFileSync(join(dataDir, 'pg-password'), 'utf8').trim();
    expect(statSync(join(dataDir, 'pg-password')).mode & 0o777).toBe(0o600);
    const withPassword = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'bubblewatch' });
    await withPassword.connect();
    expect((await withPassword.query('select count(*)::int as n from symbols')).rows[0].n).toBeGreaterThan(0);
    await withPassword.end();
    const without = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password: 'wrong', database: 'bubblewatch' });
    await expect(without.connect()).rejects.toThrow(/password authentication failed/);
    const tcpUrl = (await cli('db', 'url', '--tcp')).stdout.trim();
    expect(tcpUrl).toBe(`postgresql://postgres:${password}@127.0.0.1:${port}/bubblewatch`);
    expect((await serve.stop('SIGINT')).code).toBe(0);
    expect(servers()).toEqual([]);
  });

  it("run --db-port has the server listen on TCP for the daemon's life; db serve on another port beside it is refused", async () => {
    const port = await closedPort();
    const d = daemon('--db-port', String(port));
    await d.waitForMsg('daemon scheduled', 90_000);
    const password = readFileSync(join(dataDir, 'pg-password'), 'utf8').trim();
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'bubblewatch' });
    await client.connect();
    expect((await client.query('select count(*)::int as n from symbols')).rows[0].n).toBeGreaterThan(0);
    await client.end();
    // Another port while the daemon holds the server: it cannot be restarted under the daemon.
    const other = await cli('db', 'serve', '--port', String(await closedPort()));
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(new RegExp(`runs on port ${port} and is in use by bubblewatch daemon pid=${d.pid}`));
    expect((await d.stop('SIGTERM')).code).toBe(0);
    expect(servers()).toEqual([]);
    // A port someone else listens on: exit 2 saying so, nothing left running.
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const busy = await cli('db', 'serve', '--port', String((taken.address() as { port: number }).port));
      expect(busy.code).toBe(2);
      expect(busy.stderr).toMatch(/cannot listen on 127\.0\.0\.1:\d+: the port is in use; choose another port/);
    } finally {
      taken.close();
    }
    expect(servers()).toEqual([]);
  });

  it('a daemon started while a command uses the server shares it; the command ending leaves it to the daemon', async () => {
    // The command holds the server (a transaction kept open by pg_sleep) while the daemon starts.
    const command = runCli(['sql', 'select pg_sleep(3), count(*) from symbols', '--format', 'csv'], { env });
    await waitUntil(() => servers().length === 1);
    const [first] = servers();
    const d = daemon();
    await d.waitForMsg('daemon scheduled', 90_000);
    const done = await command;
    expect(done.code, done.stderr).toBe(0);
    // The same server all along: the command did not stop it under the daemon.
    expect(servers()).toEqual([first]);
    expect(await count('symbols')).toBeGreaterThan(0);
    expect((await d.stop('SIGTERM')).code).toBe(0);
    expect(servers()).toEqual([]);
  });

  it('Ctrl-C or SIGTERM of a command lets go of the server first: the usual exit, nothing left running', async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const command = spawnDaemon(['sql', 'select pg_sleep(30)'], env);
      daemons.push(command);
      // The query is running (its session is in pg_stat_activity) when the signal comes.
      await waitForStatement('pg_sleep(30)');
      command.child.kill(signal);
      const exit = await command.exited;
      expect(exit.signal ?? exit.code, command.stderr()).toBe(signal);
      expect(servers()).toEqual([]);
    }
  });

  it('a daemon stopped while its server is still starting exits 0 and leaves nothing running', async () => {
    const d = daemon();
    await waitUntil(() => servers().length === 1);
    const stop = await d.stop('SIGTERM');
    expect(stop.code, d.stderr().slice(-2000)).toBe(0);
    expect(servers()).toEqual([]);
  });

  it('works the same through a symlink to the data dir, and keeps out the libpq environment', async () => {
    expect((await cli('db', 'start')).code).toBe(0);
    const [server] = servers();
    const link = join(root, 'linked-data');
    symlinkSync(dataDir, link);
    // PGSSLMODE would make pg ask for TLS, which the socket does not have; PGOPTIONS would hide the tables.
    const linked = await runCli(['sql', 'select count(*)::int as n from symbols', '--format', 'json'], {
      env: { ...env, BUBBLEWATCH_DATA_DIR: link, PGSSLMODE: 'require', PGOPTIONS: '-c search_path=nowhere' },
    });
    expect(linked.code, linked.stderr).toBe(0);
    expect(JSON.parse(linked.stdout)[0].n).toBeGreaterThan(0);
    // The running server was recognised through the link: same process, its postmaster.pid intact.
    expect(servers()).toEqual([server]);
    expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(true);
    // A failed db start beside it (another port, and the server in use) leaves db start's mark alone.
    const hold = runCli(['sql', 'select pg_sleep(4)'], { env });
    await waitForStatement('pg_sleep(4)');
    const failed = await cli('db', 'start', '--port', String(await closedPort()));
    expect(failed.code).toBe(2);
    expect((await hold).code).toBe(0);
    expect(existsSync(join(dataDir, 'pg-keep'))).toBe(true);
    expect(servers()).toEqual([server]);
    expect((await cli('db', 'stop')).stdout).toMatch(/stopped the embedded database server/);
    expect(servers()).toEqual([]);
  });

  it('starts over a postmaster.pid left from before a reboot, whose pid now belongs to another process', async () => {
    // As after a container restart: the pid in the file is alive, but not this data dir's postgres:
    // this test runner, or the postmaster of another cluster (the test run's, or the machine's).
    const stalePids = [process.pid, servers({ others: true })[0]?.pid].filter((p): p is number => p !== undefined);
    for (const pid of stalePids) {
      writeFileSync(join(dataDir, 'pg', 'postmaster.pid'), `${pid}\n${join(dataDir, 'pg')}\n1796600000\n5432\n${join(dataDir, 'pg')}\n\n  1234567         2\nready   \n`);
      const r = await cli('sql', 'select 1 as one', '--format', 'json');
      expect(r.code, r.stderr).toBe(0);
      expect(servers()).toEqual([]);
    }
  });

  it('a data dir it made is private: 0700 (as root 0711 at most, so the server passes through), the secrets and the database files 0600', () => {
    const mode = (path: string) => statSync(path).mode & 0o777;
    const asRoot = process.getuid?.() === 0;
    const dirMode = mode(dataDir);
    // Owner rwx; as root group and others may pass through (x), never list or write.
    expect(dirMode & 0o700).toBe(0o700);
    expect(dirMode & (asRoot ? 0o066 : 0o077)).toBe(0);
    expect(mode(join(dataDir, 'yahoo-cookies.json'))).toBe(0o600);
    expect(mode(join(dataDir, 'pg-password'))).toBe(0o600);
    // PostgreSQL's own files (and the server log we open for it): nothing for group or others.
    const loose: string[] = [];
    const walk = (dir: string) => {
      expect(mode(dir), dir).toBe(0o700);
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.isFile() && mode(path) !== 0o600) loose.push(`${path} ${mode(path).toString(8)}`);
      }
    };
    walk(join(dataDir, 'pg'));
    expect(loose).toEqual([]);
  });
});
