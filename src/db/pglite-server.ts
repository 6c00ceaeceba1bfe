// The embedded database spoken as Postgres over a socket (a Unix socket in the data dir, or a
// loopback port), for the daemon's fellow commands and for psql. PGlite runs in this process and has
// one session; every client's protocol messages go into it in turn, and a client keeps the turn (the
// SessionGate, shared with this process's own Kysely handle) from its first message until the
// backend says ReadyForQuery "idle": a whole transaction, or one statement outside one. So two
// clients' transactions never interleave, and neither do a client's and the daemon's.
//
// Why not @electric-sql/pglite-socket: 0.1.6 queues single protocol messages, not transactions, and
// only among its own clients; the daemon's in-process queries would run inside a client's open
// transaction (measured: a row the daemon inserted vanished with the client's ROLLBACK).
//
// Session settings are shared by all clients (it is one backend): each client's are reset when it
// leaves. A client that sits inside a transaction without sending anything for idleInTransactionMs
// is rolled back and disconnected, so a forgotten BEGIN in psql cannot stall the daemon's jobs.
import { chmodSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import type { Logger } from 'pino';
import { CHANGES_CHANNEL } from './changes.js';
import type { GateTurn, SessionGate } from './session-gate.js';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const TERMINATE = 0x58; // 'X'
const READY_FOR_QUERY = 0x5a; // 'Z'
const IDLE = 0x49; // 'I': ReadyForQuery's status outside a transaction
const SYNC = Buffer.from([0x53, 0, 0, 0, 4]); // 'S': ends an extended-protocol exchange
const NOTIFICATION = 0x41; // 'A': NotificationResponse (pid, channel, payload)
/**
 * The daemon LISTENs on the one shared session for stored changes (changes.ts); the notification a
 * client's own commit raises is meant for the daemon (PGlite hands it to its listener in-process) and
 * is kept off the client's wire, where psql would print it.
 */
const PRIVATE_CHANNEL = Buffer.from(`${CHANGES_CHANNEL}\0`);
/**
 * Extended-protocol messages other than Sync: Parse, Bind, Describe, Execute, Close, Flush. Postgres
 * answers none of them with ReadyForQuery, but PGlite does after an error in one (then again on the
 * Sync): a client would take that early one as the end of its query and the Sync's as a stray answer
 * to its next ("Received unexpected commandComplete message"), and the turn would end mid-exchange.
 */
const EXTENDED_NOT_SYNC = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48]);
const QUERY = 0x51; // 'Q'
/** CopyData, CopyDone, CopyFail: a client's side of COPY FROM STDIN. */
const COPY_IN_MESSAGES = new Set([0x64, 0x63, 0x66]);
/**
 * COPY ... FROM STDIN cannot be served: PGlite takes a COPY's data only in the same call as the
 * statement, and data arriving in later messages (as psql's \copy sends it) makes it exit, taking
 * the daemon with it. The statement is refused before it reaches PGlite, through a statement that
 * raises the error itself, so the transaction state is what Postgres would leave (an open
 * transaction is aborted). COPY ... TO STDOUT is answered in one call and works.
 */
const COPY_FROM_STDIN = /(^|;)\s*copy\b[^;]*\bfrom\s+stdin\b/i;
const REFUSE_COPY_FROM_STDIN = `do $refuse$ begin raise exception using errcode = 'feature_not_supported',
  message = 'COPY FROM STDIN is not supported on the embedded database served by the daemon',
  hint = 'load files with bubblewatch import, or use INSERT statements'; end $refuse$`;

/**
 * LISTEN, UNLISTEN and DISCARD act on the one session every client shares with the daemon, whose live
 * page LISTENs there (changes.ts): a psql user's `UNLISTEN *` (or `DISCARD ALL`, which includes it)
 * would silence the page until the daemon restarts, and a LISTEN would hear nothing of its own. They
 * are refused the same way as COPY FROM STDIN (simple-query statements, which is how psql sends them).
 */
const SHARED_SESSION_LISTENING = /(^|;)\s*(listen|unlisten|discard)\b/i;
const REFUSE_SHARED_SESSION_LISTENING = `do $refuse$ begin raise exception using errcode = 'feature_not_supported',
  message = 'LISTEN, UNLISTEN and DISCARD are not supported on the embedded database served by the daemon',
  hint = 'its one session is shared with the daemon, whose live page listens there; use PostgreSQL (DATABASE_URL) for notifications of your own'; end $refuse$`;

