// What a written report is, and its log line: light enough for the daemon to import at start-up (the
// writer, with the renderers' preact and d3, loads in the render worker or when a command needs it).
import type { Logger } from 'pino';
import type { IsoDate } from '../domain.js';
import type { Lang } from './render/i18n.js';

export interface ReportResult {
  asOf: IsoDate;
  files: string[];
  dataSource: string;
  simulated: boolean;
  lang: Lang;
}

/** The line a written report gets, in the log of the process that asked for it. */
export function logReportWritten(log: Logger, written: ReportResult): void {
  const { asOf, files, dataSource, simulated, lang } = written;
  log.info({ asOf, files, dataSource, simulated, lang }, 'report written');
}
