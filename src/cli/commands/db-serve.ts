// `bubblewatch db serve [--port N]`: the embedded database for psql, until Ctrl-C or SIGTERM. When the
// daemon runs, the port relays to the daemon's socket; otherwise this process opens the database and
// serves it (on the port, and on the data dir's socket for the other commands).
import { LockHeldError } from '../../db/dir-lock.js';
import { serveEmbeddedDb, type ServedDb } from '../../db/serve.js';
import { redactUrl } from '../../log.js';
import { UsageError, loadConfigAndLogger } from '../context.js';

const print = (text: string) => process.stdout.write(`${text}\n`);

export async function serveCommand(options: { port: number }): Promise<void> {
  const { config, log } = loadConfigAndLogger();
  if (config.env.databaseUrl) {
    throw new UsageError(
      `DATABASE_URL is set, so the data is in Postgres, which psql reaches directly: psql "${redactUrl(config.env.databaseUrl)}"\n` +
        "'db serve' only serves the embedded database (used when DATABASE_URL is unset)",
    );
  }

  let served: ServedDb;
  try {
    served = await serveEmbeddedDb(config.env.dataDir, { port: options.port });
  } catch (err) {
    if (err instanceof LockHeldError) {
      // A one-shot command has it (a daemon would be serving it): it ends by itself.
      throw new UsageError(`${err.message}\nthat command has the embedded database open; run 'bubblewatch db serve' again when it has finished`);
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      throw new UsageError(`cannot listen on 127.0.0.1:${options.port} (${code}): choose another port with --port`);
    }
    throw err;
  }

  log.info({ port: served.port, location: served.location, relayed: served.relayed, applied: served.migrated?.applied ?? [] }, 'serving the embedded database');
  print(`Serving the embedded database (${served.location}) on ${served.host}:${served.port}${served.relayed ? ', through the daemon that has it open' : ''}.`);
  print('Connect with:');
  print(`  psql "${served.url}"`);
  print('(No TLS: loopback only, no password.) Stop with Ctrl-C.');

  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      log.info({ signal }, 'stopping the database server');
      served
        .close()
        .catch((err: unknown) => {
          log.error({ err }, 'closing the embedded database failed');
          process.exitCode = 1;
        })
        .finally(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  print(served.relayed ? 'Stopped (the daemon keeps the database open).' : 'Stopped; the embedded database is closed.');
}
