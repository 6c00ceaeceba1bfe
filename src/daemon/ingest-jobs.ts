// Adapts the real ingest runs and the daemon's report writer to the scheduler's DaemonJobs interface.
import type { Logger } from 'pino';
import type { QuoteJudgement } from '../analysis/provisional.js';
import type { Config } from '../config/load.js';
import { alertsAfterQuotes, alertsAfterSync, alertsAfterVerify } from '../alerts/evaluate.js';
import type { DbHandle } from '../db/connect.js';
import type { IsoDate } from '../domain.js';
import { runQuotes } from '../ingest/quotes.js';
import { runSync } from '../ingest/sync.js';
import { runVerify } from '../ingest/verify.js';
import type { YahooClient } from '../providers/yahoo/client.js';
import type { ReportResult } from '../report/report-result.js';
import type { DaemonJobs } from './jobs.js';

export interface IngestJobDeps {
  handle: DbHandle;
  yahoo: YahooClient;
  config: Config;
  log: Logger;
  clock: () => Date;
  /** Called when an evaluation stored alerts: the daemon's delivery loop sends them. */
  onAlerts?: () => void;
  /**
   * The judgement of the quotes just stored that the live page shows (the daemon's live feed), for
   * the alerts to take as it is; without it, or when it is null, the alerts judge the stored quotes
   * themselves with the same functions.
   */
  quoteJudgement?: () => Promise<QuoteJudgement | null>;
  /** Writes and stores the report of a session: the daemon's render worker. */
  writeReport: (session: IsoDate) => Promise<ReportResult>;
}

export function createIngestJobs(deps: IngestJobDeps): DaemonJobs {
  return {
    async sync({ signal }) {
      // The session is the scheduler's reason to run; the ingest plan works out the ranges itself.
      const summary = await runSync({ ...deps, signal }, {});
      if ((await alertsAfterSync(deps, summary)).length > 0) deps.onAlerts?.();
      return {
        runId: summary.runId,
        status: summary.status,
        failures: summary.failures,
        symbols: summary.symbols.map((s) => s.symbol),
        changedRows: summary.rowsInserted + summary.rowsUpdated,
        revisedRows: summary.rowsRevised,
        rebased: summary.rebased.map((r) => r.symbol),
      };
    },
    async verify({ signal }) {
      // A difference is always told; it is stored again from the source only when the config says so.
      const summary = await runVerify({ ...deps, signal }, { repair: deps.config.verify.repair });
      const ranges = summary.symbols.flatMap((s) =>
        s.ranges.map((r) => ({ symbol: s.symbol, kind: r.kind, firstDate: r.firstDate, lastDate: r.lastDate, fields: r.fields, repaired: s.repaired !== null })),
      );
      if ((await alertsAfterVerify(deps, { runId: summary.runId, ranges })).length > 0) deps.onAlerts?.();
      return {
        runId: summary.runId,
        status: summary.status,
        failures: summary.failures,
        differences: Object.fromEntries(summary.symbols.filter((s) => s.status === 'equal' || s.status === 'different').map((s) => [s.symbol, s.ranges.length])),
        repaired: summary.symbols.filter((s) => s.repaired !== null).map((s) => s.symbol),
      };
    },
    async quotes({ signal }) {
      const summary = await runQuotes({ ...deps, signal });
      const judgement = summary.snapshots.length > 0 ? await deps.quoteJudgement?.() : undefined;
      if ((await alertsAfterQuotes(deps, summary.snapshots, judgement)).length > 0) deps.onAlerts?.();
      return { runId: summary.runId, status: summary.status, received: summary.received, rows: summary.stored, failures: summary.failures };
    },
    async report({ session }) {
      const written = await deps.writeReport(session);
      return { asOf: written.asOf, files: written.files, dataSource: written.dataSource };
    },
  };
}
