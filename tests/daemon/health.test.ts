// Every reason /healthz can give, as plain values.
import { describe, expect, it } from 'vitest';
import { DEFAULT_STALE_GRACE_MS, evaluateHealth, integrityReport } from '../../src/daemon/health.js';

const ny = (date: string, time: string) => new Date(`${date}T${time}:00-05:00`);
const ok = { ok: true } as const;

describe(evaluateHealth.name, () => {
  it('is healthy with current data', () => {
    const h = evaluateHealth({ now: ny('2026-11-24', '19:00'), db: ok, newestBarDate: '2026-11-24', circuitOpen: false });
    expect(h).toMatchObject({ status: 'ok', httpStatus: 200, reasons: [] });
    expect(h.reason).toBeUndefined();
  });

  it('gives the last session a grace period after the close', () => {
    // 16:30 on Tuesday: Monday's bar is enough until 18:00 (close + 2 h).
    expect(DEFAULT_STALE_GRACE_MS).toBe(2 * 60 * 60_000);
    const early = evaluateHealth({ now: ny('2026-11-24', '17:59'), db: ok, newestBarDate: '2026-11-23', circuitOpen: false });
    expect(early.status).toBe('ok');
    const late = evaluateHealth({ now: ny('2026-11-24', '18:01'), db: ok, newestBarDate: '2026-11-23', circuitOpen: false });
    expect(late).toMatchObject({ status: 'fail', httpStatus: 503, reason: 'data stale: newest bar 2026-11-23, expected 2026-11-24 or later' });
  });

  it('is not stale over a holiday and a weekend', () => {
    const h = evaluateHealth({ now: ny('2026-11-29', '12:00'), db: ok, newestBarDate: '2026-11-27', circuitOpen: false });
    expect(h.status).toBe('ok');
  });

  it('fails when the database does not answer', () => {
    const h = evaluateHealth({ now: ny('2026-11-24', '12:00'), db: { ok: false, error: 'connection refused' }, newestBarDate: null, circuitOpen: false });
    expect(h).toMatchObject({ httpStatus: 503, reason: 'database unreachable: connection refused', checks: { db: { ok: false } } });
    expect(h.reasons).toHaveLength(1); // no "stale" on top: the data could not be read
  });

  it('fails with nothing stored yet', () => {
    expect(evaluateHealth({ now: ny('2026-11-24', '12:00'), db: ok, newestBarDate: null, circuitOpen: false }).reason).toBe('no prices stored yet');
  });

  it('fails while the Postgres instance lock is lost, and says why', () => {
    const base = { now: ny('2026-11-24', '19:00'), db: ok, newestBarDate: '2026-11-24', circuitOpen: false };
    expect(evaluateHealth({ ...base, instanceLock: ok }).status).toBe('ok');
    const h = evaluateHealth({ ...base, instanceLock: { ok: false, error: 'Connection terminated unexpectedly' } });
    expect(h).toMatchObject({ httpStatus: 503, reason: 'instance lock lost: Connection terminated unexpectedly' });
    expect(h.checks.instanceLock).toEqual({ ok: false, error: 'Connection terminated unexpectedly' });
  });

  it('fails while the Yahoo circuit breaker is open', () => {
    const h = evaluateHealth({ now: ny('2026-11-24', '12:00'), db: ok, newestBarDate: '2026-11-23', circuitOpen: true });
    expect(h).toMatchObject({ httpStatus: 503, checks: { yahoo: { ok: false, circuitOpen: true } } });
    expect(h.reason).toMatch(/circuit breaker open/);
  });
});

describe('healthProblems (the live page words the failed checks in its language)', () => {
  it('names each failed check with its figures', async () => {
    const { healthProblems } = await import('../../src/daemon/daemon.js');
    const stale = evaluateHealth({ now: ny('2026-11-24', '19:00'), db: ok, newestBarDate: '2026-11-20', circuitOpen: true });
    expect(healthProblems(stale)).toEqual([{ kind: 'stale', newest: '2026-11-20', expected: '2026-11-24' }, { kind: 'yahoo' }]);
    const empty = evaluateHealth({ now: ny('2026-11-24', '19:00'), db: ok, newestBarDate: null, circuitOpen: false });
    expect(healthProblems(empty)).toEqual([{ kind: 'no_data' }]);
    const down = evaluateHealth({ now: ny('2026-11-24', '19:00'), db: { ok: false, error: 'connect ECONNREFUSED' }, newestBarDate: null, circuitOpen: false });
    expect(healthProblems(down)).toEqual([{ kind: 'db', error: 'connect ECONNREFUSED' }]);
    expect(healthProblems(evaluateHealth({ now: ny('2026-11-24', '19:00'), db: ok, newestBarDate: '2026-11-24', circuitOpen: false }))).toEqual([]);
  });
});

describe(integrityReport.name, () => {
  it('names each symbol with an unexplained jump, flagged rows, or a difference the last verify left unrepaired', () => {
    const report = integrityReport({
      jumps: [
        { symbol: 'NVDA', date: '2024-06-10', previousDate: '2024-06-07', previousClose: 1208.88, close: 121.79 },
        { symbol: 'NVDA', date: '2024-06-12', previousDate: '2024-06-11', previousClose: 120, close: 1200 },
      ],
      flagged: [{ symbol: '^GSPC', rows: 3, firstDate: '2020-03-16', lastDate: '2020-03-18' }],
      verify: {
        runId: 12,
        status: 'ok',
        finishedAt: new Date('2026-11-28T12:01:00Z'),
        differences: [
          { symbol: 'INTC', kind: 'changed', firstDate: '2025-03-14', lastDate: '2025-03-14', fields: ['close'], repaired: false },
          { symbol: 'ORCL', kind: 'changed', firstDate: '2024-01-02', lastDate: '2025-12-31', fields: ['open', 'close'], repaired: true },
        ],
      },
    });
    expect(report.warnings).toEqual([
      'NVDA: close jumps from 1208.88 on 2024-06-07 to 121.79 on 2024-06-10 with no split on record to explain it (and 1 more)',
      '^GSPC: 3 row(s) kept with open or close outside low-high (2020-03-16..2020-03-18)',
      'INTC: verify #12 found the stored history different from the source: 2025-03-14 close',
    ]);
    expect(report.verify).toEqual({ runId: 12, status: 'ok', finishedAt: '2026-11-28T12:01:00.000Z', differences: 2, unrepaired: 1, symbols: ['INTC', 'ORCL'] });
  });

  it('says nothing when every check holds', () => {
    expect(integrityReport({ jumps: [], flagged: [], verify: null })).toEqual({ warnings: [], jumps: [], jumpCount: 0, flagged: [], verify: null });
  });
});
