// The notify path behind the live page, on both engines: a unit of work that stores prices sends one
// notification on commit (none on rollback), and the daemon's listener hears it whichever connection
// wrote. On PGlite that includes a second process's connection through the served socket (checked
// with a real pg client on the socket), and the notification is kept off that client's wire; on
// Postgres the dedicated listening client reconnects after its session is killed and says so.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { evaluateAlerts } from '../../src/db/alerts.js';
import { changePayload, listenForChanges, parseChange, type ChangeListener, type StoredChange } from '../../src/db/changes.js';
import { openDb, openServed, type DbHandle } from '../../src/db/connect.js';
import { migrate } from '../../src/db/migrate.js';
import { startPgliteServer, type PgliteServer } from '../../src/db/pglite-server.js';
import { storeImport, storeQuoteSnapshot } from '../../src/db/store.js';
import { ensureSymbol } from '../../src/db/symbols.js';
import type { QuoteSnapshot } from '../../src/domain.js';
import { createLogger } from '../../src/log.js';
import { createTestDb, dbTargetNames, type TestDb } from '../helpers/db.js';

vi.setConfig({ testTimeout: 30_000, hookTimeout: 60_000 });
const log = createLogger({ level: 'silent' });

const quote = (symbol: string, ts: string, price: number): QuoteSnapshot => ({
  symbol,
  ts: new Date(ts),
  price,
  marketCap: null,
  volume: null,
  marketState: 'REGULAR',
  currency: 'USD',
});

function collector() {
  const heard: StoredChange[] = [];
  const waiters: (() => void)[] = [];
  return {
    heard,
    onChange(change: StoredChange) {
      heard.push(change);
      waiters.splice(0).forEach((w) => w());
    },
    async next(match: (c: StoredChange) => boolean, timeoutMs = 10_000): Promise<StoredChange> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = heard.find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no matching change; heard ${JSON.stringify(heard)}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
  };
}

describe('change payloads', () => {
  it('round-trip, list each symbol once, fall back to "many" past the size limit, and ignore strangers', () => {
    expect(parseChange(changePayload('quotes', ['ORCL', 'ORCL', 'CRWV']))).toEqual({ kind: 'quotes', symbols: ['ORCL', 'CRWV'] });
    const many = Array.from({ length: 2000 }, (_, i) => `SYM${i}`);
    expect(changePayload('bars', many).length).toBeLessThan(8000);
    expect(parseChange(changePayload('bars', many))).toEqual({ kind: 'bars', symbols: [] });
    expect(parseChange('hello')).toBeNull();
    expect(parseChange('{"kind":"drop table"}')).toBeNull();
  });
});

