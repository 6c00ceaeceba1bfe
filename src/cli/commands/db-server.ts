// The embedded database server by hand: `db url`, `db start`, `db stop` and `db serve`. Every other
// command starts the server when it needs it and the last one stops it (src/db/embedded-server.ts);
// these keep it running on purpose, say where it is, or give it a TCP port for other clients.
import { existsSync } from 'node:fs';
import { newEmbeddedClient } from '../../db/connect.js';
import { embeddedPaths } from '../../db/embedded-paths.js';
import { refusePgliteDataDir, runningServer, setKeepMark, stopIfUnused, tcpUrlOf } from '../../db/embedded-server.js';
import { loadConfigAndLogger, openContext, UsageError, type Loaded } from '../context.js';

const print = (text: string): void => void process.stdout.write(`${text}\n`);

/** These commands are about the embedded server: with DATABASE_URL set there is none. */
function embeddedOnly(what: string): Loaded & { dataDir: string } {
  const loaded = loadConfigAndLogger();
  if (loaded.config.env.databaseUrl) {
    throw new UsageError(
      `DATABASE_URL is set, so the data is in that PostgreSQL server, which psql reaches directly: psql "$DATABASE_URL"\n` +
        `'db ${what}' is about the embedded database (used when DATABASE_URL is unset)`,
    );
  }
  refusePgliteDataDir(loaded.config.env.dataDir);
  return { ...loaded, dataDir: loaded.config.env.dataDir };
}

/** `db url [--tcp]`: the libpq URI of the running server, for `psql "$(bubblewatch db url)"`. */
export function urlCommand(options: { tcp?: boolean }): void {
  const { dataDir } = embeddedOnly('url');
  const running = runningServer(dataDir);
  if (!running) {
    throw new UsageError(`no embedded database server runs for ${dataDir}: start one with 'bubblewatch db start' (or run the daemon, 'npm start')`);
  }
  if (!options.tcp) return print(running.url);
  if (!running.tcp) throw new UsageError(`the embedded database server does not listen on TCP: restart it with 'bubblewatch db start --port P' (after 'bubblewatch db stop')`);
  print(tcpUrlOf(dataDir, running.tcp));
}

/** `db start [--port P]`: the server keeps running after this command, until `db stop`. */
export async function startCommand(options: { port?: number }): Promise<void> {
  const loaded = embeddedOnly('start');
  const { keepFile, passwordFile } = embeddedPaths(loaded.dataDir);
  // The mark goes first: a process letting go of the server at this moment sees it and keeps it.
  const keptBefore = existsSync(keepFile);
  setKeepMark(loaded.dataDir, true);
  try {
    const ctx = await openContext({ loaded, label: 'db start', tcpPort: options.port, maxConnections: 1 });
    const server = ctx.handle.server!;
    const tcp = server.tcp();
    await ctx.handle.close();
    print(`The embedded database server runs for ${loaded.dataDir} (until 'bubblewatch db stop').`);
    print(`  psql "${server.url()}"`);
    if (tcp) print(`  on TCP: ${tcp.host}:${tcp.port} (user postgres, password in ${passwordFile}; 'bubblewatch db url --tcp' prints the URL)`);
  } catch (err) {
    // A failed start leaves the server as it found it: kept only if it was kept before.
    if (!keptBefore) setKeepMark(loaded.dataDir, false);
    throw err;
  }
}

/** `db stop`: lets the server go; it stops now, or when the last process using it ends. */
export async function stopCommand(): Promise<void> {
  const loaded = embeddedOnly('stop');
  setKeepMark(loaded.dataDir, false);
  if (!runningServer(loaded.dataDir)) return print(`no embedded database server runs for ${loaded.dataDir}`);
  const { stopped, users } = await stopIfUnused(loaded.dataDir, await newEmbeddedClient(), loaded.log);
  if (stopped) return print(`stopped the embedded database server of ${loaded.dataDir}`);
  print(`the embedded database server keeps running while these use it: ${users.join(', ') || 'another bubblewatch process'}; it stops when the last of them ends`);
}

/** `db serve [--port P]`: the server on a loopback port for other clients, until Ctrl-C or SIGTERM. */
export async function serveCommand(options: { port: number }): Promise<void> {
  const loaded = embeddedOnly('serve');
  const { log } = loaded;
  const ctx = await openContext({ loaded, label: 'db serve', tcpPort: options.port, maxConnections: 1 });
  const server = ctx.handle.server!;
  const tcp = server.tcp()!;
  const { passwordFile, keepFile } = embeddedPaths(loaded.dataDir);
  log.info({ host: tcp.host, port: tcp.port, location: server.location }, 'serving the embedded database on TCP');
  print(`Serving the embedded database (${server.location}) on ${tcp.host}:${tcp.port}:`);
  print(`  host ${tcp.host}, port ${tcp.port}, database bubblewatch, user postgres, password in ${passwordFile}`);
  print(`  ('bubblewatch db url --tcp' prints the whole URL, password included: psql "$(bubblewatch db url --tcp)")`);
  print(`On this machine, without a password: psql "${server.url()}"`);
  print('Stop with Ctrl-C (the server stops with it unless another bubblewatch process uses it).');
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      log.info({ signal }, 'stopping');
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await ctx.handle.close();
  const still = runningServer(loaded.dataDir);
  if (!still) print('Stopped; the server is stopped too.');
  else if (existsSync(keepFile) && still.tcp) print(`Stopped serving; the server keeps running ('db start' keeps it), still on ${still.tcp.host}:${still.tcp.port} until 'bubblewatch db stop'.`);
  else print('Stopped serving; the server keeps running for the bubblewatch processes that use it.');
}
