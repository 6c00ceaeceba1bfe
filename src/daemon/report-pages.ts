// The stored reports as the HTTP server serves them: listed, and each in a rendering and a language.
// A report is stored rendered in the configured language; another language is rendered on request
// from the data as stored now (cut at the report's date like any report) and kept for a while, so a
// reader switching languages does not wait for the render twice. Renders run in the renderer's worker
// thread, off the event loop, and identical requests arriving together share one render.
import type { Logger } from 'pino';
import type { Config } from '../config/load.js';
import type { DbHandle } from '../db/connect.js';
import { listStoredReports, storedReport } from '../db/live-data.js';
import type { IsoDate } from '../domain.js';
import type { Lang } from '../report/render/i18n.js';
import type { ReportEntry, ReportFormat, ReportText } from './http.js';
import type { ReportRenderer } from './report-renderer.js';

const CACHE_ENTRIES = 16;

/** Pure: the language a stored HTML report was rendered in (its <html lang>), or null. */
export function storedLang(html: string | null): string | null {
  return html ? (/<html lang="([^"]+)"/.exec(html)?.[1] ?? null) : null;
}

export interface ReportPagesDeps {
  handle: DbHandle;
  config: Config;
  log: Logger;
  clock: () => Date;
  /** Builds and renders in a worker thread, reading the data there too. */
  renderer: ReportRenderer;
}

export function reportPages(deps: ReportPagesDeps) {
  const cache = new Map<string, string>();
  /** One render in flight per key: the requests that come while it runs wait for it. */
  const inFlight = new Map<string, Promise<string>>();

  async function renderOnRequest(asOf: IsoDate, format: 'html' | 'md', lang: Lang): Promise<string> {
    const t0 = Date.now();
    const { bodies, readMs, renderMs } = await deps.renderer.render({ date: asOf, lang, formats: [format], generatedAt: deps.clock() });
    deps.log.info({ asOf, format, lang, readMs, renderMs, ms: Date.now() - t0 }, 'report rendered on request');
    return bodies[format]!;
  }

  return {
    list: (): Promise<ReportEntry[]> => listStoredReports(deps.handle.db),
    async text(asOf: IsoDate | 'latest', format: ReportFormat, lang: Lang | undefined): Promise<ReportText | null> {
      const stored = await storedReport(deps.handle.db, asOf);
      if (!stored) return null;
      const base = { asOf: stored.asOf, dataSource: stored.dataSource };
      // The JSON holds numbers and both languages' texts: the same in any language.
      if (format === 'json') return { ...base, body: stored.json };
      const asStored = format === 'html' ? stored.html : stored.markdown;
      const lang0 = storedLang(stored.html) ?? deps.config.report.lang;
      if (lang === undefined || lang === lang0) return { ...base, body: asStored };
      // The stored JSON's length stands for its version: a report written again renders again.
      const key = `${stored.asOf} ${format} ${lang} ${stored.json.length}`;
      let body = cache.get(key);
      if (body === undefined) {
        let rendering = inFlight.get(key);
        if (!rendering) {
          rendering = renderOnRequest(stored.asOf, format, lang).finally(() => inFlight.delete(key));
          inFlight.set(key, rendering);
        }
        body = await rendering;
        if (!cache.has(key)) {
          cache.set(key, body);
          if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
        }
      }
      return { ...base, body };
    },
  };
}
