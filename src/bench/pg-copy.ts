// `COPY ... FROM STDIN` and `COPY ... TO STDOUT` through node-postgres without pg-copy-streams: pg
// accepts any object with a submit() method as a query (a "Submittable") and forwards the protocol
// messages to it. The first sends a simple-protocol query, answers the server's CopyInResponse with
// the given chunks and CopyDone, and resolves with the row count from the CommandComplete tag; the
// second counts the CopyData bytes the server sends. Benchmark use only.
import type pg from 'pg';

interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

class CopyFromStdin {
  callback: ((err: Error | null, rows?: number) => void) | undefined;
  #error: Error | null = null;
  #rows = 0;

  constructor(
    readonly text: string,
    readonly chunks: readonly Buffer[],
  ) {}

  submit(connection: CopyConnection): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    for (const chunk of this.chunks) connection.sendCopyFromChunk(chunk);
    connection.endCopyFrom();
  }

  handleCommandComplete(msg: { text?: string }): void {
    const m = /^COPY (\d+)/.exec(msg.text ?? '');
    if (m) this.#rows = Number(m[1]);
  }

  handleError(err: Error): void {
    this.#error = err;
  }

  handleReadyForQuery(): void {
    const cb = this.callback;
    this.callback = undefined;
    cb?.(this.#error, this.#rows);
  }

  // Messages a COPY FROM never gets; pg calls them only on a protocol surprise.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/** Streams text-format COPY data (already encoded, in chunks of a few MB) into the table; returns rows. */
export function copyFromStdin(client: pg.Client | pg.PoolClient, text: string, chunks: readonly Buffer[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const submittable = new CopyFromStdin(text, chunks);
    submittable.callback = (err, rows) => (err ? reject(err) : resolve(rows ?? 0));
    (client as unknown as { query(q: unknown): void }).query(submittable);
  });
}

class CopyToStdout {
  callback: ((err: Error | null, bytes?: number) => void) | undefined;
  #error: Error | null = null;
  #bytes = 0;

  constructor(readonly text: string) {}

  submit(connection: CopyConnection): void {
    connection.query(this.text);
  }

  // The data is counted and dropped: the baseline is what it costs the server to send the table.
  handleCopyData(msg: { chunk: Buffer }): void {
    this.#bytes += msg.chunk.length;
  }

  handleError(err: Error): void {
    this.#error = err;
  }

  handleReadyForQuery(): void {
    const cb = this.callback;
    this.callback = undefined;
    cb?.(this.#error, this.#bytes);
  }

  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(): void {}
}

/** Runs a `COPY ... TO STDOUT` and resolves with the bytes received (text format). */
export function copyToStdout(client: pg.Client | pg.PoolClient, text: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const submittable = new CopyToStdout(text);
    submittable.callback = (err, bytes) => (err ? reject(err) : resolve(bytes ?? 0));
    (client as unknown as { query(q: unknown): void }).query(submittable);
  });
}
