// Part 5, hostile Yahoo payloads: a tiny loopback server answers the chart endpoint with a broken body
// per symbol (wrong types, NaN/Infinity, dates in 1900 and 2100, a million rows, markup in the text
// fields, an unknown time zone), and the simulated feed (custom source) sends quotes with markup in the
// symbol and currency. The real client and runSync / runQuotes must reject each clearly (the failure or
// the rejected rows name why, in the summary and in ingest_runs) and store nothing bad: no row outside
// the range asked for, no non-finite number, no markup anywhere in the database.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { runQuotes } from '../../src/ingest/quotes.js';
import { runSync, type SyncSummary } from '../../src/ingest/sync.js';
import { isTradingDay } from '../../src/market/calendar.js';
import { CONFLICT_RETRIES } from '../../src/providers/yahoo/client.js';
import { mapChart, mapQuotes } from '../../src/providers/yahoo/map.js';
import { createGeneratedSource } from '../../src/sim/generator.js';
import type { SimServer } from '../../src/sim/server.js';
import type { SimSource } from '../../src/sim/types.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { createTestClient, guardNetwork, startTestSim } from '../helpers/sim-harness.js';
import { HISTORY_START, SIM_NOW, dumpIngested, epochOfDate, latestRun, simClock, captureLog, storedBars } from '../e2e/ingest/harness.js';

guardNetwork();
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const MARKUP = '<script>alert(1)</script>';
/** The range a backfill asks for with the sim's clock: HISTORY_START to the day after SIM_NOW. */
const TO_EXCLUSIVE = '2026-01-03';

type ChartJson = {
  chart: {
    result: {
      meta: Record<string, unknown>;
      timestamp: number[];
      events?: Record<string, Record<string, unknown>>;
      indicators: { quote: Record<string, unknown[]>[]; adjclose: Record<string, unknown[]>[] };
    }[];
    error: null;
  };
};

let sim: SimServer;
let hostile: Server;
let hostileUrl: string;
/** What the sim serves for AMZN over the backfill range: the base every hostile body is made from. */
let base: ChartJson;
const bodies = new Map<string, string>();

const copy = (): ChartJson => structuredClone(base);
const epoch = (iso: string) => Date.parse(iso) / 1000;

