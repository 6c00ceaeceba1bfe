// Pure: is the daemon healthy? The shell gathers the facts (a `select 1`, the newest bar date, the
// circuit breaker) and this decides, so every reason for a 503 is tested with plain values.
import type { IsoDate } from '../domain.js';
import { lastClosedSession } from '../market/calendar.js';

/** After a session closes, how long its bar may be missing before /healthz calls the data stale. */
export const DEFAULT_STALE_GRACE_MS = 2 * 60 * 60_000; // covers the 16:30 sync, its report, jitter and a retry

export interface HealthFacts {
  now: Date;
  db: { ok: true } | { ok: false; error: string };
  /** Newest trade date stored for any symbol; null when nothing is stored (or the db is down). */
  newestBarDate: IsoDate | null;
  circuitOpen: boolean;
  /** Postgres only: the single-instance lock, lost with its connection until it is taken again. */
  instanceLock?: { ok: true } | { ok: false; error: string };
  graceMs?: number;
}

export interface HealthReport {
  status: 'ok' | 'fail';
  httpStatus: 200 | 503;
  /** The first problem, for humans and probes that read one line. */
  reason?: string;
  reasons: string[];
  checks: {
    db: { ok: boolean; error?: string };
    data: { ok: boolean; newestBarDate: IsoDate | null; expected: IsoDate };
    yahoo: { ok: boolean; circuitOpen: boolean };
    instanceLock: { ok: boolean; error?: string };
  };
}

export function evaluateHealth(facts: HealthFacts, lastClosed: (instant: Date) => IsoDate = lastClosedSession): HealthReport {
  const grace = facts.graceMs ?? DEFAULT_STALE_GRACE_MS;
  // The session whose bar must be stored by now: the last one that closed more than `grace` ago.
  const expected = lastClosed(new Date(facts.now.getTime() - grace));
  const reasons: string[] = [];
  if (!facts.db.ok) reasons.push(`database unreachable: ${facts.db.error}`);
  const dataOk = facts.db.ok && facts.newestBarDate !== null && facts.newestBarDate >= expected;
  if (facts.db.ok && !dataOk) {
    reasons.push(
      facts.newestBarDate === null
        ? 'no prices stored yet'
        : `data stale: newest bar ${facts.newestBarDate}, expected ${expected} or later`,
    );
  }
  const lock = facts.instanceLock ?? { ok: true };
  if (!lock.ok) reasons.push(`instance lock lost: ${lock.error}`);
  if (facts.circuitOpen) reasons.push('yahoo circuit breaker open: Yahoo is failing or unreachable');
  const ok = reasons.length === 0;
  return {
    status: ok ? 'ok' : 'fail',
    httpStatus: ok ? 200 : 503,
    ...(ok ? {} : { reason: reasons[0] }),
    reasons,
    checks: {
      db: facts.db.ok ? { ok: true } : { ok: false, error: facts.db.error },
      data: { ok: dataOk, newestBarDate: facts.newestBarDate, expected },
      yahoo: { ok: !facts.circuitOpen, circuitOpen: facts.circuitOpen },
      instanceLock: lock,
    },
  };
}

/** What the data checks have found (read by the shell from src/db/data-checks.ts). */
export interface IntegrityFacts {
  jumps: readonly { symbol: string; date: IsoDate; previousDate: IsoDate; previousClose: number; close: number }[];
  flagged: readonly { symbol: string; rows: number; firstDate: IsoDate; lastDate: IsoDate }[];
  verify: {
    runId: number;
    status: string;
    finishedAt: Date | null;
    differences: readonly { symbol: string; kind: string; firstDate: IsoDate; lastDate: IsoDate; fields: readonly string[]; repaired: boolean }[];
  } | null;
}

/** Jumps listed in full; beyond them, the count (a history imported unadjusted may hold hundreds). */
const JUMPS_LISTED = 50;

export interface IntegrityReport {
  /** One line per symbol and finding: named in /healthz, never a reason for a 503 (the daemon is fine). */
  warnings: string[];
  /** The first JUMPS_LISTED unexplained jumps, and how many there are. */
  jumps: IntegrityFacts['jumps'];
  jumpCount: number;
  flagged: IntegrityFacts['flagged'];
  verify: { runId: number; status: string; finishedAt: string | null; differences: number; unrepaired: number; symbols: string[] } | null;
}

const range = (first: IsoDate, last: IsoDate) => (first === last ? first : `${first}..${last}`);

/** Pure: the data checks' findings in words, per symbol. */
export function integrityReport(facts: IntegrityFacts): IntegrityReport {
  const warnings: string[] = [];
  const bySymbol = new Map<string, IntegrityFacts['jumps'][number][]>();
  for (const j of facts.jumps) bySymbol.set(j.symbol, [...(bySymbol.get(j.symbol) ?? []), j]);
  for (const [symbol, jumps] of bySymbol) {
    const j = jumps[0]!;
    const more = jumps.length > 1 ? ` (and ${jumps.length - 1} more)` : '';
    warnings.push(`${symbol}: close jumps from ${j.previousClose} on ${j.previousDate} to ${j.close} on ${j.date} with no split on record to explain it${more}`);
  }
  for (const f of facts.flagged) {
    warnings.push(`${f.symbol}: ${f.rows} row(s) kept with open or close outside low-high (${range(f.firstDate, f.lastDate)})`);
  }
  const v = facts.verify;
  let verify: IntegrityReport['verify'] = null;
  if (v) {
    const unrepaired = v.differences.filter((d) => !d.repaired);
    const symbols = [...new Set(v.differences.map((d) => d.symbol))];
    verify = { runId: v.runId, status: v.status, finishedAt: v.finishedAt?.toISOString() ?? null, differences: v.differences.length, unrepaired: unrepaired.length, symbols };
    for (const symbol of [...new Set(unrepaired.map((d) => d.symbol))]) {
      const mine = unrepaired.filter((d) => d.symbol === symbol);
      const d = mine[0]!;
      const more = mine.length > 1 ? ` (and ${mine.length - 1} more range(s))` : '';
      warnings.push(`${symbol}: verify #${v.runId} found the stored history different from the source: ${range(d.firstDate, d.lastDate)} ${d.kind === 'changed' ? d.fields.join(',') : d.kind.replace(/_/g, ' ')}${more}`);
    }
  }
  return { warnings, jumps: facts.jumps.slice(0, JUMPS_LISTED), jumpCount: facts.jumps.length, flagged: facts.flagged, verify };
}
