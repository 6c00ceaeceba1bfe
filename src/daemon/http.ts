// The daemon's HTTP face (node:http, loopback by default): / (the live page), /events (its updates as
// Server-Sent Events), /live.js and /live.css, /healthz, /metrics, and the stored reports under
// /reports/ (/reports/DATE[.html|.md|.json], /reports/latest; ?lang=en|zh-Hant). Handlers are
// injected; this file only routes and writes responses.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { IsoDate } from '../domain.js';
import { closeServer, listen } from '../http-listen.js';
import { LIVE_CSS, LIVE_JS } from '../live/render/assets.js';
import { LIVE_CSP } from '../live/render/live-page.js';
import { formatSseComment, formatSseEvent, owedOnConnect } from '../live/sse.js';
import { toDayNumber } from '../market/iso-date.js';
import { LANGS, type Lang } from '../report/render/i18n.js';
import type { HealthReport } from './health.js';
import { hostPolicy, judgeHost } from './host-check.js';

export type ReportFormat = 'html' | 'md' | 'json';

export interface ReportEntry {
  asOf: IsoDate;
  dataSource: string;
  hasHtml: boolean;
  hasMarkdown: boolean;
}

export interface ReportText {
  asOf: IsoDate;
  dataSource: string;
  /** null: the report exists but not in this rendering (stored without HTML). */
  body: string | null;
}

export interface LiveHandlers {
  /** The whole page, server-rendered (the first paint). */
  page(lang: Lang): Promise<string>;
  /** The current state's id and <main>, and the state itself (the event's JSON). */
  current(lang: Lang): Promise<{ id: string; html: string; snapshot: unknown }>;
  /** Called on every change of state; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

export interface HttpHandlers {
  health(): Promise<HealthReport & Record<string, unknown>>;
  metrics(): Promise<{ contentType: string; body: string }>;
  live: LiveHandlers;
  reports(): Promise<ReportEntry[]>;
  /** A stored report of that date ('latest': the newest) in a format; lang unset = as stored. Null when none. */
  report(asOf: IsoDate | 'latest', format: ReportFormat, lang: Lang | undefined): Promise<ReportText | null>;
}

export type Route =
  | { kind: 'healthz' }
  | { kind: 'metrics' }
  | { kind: 'live' }
  | { kind: 'events' }
  | { kind: 'asset'; name: 'live.js' | 'live.css' }
  | { kind: 'reports' }
  | { kind: 'report-latest' }
  | { kind: 'report'; asOf: IsoDate; format: ReportFormat }
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
  const route = pageOf(pathname);
  if (route.kind !== 'not-found' && method !== 'GET' && method !== 'HEAD') return { kind: 'method-not-allowed' };
  return route;
}

function pageOf(pathname: string): Route {
  switch (pathname) {
    case '/':
      return { kind: 'live' };
    case '/events':
      return { kind: 'events' };
    case '/live.js':
    case '/live.css':
      return { kind: 'asset', name: pathname.slice(1) as 'live.js' | 'live.css' };
    case '/healthz':
      return { kind: 'healthz' };
    case '/metrics':
      return { kind: 'metrics' };
    case '/reports':
    case '/reports/':
      return { kind: 'reports' };
    case '/reports/latest':
      return { kind: 'report-latest' };
  }
  const m = /^\/reports\/([^/.]+)(?:\.(html|md|json))?$/.exec(pathname);
  const asOf = m ? strictDate(m[1]!) : null;
  return asOf ? { kind: 'report', asOf, format: (m![2] as ReportFormat | undefined) ?? 'html' } : { kind: 'not-found' };
}

/** Pure: ?lang= as a language; undefined when absent, null when not one we write. */
export function langOf(search: URLSearchParams): Lang | undefined | null {
  const lang = search.get('lang');
  if (lang === null || lang === '') return undefined;
  return (LANGS as readonly string[]).includes(lang) ? (lang as Lang) : null;
}

