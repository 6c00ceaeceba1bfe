// "Something was stored": one NOTIFY per unit of work that stores prices, sent with the transaction's
// commit (Postgres delivers a NOTIFY issued inside a transaction only when it commits, and drops it on
// rollback), so a listener never hears of rows it cannot read yet. Whichever process writes (the
// daemon, `bubblewatch quotes` in another terminal, `sync`, `import`), the daemon's live page hears it:
// the daemon's listener is a dedicated pg client (handle.dedicatedClient; not a pooled one: a pool
// hands connections back and LISTEN lives with its session), reconnecting with backoff; after a
// reconnect it reports a 'reconnect' change, since notifications sent while it was away are lost.
import { sql, type Kysely, type Transaction } from 'kysely';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { DbHandle } from './connect.js';
import type { Database } from './schema.js';

export const CHANGES_CHANNEL = 'bubblewatch_changes';
/** Postgres refuses payloads of 8000 bytes or more: a longer symbol list is sent as "many". */
const MAX_PAYLOAD = 7_000;

export type ChangeKind = 'quotes' | 'bars' | 'import' | 'alerts';

export interface StoredChange {
  kind: ChangeKind | 'reconnect';
  /** The symbols written; empty when unknown or too many to list. */
  symbols: string[];
}

type Db = Kysely<Database> | Transaction<Database>;

/** Pure: the payload sent for a change. */
export function changePayload(kind: ChangeKind, symbols: readonly string[]): string {
  const text = JSON.stringify({ kind, symbols: [...new Set(symbols)] });
  return text.length < MAX_PAYLOAD ? text : JSON.stringify({ kind, symbols: [] });
}

/** Pure: a payload back into a change; anything else (a stranger's NOTIFY) is null. */
export function parseChange(payload: string): StoredChange | null {
  try {
    const value = JSON.parse(payload) as { kind?: unknown; symbols?: unknown };
    const kinds: readonly string[] = ['quotes', 'bars', 'import', 'alerts'];
    if (typeof value.kind !== 'string' || !kinds.includes(value.kind)) return null;
    const symbols = Array.isArray(value.symbols) ? value.symbols.filter((s): s is string => typeof s === 'string') : [];
    return { kind: value.kind as ChangeKind, symbols };
  } catch {
    return null;
  }
}

/** Inside a store transaction: tells listeners on commit. */
export async function notifyChange(db: Db, kind: ChangeKind, symbols: readonly string[]): Promise<void> {
  await sql`select pg_notify(${CHANGES_CHANNEL}, ${changePayload(kind, symbols)})`.execute(db);
}

export interface ChangeListener {
  close(): Promise<void>;
}

export interface ListenOptions {
  log: Logger;
  onChange(change: StoredChange): void;
  /** Reconnect delays, doubling from min to max. */
  backoff?: { minMs: number; maxMs: number };
}

export async function listenForChanges(handle: DbHandle, options: ListenOptions): Promise<ChangeListener> {
  return listenPostgres(() => handle.dedicatedClient('bubblewatch live listener'), options);
}

function listenPostgres(newClient: () => pg.Client, { log, onChange, backoff = { minMs: 500, maxMs: 30_000 } }: ListenOptions): Promise<ChangeListener> {
  let closed = false;
  let client: pg.Client | null = null;
  let timer: NodeJS.Timeout | undefined;
  let delay = backoff.minMs;
  let connectedOnce = false;
  let firstAttempt: ((err?: Error) => void) | null = null;

  const schedule = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, delay);
    timer.unref();
    delay = Math.min(delay * 2, backoff.maxMs);
  };

  const connect = async () => {
    const c = newClient();
    client = c;
    let lost = false;
    const onLost = (err?: Error) => {
      if (lost) return;
      lost = true;
      c.removeAllListeners('notification');
      void c.end().catch(() => undefined);
      if (client === c) client = null;
      if (closed) return;
      log.warn({ err, retryMs: delay }, 'live listener lost its database connection; reconnecting');
      schedule();
    };
    c.on('error', (err) => onLost(err));
    c.on('end', () => onLost());
    c.on('notification', (msg) => {
      const change = msg.channel === CHANGES_CHANNEL && msg.payload ? parseChange(msg.payload) : null;
      if (change) onChange(change);
    });
    try {
      await c.connect();
      await c.query(`listen ${CHANGES_CHANNEL}`);
      delay = backoff.minMs;
      if (connectedOnce) {
        log.info({ channel: CHANGES_CHANNEL }, 'live listener reconnected');
        // What was stored while we were away sent its notifications to nobody.
        onChange({ kind: 'reconnect', symbols: [] });
      } else log.debug({ channel: CHANGES_CHANNEL }, 'listening for stored changes (postgres)');
      connectedOnce = true;
      firstAttempt?.();
    } catch (err) {
      onLost(err as Error);
      firstAttempt?.(err as Error);
    } finally {
      firstAttempt = null;
    }
  };

  return new Promise<ChangeListener>((resolve) => {
    // The first attempt's outcome is logged, not thrown: the daemon stays up and the listener retries.
    firstAttempt = () => resolve(listener);
    const listener: ChangeListener = {
      close: async () => {
        closed = true;
        clearTimeout(timer);
        const c = client;
        client = null;
        if (c) {
          c.removeAllListeners('end');
          await c.end().catch(() => undefined);
        }
      },
    };
    void connect();
  });
}
