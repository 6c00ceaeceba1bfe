// The simulated Yahoo feed over real HTTP (node:http, loopback by default). Routes Yahoo's endpoints to
// SimFeed, injects faults, counts everything, and offers a few /__ control routes so a feed running in
// another process (bubblewatch sim) can be steered by tests and benchmarks.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { IsoDate } from '../domain.js';
import { closeServer, listen } from '../http-listen.js';
import { isTradingDay as nyseIsTradingDay } from '../market/calendar.js';
import { zonedDate } from '../market/zoned-time.js';
import { controlReply, type ControlTarget } from './control.js';
import { createCsvSource } from './csv-source.js';
import { normalizeFaults, rollFault, type SimEndpoint, type SimFaultKind, type SimFaultOptions } from './faults.js';
import { SimFeed, type ChartRequestInfo, type Reply, type SimAnomaly, type SimRebasing, type SimRevision } from './feed.js';
import { createGeneratedSource } from './generator.js';
import { SIM_TIME_ZONE } from './session-time.js';
import { StatsRecorder, type SimStats } from './stats.js';
import type { SimSeries, SimSource, SimSplit } from './types.js';
import type { SymbolSpec } from './universe.js';

export type SimSourceOptions =
  | { kind: 'synthetic'; symbols?: readonly (SymbolSpec | string)[]; nullRowRate?: number }
  | { kind: 'csv'; dir: string }
  | { kind: 'custom'; source: SimSource };

export interface SimServerOptions {
  /** Default: synthetic data for the default universe. */
  source?: SimSourceOptions;
  /** Last session served (the sim always answers as after that day's close). Default: today in New York. */
  now?: IsoDate | Date;
  /** Seeds the synthetic data, crumbs and faults. Default 1. */
  seed?: number;
  /** A fault rate 0..1, or finer control. Default 0. */
  faults?: number | SimFaultOptions;
  /** Bad rows planted in the served data. */
  anomalies?: readonly SimAnomaly[];
  /** Default 0: an ephemeral port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Which dates have a session. Default: the NYSE calendar (src/market/calendar.ts). */
  isTradingDay?: (date: IsoDate) => boolean;
  /** Quotes taken inside `now`'s session are intraday at this clock's instant (the demo's replayed session). */
  intradayClock?: () => Date;
}

export interface SimServer {
  /** Origin to use as YAHOO_BASE_URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
  stats(): SimStats;
  resetStats(): void;
  /** Exactly what the feed serves for the symbol now (all sessions through `now`); undefined if unknown. */
  groundTruth(symbol: string): SimSeries | undefined;
  symbols(): string[];
  now(): IsoDate;
  setNow(now: IsoDate | Date): void;
  /** Moves `now` forward by whole sessions; returns the new date. */
  advance(sessions?: number): IsoDate;
  addSplit(symbol: string, split: SimSplit): void;
  /** Serves the symbol's prices times a factor with no event (a silent re-basing); factor 1 undoes it. */
  rebase(symbol: string, rebasing: SimRebasing): void;
  /** Revises one served bar (Yahoo correcting a recent session). */
  revise(revision: SimRevision): void;
  addAnomaly(anomaly: SimAnomaly): void;
  setFaults(faults: number | SimFaultOptions): void;
  /** Forces the next requests to an endpoint (or any, when omitted) to fail with these faults, in order. */
  queueFaults(kinds: readonly SimFaultKind[], endpoint?: SimEndpoint): void;
  /** Forgets all cookies and crumbs: clients holding one get 401 Invalid Crumb on their next quote. */
  invalidateCrumbs(): void;
}

function toIsoDate(now: IsoDate | Date): IsoDate {
  return typeof now === 'string' ? now : zonedDate(now, SIM_TIME_ZONE);
}