export interface HttpServerHandle {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';
const REPORT_TYPES: Record<ReportFormat, string> = { html: HTML_TYPE, md: 'text/markdown; charset=utf-8', json: JSON_TYPE };
/** The report's own CSP (its charts and styles are inline, scripts none), sent as a header too. */
const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const SSE_RETRY_MS = 3_000;
const SSE_HEARTBEAT_MS = 15_000;

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

/**
 * /events: a snapshot on connect (unless the client's Last-Event-ID is already the current state),
 * then one event per change of state, and a comment every 15 s so idle connections stay open.
 */
async function streamEvents(req: IncomingMessage, res: ServerResponse, live: LiveHandlers, lang: Lang, open: Set<ServerResponse>): Promise<void> {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') return void res.end();
  open.add(res);
  res.write(`retry: ${SSE_RETRY_MS}\n\n`);
  let lastSent = '';
  const push = async (event: 'snapshot' | 'update') => {
    const cur = await live.current(lang);
    if (cur.id === lastSent || res.writableEnded) return;
    lastSent = cur.id;
    res.write(formatSseEvent({ id: cur.id, event, data: JSON.stringify({ id: cur.id, html: cur.html, snapshot: cur.snapshot }) }));
  };
  const first = await live.current(lang);
  const lastEventId = req.headers['last-event-id'];
  if (owedOnConnect(typeof lastEventId === 'string' ? lastEventId : undefined, first.id) === 'snapshot') await push('snapshot');
  else lastSent = first.id;
  const unsubscribe = live.subscribe(() => void push('update').catch(() => res.destroy()));
  const heartbeat = setInterval(() => res.write(formatSseComment('heartbeat')), SSE_HEARTBEAT_MS);
  heartbeat.unref();
  const done = () => {
    clearInterval(heartbeat);
    unsubscribe();
    open.delete(res);
  };
  res.on('close', done);
  req.on('close', done);
}

async function handle(
  route: Route,
  handlers: HttpHandlers,
  req: IncomingMessage,
  res: ServerResponse,
  search: URLSearchParams,
  open: Set<ServerResponse>,
): Promise<void> {
  const lang = langOf(search);
  if (lang === null) return send(req, res, 400, TEXT_TYPE, `unknown lang: use ${LANGS.join(' or ')}\n`);
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
    case 'live':
      // Never a 404: with nothing stored yet the page says so (and fills in by itself).
      return send(req, res, 200, HTML_TYPE, await handlers.live.page(lang ?? 'en'), { 'content-security-policy': LIVE_CSP });
    case 'events':
      return streamEvents(req, res, handlers.live, lang ?? 'en', open);
    case 'asset':
      return route.name === 'live.js'
        ? send(req, res, 200, 'text/javascript; charset=utf-8', LIVE_JS)
        : send(req, res, 200, 'text/css; charset=utf-8', LIVE_CSS);
    case 'reports': {
      const { renderReportsIndex } = await import('../live/render/reports-index.js');
      return send(req, res, 200, HTML_TYPE, renderReportsIndex(await handlers.reports(), lang ?? 'en'), { 'content-security-policy': LIVE_CSP });
    }
    case 'report-latest': {
      const newest = (await handlers.reports())[0];
      if (!newest) return send(req, res, 404, TEXT_TYPE, 'no report stored yet\n');
      const query = search.toString();
      res.writeHead(302, { location: `/reports/${newest.asOf}.html${query ? `?${query}` : ''}`, 'cache-control': 'no-store', 'content-length': 0 });
      return void res.end();
    }
    case 'report': {
      const report = await handlers.report(route.asOf, route.format, lang);
      if (!report?.body) {
        const what = report ? `the report of ${route.asOf} was stored without ${route.format}` : `no report stored for ${route.asOf}`;
        return send(req, res, 404, TEXT_TYPE, `${what}\n`);
      }
      // The report is our own rendered text (escaped by the renderer); its data source travels in a header too.
      return send(req, res, 200, REPORT_TYPES[route.format], report.body, {
        'x-bubblewatch-data-source': report.dataSource,
        ...(route.format === 'html' ? { 'content-security-policy': REPORT_CSP } : {}),
      });
    }
  }
}

export async function startHttpServer(
  handlers: HttpHandlers,
  options: { host: string; port: number; log: Logger; /** Names answered for besides the listening address (http.allowedHosts). */ allowedHosts?: readonly string[] },
): Promise<HttpServerHandle> {
  const streams = new Set<ServerResponse>();
  const hosts = hostPolicy(options.host, options.allowedHosts ?? []);
  const server = createServer((req, res) => {
    // Before anything else: a request for another host (DNS rebinding, a proxy request) gets nothing.
    const verdict = judgeHost(hosts, req.headers.host, req.url ?? '/');
    if (verdict === 'bad-request') return send(req, res, 400, TEXT_TYPE, 'bad request: no usable Host\n');
    if (verdict === 'misdirected') return send(req, res, 421, TEXT_TYPE, 'misdirected request: this server does not answer for that host (see http.allowedHosts)\n');
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://daemon.invalid');
    } catch {
      return send(req, res, 400, TEXT_TYPE, 'bad request\n');
    }
    const pathname = url.pathname;
    handle(routeOf(req.method ?? 'GET', pathname), handlers, req, res, url.searchParams, streams).catch((err: unknown) => {
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
    // Closing twice is not an error here. Open event streams end first, so pages reconnect elsewhere.
    close: () => {
      for (const res of streams) res.end();
      return closeServer(server).catch(() => undefined);
    },
  };
}
