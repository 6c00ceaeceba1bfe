// The simulated feed over real loopback HTTP, spoken to with plain fetch: Yahoo's shapes, the crumb
// handshake, every fault kind, the counters and the control routes.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SimServer } from '../../../src/sim/server.js';
import { guardNetwork, startTestSim } from '../../helpers/sim-harness.js';

guardNetwork();

let sim: SimServer;
beforeAll(async () => {
  sim = await startTestSim();
});
afterAll(() => sim.close());
afterEach(() => {
  sim.setFaults(0);
  sim.resetStats();
});

const get = (path: string, init?: RequestInit) => fetch(`${sim.url}${path}`, init);
// Yahoo's JSON is checked field by field below; a loose type keeps those checks readable.
const json = async (res: Response): Promise<any> => res.json();
const chartPath = (symbol: string, p1 = 1767052800, p2 = 1767398400) =>
  `/v8/finance/chart/${encodeURIComponent(symbol)}?useYfid=true&interval=1d&includePrePost=true&events=div%7Csplit%7Cearn&lang=en-US&period1=${p1}&period2=${p2}`;

async function handshake(): Promise<{ cookie: string; crumb: string }> {
  const page = await get('/quote/AAPL', { redirect: 'manual' });
  const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
  const crumb = await (await get('/v1/test/getcrumb', { headers: { cookie } })).text();
  return { cookie, crumb };
}