describe('embedded: writes through the served socket reach the daemon', () => {
  let dir: string;
  let handle: DbHandle;
  let server: PgliteServer;
  let served: DbHandle;
  let listener: ChangeListener;
  const changes = collector();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bw-changes-'));
    handle = await openDb({ kind: 'pglite', dataDir: null });
    await migrate(handle);
    for (const s of ['ORCL', 'CRWV', 'NVDA']) await ensureSymbol(handle.db, s);
    server = await startPgliteServer({ pglite: handle.pglite!, gate: handle.gate!, listen: { path: join(dir, '.s.PGSQL.5432') } });
    listener = await listenForChanges(handle, { log, onChange: changes.onChange });
    served = (await openServed(dir))!;
  });

  afterAll(async () => {
    await served?.close();
    await listener?.close();
    await server?.close();
    await handle?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hears a quote snapshot stored by another connection, on commit', async () => {
    await storeQuoteSnapshot(served.db, [quote('ORCL', '2026-01-05T15:00:00Z', 101), quote('CRWV', '2026-01-05T15:00:00Z', 90)], 'sim', new Date());
    expect(await changes.next((c) => c.kind === 'quotes')).toEqual({ kind: 'quotes', symbols: ['ORCL', 'CRWV'] });
  });

  it('hears an import through the socket and the daemon’s own writes; a snapshot with nothing new is silent', async () => {
    const bar = { symbol: 'XYZ', tradeDate: '2026-01-02', open: 1, high: 2, low: 1, close: 2, adjClose: 2, volume: 10, quality: [] };
    await storeImport(served.db, 'XYZ', [[bar]], new Date());
    expect(await changes.next((c) => c.kind === 'import')).toEqual({ kind: 'import', symbols: ['XYZ'] });
    const before = changes.heard.length;
    await storeQuoteSnapshot(served.db, [quote('ORCL', '2026-01-05T15:00:00Z', 101)], 'sim', new Date()); // already stored
    await storeQuoteSnapshot(handle.db, [quote('NVDA', '2026-01-05T15:01:00Z', 180)], 'sim', new Date());
    expect(await changes.next((c) => c.symbols.includes('NVDA'))).toEqual({ kind: 'quotes', symbols: ['NVDA'] });
    expect(changes.heard.length).toBe(before + 1);
  });

  it('hears alerts stored by another process (the live page lists them), and nothing when none is new', async () => {
    const alert = {
      rule: 'drawdown_level' as const,
      symbol: 'ORCL',
      claimId: null,
      status: 'provisional' as const,
      payload: { level: -0.1 },
      message: 'ORCL fell through -10 %',
      dedupeKey: 'changes-test:orcl:-10',
    };
    const decide = () => ({ alerts: [alert], state: new Map() });
    await evaluateAlerts(served.db, decide, { channels: [], now: new Date() });
    expect(await changes.next((c) => c.kind === 'alerts')).toEqual({ kind: 'alerts', symbols: ['ORCL'] });
    const before = changes.heard.length;
    await evaluateAlerts(served.db, decide, { channels: [], now: new Date() }); // the same transition: stored once
    await storeQuoteSnapshot(handle.db, [quote('NVDA', '2026-01-05T15:02:00Z', 181)], 'sim', new Date());
    await changes.next((c) => c.symbols.includes('NVDA') && changes.heard.indexOf(c) >= before);
    expect(changes.heard.slice(before).map((c) => c.kind)).toEqual(['quotes']);
  });

  it('keeps the notification off the writing client’s wire, and a rolled-back write is never heard', async () => {
    const c = new pg.Client({ host: dir, port: 5432, user: 'postgres', database: 'postgres' });
    const seen: string[] = [];
    c.on('notification', (n) => seen.push(n.channel));
    await c.connect();
    try {
      await c.query("select pg_notify('bubblewatch_changes', '{\"kind\":\"quotes\",\"symbols\":[\"WIRE\"]}')");
      await changes.next((ch) => ch.symbols.includes('WIRE'));
      await c.query('begin');
      await c.query("select pg_notify('bubblewatch_changes', '{\"kind\":\"quotes\",\"symbols\":[\"ROLLED\"]}')");
      await c.query('rollback');
      await c.query('select 1');
    } finally {
      await c.end();
    }
    await sql`select 1`.execute(handle.db);
    expect(seen).toEqual([]);
    expect(changes.heard.some((ch) => ch.symbols.includes('ROLLED'))).toBe(false);
  });
});

describe.skipIf(!dbTargetNames().includes('postgres'))('postgres: a dedicated listening client', () => {
  let testDb: TestDb;
  let daemonHandle: DbHandle;
  let writer: DbHandle;
  let listener: ChangeListener;
  const changes = collector();

  beforeAll(async () => {
    testDb = await createTestDb('postgres');
    for (const s of ['ORCL', 'CRWV']) await ensureSymbol(testDb.db, s);
    daemonHandle = await openDb({ kind: 'postgres', url: testDb.url! });
    writer = await openDb({ kind: 'postgres', url: testDb.url! });
    listener = await listenForChanges(daemonHandle, { log, onChange: changes.onChange, backoff: { minMs: 50, maxMs: 200 } });
  });

  afterAll(async () => {
    await listener?.close();
    await writer?.close();
    await daemonHandle?.close();
    await testDb?.drop();
  });

  it('hears another connection’s snapshot on commit', async () => {
    await storeQuoteSnapshot(writer.db, [quote('ORCL', '2026-01-05T15:00:00Z', 101)], 'sim', new Date());
    expect(await changes.next((c) => c.symbols.includes('ORCL'))).toEqual({ kind: 'quotes', symbols: ['ORCL'] });
  });

  it('reconnects after its session is killed, reports the gap, and hears the next write', async () => {
    await sql`select pg_terminate_backend(pid) from pg_stat_activity
               where pid <> pg_backend_pid() and datname = current_database() and query ilike 'listen bubblewatch_changes%'`.execute(writer.db);
    await changes.next((c) => c.kind === 'reconnect');
    await storeQuoteSnapshot(writer.db, [quote('CRWV', '2026-01-05T15:02:00Z', 88)], 'sim', new Date());
    expect(await changes.next((c) => c.symbols.includes('CRWV'))).toEqual({ kind: 'quotes', symbols: ['CRWV'] });
  });
});
