// The client half of copy-from-stdin.ts: the Pool's Client class, apart so that pg-copy-streams is loaded with pg only.
import { once } from 'node:events';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyData, type CopyData } from './copy-statement.js';

/** pg's client, running copyFromStdin's statements as a COPY streamed with pg-copy-streams. */
export class CopyingClient extends pg.Client {
  // pg's query() has a dozen overloads; only the promise-returning (text, [data]) call Kysely makes is
  // looked at (a call with a callback, as pg's Pool.query makes, is left to pg).
  override query(...args: unknown[]): never {
    const data = args.length === 2 ? copyData(args[0], args[1]) : null;
    if (data === null) return (super.query as (...a: unknown[]) => never)(...args);
    return this.#copy(args[0] as string, data) as never;
  }

  async #copy(text: string, data: CopyData): Promise<pg.QueryResult> {
    const stream = (super.query as (q: unknown) => ReturnType<typeof copyFrom>)(copyFrom(text));
    const done = new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      stream.on('finish', resolve);
    });
    done.catch(() => undefined); // awaited below; an error may come before the first await
    try {
      for (const piece of typeof data === 'string' ? [data] : data) {
        // Waits while the socket's buffer is full: the pieces are made no faster than they are sent.
        if (!stream.write(piece)) await Promise.race([once(stream, 'drain'), done]);
      }
      stream.end();
    } catch (err) {
      stream.destroy(err as Error); // CopyFail: the server rolls the COPY back
    }
    await done;
    return { command: 'COPY', rowCount: stream.rowCount, rows: [], fields: [], oid: 0 };
  }
}