/** The hostile bodies, by the symbol they are served for. */
function buildBodies(): void {
  // Wrong types: a boolean, an object and text where prices go. (Numbers sent as numeric strings,
  // "12.5", are coerced to numbers by yahoo-finance2's schema validation: harmless, and not tested here.)
  const types = copy();
  const closes = types.chart.result[0]!.indicators.quote[0]!.close!;
  types.chart.result[0]!.indicators.quote[0]!.close = [true, { price: 1 }, 'n/a', ...closes.slice(3)];
  bodies.set('TYPES', JSON.stringify(types));

  // NaN and Infinity as JSON tokens: not JSON at all.
  bodies.set('NANLIT', JSON.stringify(copy()).replace(/"close":\[([\d.]+),([\d.]+),/, '"close":[NaN,Infinity,'));

  // Numbers too large for a double: valid JSON that parses to ±Infinity.
  bodies.set('HUGENUM', JSON.stringify(copy()).replace(/"close":\[([\d.]+),([\d.]+),([\d.]+),/, '"close":[1e999,$2,-1e999,'));

  // Dates in 1900 (first three rows, and a first trade date to match) and in 2100 (last two rows and a split).
  const old = copy();
  const r1900 = old.chart.result[0]!;
  r1900.meta.firstTradeDate = epoch('1900-01-02T14:30:00Z');
  for (let i = 0; i < 3; i++) r1900.timestamp[i] = epoch(`1900-01-0${i + 2}T14:30:00Z`);
  bodies.set('Y1900', JSON.stringify(old));
  const future = copy();
  const r2100 = future.chart.result[0]!;
  const n = r2100.timestamp.length;
  r2100.timestamp[n - 2] = epoch('2100-01-04T14:30:00Z');
  r2100.timestamp[n - 1] = epoch('2100-01-05T14:30:00Z');
  const splitAt = epoch('2100-01-05T14:30:00Z');
  r2100.events = { ...(r2100.events ?? {}), splits: { [splitAt]: { date: splitAt, numerator: 4, denominator: 1, splitRatio: '4:1' } } };
  bodies.set('Y2100', JSON.stringify(future));

  // A million rows, one a minute.
  const million = copy();
  const rm = million.chart.result[0]!;
  const rows = 1_000_000;
  const t0 = epoch(`${HISTORY_START}T14:30:00Z`);
  rm.timestamp = Array.from({ length: rows }, (_, i) => t0 + i * 60);
  const prices = Array.from({ length: rows }, (_, i) => 100 + (i % 7));
  rm.indicators = { quote: [{ open: prices, high: prices.map((p) => p + 1), low: prices.map((p) => p - 1), close: prices, volume: prices }], adjclose: [{ adjclose: prices }] };
  delete rm.events;
  bodies.set('MILLION', JSON.stringify(million));

  // Markup in every text field of the meta.
  const markup = copy();
  Object.assign(markup.chart.result[0]!.meta, { currency: MARKUP, symbol: MARKUP, longName: MARKUP, shortName: MARKUP, exchangeName: MARKUP });
  bodies.set('MARKUP', JSON.stringify(markup));

  // A time zone that does not exist: no trading date can be derived.
  const tz = copy();
  tz.chart.result[0]!.meta.exchangeTimezoneName = 'Mars/Olympus_Mons';
  bodies.set('BADTZ', JSON.stringify(tz));
}

beforeAll(async () => {
  sim = await startTestSim({ now: SIM_NOW, source: { kind: 'synthetic', symbols: ['AMZN'] } });
  const res = await fetch(`${sim.url}/v8/finance/chart/AMZN?period1=${epochOfDate(HISTORY_START)}&period2=${epochOfDate(TO_EXCLUSIVE)}&interval=1d&events=div%7Csplit%7Cearn`);
  base = (await res.json()) as ChartJson;
  buildBodies();
  hostile = createServer((req, res) => {
    const symbol = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.split('/').pop() ?? '');
    const body = bodies.get(symbol);
    if (!body) {
      res.writeHead(404, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ chart: { result: null, error: { code: 'Not Found', description: 'No data found, symbol may be delisted' } } }));
    }
    res.writeHead(200, { 'content-type': 'application/json;charset=utf-8', 'x-bubblewatch-simulated': '1' });
    res.end(body);
  });
  await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
  hostileUrl = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
  // yahoo-finance2 prints the URL of an unparsable body with console.error.
  vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterAll(async () => {
  vi.restoreAllMocks();
  await new Promise<void>((resolve) => hostile?.close(() => resolve()));
  await sim?.close();
});

const baseDates = () => base.chart.result[0]!.timestamp.map((t) => new Date(t * 1000).toISOString().slice(0, 10));

const HOSTILE = ['TYPES', 'NANLIT', 'HUGENUM', 'Y1900', 'Y2100', 'MILLION', 'MARKUP', 'BADTZ'];

function config(watchlist: readonly string[]) {
  return parseConfig(
    JSON.stringify({
      watchlist: watchlist.map((symbol) => ({ symbol })),
      history: { start: HISTORY_START, overlapSessions: 5 },
      yahoo: { minIntervalMs: 0, concurrency: 2, timeoutMs: 30_000, retries: 1, breakerThreshold: 100, breakerCooldownMs: 1000 },
    }),
    { BUBBLEWATCH_DATA_DIR: '/nonexistent/bubblewatch-test' },
    'hostile config',
  );
}

describe('hostile chart payloads', () => {
  let db: TestDb;
  let summary: SyncSummary;
  let logs: ReturnType<typeof captureLog>;

  beforeAll(async () => {
    db = await createTestDb();
    logs = captureLog();
    const yahoo = createTestClient(sim, { baseUrl: hostileUrl, retries: 1, timeoutMs: 30_000 });
    summary = await runSync({ handle: db, yahoo, config: config(HOSTILE), log: logs.log, clock: simClock(sim) });
  });
  afterAll(() => db?.drop());

  const result = (symbol: string) => summary.symbols.find((s) => s.symbol === symbol)!;
  const failure = (symbol: string) => summary.failures.find((f) => f.symbol === symbol);
  const dates = async (symbol: string) =>
    (await db.db.selectFrom('daily_bars').select('trade_date').where('symbol', '=', symbol).orderBy('trade_date').execute()).map((r) => r.trade_date);

  it('the run is partial and the run record names every failed symbol with its reason', async () => {
    expect(summary.status).toBe('partial');
    const run = await latestRun(db);
    expect(run.status).toBe('partial');
    expect(run.failures).toEqual(summary.failures);
    expect(summary.failures.map((f) => f.symbol).sort()).toEqual(['BADTZ', 'MILLION', 'NANLIT', 'TYPES']);
  });

  it('wrong types: refused by the schema validation, nothing stored', async () => {
    expect(failure('TYPES')).toEqual({ symbol: 'TYPES', kind: 'validation', reason: expect.stringMatching(/^yahoo validation \(TYPES\): .*validation/i) });
    expect(await dates('TYPES')).toEqual([]);
  });

  it('NaN and Infinity tokens: not JSON, refused as a bad payload after its retries, nothing stored', async () => {
    expect(failure('NANLIT')).toEqual({ symbol: 'NANLIT', kind: 'bad_payload', reason: expect.stringMatching(/^yahoo bad_payload \(NANLIT\): /) });
    expect(await dates('NANLIT')).toEqual([]);
  });

  it('numbers that overflow to ±Infinity: those rows rejected with the reason, the rest stored', async () => {
    const r = result('HUGENUM');
    expect(r).toMatchObject({ status: 'ok', rejected: 2 });
    const [first, , third] = baseDates();
    const rejected = logs.lines.filter((l) => l.msg === 'row rejected' && l.symbol === 'HUGENUM');
    expect(rejected.map((l) => [l.tradeDate, l.reason])).toEqual([
      [first, 'close is not a finite number (Infinity)'],
      [third, 'close is not a finite number (-Infinity)'],
    ]);
    const stored = await dates('HUGENUM');
    expect(stored).toEqual(baseDates().filter((d) => d !== first && d !== third));
  });

  it('dates in 1900: rejected as outside the range asked for, even with a first trade date in 1900', async () => {
    expect(result('Y1900')).toMatchObject({ status: 'ok', rejected: 3 });
    const reasons = logs.lines.filter((l) => l.msg === 'row rejected' && l.symbol === 'Y1900').map((l) => l.reason);
    expect(reasons).toEqual(Array(3).fill(expect.stringMatching(/^date 1900-01-0\d is outside the range asked for \(2024-01-02 to 2026-01-03, exclusive\)$/)));
    const stored = await dates('Y1900');
    expect(stored[0]! >= HISTORY_START).toBe(true);
    expect(stored).toEqual(baseDates().slice(3));
  });

  it('dates in 2100: rows and the split rejected, so no future split can hide a real one', async () => {
    expect(result('Y2100')).toMatchObject({ status: 'ok', rejected: 3 });
    const reasons = logs.lines.filter((l) => l.msg === 'row rejected' && l.symbol === 'Y2100').map((l) => String(l.reason));
    expect(reasons.sort()).toEqual([
      'date 2100-01-04 is outside the range asked for (2024-01-02 to 2026-01-03, exclusive)',
      'date 2100-01-05 is outside the range asked for (2024-01-02 to 2026-01-03, exclusive)',
      'split: date 2100-01-05 is outside the range asked for (2024-01-02 to 2026-01-03, exclusive)',
    ]);
    expect(await dates('Y2100')).toEqual(baseDates().slice(0, -2));
    const splits = await db.db.selectFrom('corporate_actions').select('trade_date').where('symbol', '=', 'Y2100').where('kind', '=', 'split').execute();
    expect(splits).toEqual([]);
  });

  it('a million rows: refused whole as not a daily chart, nothing stored', async () => {
    expect(failure('MILLION')).toEqual({
      symbol: 'MILLION',
      kind: 'bad_payload',
      reason: 'chart has 1000000 rows for the 732 day(s) from 2024-01-02 to 2026-01-03 asked for: not a daily chart',
    });
    expect(await dates('MILLION')).toEqual([]);
  });

  it('an unknown exchange time zone: refused (no trading date can be derived), nothing stored', async () => {
    expect(failure('BADTZ')).toEqual({ symbol: 'BADTZ', kind: 'bad_payload', reason: expect.stringContaining('no usable meta.exchangeTimezoneName') });
    expect(await dates('BADTZ')).toEqual([]);
  });

  it('markup in the text fields: the prices are stored, the markup is not (currency left at its default)', async () => {
    expect(result('MARKUP')).toMatchObject({ status: 'ok', rejected: 0 });
    expect(await dates('MARKUP')).toEqual(baseDates());
    const symbol = await db.db.selectFrom('symbols').selectAll().where('symbol', '=', 'MARKUP').executeTakeFirstOrThrow();
    expect(symbol.currency).toBe('USD');
  });

  it('nothing bad anywhere: no markup, no non-finite number, no date outside the range', async () => {
    const dump = await dumpIngested(db);
    expect(JSON.stringify(dump)).not.toMatch(/<script|alert\(/);
    for (const b of dump.bars) {
      for (const v of [b.open, b.high, b.low, b.close, b.adj_close]) expect(v === null || Number.isFinite(v)).toBe(true);
      expect(b.trade_date >= HISTORY_START && b.trade_date < TO_EXCLUSIVE).toBe(true);
    }
    for (const a of dump.actions) expect(a.trade_date >= HISTORY_START && a.trade_date < TO_EXCLUSIVE).toBe(true);
    const runs = await db.db.selectFrom('ingest_runs').select(['failures', 'error']).execute();
    expect(JSON.stringify(runs)).not.toContain('<script');
  });
});

describe('hostile quotes', () => {
  let feed: SimServer;
  let db: TestDb;

  beforeAll(async () => {
    const generated = createGeneratedSource({ seed: 7, isTradingDay, symbols: ['AMZN', 'NVDA'] });
    // EVIL answers under a markup symbol nobody asked for; CURR sends a markup currency.
    const source: SimSource = {
      symbols: () => ['AMZN', 'EVIL', 'CURR'],
      series(symbol, now) {
        if (symbol === 'EVIL') {
          const s = generated.series('NVDA', now)!;
          return { ...s, info: { ...s.info, symbol: MARKUP, name: MARKUP } };
        }
        if (symbol === 'CURR') {
          const s = generated.series('NVDA', now)!;
          return { ...s, info: { ...s.info, symbol: 'CURR', currency: MARKUP, name: MARKUP } };
        }
        return generated.series(symbol, now);
      },
    };
    feed = await startTestSim({ now: SIM_NOW, source: { kind: 'custom', source } });
    db = await createTestDb();
  });
  afterAll(async () => {
    await db?.drop();
    await feed?.close();
  });

  it('a quote under a symbol not asked for is rejected, a markup currency is dropped, nothing bad stored', async () => {
    const yahoo = createTestClient(feed);
    await yahoo.clearCrumb();
    const { log } = captureLog();
    const summary = await runQuotes({ handle: db, yahoo, config: config(['AMZN', 'EVIL', 'CURR']), log, clock: simClock(feed) });

    expect(summary.status).toBe('partial');
    expect(summary.failures).toEqual([{ symbol: 'EVIL', kind: 'not_found', reason: 'Yahoo returned no quote for EVIL (unknown or delisted symbol)' }]);
    const quotes = await db.db.selectFrom('quotes').select(['symbol', 'currency', 'market_state']).orderBy('symbol').execute();
    expect(quotes).toEqual([
      { symbol: 'AMZN', currency: 'USD', market_state: 'CLOSED' },
      { symbol: 'CURR', currency: null, market_state: 'CLOSED' },
    ]);
    const everything = JSON.stringify([quotes, await db.db.selectFrom('symbols').selectAll().execute(), await db.db.selectFrom('ingest_runs').selectAll().execute()]);
    expect(everything).not.toContain('<script');
  });
});

// Issue 24: valid numbers that cannot be prices, and a date given twice, on top of a clean history.
// The sim serves AMZN, ORCL and GOOGL; a proxy in front of it corrupts the overlap a second sync
// re-fetches: AMZN gets a 1e12 close on one date, ORCL that date twice (the second copy tripled), and
// GOOGL too, but only in its first answer.
describe('bad prices on a stored history', () => {
  let feed: SimServer;
  let proxy: Server;
  let proxyUrl: string;
  let db: TestDb;
  let before: Awaited<ReturnType<typeof storedBars>>;
  let summary: SyncSummary;
  let run: Awaited<ReturnType<typeof latestRun>>;
  const chartRequests = new Map<string, number>();
  /** The date corrupted: the third of the answer (inside the overlap, not its newest). */
  let target = '';

  function corrupt(symbol: string, body: ChartJson): void {
    const r = body.chart.result[0]!;
    const q = r.indicators.quote[0]! as Record<string, number[]>;
    const k = 2;
    target = new Date(r.timestamp[k]! * 1000).toISOString().slice(0, 10);
    if (symbol === 'AMZN') {
      for (const f of ['open', 'high', 'close']) q[f]![k] = 1e12;
    } else if (symbol === 'ORCL' || (symbol === 'GOOGL' && chartRequests.get('GOOGL') === 1)) {
      // The same session again, stamped two hours later, every price tripled.
      r.timestamp.splice(k + 1, 0, r.timestamp[k]! + 7200);
      for (const f of ['open', 'high', 'low', 'close']) q[f]!.splice(k + 1, 0, q[f]![k]! * 3);
      q.volume!.splice(k + 1, 0, q.volume![k]!);
      const adj = r.indicators.adjclose[0]!.adjclose as number[];
      adj.splice(k + 1, 0, adj[k]! * 3);
    }
  }

  beforeAll(async () => {
    feed = await startTestSim({ now: SIM_NOW, source: { kind: 'synthetic', symbols: ['AMZN', 'ORCL', 'GOOGL'] } });
    proxy = createServer((req, res) => {
      void (async () => {
        const upstream = await fetch(`${feed.url}${req.url}`);
        const text = await upstream.text();
        const symbol = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.split('/').pop() ?? '');
        let out = text;
        if (upstream.ok && req.url?.startsWith('/v8/finance/chart/')) {
          chartRequests.set(symbol, (chartRequests.get(symbol) ?? 0) + 1);
          const body = JSON.parse(text) as ChartJson;
          corrupt(symbol, body);
          out = JSON.stringify(body);
        }
        res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json', 'x-bubblewatch-simulated': '1' });
        res.end(out);
      })().catch((err: unknown) => res.destroy(err as Error));
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    db = await createTestDb();
    const cfg = config(['AMZN', 'ORCL', 'GOOGL']);
    const first = await runSync({ handle: db, yahoo: createTestClient(feed), config: cfg, log: captureLog().log, clock: simClock(feed) });
    expect(first.status).toBe('ok');
    before = await storedBars(db);
    // The incremental sync re-fetches the overlap through the proxy.
    summary = await runSync({ handle: db, yahoo: createTestClient(feed, { baseUrl: proxyUrl }), config: cfg, log: captureLog().log, clock: simClock(feed) });
    run = await latestRun(db);
  });
  afterAll(async () => {
    await db?.drop();
    await new Promise<void>((resolve) => proxy?.close(() => resolve()));
    await feed?.close();
  });

  it('the stored history is unchanged, the corrupted rows included', async () => {
    expect(target).not.toBe('');
    expect(before.some((b) => b.trade_date === target)).toBe(true);
    expect(await storedBars(db)).toEqual(before);
  });

  it('a 1e12 close: the row is rejected and the run record says why', () => {
    expect(summary.symbols.find((s) => s.symbol === 'AMZN')).toMatchObject({ status: 'ok', rejected: 1 });
    expect(run.rows_rejected).toBe(1);
    expect(run.rejections).toEqual([
      { symbol: 'AMZN', tradeDate: target, reason: expect.stringMatching(/^open 1000000000000 is .*x the closes around it \(median .*\) with no split on record/) },
    ]);
  });

  it('a date twice with two values: asked again, then the symbol fails with the reason, nothing of it stored', () => {
    // The first answer and the client's retries of it; the conflict is never resolved by row order.
    expect(chartRequests.get('ORCL')).toBe(1 + CONFLICT_RETRIES);
    expect(run.status).toBe('partial');
    expect(run.failures).toEqual([
      { symbol: 'ORCL', kind: 'bad_payload', reason: expect.stringMatching(new RegExp(`^yahoo bad_payload \\(ORCL\\): date ${target} came 2 times with different values \\(close [\\d.]+ and [\\d.]+\\)`)) },
    ]);
  });

  it('a conflict that the next answer no longer has: the symbol is synced from that answer', () => {
    expect(chartRequests.get('GOOGL')).toBe(2);
    expect(summary.symbols.find((s) => s.symbol === 'GOOGL')).toMatchObject({ status: 'ok', rejected: 0 });
  });
});

describe('the mapping rules behind these (pure)', () => {
  const ts = (iso: string) => new Date(`${iso}T14:30:00Z`);
  const row = (iso: string, close: number) => ({ date: ts(iso), open: close, high: close, low: close, close, volume: 1, adjclose: close });
  const chart = (rows: ReturnType<typeof row>[], meta: Record<string, unknown> = {}) => ({
    meta: { exchangeTimezoneName: 'America/New_York', currency: 'USD', ...meta },
    quotes: rows,
  });
  const range = { from: '2025-01-06', toExclusive: '2025-01-11' };

  it('rejects rows outside the range asked for, refuses more rows than days, keeps the rest', () => {
    const out = mapChart(chart([row('2025-01-03', 10), row('2025-01-06', 11), row('2025-01-10', 12), row('2025-01-13', 13)]), { symbol: 'X', today: '2025-01-31', range });
    expect(out.bars.map((b) => b.tradeDate)).toEqual(['2025-01-06', '2025-01-10']);
    expect(out.rejected.map((r) => r.tradeDate)).toEqual(['2025-01-03', '2025-01-13']);
    const many = Array.from({ length: 8 }, (_, i) => row('2025-01-06', 10 + i));
    expect(() => mapChart(chart(many), { symbol: 'X', range })).toThrow('chart has 8 rows for the 5 day(s) from 2025-01-06 to 2025-01-11 asked for: not a daily chart');
    // Without a range (callers that don't know it), the old rules apply unchanged.
    expect(mapChart(chart([row('2025-01-03', 10)]), { symbol: 'X' }).bars).toHaveLength(1);
  });

  it('keeps only currency codes and Yahoo market states', () => {
    expect(mapChart(chart([], { currency: MARKUP }), { symbol: 'X' }).meta.currency).toBeNull();
    expect(mapChart(chart([], { currency: 'GBp' }), { symbol: 'X' }).meta.currency).toBe('GBp');
    const q = (extra: Record<string, unknown>) => ({ symbol: 'A', regularMarketPrice: 1, regularMarketTime: new Date(), ...extra });
    const out = mapQuotes([q({ currency: MARKUP, marketState: MARKUP })], ['A']);
    expect(out.snapshots[0]).toMatchObject({ currency: null, marketState: null });
    expect(mapQuotes([q({ currency: 'USD', marketState: 'POSTPOST' })], ['A']).snapshots[0]).toMatchObject({ currency: 'USD', marketState: 'POSTPOST' });
  });
});
