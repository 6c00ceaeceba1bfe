// The worker thread that reads, builds and renders reports for the daemon (report-renderer.ts starts
// it): the report pages it serves, and the scheduled report it writes and stores. Building a report's
// document (drawdowns, claims, charts) is a second or more of CPU on a long history, and reading its
// series tens of thousands of rows: both happen here, beside the daemon's event loop instead of on
// it, so the live page, its events and /healthz keep answering meanwhile.
// The worker reaches the database on a small pool of its own (the daemon passes the URL: its
// DATABASE_URL, or the embedded server's socket, which the daemon's own lease keeps running).
import { parentPort } from 'node:worker_threads';
import type { Config } from '../config/load.js';
import { openDb, type DbHandle } from '../db/connect.js';
import type { IsoDate } from '../domain.js';
import { createLogger } from '../log.js';
import { buildReportDocument } from '../report/document.js';
import { renderHtml } from '../report/render/html.js';
import type { Lang } from '../report/render/i18n.js';
import { renderJson } from '../report/render/json.js';
import { renderMarkdown } from '../report/render/markdown.js';
import { readReportInput } from '../report/report-inputs.js';
import { storeReport, type ReportFormat, type ReportResult } from '../report/write-report.js';

export interface RenderRequest {
  type: 'render';
  id: number;
  /** Where the database is now (the embedded server's socket can move when it restarts). */
  url: string;
  config: Config;
  date: IsoDate;
  lang: Lang;
  formats: readonly ReportFormat[];
  generatedAt: Date;
}

/**
 * The scheduled report: read, built, rendered, written to its files and stored, as `bubblewatch report`
 * does. `now` is the daemon's clock at the request; the worker's clock runs on from it.
 */
export interface WriteRequest {
  type: 'write';
  id: number;
  url: string;
  config: Config;
  date: IsoDate;
  now: Date;
}

/** Ends the worker after closing its pool (a terminate would cut its connections mid-protocol). */
export interface CloseRequest {
  type: 'close';
}

export type RenderReply =
  | { id: number; ok: true; bodies: Partial<Record<ReportFormat, string>>; readMs: number; renderMs: number }
  | { id: number; ok: true; written: ReportResult }
  | { id: number; ok: false; error: string; stack?: string };

let db: { url: string; handle: DbHandle } | null = null;

async function handleFor(url: string, config: Config): Promise<DbHandle> {
  if (db?.url === url) return db.handle;
  await db?.handle.close().catch(() => undefined);
  db = null;
  const log = createLogger({ level: config.env.logLevel }).child({ thread: 'report-render' });
  db = { url, handle: await openDb({ kind: 'postgres', url }, { log, maxConnections: 2 }) };
  return db.handle;
}

const workerLog = (config: Config) => createLogger({ level: config.env.logLevel }).child({ thread: 'report-render' });

async function render(request: RenderRequest): Promise<RenderReply> {
  const t0 = performance.now();
  const handle = await handleFor(request.url, request.config);
  const log = workerLog(request.config);
  const { input } = await readReportInput({ handle, config: request.config, log, clock: () => request.generatedAt }, { date: request.date });
  const t1 = performance.now();
  const doc = buildReportDocument({ ...input, generatedAt: request.generatedAt });
  const bodies: Partial<Record<ReportFormat, string>> = {};
  for (const format of request.formats) {
    bodies[format] = format === 'md' ? renderMarkdown(doc, request.lang) : format === 'html' ? renderHtml(doc, request.lang) : renderJson(doc);
  }
  return { id: request.id, ok: true, bodies, readMs: Math.round(t1 - t0), renderMs: Math.round(performance.now() - t1) };
}

async function write(request: WriteRequest): Promise<RenderReply> {
  const t0 = performance.now();
  const handle = await handleFor(request.url, request.config);
  const clock = () => new Date(request.now.getTime() + (performance.now() - t0));
  const written = await storeReport({ handle, config: request.config, log: workerLog(request.config), clock }, { date: request.date });
  return { id: request.id, ok: true, written };
}

// One request at a time, in order: a second render waits for the first instead of halving its speed.
let queue: Promise<unknown> = Promise.resolve();

parentPort?.on('message', (message: RenderRequest | WriteRequest | CloseRequest) => {
  queue = queue.then(async () => {
    if (message.type === 'close') {
      await db?.handle.close().catch(() => undefined);
      db = null;
      parentPort!.close();
      return;
    }
    let reply: RenderReply;
    try {
      reply = message.type === 'write' ? await write(message) : await render(message);
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      reply = { id: message.id, ok: false, error: e.message, ...(e.stack ? { stack: e.stack } : {}) };
    }
    parentPort!.postMessage(reply);
  });
});
