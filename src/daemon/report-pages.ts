// The stored reports as the HTTP server serves them: listed, and each in a rendering and a language.
// A report is stored rendered in the configured language; another language is rendered on request
// from the data as stored now (cut at the report's date like any report) and kept for a while, so a
// reader switching languages does not wait for the render twice.
import type { Logger } from 'pino';
import type { Config } from '../config/load.js';
import type { DbHandle } from '../db/connect.js';
import { listStoredReports, storedReport } from '../db/live-data.js';
import type { IsoDate } from '../domain.js';
import type { Lang } from '../report/render/i18n.js';
import type { ReportEntry, ReportFormat, ReportText } from './http.js';

const CACHE_ENTRIES = 16;

/** Pure: the language a stored HTML report was rendered in (its <html lang>), or null. */
export function storedLang(html: string | null): string | null {
  return html ? (/<html lang="([^"]+)"/.exec(html)?.[1] ?? null) : null;
}

export function reportPages(deps: { handle: DbHandle; config: Config; log: Logger; clock: () => Date }) {
  const cache = new Map<string, string>();
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
      const key = `${stored.asOf} ${format} ${lang} ${stored.json.length}`;
      let body = cache.get(key);
      if (body === undefined) {
        const t0 = Date.now();
        // The renderers (preact, d3) load on the first such request, not at the daemon's start.
        const { renderReportOnDemand } = await import('../report/write-report.js');
        body = await renderReportOnDemand(deps, stored.asOf, lang, format);
        deps.log.info({ asOf: stored.asOf, format, lang, ms: Date.now() - t0 }, 'report rendered on request');
        cache.set(key, body);
        if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
      }
      return { ...base, body };
    },
  };
}
