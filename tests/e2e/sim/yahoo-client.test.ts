// The production Yahoo client (real yahoo-finance2 inside) against the simulated feed over loopback:
// what it returns must equal the feed's ground truth, through crumbs, faults, timeouts and the breaker.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { zonedDate } from '../../../src/market/zoned-time.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ONE_SHOT_CONNECT_ATTEMPTS, type ChartResultArray, type RetryEvent, type YahooClient } from '../../../src/providers/yahoo/client.js';
import { ProviderError } from '../../../src/providers/yahoo/errors.js';
import type { SimServer } from '../../../src/sim/server.js';
import { createTestClient, guardNetwork, startTestSim, TEST_NOW } from '../../helpers/sim-harness.js';

guardNetwork();

const ALL_HISTORY = { period1: new Date('1920-01-01T00:00:00Z'), period2: new Date('2026-01-03T00:00:00Z') };

/** The client's chart result in the ground truth's shape. */
function asTruth(result: ChartResultArray) {
  return result.quotes.map((q) => ({
    tradeDate: zonedDate(q.date, result.meta.exchangeTimezoneName),
    timestamp: q.date.getTime() / 1000,
    open: q.open,
    high: q.high,
    low: q.low,
    close: q.close,
    adjClose: q.adjclose ?? null,
    volume: q.volume,
  }));
}

const dateOf = (d: Date) => zonedDate(d, 'America/New_York');

let sim: SimServer;
let client: YahooClient & { log: ReturnType<typeof createTestClient>['log'] };

beforeAll(async () => {
  sim = await startTestSim();
});
afterAll(() => sim.close());

beforeEach(async () => {
  sim.setFaults(0);
  sim.resetStats();
  sim.setNow(TEST_NOW);
  client = createTestClient(sim);
  // yahoo-finance2 keeps the crumb in a module-level variable: start every case without one.
  await client.clearCrumb();
  // The library prints the URL with console.error on non-JSON failures.
  vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('chart', () => {
  it.each(['NVDA', 'ORCL', '^GSPC', 'CRWV'])('returns exactly the ground truth for %s, splits and dividends included', async (symbol) => {
    const result = await client.chart(symbol, ALL_HISTORY);
    const truth = sim.groundTruth(symbol)!;
    expect(asTruth(result)).toEqual(truth.bars);
    expect(result.meta).toMatchObject({ symbol, exchangeTimezoneName: 'America/New_York', currency: 'USD' });
    expect((result.events?.splits ?? []).map((s) => ({ date: dateOf(s.date), numerator: s.numerator, denominator: s.denominator }))).toEqual(truth.splits);
    expect((result.events?.dividends ?? []).map((d) => ({ date: dateOf(d.date), amount: d.amount }))).toEqual(truth.dividends);
  });

  it('returns only the sessions in [period1, period2)', async () => {
    const result = await client.chart('AMZN', { period1: new Date('2025-12-29T00:00:00Z'), period2: new Date('2026-01-01T00:00:00Z') });
    expect(asTruth(result).map((b) => b.tradeDate)).toEqual(['2025-12-29', '2025-12-30', '2025-12-31']);
    expect(sim.stats().chartRequests).toEqual([{ symbol: 'AMZN', period1: 1766966400, period2: 1767225600, outcome: '200' }]);
  });

  it('sees history rewritten after a new split, and one more session', async () => {
    const before = asTruth(await client.chart('META', ALL_HISTORY));
    sim.addSplit('META', { date: '2026-01-05', numerator: 5, denominator: 1 });
    expect(sim.advance()).toBe('2026-01-05');
    const after = await client.chart('META', { ...ALL_HISTORY, period2: new Date('2026-01-06T00:00:00Z') });
    expect(asTruth(after)).toEqual(sim.groundTruth('META')!.bars);
    expect(asTruth(after)).toHaveLength(before.length + 1);
    expect(after.quotes.at(-2)!.close).toBeCloseTo(before.at(-1)!.close! / 5, 5);
    expect(after.events?.splits?.map((s) => s.splitRatio)).toContain('5:1');
  });

  it("classifies an unknown symbol as not_found and doesn't retry it", async () => {
    const err = await client.chart('NOPE', ALL_HISTORY).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ kind: 'not_found', transient: false, subject: 'NOPE' });
    expect(sim.stats().chartRequests).toHaveLength(1);
    expect(client.circuitOpen()).toBe(false);
  });

  it('rejects an empty range without asking Yahoo', async () => {
    const at = new Date('2025-01-02T00:00:00Z');
    await expect(client.chart('AMZN', { period1: at, period2: at })).rejects.toMatchObject({ kind: 'bad_request' });
    expect(sim.stats().requests).toBe(0);
  });
});

