// The live page's state as the daemon keeps it (src/daemon/live-feed.ts: each symbol's price from its
// drawdown state, the claims judged on histories read for the judgement) against the same page
// computed from every stored close, at the close and with a live quote; and what it
// reads: a refresh with nothing changed reads no history, a new live price does, a newer quote at the
// same price does not.
import { readFileSync } from 'node:fs';
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../../src/config/load.js';
import { startLiveFeed, type LiveFeed, type LiveState } from '../../src/daemon/live-feed.js';
import { allStoredCloses, recentQuotes } from '../../src/db/live-data.js';
import { storeBars, storeQuoteSnapshot } from '../../src/db/store.js';
import { upsertSymbols } from '../../src/db/symbols.js';
import { closeBasis } from '../../src/analysis/close-basis.js';
import { buildLiveSnapshot, liveClaims, livePrices, type LiveInput, type LiveSnapshot } from '../../src/live/live-model.js';
import { judgeProvisionally, provisionalCloses } from '../../src/analysis/provisional.js';
import { createLogger } from '../../src/log.js';
import { volumeSubjects } from '../../src/analysis/claims/claim-symbols.js';
import { defaultClaimsPath, loadClaimsConfig } from '../../src/report/read-claims-file.js';
import { reportSymbols } from '../../src/report/report-inputs.js';
import { flatBar } from '../helpers/bars.js';
import { PROJECT_ROOT } from '../helpers/cli.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { randomHistory, seeded } from '../helpers/random-history.js';

const CONFIG_PATH = `${PROJECT_ROOT}/config/bubblewatch.json`;
const log = createLogger({ level: 'silent' });
/** Monday evening in New York: the session of 2026-01-05 has closed and has no bar yet. */
const NOW = new Date('2026-01-05T23:00:00Z');

describe('live feed', () => {
  let db: TestDb;
  let feed: LiveFeed;
  let config: Config;
  let symbols: string[];
  const reads = { closes: 0, quotes: 0 };
  // Counts the statements the feed runs: whole histories (the claims' read), and quote reads (one per refresh).
  const counting: KyselyPlugin = {
    transformQuery(args) {
      const text = JSON.stringify(args.node);
      if (text.includes('string_agg')) reads.closes++;
      if (text.includes('max(ts) as newest')) reads.quotes++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };

  beforeAll(async () => {
    db = await createTestDb();
    config = parseConfig(readFileSync(CONFIG_PATH, 'utf8'), { BUBBLEWATCH_DATA_DIR: '/nonexistent', BUBBLEWATCH_CONFIG: CONFIG_PATH }, CONFIG_PATH);
    symbols = reportSymbols(config, await loadClaimsConfig(defaultClaimsPath(CONFIG_PATH))).all;
    await upsertSymbols(db.db, symbols.map((symbol) => ({ symbol })));
    for (const [k, symbol] of symbols.entries()) {
      const history = randomHistory(seeded(500 + k), 300, '2023-06-01').filter((p) => p.date < '2026-01-03');
      // ORCL closes at a new high: its price then needs the high before its last bar.
      if (symbol === 'ORCL') history.push({ date: '2026-01-02', close: Math.max(...history.map((p) => p.close)) * 1.01 });
      await storeBars(db.db, history.map((p) => flatBar(symbol, p.date, p.close)), 'yahoo', NOW);
    }
    feed = startLiveFeed({ handle: { ...db, db: db.db.withPlugin(counting) }, config, log, clock: () => NOW, health: async () => ({ status: 'ok', reasons: [] }), debounceMs: 10, refreshMs: 3_600_000 });
    await feed.ready;
  });
  afterAll(async () => {
    await feed?.close();
    await db?.drop();
  });

  /** The page from every stored close: each price from the closes, the claims on them. */
  async function fromBars(): Promise<LiveSnapshot> {
    const claims = await loadClaimsConfig(defaultClaimsPath(CONFIG_PATH));
    const series = await allStoredCloses(db.db, symbols, volumeSubjects(claims));
    const closes = new Map([...series].map(([s, v]) => [s, v.closes]));
    const volumes = new Map([...series].flatMap(([s, v]) => (v.volumes ? [[s, v.volumes] as const] : [])));
    const quotes = await recentQuotes(db.db, symbols);
    const bases = new Map([...closes].map(([s, c]) => [s, closeBasis(c)!]));
    const watchlist = config.watchlist.map((w) => ({ symbol: w.symbol, name: w.name ?? null }));
    const provisional = provisionalCloses([...watchlist.map((w) => w.symbol), ...bases.keys()], bases, quotes, config.exchange.timezone, NOW);
    const input: LiveInput = {
      now: NOW,
      timeZone: config.exchange.timezone,
      watchlist,
      bases,
      quotes,
      provisional,
      health: { status: 'ok', reasons: [] },
      alerts: [],
      simulated: false,
    };
    return buildLiveSnapshot(input, liveClaims(claims, judgeProvisionally(claims, closes, provisional, quotes, config.exchange.timezone, volumes)!, livePrices(input)));
  }

  const withoutTime = (s: LiveSnapshot) => ({ ...s, generatedAt: null });
  const nextState = () => new Promise<LiveState>((resolve) => { const off = feed.subscribe((s) => { off(); resolve(s); }); });
  /** One whole refresh, awaited (the quotes job's call: it refreshes and returns the judgement). */
  async function refreshed(): Promise<void> {
    await feed.judgement();
  }

  it('shows the figures the closes give, read once for the claims, and reads no history when nothing changed', async () => {
    const snapshot = feed.current().snapshot;
    expect(snapshot.symbols).toHaveLength(config.watchlist.length);
    expect(snapshot.claims.length).toBeGreaterThan(0);
    expect(snapshot.symbols.find((s) => s.symbol === 'ORCL')).toMatchObject({ kind: 'close', drawdown: 0 });
    expect(withoutTime(snapshot)).toEqual(withoutTime(await fromBars()));
    expect(reads.closes).toBe(1);
    await refreshed();
    expect(reads.closes).toBe(1);
  });

  it('judges the claims again for a new live price, not for a newer quote at the same price', async () => {
    const quote = (ts: string, price: number) => ({ symbol: 'ORCL', ts: new Date(ts), price, marketCap: null, volume: null, marketState: 'REGULAR', currency: 'USD' });
    let next = nextState();
    await storeQuoteSnapshot(db.db, [quote('2026-01-05T20:00:00Z', 50)], 'yahoo', NOW);
    const state = await next;
    expect(state.snapshot.symbols.find((s) => s.symbol === 'ORCL')).toMatchObject({ kind: 'quote', price: 50, date: '2026-01-05' });
    expect(state.snapshot.claims.some((c) => c.provisional)).toBe(true);
    expect(withoutTime(state.snapshot)).toEqual(withoutTime(await fromBars()));
    expect(reads.closes).toBe(2);

    next = nextState();
    await storeQuoteSnapshot(db.db, [quote('2026-01-05T20:01:00Z', 50)], 'yahoo', NOW);
    expect((await next).snapshot.freshness.lastQuoteAt).toBe('2026-01-05T20:01:00.000Z');
    expect(reads.closes).toBe(2);
  });
});
