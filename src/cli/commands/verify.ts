// `bubblewatch verify [--symbols A,B] [--repair]`: the stored history against the source's, one line
// per differing range. Exit 0 when everything matches, 1 when something differs (repaired or not) or
// a symbol could not be verified, 2 on bad usage; 130/143 when stopped by SIGINT/SIGTERM.
import { isValidSymbol } from '../../bar-checks.js';
import { differingFields, type DifferingRange } from '../../integrity/compare.js';
import { formatFactor, type PricedBar } from '../../integrity/common-factor.js';
import { PRICE_TOLERANCE_TEXT } from '../../integrity/tolerance.js';
import { runVerify, type SymbolVerifyResult, type VerifySummary } from '../../ingest/verify.js';
import { createYahooClientFromConfig } from '../../providers/yahoo/from-config.js';
import { UsageError, withContext } from '../context.js';
import { abortOnSignals, SIGNAL_EXIT } from './ingest.js';

const print = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

export interface VerifyCommandOptions {
  symbols?: string[];
  repair?: boolean;
}

export async function verifyCommand(options: VerifyCommandOptions = {}): Promise<void> {
  const invalid = (options.symbols ?? []).filter((s) => !isValidSymbol(s));
  if (invalid.length > 0) {
    throw new UsageError(`--symbols: ${invalid.map((s) => `"${s}"`).join(', ')} ${invalid.length > 1 ? 'are not Yahoo symbols' : 'is not a Yahoo symbol'} (e.g. ORCL, ^GSPC, BRK-B)`);
  }
  await withContext(
    async ({ config, log, handle }) => {
      const yahoo = createYahooClientFromConfig(config, log, { whenCircuitOpen: 'fail' });
      const stop = abortOnSignals();
      let summary: VerifySummary;
      try {
        summary = await runVerify(
          { handle, yahoo, config, log, clock: () => new Date(), signal: stop.signal },
          {
            ...(options.symbols ? { symbols: options.symbols } : {}),
            repair: options.repair === true,
            onSymbol: (result) => print(formatSymbol(result)),
          },
        );
      } finally {
        stop.dispose();
      }
      print(formatVerifySummary(summary));
      const received = stop.received();
      process.exitCode = received ? SIGNAL_EXIT[received] : summary.differences > 0 || summary.failures.length > 0 ? 1 : 0;
    },
    { maxConnections: 2 },
  );
}

const PRICE_KEYS = { open: 'open', high: 'high', low: 'low', close: 'close', adj_close: 'adjClose', volume: 'volume' } as const;

function value(bar: PricedBar | null, field: keyof typeof PRICE_KEYS): string {
  const v = bar?.[PRICE_KEYS[field]];
  return v === null || v === undefined ? 'none' : String(v);
}

function dates(r: Pick<DifferingRange, 'firstDate' | 'lastDate'>): string {
  return r.firstDate === r.lastDate ? r.firstDate : `${r.firstDate}..${r.lastDate}`;
}

/**
 * One differing range: symbol, dates, fields, the first session's values on both sides and whether
 * the range is one common factor.
 * "INTC 2025-03-14 close: stored 33.765 source 22.51 (1 session; not one common factor)"
 */
export function formatRange(symbol: string, r: DifferingRange): string {
  const sessions = `${r.rows} session${r.rows === 1 ? '' : 's'}`;
  if (r.kind === 'not_stored') return `${symbol} ${dates(r)} not stored: the source has ${sessions} (close ${value(r.source, 'close')} on ${r.firstDate})`;
  if (r.kind === 'not_in_source') return `${symbol} ${dates(r)} not in the source: ${sessions} stored only (close ${value(r.stored, 'close')} on ${r.firstDate})`;
  const shown = differingFields(r.stored!, r.source!)[0] ?? r.fields[0]!;
  const on = r.rows === 1 ? '' : `${shown} on ${r.firstDate}; `;
  const factor =
    r.factor !== null
      ? `one common factor: source = stored x ${formatFactor(r.factor)}${r.adjCloseFactor !== null && Math.abs(r.adjCloseFactor / r.factor - 1) > 1e-4 ? `, adj_close x ${formatFactor(r.adjCloseFactor)}` : ''}`
      : r.adjCloseFactor !== null && r.fields.every((f) => f === 'adj_close')
        ? `one common factor of adj_close: source = stored x ${formatFactor(r.adjCloseFactor)}`
        : 'not one common factor';
  return `${symbol} ${dates(r)} ${r.fields.join(',')}: stored ${value(r.stored, shown)} source ${value(r.source, shown)} (${on}${sessions}; ${factor})`;
}

/** A symbol's lines: its differing ranges (or that it matches), what a repair changed, its jumps. */
export function formatSymbol(result: SymbolVerifyResult): string {
  const { symbol } = result;
  if (result.status === 'failed') return `${symbol} not verified: ${result.failure?.kind ?? 'error'}: ${result.failure?.reason ?? 'unknown error'}`;
  if (result.status === 'aborted') return `${symbol} not verified (run stopped)`;
  const lines =
    result.ranges.length === 0
      ? [`${symbol} equal: ${result.storedRows} sessions ${result.from ?? ''}..${result.to ?? ''}`]
      : result.ranges.map((r) => formatRange(symbol, r));
  if (result.repaired) {
    const c = result.repaired;
    lines.push(`${symbol} repaired from the source: ${c.inserted} row(s) added, ${c.updated} changed, ${c.deleted} removed`);
  }
  for (const j of result.jumps.slice(0, 10)) {
    lines.push(`${symbol} ${j.previousDate}..${j.date} close jumps from ${j.previousClose} to ${j.close} (x${formatFactor(j.close / j.previousClose)}) with no split on record to explain it`);
  }
  if (result.jumps.length > 10) lines.push(`${symbol} ... and ${result.jumps.length - 10} more jump(s)`);
  return lines.join('\n');
}

export function formatVerifySummary(s: VerifySummary): string {
  const different = s.symbols.filter((r) => r.ranges.length > 0).length;
  const lines = [
    `verify #${s.runId} ${s.status}: ${s.symbols.length} symbol(s), ${different} different, ${s.differences} differing range(s)` +
      `${s.repaired > 0 ? `, ${s.repaired} repaired` : ''}, ${s.failures.length} not verified; ${s.requests} request(s) in ${(s.durationMs / 1000).toFixed(1)} s` +
      ` (source: ${s.source}; ${PRICE_TOLERANCE_TEXT})`,
  ];
  if (s.statesRebuilt !== null) lines.push(`daily_bars had been written outside bubblewatch: the drawdown state of ${s.statesRebuilt} symbol(s) was rebuilt`);
  else if (s.untrackedWrites) lines.push("daily_bars was written outside bubblewatch: the report trusts no drawdown state until 'bubblewatch db rebuild-state' (or 'verify --repair')");
  return lines.join('\n');
}
