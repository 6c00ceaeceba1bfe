// The daemon's report renderer: reading, building and rendering run in a worker thread (report-
// render-worker.ts), for the report pages it serves and for its scheduled report, so a render (seconds
// on a long history) never holds the event loop that answers the live page, its events and /healthz: the daemon's side of a render is one message out and one
// string back. One worker, started on the first render and ended after a minute without one: it
// holds the renderers' modules, a database pool and the last document's memory.
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Config } from '../config/load.js';
import type { IsoDate } from '../domain.js';
import type { Lang } from '../report/render/i18n.js';
import type { ReportFormat, ReportResult } from '../report/write-report.js';
import type { CloseRequest, RenderReply, RenderRequest, WriteRequest } from './report-render-worker.js';

/** A worker idle this long is ended; the next render starts another (about half a second of loading). */
const IDLE_MS = 60_000;
/** How long a closing worker gets to close its pool before it is terminated. */
const CLOSE_MS = 2_000;

export interface RenderedReport {
  bodies: Partial<Record<ReportFormat, string>>;
  /** Time the worker spent reading the data, and building and rendering the report. */
  readMs: number;
  renderMs: number;
}

export interface ReportRenderer {
  render(request: { date: IsoDate; lang: Lang; formats: readonly ReportFormat[]; generatedAt: Date }): Promise<RenderedReport>;
  /** The scheduled report of `date`, written to its files and stored; `now` is the daemon's clock. */
  write(request: { date: IsoDate; now: Date }): Promise<ReportResult>;
  close(): Promise<void>;
}

/**
 * The worker's compiled file. The daemon runs from dist/ (the worker sits beside this file); under
 * vitest it runs from src/, whose TypeScript a worker thread cannot load: the worker is then the one
 * in dist/, which `npm test` builds before vitest runs.
 */
export function workerFile(): URL {
  const beside = new URL('./report-render-worker.js', import.meta.url);
  return existsSync(beside) ? beside : new URL('../../dist/daemon/report-render-worker.js', import.meta.url);
}

/** `databaseUrl()`: where the worker finds the database at the time of a render. */
export function createReportRenderer(deps: { config: Config; databaseUrl: () => string }): ReportRenderer {
  let worker: Worker | null = null;
  let idle: NodeJS.Timeout | null = null;
  let nextId = 1;
  type Done = Extract<RenderReply, { ok: true }>;
  const pending = new Map<number, { resolve: (r: Done) => void; reject: (e: Error) => void }>();

  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };

  const stop = async (w: Worker | null): Promise<void> => {
    if (!w) return;
    const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
    w.postMessage({ type: 'close' } satisfies CloseRequest);
    const timer = setTimeout(() => void w.terminate(), CLOSE_MS);
    await exited;
    clearTimeout(timer);
  };

  const armIdle = () => {
    if (idle) clearTimeout(idle);
    idle = setTimeout(() => {
      const w = worker;
      worker = null;
      void stop(w);
    }, IDLE_MS);
    idle.unref();
  };

  const start = (): Worker => {
    const w = new Worker(workerFile());
    // Never what keeps the daemon alive: close() ends it, and so does the process.
    w.unref();
    w.on('message', (reply: RenderReply) => {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      if (reply.ok) p.resolve(reply);
      else p.reject(Object.assign(new Error(reply.error), reply.stack ? { stack: reply.stack } : {}));
      if (pending.size === 0 && worker === w) armIdle();
    });
    w.on('error', (err) => {
      if (worker === w) worker = null;
      failAll(err);
    });
    w.on('exit', (code) => {
      if (worker !== w) return;
      worker = null;
      failAll(new Error(`the report render worker exited (code ${code})`));
    });
    return w;
  };

  /** One request to the worker (started if need be), given its id and where the database is now. */
  const ask = (make: (base: { id: number; url: string; config: Config }) => RenderRequest | WriteRequest): Promise<Done> => {
    if (idle) clearTimeout(idle);
    worker ??= start();
    const id = nextId++;
    const message = make({ id, url: deps.databaseUrl(), config: deps.config });
    return new Promise<Done>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker!.postMessage(message);
    });
  };

  return {
    async render({ date, lang, formats, generatedAt }) {
      const reply = await ask((base) => ({ ...base, type: 'render', date, lang, formats, generatedAt }));
      if (!('bodies' in reply)) throw new Error('the report render worker answered a render with no bodies');
      return { bodies: reply.bodies, readMs: reply.readMs, renderMs: reply.renderMs };
    },
    async write({ date, now }) {
      const reply = await ask((base) => ({ ...base, type: 'write', date, now }));
      if (!('written' in reply)) throw new Error('the report render worker answered a write with no report');
      return reply.written;
    },
    async close() {
      if (idle) clearTimeout(idle);
      const w = worker;
      worker = null;
      failAll(new Error('the report renderer was closed'));
      await stop(w);
    },
  };
}