function sourceFrom(opts: SimSourceOptions | undefined, seed: number, isTradingDay: (d: IsoDate) => boolean): SimSource {
  if (!opts || opts.kind === 'synthetic') {
    return createGeneratedSource({
      seed,
      isTradingDay,
      ...(opts?.symbols ? { symbols: opts.symbols } : {}),
      ...(opts?.nullRowRate !== undefined ? { nullRowRate: opts.nullRowRate } : {}),
    });
  }
  return opts.kind === 'csv' ? createCsvSource(opts.dir) : opts.source;
}

function endpointOf(path: string): SimEndpoint | null {
  if (path.startsWith('/v8/finance/chart/')) return 'chart';
  if (path === '/v7/finance/quote') return 'quote';
  if (path.startsWith('/quote/')) return 'cookie';
  if (path === '/v1/test/getcrumb') return 'crumb';
  return null;
}

const TEXT = { 'content-type': 'text/plain;charset=utf-8' };

/**
 * Sent on every answer, so a client pointed at the sim (YAHOO_BASE_URL may name any origin) knows its
 * data is made up and stores it as source 'sim', never as 'yahoo'.
 */
export const SIMULATED_HEADER = 'x-bubblewatch-simulated';

const FAULT_REPLIES: Record<'429' | '500' | '502' | '503', Reply> = {
  '429': { status: 429, headers: TEXT, body: 'Edge: Too Many Requests' },
  '500': { status: 500, headers: TEXT, body: 'Internal Server Error' },
  '502': { status: 502, headers: { 'content-type': 'text/html' }, body: '<html><body><b>Http/1.1 Bad Gateway</b></body></html>' },
  '503': { status: 503, headers: { 'content-type': 'text/html' }, body: '<html><body><b>Http/1.1 Service Unavailable</b></body></html>' },
};

