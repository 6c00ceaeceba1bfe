// `bubblewatch report [--date] [--out] [--format] [--lang]`: prints the files written, one per line.
// Input the user can fix (a date before any stored price, a broken claims.json) exits 2.
import type { IsoDate } from '../../domain.js';
import { ClaimsConfigError } from '../../analysis/claims/config.js';
import type { Lang } from '../../report/render/i18n.js';
import { NoReportDataError, writeReport, type ReportFormat } from '../../report/write-report.js';
import { UsageError, withContext } from '../context.js';

export interface ReportCommandOptions {
  date?: IsoDate;
  out?: string;
  format?: ReportFormat[];
  lang?: Lang;
}

export async function reportCommand(options: ReportCommandOptions = {}): Promise<void> {
  await withContext(async ({ handle, config, log }) => {
    try {
      const result = await writeReport(
        { handle, config, log, clock: () => new Date() },
        { date: options.date, outDir: options.out, formats: options.format, lang: options.lang },
      );
      process.stdout.write(`${result.files.join('\n')}\n`);
    } catch (err) {
      if (err instanceof NoReportDataError || err instanceof ClaimsConfigError) throw new UsageError(err.message);
      throw err;
    }
  });
}
