import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../../src/providers/yahoo/errors.js';
import { BROWSER_USER_AGENT, createYahooFetch, rewriteUrl, type RequestEvent } from '../../../src/providers/yahoo/fetch.js';

describe(rewriteUrl.name, () => {
  const yahoo = new URL('https://query2.finance.yahoo.com/v8/finance/chart/%5EGSPC?period1=1&period2=2&events=div%7Csplit');

  it('keeps path and query, swaps the origin', () => {
    expect(rewriteUrl(yahoo, 'http://127.0.0.1:9465').href).toBe('http://127.0.0.1:9465/v8/finance/chart/%5EGSPC?period1=1&period2=2&events=div%7Csplit');
    expect(rewriteUrl(new URL('https://finance.yahoo.com/quote/AAPL'), 'http://127.0.0.1:9465/').href).toBe('http://127.0.0.1:9465/quote/AAPL');
  });

  it('keeps a path prefix of the base (a proxy mounted under /yahoo)', () => {
    expect(rewriteUrl(yahoo, 'http://proxy.local/yahoo/').pathname).toBe('/yahoo/v8/finance/chart/%5EGSPC');
  });

  it('leaves the URL alone without a base', () => {
    expect(rewriteUrl(yahoo, undefined)).toBe(yahoo);
  });
});

describe(createYahooFetch.name, () => {
  function setup(respond: (url: URL, init: RequestInit) => Promise<Response> | Response, timeoutMs = 1000) {
    const seen: { url: URL; init: RequestInit }[] = [];
    const events: RequestEvent[] = [];
    const transport = (async (input: URL, init: RequestInit) => {
      seen.push({ url: input, init });
      return respond(input, init);
    }) as unknown as typeof fetch;
    const f = createYahooFetch({
      baseUrl: 'http://127.0.0.1:1234',
      timeoutMs,
      userAgent: BROWSER_USER_AGENT,
      transport: () => transport,
      now: () => 0,
      onRequest: (e) => events.push(e),
    });
    return { f, seen, events };
  }

  it('rewrites, sets a browser User-Agent, keeps the cookie header and adds a timeout signal', async () => {
    const { f, seen, events } = setup(() => new Response('crumb', { status: 200 }));
    const res = await f('https://query1.finance.yahoo.com/v1/test/getcrumb', {
      headers: { 'User-Agent': 'yahoo-finance2/3.15.4', cookie: 'A3=abc' },
    });
    expect(await res.text()).toBe('crumb');
    expect(seen[0]!.url.href).toBe('http://127.0.0.1:1234/v1/test/getcrumb');
    const headers = seen[0]!.init.headers as Headers;
    expect(headers.get('user-agent')).toBe(BROWSER_USER_AGENT);
    expect(headers.get('cookie')).toBe('A3=abc');
    expect(seen[0]!.init.signal).toBeInstanceOf(AbortSignal);
    expect(events).toEqual([{ endpoint: 'crumb', status: 200, durationMs: 0 }]);
  });

  it('turns 429 and 5xx into classified errors (the library would lose the status)', async () => {
    const { f, events } = setup((url) =>
      url.pathname.includes('AMZN') ? new Response('Edge: Too Many Requests', { status: 429 }) : new Response('{}', { status: 503 }),
    );
    await expect(f('https://query2.finance.yahoo.com/v8/finance/chart/AMZN?x=1')).rejects.toMatchObject({
      name: 'ProviderError',
      kind: 'rate_limited',
      status: 429,
    });
    const err = await f('https://query2.finance.yahoo.com/v8/finance/chart/NVDA?x=1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ kind: 'server', status: 503 });
    expect(events.map((e) => [e.endpoint, e.status])).toEqual([['chart', 429], ['chart', 503]]);
  });

  it('passes 401 and 404 through: the library reads their JSON (Invalid Crumb, Not Found)', async () => {
    const { f } = setup(() => new Response('{"finance":{}}', { status: 401 }));
    expect((await f('https://query2.finance.yahoo.com/v7/finance/quote?symbols=A')).status).toBe(401);
  });

  it('aborts a request that outlives the timeout', async () => {
    const { f, events } = setup(
      (_url, init) =>
        new Promise<Response>((_resolve, reject) => {
          init.signal!.addEventListener('abort', () => reject(init.signal!.reason));
        }),
      50,
    );
    await expect(f('https://query2.finance.yahoo.com/v8/finance/chart/AMZN')).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(events[0]).toMatchObject({ endpoint: 'chart', status: null, error: 'TimeoutError' });
  });

  it("still honours the caller's own signal", async () => {
    const controller = new AbortController();
    const { f } = setup(
      (_url, init) =>
        new Promise<Response>((_resolve, reject) => {
          init.signal!.addEventListener('abort', () => reject(init.signal!.reason));
        }),
      10_000,
    );
    const pending = f('https://query2.finance.yahoo.com/v8/finance/chart/AMZN', { signal: controller.signal });
    controller.abort(new Error('shutdown'));
    await expect(pending).rejects.toThrow('shutdown');
  });
});
