// The notify path behind the live page: a unit of work that stores prices (quotes, an import, alerts)
// sends one notification on commit, none when nothing is new and none on rollback, and the daemon's
// listener (a dedicated client, changes.ts) hears it whichever connection wrote; it reconnects after
// its session is killed and says so.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { evaluateAlerts } from '../../src/db/alerts.js';
import { changePayload, listenForChanges, parseChange, type ChangeListener, type StoredChange } from '../../src/db/changes.js';
import { openDb, type DbHandle } from '../../src/db/connect.js';
import { storeImport, storeQuoteSnapshot } from '../../src/db/store.js';
import { ensureSymbol } from '../../src/db/symbols.js';
import type { QuoteSnapshot } from '../../src/domain.js';
import { createLogger } from '../../src/log.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

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

describe('the daemon\'s listener', () => {
  // testDb is the daemon's handle (its own writes, its listener); writer another process's.
  let testDb: TestDb;
  let writer: DbHandle;
  let listener: ChangeListener;
  const changes = collector();

  beforeAll(async () => {
    testDb = await createTestDb();
    for (const s of ['ORCL', 'CRWV', 'NVDA']) await ensureSymbol(testDb.db, s);
    writer = await openDb({ kind: 'postgres', url: testDb.url });
    listener = await listenForChanges(testDb, { log, onChange: changes.onChange, backoff: { minMs: 50, maxMs: 200 } });
  });

  afterAll(async () => {
    await listener?.close();
    await writer?.close();
    await testDb?.drop();
  });

  it('hears a quote snapshot stored by another connection, on commit', async () => {
    await storeQuoteSnapshot(writer.db, [quote('ORCL', '2026-01-05T15:00:00Z', 101), quote('CRWV', '2026-01-05T15:00:00Z', 90)], 'sim', new Date());
    expect(await changes.next((c) => c.kind === 'quotes')).toEqual({ kind: 'quotes', symbols: ['ORCL', 'CRWV'] });
  });

  it('hears an import by another connection and the daemon’s own writes; a snapshot with nothing new is silent', async () => {
    const bar = { symbol: 'XYZ', tradeDate: '2026-01-02', open: 1, high: 2, low: 1, close: 2, adjClose: 2, volume: 10, quality: [] };
    await storeImport(writer.db, 'XYZ', [[bar]], new Date());
    expect(await changes.next((c) => c.kind === 'import')).toEqual({ kind: 'import', symbols: ['XYZ'] });
    const before = changes.heard.length;
    await storeQuoteSnapshot(writer.db, [quote('ORCL', '2026-01-05T15:00:00Z', 101)], 'sim', new Date()); // already stored
    await storeQuoteSnapshot(testDb.db, [quote('NVDA', '2026-01-05T15:01:00Z', 180)], 'sim', new Date());
    // Notifications arrive in commit order: once NVDA's is heard, the silent one would have been too.
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
    await evaluateAlerts(writer.db, decide, { channels: [], now: new Date() });
    expect(await changes.next((c) => c.kind === 'alerts')).toEqual({ kind: 'alerts', symbols: ['ORCL'] });
    const before = changes.heard.length;
    await evaluateAlerts(writer.db, decide, { channels: [], now: new Date() }); // the same transition: stored once
    await storeQuoteSnapshot(testDb.db, [quote('NVDA', '2026-01-05T15:02:00Z', 181)], 'sim', new Date());
    await changes.next((c) => c.symbols.includes('NVDA') && changes.heard.indexOf(c) >= before);
    expect(changes.heard.slice(before).map((c) => c.kind)).toEqual(['quotes']);
  });

  it('never hears a notification whose transaction rolled back', async () => {
    await writer.withSession(async (s) => {
      await s.exec('begin');
      await s.query(`select pg_notify('bubblewatch_changes', $1)`, [changePayload('quotes', ['ROLLED'])]);
      await s.exec('rollback');
      await s.query(`select pg_notify('bubblewatch_changes', $1)`, [changePayload('quotes', ['AFTER'])]);
    });
    await changes.next((c) => c.symbols.includes('AFTER'));
    expect(changes.heard.some((c) => c.symbols.includes('ROLLED'))).toBe(false);
  });

  it('reconnects after its session is killed, reports the gap, and hears the next write', async () => {
    const before = changes.heard.length;
    const since = (match: (c: StoredChange) => boolean) => changes.next((c) => changes.heard.indexOf(c) >= before && match(c));
    await sql`select pg_terminate_backend(pid) from pg_stat_activity
               where pid <> pg_backend_pid() and datname = current_database() and query ilike 'listen bubblewatch_changes%'`.execute(writer.db);
    await since((c) => c.kind === 'reconnect');
    await storeQuoteSnapshot(writer.db, [quote('CRWV', '2026-01-05T15:02:00Z', 88)], 'sim', new Date());
    expect(await since((c) => c.symbols.includes('CRWV'))).toEqual({ kind: 'quotes', symbols: ['CRWV'] });
  });
});
