// `bubblewatch db serve [--port N]`: the embedded database for psql, until Ctrl-C or SIGTERM.
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
      // `bubblewatch sql` takes the same lock, so "query it another way" only works on Postgres.
      throw new UsageError(
        `${err.message}\n` +
          'the embedded database can be open in one process only; stop that process (e.g. the daemon) and run ' +
          "'bubblewatch db serve' again, or keep the daemon running on Postgres (DATABASE_URL) and query Postgres directly",
      );
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      throw new UsageError(`cannot listen on 127.0.0.1:${options.port} (${code}): choose another port with --port`);
    }
    throw err;
  }

  log.info({ port: served.port, location: served.location, applied: served.migrated.applied }, 'serving the embedded database');
  print(`Serving the embedded database (${served.location}) on ${served.host}:${served.port}.`);
  print('Connect with:');
  print(`  psql "${served.url}"`);
  print('(sslmode=disable is required: this server has no TLS. Loopback only, no password.) Stop with Ctrl-C.');

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
  print('Stopped; the embedded database is closed.');
}