describe('sim over HTTP', () => {
  it('listens on an ephemeral loopback port', () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.port).toBeGreaterThan(0);
  });

  it('serves a chart in the raw v8 layout', async () => {
    const res = await get(chartPath('^GSPC'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json;charset=utf-8');
    const body = await json(res);
    const result = body.chart.result[0];
    expect(body.chart.error).toBeNull();
    expect(Object.keys(result)).toEqual(['meta', 'timestamp', 'indicators']);
    // 2025-12-30, -31, 2026-01-02 (New Year's Day is a holiday) at 09:30 EST.
    expect(result.timestamp).toEqual([1767105000, 1767191400, 1767364200]);
    const truth = sim.groundTruth('^GSPC')!.bars.slice(-3);
    expect(result.indicators.quote[0].close).toEqual(truth.map((b) => b.close));
    expect(result.indicators.adjclose[0].adjclose).toEqual(truth.map((b) => b.adjClose));
  });

  it("answers an unknown symbol with Yahoo's 404 JSON", async () => {
    const res = await get(chartPath('NOPE'));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      chart: { result: null, error: { code: 'Not Found', description: 'No data found, symbol may be delisted' } },
    });
  });

  it('needs the cookie and crumb for quotes', async () => {
    const page = await get('/quote/AAPL', { redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(page.headers.get('location')).toBeNull();
    expect(page.headers.get('set-cookie')).toContain('Domain=.yahoo.com');

    const noCrumb = await get('/v7/finance/quote?symbols=NVDA');
    expect(noCrumb.status).toBe(401);
    expect(await noCrumb.json()).toEqual({ finance: { result: null, error: { code: 'Unauthorized', description: 'Invalid Crumb' } } });

    const { cookie, crumb } = await handshake();
    const res = await get(`/v7/finance/quote?symbols=NVDA,NOPE,ORCL&crumb=${crumb}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.quoteResponse.error).toBeNull();
    expect(body.quoteResponse.result.map((q: { symbol: string }) => q.symbol)).toEqual(['NVDA', 'ORCL']);
    expect(sim.stats().crumbsIssued).toBe(1);
  });

  it.each([
    ['429', 429, 'Edge: Too Many Requests'],
    ['500', 500, 'Internal Server Error'],
    ['502', 502, 'Bad Gateway'],
    ['503', 503, 'Service Unavailable'],
  ] as const)('injects %s', async (kind, status, text) => {
    sim.queueFaults([kind], 'chart');
    const res = await get(chartPath('AMZN'));
    expect(res.status).toBe(status);
    expect(await res.text()).toContain(text);
    expect(sim.stats().faults).toEqual({ total: 1, byKind: { [kind]: 1 } });
    expect(sim.stats().chartRequests).toEqual([{ symbol: 'AMZN', period1: 1767052800, period2: 1767398400, outcome: kind }]);
  });

  it('injects a connection reset', async () => {
    sim.queueFaults(['reset']);
    await expect(get(chartPath('AMZN'))).rejects.toThrow(/fetch failed/);
    expect(sim.stats().byStatus).toEqual({ reset: 1 });
  });

  it('injects truncated JSON with the right content type', async () => {
    sim.queueFaults(['truncated'], 'chart');
    const res = await get(chartPath('AMZN'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json;charset=utf-8');
    const text = await res.text();
    expect(text.startsWith('{"chart":{"result":[{"meta":')).toBe(true);
    expect(() => JSON.parse(text)).toThrow();
  });

  it('injects a hang that lasts until the client gives up', async () => {
    sim.queueFaults(['hang'], 'chart');
    const started = Date.now();
    await expect(get(chartPath('AMZN'), { signal: AbortSignal.timeout(200) })).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    await expect.poll(() => sim.stats().openHangs).toBe(0);
    expect(sim.stats().byStatus).toEqual({ hang: 1 });
  });

  it('rolls the same faults for the same requests under the same seed', async () => {
    const outcomes = async () => {
      const other = await startTestSim({ faults: { rate: 0.5, kinds: ['429', '503'] } });
      const seen: number[] = [];
      for (let i = 0; i < 12; i++) seen.push((await fetch(`${other.url}${chartPath('NVDA')}`)).status);
      await other.close();
      return seen;
    };
    const first = await outcomes();
    expect(first).toEqual(await outcomes());
    expect(new Set(first).size).toBeGreaterThan(1);
  });

  it('serves counters at /__stats and resets them', async () => {
    await get(chartPath('AMZN'));
    await get(chartPath('NOPE'));
    const stats = await json(await get('/__stats'));
    expect(stats).toMatchObject({ requests: 2, byEndpoint: { chart: 2 }, byStatus: { '200': 1, '404': 1 } });
    expect(stats.chartRequests.map((c: { symbol: string }) => c.symbol)).toEqual(['AMZN', 'NOPE']);
    expect((await get('/__stats/reset', { method: 'POST' })).status).toBe(200);
    expect(sim.stats().requests).toBe(0);
  });

  it('can be steered over HTTP: now, splits, re-basings, revisions, crumbs, faults', async () => {
    const now = sim.now();
    const { now: next } = await json(await get('/__control/now?advance=1', { method: 'POST' }));
    expect(next).toBe('2026-01-05');
    expect((await get(`/__control/split?symbol=ORCL&date=${next}&ratio=3:1`, { method: 'POST' })).status).toBe(200);
    expect(sim.groundTruth('ORCL')!.splits.at(-1)).toEqual({ date: next, numerator: 3, denominator: 1 });
    const last = sim.groundTruth('ORCL')!.bars.at(-1)!;
    expect((await get('/__control/rebase?symbol=ORCL&factor=2', { method: 'POST' })).status).toBe(200);
    expect(sim.groundTruth('ORCL')!.bars.at(-1)!.close).toBeCloseTo(last.close! * 2, 5);
    expect((await get('/__control/rebase?symbol=ORCL&factor=1', { method: 'POST' })).status).toBe(200);
    expect((await get(`/__control/revise?symbol=ORCL&date=${next}&close=12.5&volume=7`, { method: 'POST' })).status).toBe(200);
    expect(sim.groundTruth('ORCL')!.bars.at(-1)).toMatchObject({ tradeDate: next, close: 12.5, volume: 7 });
    expect((await get('/__control/rebase?symbol=ORCL&factor=-1', { method: 'POST' })).status).toBe(400);
    expect((await get('/__control/faults?rate=1&kinds=503', { method: 'POST' })).status).toBe(200);
    expect((await get(chartPath('AMZN'))).status).toBe(503);
    expect((await get('/__control/now?date=bad', { method: 'POST' })).status).toBe(400);
    sim.setNow(now);
  });
});
