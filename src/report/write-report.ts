// The report job (I/O shell): read the closes and quotes on or before the report date, build the
// document (pure), render it, write <out>/<asOf>.{md,html,json} atomically and store it in `reports`.
// Used by `bubblewatch report`, and by the daemon's scheduled report in its render worker
// (daemon/report-render-worker.ts), off the event loop that answers /healthz and the live page.
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensurePrivateDir } from '../data-dir.js';
import { upsertReport } from '../db/report-data.js';
import { finishRun, startRun } from '../db/runs.js';
import type { IsoDate } from '../domain.js';
import { buildReportDocument } from './document.js';
import type { Lang } from './render/i18n.js';
import { readReportInput, type ReportDeps } from './report-inputs.js';
import { logReportWritten, type ReportResult } from './report-result.js';
import { renderHtml } from './render/html.js';
import { renderJson } from './render/json.js';
import { renderMarkdown } from './render/markdown.js';

export { NoReportDataError, type ReportDeps, type ReportInput } from './report-inputs.js';
export type { ReportResult } from './report-result.js';

export type ReportFormat = 'md' | 'html' | 'json';

export interface ReportOptions {
  /** Only data on or before this date; default the latest stored bar date of the symbols. */
  date?: IsoDate;
  /** Default <dataDir>/reports. */
  outDir?: string;
  /** Files to write; default config.report.formats. The reports row always gets all three. */
  formats?: ReportFormat[];
  /** Default config.report.lang. */
  lang?: Lang;
  /** Default claims.json next to the main config file. */
  claimsPath?: string;
}

/** Write to a temporary name in the same directory, then rename: readers never see half a file. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Everything a report as of the date needs, read and built into its document (no write). */
async function assembleReport(deps: ReportDeps, opts: Pick<ReportOptions, 'date' | 'claimsPath'>) {
  const { asOf, watched, input } = await readReportInput(deps, opts);
  return { asOf, watched, build: (generatedAt: Date) => buildReportDocument({ ...input, generatedAt }) };
}

export async function writeReport(deps: ReportDeps, opts: ReportOptions = {}): Promise<ReportResult> {
  const written = await storeReport(deps, opts);
  logReportWritten(deps.log, written);
  return written;
}

/** writeReport without its log line: the daemon's render worker writes, the daemon logs. */
export async function storeReport(deps: ReportDeps, opts: ReportOptions = {}): Promise<ReportResult> {
  const { handle, config, clock } = deps;
  const { asOf, watched, build } = await assembleReport(deps, opts);
  const runId = await startRun(handle.db, 'report', watched, clock());
  try {
    const generatedAt = clock();
    const doc = build(generatedAt);
    const lang = opts.lang ?? config.report.lang;
    const rendered: Record<ReportFormat, string> = {
      md: renderMarkdown(doc, lang),
      html: renderHtml(doc, lang),
      json: renderJson(doc),
    };
    const outDir = opts.outDir ?? join(config.env.dataDir, 'reports');
    // 0700 when new, so the files (0644) are readable through it by no one else; an --out dir that
    // exists keeps the mode its owner gave it.
    ensurePrivateDir(outDir);
    const files: string[] = [];
    for (const format of [...new Set(opts.formats ?? config.report.formats)]) {
      const file = join(outDir, `${asOf}.${format}`);
      await writeAtomically(file, rendered[format]);
      files.push(file);
    }
    const dataSource = doc.provenance.dataSource;
    await upsertReport(handle.db, { asOf, generatedAt, dataSource, json: rendered.json, markdown: rendered.md, html: rendered.html });
    await finishRun(handle.db, runId, { status: 'ok', finishedAt: clock() });
    return { asOf, files, dataSource, simulated: doc.provenance.simulated, lang };
  } catch (err) {
    await finishRun(handle.db, runId, { status: 'failed', finishedAt: clock(), error: (err as Error).message }).catch(() => {});
    throw err;
  }
}