describe('quotes', () => {
  it('performs the cookie + crumb handshake once, then reuses the crumb', async () => {
    const first = await client.quotes(['NVDA', 'ORCL', 'NOPE']);
    expect(first.quotes.map((q) => q.symbol)).toEqual(['NVDA', 'ORCL']);
    expect(first.missing).toEqual(['NOPE']);
    const nvda = first.quotes[0]!;
    const last = sim.groundTruth('NVDA')!.bars.at(-1)!;
    expect(nvda.regularMarketPrice).toBe(last.close);
    expect(nvda.regularMarketTime).toEqual(new Date('2026-01-02T21:00:00Z'));
    expect(nvda.marketCap).toBeGreaterThan(0);

    await client.quotes(['^GSPC']);
    const stats = sim.stats();
    expect(stats.byEndpoint).toEqual({ cookie: 1, crumb: 1, quote: 2 });
    expect(stats.quoteRequests.map((q) => q.outcome)).toEqual(['200', '200']);
  });

  it('refreshes a rejected crumb and retries once', async () => {
    await client.quotes(['NVDA']);
    sim.invalidateCrumbs();
    const { quotes } = await client.quotes(['NVDA']);
    expect(quotes).toHaveLength(1);
    expect(sim.stats().quoteRequests.map((q) => q.outcome)).toEqual(['200', '401', '200']);
    expect(sim.stats().byEndpoint).toMatchObject({ cookie: 2, crumb: 2 });
    expect(client.stats()).toMatchObject({ crumbRefreshes: 1, retries: 0 });
  });

  it('sends one quote request per 100 symbols', async () => {
    const many = ['NVDA', ...Array.from({ length: 249 }, (_, i) => `ZZ${i}`), 'ORCL'];
    const { quotes, missing } = await client.quotes(many);
    expect(quotes.map((q) => q.symbol)).toEqual(['NVDA', 'ORCL']);
    expect(missing).toHaveLength(249);
    expect(sim.stats().byEndpoint.quote).toBe(3);
  });

  it('asks for nothing when given no symbols', async () => {
    expect(await client.quotes([])).toEqual({ quotes: [], missing: [] });
    expect(sim.stats().requests).toBe(0);
  });
});

