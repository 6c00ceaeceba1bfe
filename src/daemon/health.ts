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