export async function startSimServer(options: SimServerOptions = {}): Promise<SimServer> {
  const seed = options.seed ?? 1;
  const isTradingDay = options.isTradingDay ?? nyseIsTradingDay;
  const feed = new SimFeed({
    source: sourceFrom(options.source, seed, isTradingDay),
    now: toIsoDate(options.now ?? new Date()),
    seed,
    isTradingDay,
    ...(options.anomalies ? { anomalies: options.anomalies } : {}),
    ...(options.intradayClock ? { intradayClock: options.intradayClock } : {}),
  });
  const stats = new StatsRecorder();
  let plan = normalizeFaults(options.faults, seed);
  const queued: { kind: SimFaultKind; endpoint: SimEndpoint | undefined }[] = [];
  const seen = new Map<string, number>();

  function nextFault(endpoint: SimEndpoint, request: string): SimFaultKind | null {
    const i = queued.findIndex((q) => q.endpoint === undefined || q.endpoint === endpoint);
    if (i >= 0) return queued.splice(i, 1)[0]!.kind;
    const occurrence = seen.get(request) ?? 0;
    seen.set(request, occurrence + 1);
    return rollFault(plan, endpoint, request, occurrence);
  }

  function send(res: ServerResponse, reply: Reply): void {
    stats.outcome(reply.status);
    res.writeHead(reply.status, { ...reply.headers, [SIMULATED_HEADER]: '1', 'content-length': Buffer.byteLength(reply.body) });
    res.end(reply.body);
  }

  interface Answer {
    reply: Reply;
    chart?: ChartRequestInfo;
    quoteSymbols?: string[];
  }

  function answer(endpoint: SimEndpoint, url: URL, req: IncomingMessage): Answer {
    const cookie = req.headers.cookie;
    switch (endpoint) {
      case 'cookie':
        return { reply: feed.cookiePage() };
      case 'crumb':
        return { reply: feed.crumb(cookie) };
      case 'quote': {
        const { reply, symbols } = feed.quote(url.searchParams, cookie);
        return { reply, quoteSymbols: symbols };
      }
      case 'chart': {
        const { reply, request } = feed.chart(url.pathname.slice('/v8/finance/chart/'.length), url.searchParams);
        return { reply, chart: request };
      }
    }
  }

  function record(endpoint: SimEndpoint, url: URL, outcome: string, done?: Answer): void {
    if (endpoint === 'chart') {
      const p = (name: string) => (url.searchParams.get(name) === null ? null : Number(url.searchParams.get(name)));
      const symbol = decodeURIComponent(url.pathname.slice('/v8/finance/chart/'.length)).toUpperCase();
      stats.chart(done?.chart ? { ...done.chart, outcome } : { symbol, period1: p('period1'), period2: p('period2'), outcome });
    } else if (endpoint === 'quote') {
      const symbols = done?.quoteSymbols ?? (url.searchParams.get('symbols') ?? '').split(',').filter((x) => x !== '');
      stats.quote({ symbols, outcome });
    } else if (endpoint === 'crumb' && outcome === '200') {
      stats.crumbIssued();
    }
  }

  function yahoo(endpoint: SimEndpoint, url: URL, req: IncomingMessage, res: ServerResponse): void {
    stats.request(endpoint);
    const fault = nextFault(endpoint, url.pathname + url.search);
    if (fault === null) {
      const done = answer(endpoint, url, req);
      record(endpoint, url, String(done.reply.status), done);
      return send(res, done.reply);
    }
    stats.fault(fault);
    switch (fault) {
      case 'reset':
        record(endpoint, url, fault);
        stats.outcome('reset');
        req.socket.destroy();
        return;
      case 'hang':
        // Never answer; the client's timeout has to give up. Counted until the socket goes away.
        record(endpoint, url, fault);
        stats.outcome('hang');
        stats.hang(1);
        res.on('close', () => stats.hang(-1));
        return;
      case 'truncated': {
        const done = answer(endpoint, url, req);
        record(endpoint, url, fault, done);
        const cut = Math.max(1, Math.floor(done.reply.body.length / 2));
        return send(res, { ...done.reply, body: done.reply.body.slice(0, cut) });
      }
      default:
        record(endpoint, url, fault);
        return send(res, FAULT_REPLIES[fault]);
    }
  }

  const setFaults = (faults: number | SimFaultOptions) => {
    plan = normalizeFaults(faults, seed);
    // A seed replays the same faults from here, whatever ran before: occurrences count from zero.
    seen.clear();
  };
  const controls: ControlTarget = {
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    now: () => feed.now(),
    setNow: (now) => feed.setNow(now),
    advance: (sessions) => feed.advance(sessions),
    addSplit: (symbol, split) => feed.addSplit(symbol, split),
    rebase: (symbol, rebasing) => feed.rebase(symbol, rebasing),
    revise: (revision) => feed.revise(revision),
    invalidateCrumbs: () => feed.invalidateCrumbs(),
    setFaults,
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    if (url.pathname.startsWith('/__')) {
      const reply = controlReply(url, req.method ?? 'GET', controls);
      res.writeHead(reply.status, { 'content-type': 'application/json;charset=utf-8', [SIMULATED_HEADER]: '1' });
      return res.end(JSON.stringify(reply.body));
    }
    const endpoint = endpointOf(url.pathname);
    if (endpoint === null || req.method !== 'GET') {
      stats.request('other');
      return send(res, { status: 404, headers: TEXT, body: 'Not Found' });
    }
    yahoo(endpoint, url, req, res);
  });

  const bound = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');

  return {
    url: bound.url,
    port: bound.port,
    close: () => closeServer(server),
    ...controls,
    setNow: (now) => feed.setNow(toIsoDate(now)),
    setFaults,
    groundTruth: (symbol) => feed.series(symbol),
    symbols: () => feed.symbols(),
    addAnomaly: (anomaly) => feed.addAnomaly(anomaly),
    queueFaults: (kinds, endpoint) => {
      for (const kind of kinds) queued.push({ kind, endpoint });
    },
  };
}
