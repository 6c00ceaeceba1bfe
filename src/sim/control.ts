// The sim's /__ routes: counters for tests and benchmarks, and steering for a feed running in another
// process (bubblewatch sim): move `now`, add a split, expire crumbs, change the fault rate.
import { SIM_FAULT_KINDS, type SimFaultKind, type SimFaultOptions } from './faults.js';
import type { SimStats } from './stats.js';
import type { SimRebasing, SimRevision } from './feed.js';
import type { SimSplit } from './types.js';

export interface ControlTarget {
  stats(): SimStats;
  resetStats(): void;
  now(): string;
  setNow(now: string): void;
  advance(sessions?: number): string;
  addSplit(symbol: string, split: SimSplit): void;
  rebase(symbol: string, rebasing: SimRebasing): void;
  revise(revision: SimRevision): void;
  invalidateCrumbs(): void;
  setFaults(faults: SimFaultOptions): void;
}

export interface ControlReply {
  status: number;
  body: unknown;
}

const OK = { status: 200, body: { ok: true } };

function kindsParam(raw: string | null): SimFaultKind[] | undefined {
  if (raw === null) return undefined;
  const kinds = raw.split(',');
  const unknown = kinds.filter((k) => !(SIM_FAULT_KINDS as readonly string[]).includes(k));
  if (unknown.length > 0) throw new RangeError(`unknown fault kinds: ${unknown.join(', ')}`);
  return kinds as SimFaultKind[];
}

/**
 * GET /__stats; POST /__stats/reset (or DELETE /__stats); POST /__control/now?date=YYYY-MM-DD|advance=N;
 * POST /__control/split?symbol=S&date=D&ratio=4:1; POST /__control/rebase?symbol=S&factor=2[&before=D]
 * (factor=1 undoes it); POST /__control/revise?symbol=S&date=D&close=C[&open&high&low&adjClose&volume];
 * POST /__control/invalidate-crumbs;
 * POST /__control/faults?rate=0.3[&kinds=429,reset].
 */
export function controlReply(url: URL, method: string, target: ControlTarget): ControlReply {
  const q = url.searchParams;
  try {
    if (url.pathname === '/__stats' && method === 'GET') return { status: 200, body: target.stats() };
    if ((url.pathname === '/__stats' && method === 'DELETE') || (url.pathname === '/__stats/reset' && method === 'POST')) {
      target.resetStats();
      return OK;
    }
    if (method !== 'POST') return { status: 405, body: { error: 'use POST for /__control routes' } };
    switch (url.pathname) {
      case '/__control/now': {
        const date = q.get('date');
        if (date) target.setNow(date);
        else {
          const sessions = Number(q.get('advance') ?? '1');
          if (!Number.isInteger(sessions) || sessions < 0) throw new RangeError('advance must be a whole number >= 0');
          target.advance(sessions);
        }
        return { status: 200, body: { now: target.now() } };
      }
      case '/__control/split': {
        const [numerator, denominator] = (q.get('ratio') ?? '').split(':').map(Number);
        target.addSplit(q.get('symbol') ?? '', { date: q.get('date') ?? '', numerator: numerator ?? NaN, denominator: denominator ?? NaN });
        return OK;
      }
      case '/__control/rebase': {
        const before = q.get('before');
        target.rebase(q.get('symbol') ?? '', { factor: Number(q.get('factor') ?? NaN), ...(before ? { before } : {}) });
        return OK;
      }
      case '/__control/revise': {
        const revision: SimRevision = { symbol: q.get('symbol') ?? '', date: q.get('date') ?? '' };
        for (const key of ['open', 'high', 'low', 'close', 'adjClose', 'volume'] as const) {
          const raw = q.get(key);
          if (raw !== null) revision[key] = Number(raw);
        }
        target.revise(revision);
        return OK;
      }
      case '/__control/invalidate-crumbs':
        target.invalidateCrumbs();
        return OK;
      case '/__control/faults': {
        const kinds = kindsParam(q.get('kinds'));
        target.setFaults({ rate: Number(q.get('rate') ?? '0'), ...(kinds ? { kinds } : {}) });
        return OK;
      }
      default:
        return { status: 404, body: { error: 'unknown control route' } };
    }
  } catch (err) {
    return { status: 400, body: { error: err instanceof Error ? err.message : String(err) } };
  }
}
