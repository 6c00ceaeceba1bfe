// A loopback HTTP relay in front of the simulated feed: it adds a little latency to every answer ("a
// slow Yahoo") and tells the test when a chart request arrives and when its answer has been sent, so
// a test can kill a client at a precise point of its work (request in flight, bars being stored...).
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChartEvent {
  phase: 'request' | 'response';
  symbol: string;
  period1: number | null;
}

export interface Relay {
  readonly url: string;
  /** 'chart' events (ChartEvent). */
  readonly events: EventEmitter;
  close(): Promise<void>;
}

function chartOf(req: IncomingMessage): Omit<ChartEvent, 'phase'> | null {
  const url = new URL(req.url ?? '/', 'http://relay.invalid');
  if (!url.pathname.startsWith('/v8/finance/chart/')) return null;
  const period1 = url.searchParams.get('period1');
  return { symbol: decodeURIComponent(url.pathname.slice('/v8/finance/chart/'.length)), period1: period1 === null ? null : Number(period1) };
}

export async function startRelay(target: string, options: { latencyMs?: number } = {}): Promise<Relay> {
  const events = new EventEmitter();
  const latency = options.latencyMs ?? 0;
  const server = createServer((req, res) => {
    const chart = chartOf(req);
    if (chart) events.emit('chart', { ...chart, phase: 'request' } satisfies ChartEvent);
    void (async () => {
      try {
        const headers = new Headers();
        if (req.headers.cookie) headers.set('cookie', req.headers.cookie);
        const answer = await fetch(`${target}${req.url ?? '/'}`, { headers });
        const body = Buffer.from(await answer.arrayBuffer());
        if (latency > 0) await new Promise((r) => setTimeout(r, latency));
        const out: Record<string, string> = {};
        answer.headers.forEach((value, key) => {
          if (key !== 'content-length' && key !== 'transfer-encoding' && key !== 'connection' && key !== 'keep-alive') out[key] = value;
        });
        res.writeHead(answer.status, { ...out, 'content-length': String(body.length) });
        res.end(body, () => {
          if (chart) events.emit('chart', { ...chart, phase: 'response' } satisfies ChartEvent);
        });
      } catch {
        req.socket.destroy();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    events,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