export type ListenAt = { path: string } | { host: string; port: number };

export interface PgliteServerOptions {
  pglite: PGlite;
  gate: SessionGate;
  listen: ListenAt;
  log?: Logger | undefined;
  /** Default 30 s. */
  idleInTransactionMs?: number;
}

export interface PgliteServer {
  /** The socket path, or host:port. */
  address: string;
  /** The port actually bound (loopback only). */
  port: number | null;
  clients(): number;
  /** Stops accepting, ends every client (rolling back what it left open) and removes the socket file. */
  close(): Promise<void>;
}

export async function startPgliteServer(options: PgliteServerOptions): Promise<PgliteServer> {
  const { listen } = options;
  const clients = new Set<ServedClient>();
  let nextId = 1;
  const server: Server = createServer((socket) => {
    const client = new ServedClient(socket, nextId++, options, () => clients.delete(client));
    clients.add(client);
  });
  if ('path' in listen) rmSync(listen.path, { force: true }); // a socket left by a killed daemon (we hold the dir lock)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const done = () => {
      server.off('error', reject);
      resolve();
    };
    if ('path' in listen) server.listen(listen.path, done);
    else server.listen(listen.port, listen.host, done);
  });
  // Owner only: the socket has no password, so the file mode is the access control.
  if ('path' in listen) chmodSync(listen.path, 0o600);
  const bound = server.address();
  const port = bound && typeof bound === 'object' ? bound.port : null;
  let closing: Promise<void> | undefined;
  return {
    address: 'path' in listen ? listen.path : `${listen.host}:${port}`,
    port,
    clients: () => clients.size,
    close: () =>
      (closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await Promise.all([...clients].map((c) => c.end('server stopping')));
        await stopped;
        if ('path' in listen) rmSync(listen.path, { force: true });
      })()),
  };
}

/**
 * Frames the backend's output into whole messages (chunks may split them), forwards them, and keeps
 * the status of the last ReadyForQuery forwarded; drops ReadyForQuery where Postgres would send none.
 */
class BackendFramer {
  #pending = Buffer.alloc(0);
  /** Status byte of the last complete message if it was ReadyForQuery, else null. */
  readyStatus: number | null = null;

  /** The whole messages of `chunk` (and what was pending) to forward. */
  push(chunk: Uint8Array, dropReady: boolean): Buffer {
    const buf = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    const out: Buffer[] = [];
    let at = 0;
    while (buf.length - at >= 5) {
      const end = at + 1 + buf.readInt32BE(at + 1);
      if (buf.length < end) break;
      const ready = buf[at] === READY_FOR_QUERY;
      const ours = buf[at] === NOTIFICATION && buf.subarray(at + 9, at + 9 + PRIVATE_CHANNEL.length).equals(PRIVATE_CHANNEL);
      if (!(ready && dropReady) && !ours) {
        out.push(buf.subarray(at, end));
        this.readyStatus = ready ? buf[at + 5]! : null;
      }
      at = end;
    }
    this.#pending = at < buf.length ? Buffer.from(buf.subarray(at)) : Buffer.alloc(0);
    return out.length === 1 ? out[0]! : Buffer.concat(out);
  }
}

class ServedClient {
  #input = Buffer.alloc(0);
  #started = false;
  /** The message loop while it runs. */
  #pumping: Promise<void> | null = null;
  #closed = false;
  #turn: GateTurn | null = null;
  #idleTimer: NodeJS.Timeout | undefined;
  #ended: Promise<void> | undefined;
  readonly #framer = new BackendFramer();

  constructor(
    readonly socket: Socket,
    readonly id: number,
    readonly options: PgliteServerOptions,
    readonly onGone: () => void,
  ) {
    socket.setNoDelay?.(true);
    socket.on('data', (data) => {
      clearTimeout(this.#idleTimer);
      this.#input = this.#input.length ? Buffer.concat([this.#input, data]) : data;
      void this.#pump();
    });
    socket.on('error', () => void this.end('socket error'));
    socket.on('close', () => void this.end('closed'));
  }

  /** The next complete frontend message, or null. The first one has no type byte. */
  #take(): Buffer | null {
    const buf = this.#input;
    const headerLen = this.#started ? 5 : 4;
    if (buf.length < headerLen) return null;
    const len = this.#started ? 1 + buf.readInt32BE(1) : buf.readInt32BE(0);
    if (buf.length < len) return null;
    this.#input = buf.subarray(len);
    return buf.subarray(0, len);
  }

