// The daemon's HTTP face (node:http, loopback by default): /healthz, /metrics, / (latest report) and
// /reports/YYYY-MM-DD. Handlers are injected; this file only routes and writes responses.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { IsoDate } from '../domain.js';
import { closeServer, listen } from '../http-listen.js';
import { toDayNumber } from '../market/iso-date.js';
import type { HealthReport } from './health.js';

export interface ReportPage {
  asOf: IsoDate;
  dataSource: string;
  html: string | null;
}

export interface HttpHandlers {
  health(): Promise<HealthReport & Record<string, unknown>>;
  metrics(): Promise<{ contentType: string; body: string }>;
  /** The report of that date, or the newest when none is given. */
  report(asOf?: IsoDate): Promise<ReportPage | null>;
}

export type Route =
  | { kind: 'healthz' }
  | { kind: 'metrics' }
  | { kind: 'report'; asOf?: IsoDate }
  | { kind: 'not-found' }
  | { kind: 'method-not-allowed' };

/** A real calendar date, strictly YYYY-MM-DD (2025-02-30 and 2025-2-3 are not). */
function strictDate(text: string): IsoDate | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  try {
    toDayNumber(text);
    return text;
  } catch {
    return null;
  }
}

/** Pure: which page a request asks for. */
export function routeOf(method: string, pathname: string): Route {
  const known = pathname === '/' || pathname === '/healthz' || pathname === '/metrics' || pathname.startsWith('/reports/');
  if (known && method !== 'GET' && method !== 'HEAD') return { kind: 'method-not-allowed' };
  if (pathname === '/healthz') return { kind: 'healthz' };
  if (pathname === '/metrics') return { kind: 'metrics' };
  if (pathname === '/') return { kind: 'report' };
  const m = /^\/reports\/([^/]+)$/.exec(pathname);
  const asOf = m ? strictDate(m[1]!) : null;
  return asOf ? { kind: 'report', asOf } : { kind: 'not-found' };
}

export interface HttpServerHandle {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';

function send(req: IncomingMessage, res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

async function handle(route: Route, handlers: HttpHandlers, req: IncomingMessage, res: ServerResponse): Promise<void> {
  switch (route.kind) {
    case 'method-not-allowed':
      return send(req, res, 405, TEXT_TYPE, 'method not allowed\n', { allow: 'GET, HEAD' });
    case 'not-found':
      return send(req, res, 404, TEXT_TYPE, 'not found\n');
    case 'healthz': {
      const health = await handlers.health();
      return send(req, res, health.httpStatus, JSON_TYPE, `${JSON.stringify(health)}\n`);
    }
    case 'metrics': {
      const { contentType, body } = await handlers.metrics();
      return send(req, res, 200, contentType, body);
    }
    case 'report': {
      const page = await handlers.report(route.asOf);
      if (!page?.html) {
        const what = route.asOf ? `no HTML report stored for ${route.asOf}` : 'no report stored yet';
        return send(req, res, 404, TEXT_TYPE, `${what}\n`);
      }
      // The report is our own rendered HTML (escaped by the renderer); its data source travels in a header too.
      return send(req, res, 200, 'text/html; charset=utf-8', page.html, { 'x-bubblewatch-data-source': page.dataSource });
    }
  }
}

export async function startHttpServer(handlers: HttpHandlers, options: { host: string; port: number; log: Logger }): Promise<HttpServerHandle> {
  const server = createServer((req, res) => {
    let pathname = '/';
    try {
      pathname = new URL(req.url ?? '/', 'http://daemon.invalid').pathname;
    } catch {
      return send(req, res, 400, TEXT_TYPE, 'bad request\n');
    }
    handle(routeOf(req.method ?? 'GET', pathname), handlers, req, res).catch((err: unknown) => {
      options.log.warn({ err, path: pathname }, 'http request failed');
      if (!res.headersSent) send(req, res, 500, JSON_TYPE, `${JSON.stringify({ error: 'internal error' })}\n`);
      else res.destroy();
    });
  });
  // Probes and browsers keep connections open; they must not hold a shutdown.
  server.keepAliveTimeout = 5_000;
  const { url, port } = await listen(server, options.port, options.host);
  server.on('error', (err) => options.log.error({ err }, 'http server error'));
  return {
    url,
    port,
    // Closing twice is not an error here.
    close: () => closeServer(server).catch(() => undefined),
  };
}