describe('faults', () => {
  it('gets every chart and quote through a 30% fault rate, equal to the ground truth', async () => {
    sim.setFaults({ rate: 0.3 });
    client = createTestClient(sim, { retries: 10, timeoutMs: 300, breakerThreshold: 50 });
    for (const from of ['2024-01-02', '2025-06-02', '2025-12-15']) {
      for (const symbol of sim.symbols()) {
        const result = await client.chart(symbol, { ...ALL_HISTORY, period1: new Date(`${from}T00:00:00Z`) });
        expect(asTruth(result)).toEqual(sim.groundTruth(symbol)!.bars.filter((b) => b.tradeDate >= from));
      }
      const { quotes, missing } = await client.quotes(sim.symbols());
      expect(missing).toEqual([]);
      expect(quotes.map((q) => q.regularMarketPrice)).toEqual(sim.symbols().map((s) => sim.groundTruth(s)!.bars.at(-1)!.close));
    }
    const { faults } = sim.stats();
    expect(faults.total).toBeGreaterThan(6);
    expect(Object.keys(faults.byKind).length).toBeGreaterThanOrEqual(4);
    expect(client.stats().retries).toBeGreaterThan(5);
  });

  it('counts 429s and backs off with a warning', async () => {
    sim.queueFaults(['429', '429'], 'chart');
    const result = await client.chart('AMZN', { period1: new Date('2025-12-01T00:00:00Z'), period2: new Date('2026-01-01T00:00:00Z') });
    expect(result.quotes.length).toBeGreaterThan(15);
    expect(client.stats()).toMatchObject({ rateLimited: 2, retries: 2, attempts: 3, failures: { rate_limited: 2 } });
    const warnings = client.log.lines.filter((l) => l.level === 'warn');
    expect(warnings.map((l) => l.msg)).toEqual(['yahoo rate limited, backing off', 'yahoo rate limited, backing off']);
    expect(warnings[0]!.obj).toMatchObject({ subject: 'AMZN', kind: 'rate_limited', attempt: 1 });
    // An expected answer: one line, no error object (pino would print its stack).
    expect(warnings[0]!.obj.err).toBeUndefined();
  });

  it("in 'fail' mode (one-shot runs) ends every call as unreachable once the circuit opens, backoffs cut short", async () => {
    const retries: RetryEvent[] = [];
    // Backoffs of minutes: the calls waiting in them can only end this soon if the open circuit cuts them short.
    client = createTestClient(sim, {
      retries: 5,
      breakerThreshold: 3,
      backoffBaseMs: 600_000,
      whenCircuitOpen: 'fail',
      onRetry: (event) => retries.push(event),
    });
    sim.setFaults({ rate: 1, kinds: ['503'] });
    const calls = ['AMZN', 'ORCL', 'NVDA'].map((s) => client.chart(s, ALL_HISTORY).catch((e: unknown) => e));
    const errors = await Promise.all(calls);
    for (const err of errors) expect(err).toMatchObject({ kind: 'unreachable', transient: false });
    expect((errors[0] as ProviderError).detail).toMatch(/^Yahoo unreachable \(circuit open after 3 consecutive failures; last: yahoo answered 503/);
    expect(sim.stats().chartRequests).toHaveLength(3);
    expect(retries.map((r) => [r.subject, r.status])).toEqual([['AMZN', 503], ['ORCL', 503]]);

    // Later calls are not sent at all while the circuit is open.
    await expect(client.chart('META', ALL_HISTORY)).rejects.toMatchObject({ kind: 'unreachable' });
    expect(sim.stats().chartRequests).toHaveLength(3);
    expect(client.lastFailure()).toMatch(/503/);
    // The caller says why it stopped; the client itself adds no warning.
    expect(client.log.lines.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
  });

  describe('with nothing listening (offline)', () => {
    let closedUrl: string;
    beforeAll(async () => {
      // A port that was just free: connecting to it is refused, as when the network or Yahoo is gone.
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      closedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await new Promise((resolve) => server.close(resolve));
    });

    it(`in 'fail' mode gives up after ${ONE_SHOT_CONNECT_ATTEMPTS} attempts that cannot connect, not after every retry`, async () => {
      const retries: RetryEvent[] = [];
      client = createTestClient(sim, { baseUrl: closedUrl, retries: 5, whenCircuitOpen: 'fail', onRetry: (event) => retries.push(event) });
      const err = await client.quotes(['AMZN', 'ORCL']).catch((e: unknown) => e);
      expect(err).toMatchObject({ kind: 'unreachable', transient: false });
      expect((err as ProviderError).detail).toMatch(/ECONNREFUSED/);
      expect(client.stats()).toMatchObject({ attempts: ONE_SHOT_CONNECT_ATTEMPTS, retries: ONE_SHOT_CONNECT_ATTEMPTS - 1, breakerOpens: 1 });
      expect(retries.map((r) => r.kind)).toEqual(Array(ONE_SHOT_CONNECT_ATTEMPTS - 1).fill('network'));
      // Every later call fails at once, without a request.
      await expect(client.chart('AMZN', ALL_HISTORY)).rejects.toMatchObject({ kind: 'unreachable' });
      expect(client.stats().attempts).toBe(ONE_SHOT_CONNECT_ATTEMPTS);
    });

    it("in 'wait' mode (the daemon) keeps every retry: Yahoo may be back in a minute", async () => {
      client = createTestClient(sim, { baseUrl: closedUrl, retries: 3 });
      await expect(client.quotes(['AMZN'])).rejects.toMatchObject({ kind: 'network' });
      expect(client.stats()).toMatchObject({ attempts: 4, retries: 3, breakerOpens: 0 });
    });
  });

  it("in 'fail' mode keeps every retry for a connection that opens and then breaks", async () => {
    client = createTestClient(sim, { retries: 5, whenCircuitOpen: 'fail' });
    sim.queueFaults(['reset', 'reset', 'reset'], 'chart');
    const result = await client.chart('AMZN', { period1: new Date('2025-12-01T00:00:00Z'), period2: new Date('2026-01-01T00:00:00Z') });
    expect(result.quotes.length).toBeGreaterThan(15);
    expect(client.stats()).toMatchObject({ attempts: 4, retries: 3, breakerOpens: 0 });
  });

  it('opens the circuit after consecutive failures, pauses calls, and closes on recovery', async () => {
    client = createTestClient(sim, { retries: 2, breakerThreshold: 3, breakerCooldownMs: 1_000 });
    sim.setFaults({ rate: 1, kinds: ['503'] });
    await expect(client.chart('AMZN', ALL_HISTORY)).rejects.toMatchObject({ kind: 'server', status: 503 });
    expect(client.circuitOpen()).toBe(true);
    expect(client.log.lines.filter((l) => l.msg === 'yahoo circuit open, pausing all calls')).toHaveLength(1);
    expect(sim.stats().chartRequests).toHaveLength(3);

    sim.setFaults(0);
    const started = Date.now();
    const pending = client.chart('ORCL', ALL_HISTORY);
    await new Promise((r) => setTimeout(r, 100));
    expect(sim.stats().chartRequests).toHaveLength(3); // still paused
    await pending;
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(client.circuitOpen()).toBe(false);
    expect(client.log.lines.some((l) => l.msg === 'yahoo circuit closed')).toBe(true);
    expect(client.stats().breakerOpens).toBe(1);
  });

  it('aborts a hung request at the timeout and retries it', async () => {
    client = createTestClient(sim, { timeoutMs: 200, retries: 1 });
    sim.queueFaults(['hang'], 'chart');
    const started = Date.now();
    const result = await client.chart('INTC', { period1: new Date('2025-12-01T00:00:00Z'), period2: new Date('2026-01-01T00:00:00Z') });
    expect(result.quotes.length).toBeGreaterThan(15);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(client.stats().failures).toEqual({ timeout: 1 });
    await expect.poll(() => sim.stats().openHangs).toBe(0);
  });

  it.each([
    ['hang', 'timeout'],
    ['reset', 'network'],
    ['truncated', 'bad_payload'],
    ['502', 'server'],
  ] as const)('gives up on %s as %s when out of retries', async (fault, kind) => {
    client = createTestClient(sim, { timeoutMs: 200, retries: 0 });
    sim.queueFaults([fault], 'chart');
    const err = await client.chart('QCOM', ALL_HISTORY).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ kind, transient: true });
    expect((err as Error).message.length).toBeLessThan(500);
  });
});

describe('logging', () => {
  it("routes yahoo-finance2's own messages (the Node version warning) to debug", () => {
    const lib = client.log.lines.filter((l) => l.obj.lib === 'yahoo-finance2');
    expect(lib.length).toBeGreaterThan(0);
    expect(lib.every((l) => l.level === 'debug' && l.msg === 'yahoo-finance2 says')).toBe(true);
    expect(lib.some((l) => String(l.obj.detail).includes('Unsupported environment'))).toBe(true);
  });
});