  #pump(): Promise<void> {
    return (this.#pumping ??= this.#drain().finally(() => (this.#pumping = null)));
  }

  async #drain(): Promise<void> {
    try {
      for (let msg = this.#take(); msg && !this.#closed; msg = this.#take()) await this.#handle(msg);
    } catch (err) {
      this.options.log?.warn({ err, client: this.id }, 'served client failed');
      void this.end('error');
      return;
    }
    if (this.#turn && !this.#closed && this.#input.length === 0) this.#armIdleTimer();
  }

  async #handle(msg: Buffer): Promise<void> {
    const dropReady = this.#started && EXTENDED_NOT_SYNC.has(msg[0]!);
    if (!this.#started) {
      const code = msg.readInt32BE(4);
      // No TLS here (Unix socket or loopback): say so, and the client goes on in plain text or gives up.
      if (code === SSL_REQUEST || code === GSSENC_REQUEST) return void this.socket.write('N');
      if (code === CANCEL_REQUEST) return void this.socket.end();
      this.#started = true;
    } else if (msg[0] === TERMINATE) {
      void this.end('terminated'); // not awaited: end() waits for this very loop
      return;
    } else if (COPY_IN_MESSAGES.has(msg[0]!)) {
      return; // no COPY FROM STDIN is ever started here (see COPY_FROM_STDIN), so these belong to none
    } else if (msg[0] === QUERY) {
      const text = msg.toString('utf8', 5, msg.length - 1);
      if (COPY_FROM_STDIN.test(text)) msg = simpleQuery(REFUSE_COPY_FROM_STDIN);
      else if (SHARED_SESSION_LISTENING.test(text)) msg = simpleQuery(REFUSE_SHARED_SESSION_LISTENING);
    }
    if (!this.#turn) {
      this.#turn = await this.options.gate.acquire(`client ${this.id}`);
      if (this.#closed) return this.#giveBack();
    }
    this.#framer.readyStatus = null;
    await this.#exec(msg, (data) => {
      const whole = this.#framer.push(data, dropReady);
      if (whole.length > 0 && this.socket.writable) this.socket.write(whole);
    });
    if (this.#framer.readyStatus === IDLE) this.#giveBack();
  }

  #exec(msg: Uint8Array, onData: (data: Uint8Array) => void): Promise<void> {
    const { pglite } = this.options;
    return pglite.runExclusive(() => pglite.execProtocolRawStream(msg, { onRawData: onData }));
  }

  #giveBack(): void {
    clearTimeout(this.#idleTimer);
    const turn = this.#turn;
    this.#turn = null;
    turn?.release();
  }

  #armIdleTimer(): void {
    const ms = this.options.idleInTransactionMs ?? 30_000;
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => {
      this.options.log?.warn({ client: this.id, idleMs: ms }, 'served client idle in a transaction; rolling it back and disconnecting');
      void this.end('idle in transaction');
    }, ms);
    this.#idleTimer.unref();
  }

  /** Ends the client: whatever it left open is rolled back and its session settings reset. */
  end(reason: string): Promise<void> {
    return (this.#ended ??= (async () => {
      this.#closed = true;
      clearTimeout(this.#idleTimer);
      this.socket.destroy();
      if (!this.#started) return this.onGone();
      try {
        // Wait for a message still running, then clean up in a turn of our own.
        await this.#pumping;
        if (!this.#turn) this.#turn = await this.options.gate.acquire(`client ${this.id} cleanup`);
        const discard = () => undefined;
        await this.#exec(SYNC, discard); // ends an extended exchange cut short
        if (this.options.pglite.isInTransaction()) await this.#exec(simpleQuery('rollback'), discard);
        await this.#exec(simpleQuery('reset all'), discard);
        this.options.log?.debug({ client: this.id, reason }, 'served client left');
      } catch (err) {
        this.options.log?.warn({ err, client: this.id }, 'cleaning up after a served client failed');
      } finally {
        this.#giveBack();
        this.onGone();
      }
    })());
  }
}

/** A simple-protocol Query message. */
function simpleQuery(text: string): Buffer {
  const body = Buffer.from(`${text}\0`, 'utf8');
  const msg = Buffer.alloc(5 + body.length);
  msg[0] = 0x51; // 'Q'
  msg.writeInt32BE(4 + body.length, 1);
  body.copy(msg, 5);
  return msg;
}
